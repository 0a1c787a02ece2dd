// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IMarketplace} from "../interfaces/IMarketplace.sol";
import {IReviews} from "../interfaces/IReviews.sol";
import {MarketplaceModule} from "./MarketplaceModule.sol";

/// @title Reviews
/// @notice One review per completed order line, by its buyer; one reply by its seller; amendments
/// as new events. Deployed behind an ERC-1967 proxy (UUPS).
/// @dev Gas: a review is one storage slot (author, rating, time, seller id, replied flag), so
/// posting one costs one new slot plus two Marketplace reads (the line, its buyer's address).
contract Reviews is IReviews, MarketplaceModule {
    uint8 public constant MAX_RATING = 5;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @custom:storage-location erc7201:blockchainmall.storage.Reviews
    struct ReviewsStorage {
        mapping(uint256 lineId => Review) reviews;
    }

    // keccak256(abi.encode(uint256(keccak256("blockchainmall.storage.Reviews")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant REVIEWS_STORAGE_LOCATION =
        0xa6b1335a06a832774b2a5e4d41e27e007d1979d9a7d0384ff5786fb5583abe00;

    function _getReviewsStorage() private pure returns (ReviewsStorage storage $) {
        assembly {
            $.slot := REVIEWS_STORAGE_LOCATION
        }
    }

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IMarketplace marketplace_) MarketplaceModule(marketplace_) {}

    /*//////////////////////////////////////////////////////////////
                                 BUYERS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IReviews
    function postReview(uint256 lineId, uint8 rating, string calldata uri, bytes32 contentHash) external {
        _requireRating(rating);
        Review storage review = _getReviewsStorage().reviews[lineId];
        if (review.author != address(0)) revert ReviewsAlreadyReviewed(lineId);
        IMarketplace.Line memory line = _MARKETPLACE.getLine(lineId);
        if (_member(line.buyerId) != msg.sender) revert ReviewsNotBuyer(lineId, msg.sender);
        if (line.status != IMarketplace.LineStatus.Completed) revert ReviewsLineNotCompleted(lineId, line.status);

        // uint40 seconds last until the year 36812.
        review.author = msg.sender;
        review.rating = rating;
        review.postedAt = uint40(block.timestamp);
        review.sellerId = line.sellerId;
        emit ReviewPosted(lineId, msg.sender, line.sellerId, rating, contentHash, uri);
    }

    /// @inheritdoc IReviews
    function amendReview(uint256 lineId, uint8 rating, string calldata uri, bytes32 contentHash) external {
        _requireRating(rating);
        Review storage review = _getReviewsStorage().reviews[lineId];
        address author = review.author;
        if (author == address(0)) revert ReviewsNoReview(lineId);
        if (author != msg.sender) revert ReviewsNotAuthor(lineId, msg.sender);

        review.rating = rating;
        emit ReviewAmended(lineId, msg.sender, review.sellerId, rating, contentHash, uri);
    }

    /*//////////////////////////////////////////////////////////////
                                SELLERS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IReviews
    function replyToReview(uint256 lineId, string calldata uri, bytes32 contentHash) external {
        Review storage review = _getReviewsStorage().reviews[lineId];
        if (review.author == address(0)) revert ReviewsNoReview(lineId);
        if (_member(review.sellerId) != msg.sender) revert ReviewsNotSeller(lineId, msg.sender);
        if (review.replied) revert ReviewsAlreadyReplied(lineId);

        review.replied = true;
        emit ReviewReplied(lineId, msg.sender, contentHash, uri);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IReviews
    function reviewOf(uint256 lineId) external view returns (address author, uint8 rating, uint64 postedAt) {
        Review storage review = _getReviewsStorage().reviews[lineId];
        return (review.author, review.rating, review.postedAt);
    }

    /// @inheritdoc IReviews
    function getReview(uint256 lineId) external view returns (Review memory) {
        return _getReviewsStorage().reviews[lineId];
    }

    /// @inheritdoc IReviews
    function version() external pure returns (string memory) {
        return "1.0.0";
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    function _requireRating(uint8 rating) private pure {
        if (rating == 0 || rating > MAX_RATING) revert ReviewsInvalidRating(rating);
    }
}

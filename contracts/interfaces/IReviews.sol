// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IMarketplace} from "./IMarketplace.sol";

/// @title The mall's reviews
/// @notice Only real buyers review: one review per completed order line, by its buyer, with a
/// rating from 1 to 5 and the hash (and URI) of its text. The seller may reply once. Nothing can
/// be edited away: the author may amend the review, which records a new event and replaces the
/// current rating, while every earlier version stays in the event history.
/// @dev One storage slot per review. Seller reputation (average, count, distribution) is computed
/// off chain from the events, counting each line's current rating once.
interface IReviews {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice A review. One storage slot.
    struct Review {
        address author; // the line's buyer; address(0): no review
        uint8 rating; // current rating, 1..5 (the latest amendment's)
        uint40 postedAt; // when the first version was posted (unix seconds)
        uint32 sellerId; // the line's seller (Marketplace member id)
        bool replied; // the seller has replied (once only)
    }

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice `author` rated line `lineId` (sold by member `sellerId`) `rating`; the text is at
    /// `uri` and hashes to `contentHash`.
    event ReviewPosted(
        uint256 indexed lineId,
        address indexed author,
        uint32 indexed sellerId,
        uint8 rating,
        bytes32 contentHash,
        string uri
    );
    /// @notice `author` amended the review of `lineId`: the current rating is now `rating`, the
    /// new text is at `uri`. Earlier versions stay in the event history.
    event ReviewAmended(
        uint256 indexed lineId,
        address indexed author,
        uint32 indexed sellerId,
        uint8 rating,
        bytes32 contentHash,
        string uri
    );
    /// @notice `seller` replied to the review of `lineId`; the reply is at `uri`.
    event ReviewReplied(uint256 indexed lineId, address indexed seller, bytes32 contentHash, string uri);

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice A rating is from 1 to 5; `rating` is not.
    error ReviewsInvalidRating(uint8 rating);
    /// @notice Only the buyer of line `lineId` may review it; `caller` is not.
    error ReviewsNotBuyer(uint256 lineId, address caller);
    /// @notice Line `lineId` is `status`: only completed lines can be reviewed.
    error ReviewsLineNotCompleted(uint256 lineId, IMarketplace.LineStatus status);
    /// @notice Line `lineId` already has its review; amend it instead.
    error ReviewsAlreadyReviewed(uint256 lineId);
    /// @notice Line `lineId` has no review.
    error ReviewsNoReview(uint256 lineId);
    /// @notice Only the author of the review of `lineId` may amend it; `caller` is not.
    error ReviewsNotAuthor(uint256 lineId, address caller);
    /// @notice Only the seller of line `lineId` may reply to its review; `caller` is not.
    error ReviewsNotSeller(uint256 lineId, address caller);
    /// @notice The seller has already replied to the review of `lineId`.
    error ReviewsAlreadyReplied(uint256 lineId);

    /*//////////////////////////////////////////////////////////////
                                 BUYERS
    //////////////////////////////////////////////////////////////*/

    /// @notice Review your completed line `lineId`: `rating` 1..5; the text is at `uri` and
    /// `contentHash` is its hash. Once per line.
    function postReview(uint256 lineId, uint8 rating, string calldata uri, bytes32 contentHash) external;

    /// @notice Amend your review of `lineId`: a new rating and text. The first version stays in
    /// the event history; reviewOf reports the new rating and the first posting time.
    function amendReview(uint256 lineId, uint8 rating, string calldata uri, bytes32 contentHash) external;

    /*//////////////////////////////////////////////////////////////
                                SELLERS
    //////////////////////////////////////////////////////////////*/

    /// @notice Reply, once, to the review of your line `lineId`.
    function replyToReview(uint256 lineId, string calldata uri, bytes32 contentHash) external;

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The review of `lineId`: its author (address(0) when there is none), current rating
    /// and when it was first posted. What the points contract reads to pay a review bonus.
    function reviewOf(uint256 lineId) external view returns (address author, uint8 rating, uint64 postedAt);

    /// @notice The whole review of `lineId` (author address(0) when there is none).
    function getReview(uint256 lineId) external view returns (Review memory);

    /// @notice This implementation's version, for upgrade checks and the UI.
    function version() external pure returns (string memory);
}

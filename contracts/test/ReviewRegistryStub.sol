// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IReviewSource} from "../interfaces/IMallPoints.sol";

/// @notice Test-only stand-in for the reviews contract: the points tests set whatever review
/// they need (including ones a real reviews contract would refuse, such as a stranger's or one
/// dated in the future) and the points contract reads it through `reviewOf`.
contract ReviewRegistryStub is IReviewSource {
    struct Review {
        address author;
        uint8 rating;
        uint64 postedAt;
    }

    mapping(uint256 lineId => Review) private _reviews;

    function setReview(uint256 lineId, address author, uint8 rating, uint64 postedAt) external {
        _reviews[lineId] = Review(author, rating, postedAt);
    }

    function reviewOf(uint256 lineId) external view returns (address author, uint8 rating, uint64 postedAt) {
        Review memory review = _reviews[lineId];
        return (review.author, review.rating, review.postedAt);
    }
}

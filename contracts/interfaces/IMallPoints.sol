// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

import {IMarketplace} from "./IMarketplace.sol";

/// @notice What the points contract reads from the reviews contract to pay a review bonus.
interface IReviewSource {
    /// @notice The review of `lineId`: its author (address(0) when there is none), its rating and
    /// when it was first posted.
    function reviewOf(uint256 lineId) external view returns (address author, uint8 rating, uint64 postedAt);
}

/// @title The mall's loyalty points
/// @notice An ERC-20 with 0 decimals (whole points), earned by rules kept on chain: purchase
/// points for completed order lines (claimed against the marketplace's state), a bonus for a
/// review of a completed line, a daily check-in, and campaign multipliers. Points expire; expired
/// points never count in `balanceOf`, transfers or spending. Transfers between users are off
/// unless the rules admin turns them on. Only the points mall (REDEEMER_ROLE) burns points, for
/// redemptions, and it can only give back what it burned.
/// @dev Design, expiry buckets and gas: docs/points.md.
interface IMallPoints is IERC20 {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice One version of the earning rules. Every change appends a version that takes effect
    /// the second after the change's block, so nothing already on chain is affected. One slot.
    struct Rules {
        uint32 effectiveAt; // first second these rules apply to
        uint32 validity; // seconds points earned under these rules stay valid (before rounding up to a period boundary)
        uint48 checkInPoints; // points for a daily check-in (0: check-in is off)
        uint48 reviewBonus; // points for a review of a completed line (0: no bonus)
        uint32 campaignStart; // campaign window [campaignStart, campaignEnd): earnings dated in it are multiplied
        uint32 campaignEnd;
        uint16 campaignMultiplierBps; // the campaign's multiplier in basis points (10,000 = x1)
    }

    /// @notice `amount` points that expire at `expiresAt` (unix seconds; they no longer count from
    /// that second on).
    struct Bucket {
        uint128 amount;
        uint32 expiresAt;
    }

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Rules version `version` was appended; it applies to earnings dated from `rules.effectiveAt` on.
    event RulesChanged(uint256 indexed version, Rules rules);
    /// @notice Lines paid in `token` (address(0): ETH) and completed from `effectiveAt` on earn
    /// `rate` points per 10^18 of the token's smallest unit, instead of `previousRate`.
    event PurchaseRateSet(address indexed token, uint256 previousRate, uint256 rate, uint256 effectiveAt);
    /// @notice Users may (or may no longer) transfer points to each other.
    event TransfersEnabledSet(bool enabled);
    /// @notice Review bonuses are paid for reviews recorded in `reviews` (address(0): none).
    event ReviewSourceSet(address indexed reviews);
    /// @notice `account` checked in on UTC day `day` (unix time / 86,400) and earned `points`.
    event CheckedIn(address indexed account, uint256 indexed day, uint256 points, uint256 expiresAt);
    /// @notice Completed line `lineId` earned its buyer `points`, valid until `expiresAt`.
    event PurchasePointsClaimed(uint256 indexed lineId, address indexed buyer, uint256 points, uint256 expiresAt);
    /// @notice The review of line `lineId` earned its author `points`, valid until `expiresAt`.
    event ReviewBonusClaimed(uint256 indexed lineId, address indexed author, uint256 points, uint256 expiresAt);
    /// @notice `redeemer` burned `amount` of `account`'s points under receipt `ref`.
    event PointsRedeemed(address indexed redeemer, uint256 indexed ref, address indexed account, uint256 amount);
    /// @notice `redeemer` gave back receipt `ref`: `returned` points were credited to `account`,
    /// `lost` had expired in the meantime and were not renewed.
    event PointsReturned(
        address indexed redeemer, uint256 indexed ref, address indexed account, uint256 returned, uint256 lost
    );

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice `account` already checked in on UTC day `day`.
    error PointsAlreadyCheckedIn(address account, uint256 day);
    /// @notice The current rules pay nothing for a check-in.
    error PointsCheckInOff();
    /// @notice Line `lineId` is `status`, not Completed: it earns nothing (yet).
    error PointsLineNotCompleted(uint256 lineId, IMarketplace.LineStatus status);
    /// @notice Line `lineId` has no place in the claim bitmaps (its index in the order is 32 or more).
    error PointsUnknownLine(uint256 lineId);
    /// @notice The purchase points of line `lineId` were already claimed.
    error PointsAlreadyClaimed(uint256 lineId);
    /// @notice The review bonus of line `lineId` was already claimed.
    error PointsBonusAlreadyClaimed(uint256 lineId);
    /// @notice Line `lineId` earns no points under the rules in force when it was earned.
    error PointsNothingEarned(uint256 lineId);
    /// @notice The points line `lineId` earned expired at `expiredAt`, before they were claimed.
    error PointsEarnedExpired(uint256 lineId, uint256 expiredAt);
    /// @notice No reviews contract is set.
    error PointsReviewsNotSet();
    /// @notice Line `lineId` has no review (no author, or no rating).
    error PointsNoReview(uint256 lineId);
    /// @notice The review of `lineId` is by `author`, who is not the line's buyer.
    error PointsReviewerNotBuyer(uint256 lineId, address author);
    /// @notice Users cannot transfer points to each other now.
    error PointsTransfersDisabled();
    /// @notice A validity of `validity` seconds is outside [`min`, `max`].
    error PointsInvalidValidity(uint256 validity, uint256 min, uint256 max);
    /// @notice A campaign needs start <= end and a multiplier in [10,000, `maxMultiplierBps`].
    error PointsInvalidCampaign(uint256 start, uint256 end, uint256 multiplierBps, uint256 maxMultiplierBps);
    /// @notice A purchase rate of `rate` is above `max`.
    error PointsRateTooHigh(uint256 rate, uint256 max);
    /// @notice Nothing to redeem: the amount is zero.
    error PointsZeroAmount();
    /// @notice `redeemer` already has a receipt `ref` for `account`.
    error PointsReceiptExists(address redeemer, address account, uint256 ref);
    /// @notice `redeemer` has no open receipt `ref` for `account`.
    error PointsUnknownReceipt(address redeemer, address account, uint256 ref);
    /// @notice The zero address cannot be used here.
    error PointsZeroAddress();

    /*//////////////////////////////////////////////////////////////
                                EARNING
    //////////////////////////////////////////////////////////////*/

    /// @notice Earn the check-in points of today (UTC), once per day and address.
    function checkIn() external;

    /// @notice Mint the purchase points of completed lines to their buyers. Anyone may call. Each
    /// line earns once: `amount` (what stayed escrowed after partial refunds) times the rate of its
    /// payment token, times the campaign multiplier, both as in force when it completed; the
    /// points are dated at its completion, so they expire as if claimed then. Lines that were
    /// refunded, cancelled, rejected or expired never complete and earn nothing.
    function claimPurchasePoints(uint256[] calldata lineIds) external;

    /// @notice Mint the review bonus of `lineId` to the review's author (the line's buyer), under
    /// the rules in force when the review was posted. Anyone may call; once per line.
    function claimReviewBonus(uint256 lineId) external;

    /*//////////////////////////////////////////////////////////////
                               REDEMPTION
    //////////////////////////////////////////////////////////////*/

    /// @notice Burn `amount` of `account`'s live points, soonest-expiring first, keeping what was
    /// taken (amounts and expiries) under receipt `ref` of the caller. Redeemer only.
    function burnForRedemption(address account, uint256 amount, uint256 ref) external;

    /// @notice Give back to `account`, once, what the caller's receipt `ref` took from it: each
    /// part with its original expiry. Parts that expired in the meantime are lost, or, if
    /// `renewExpired`, credited as earned now. Redeemer only (the one that burned them).
    function returnRedemption(address account, uint256 ref, bool renewExpired) external returns (uint256 returned);

    /*//////////////////////////////////////////////////////////////
                              RULES ADMIN
    //////////////////////////////////////////////////////////////*/

    /// @notice Points per daily check-in from the next second on (0 turns check-in off).
    function setCheckInPoints(uint48 points) external;

    /// @notice Points per review of a completed line, for reviews posted from the next second on.
    function setReviewBonus(uint48 points) external;

    /// @notice How long points earned from the next second on stay valid, in seconds.
    function setValidity(uint32 validity) external;

    /// @notice Multiply earnings dated in [start, end) by `multiplierBps` / 10,000, for earnings
    /// dated from the next second on (a window in the past changes nothing). Replaces any earlier
    /// campaign from then on; `setCampaign(0, 0, 10_000)` ends it.
    function setCampaign(uint32 start, uint32 end, uint16 multiplierBps) external;

    /// @notice Lines paid in `token` (address(0): ETH) and completed from the next second on earn
    /// `rate` points per 10^18 of its smallest unit.
    function setPurchaseRate(address token, uint256 rate) external;

    /// @notice Allow (or forbid) transfers of points between users. Minting, redemption and its
    /// refunds are not affected.
    function setTransfersEnabled(bool enabled) external;

    /*//////////////////////////////////////////////////////////////
                                 ADMIN
    //////////////////////////////////////////////////////////////*/

    /// @notice Read review bonuses from `reviews` (address(0) stops them). Admin only.
    function setReviewSource(address reviews) external;

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The rules in force at `timestamp` (all zero before the first version).
    function rulesAt(uint256 timestamp) external view returns (Rules memory);

    /// @notice Rules version `versionId` (0 is the one set at deployment).
    function rulesVersion(uint256 versionId) external view returns (Rules memory);

    /// @notice How many rules versions there are.
    function rulesCount() external view returns (uint256);

    /// @notice The points per 10^18 smallest units of `token` for lines completed at `timestamp`.
    function purchaseRateAt(address token, uint256 timestamp) external view returns (uint256);

    /// @notice What completed line `lineId` earns: its buyer, the points and their expiry (zeros
    /// for a line that is not Completed). Whether they were claimed: `isPurchaseClaimed`.
    function purchasePointsOf(uint256 lineId)
        external
        view
        returns (address buyer, uint256 points, uint256 expiresAt);

    function isPurchaseClaimed(uint256 lineId) external view returns (bool);

    function isReviewBonusClaimed(uint256 lineId) external view returns (bool);

    /// @notice `account`'s live points, soonest-expiring first.
    function bucketsOf(address account) external view returns (Bucket[] memory);

    /// @notice The last UTC day `account` checked in (0: never).
    function lastCheckInDay(address account) external view returns (uint256);

    /// @notice When points earned at `earnedAt` under a validity of `validity` seconds expire: the
    /// first period boundary (a multiple of PERIOD since 1970) at or after earnedAt + validity.
    function expiryOf(uint256 earnedAt, uint256 validity) external pure returns (uint256);

    /// @notice What receipt `ref` of `redeemer` took from `account`, soonest-expiring first (empty
    /// once given back).
    function receiptOf(address redeemer, address account, uint256 ref) external view returns (Bucket[] memory parts);

    function transfersEnabled() external view returns (bool);

    function marketplace() external view returns (IMarketplace);

    function reviewSource() external view returns (address);

    /// @notice This implementation's version, for upgrade checks and the UI.
    function version() external pure returns (string memory);
}

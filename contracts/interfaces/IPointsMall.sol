// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title The points mall
/// @notice Items priced in points. Redeeming burns the points (through the points token, which
/// keeps what it took) and creates a redemption that the mall operator (MERCHANT_ROLE) ships like
/// an order: shipped, then delivered when the buyer confirms or the delivery window passes. No
/// money is in escrow and no seller is paid. A redemption cancelled by the buyer or rejected by
/// the merchant before shipping, or refunded by the merchant after it, gives the points back.
/// @dev docs/points.md.
interface IPointsMall {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice Where a redemption stands. Appended to by later versions, never reordered.
    enum RedemptionStatus {
        None, // no such redemption
        Placed, // points burned; the merchant ships or rejects it, the buyer may cancel it
        Shipped, // handed to a carrier; delivered when the buyer confirms or the delivery window passes
        Delivered, // terminal unless the merchant refunds it
        Cancelled, // terminal: the buyer cancelled before shipping; points returned with their expiries
        Rejected, // terminal: the merchant rejected it before shipping; points returned (expired ones renewed)
        Refunded // terminal: the merchant refunded it after shipping; points returned (expired ones renewed)
    }

    /// @notice An item for points. One slot.
    struct Listing {
        uint128 price; // points per unit (0: no such listing)
        uint32 stock; // units still redeemable (0: off sale)
    }

    /// @notice One redemption of `quantity` units of a listing. One slot.
    struct Redemption {
        address buyer; // who redeemed it and gets the points back
        uint32 listingId;
        uint16 quantity;
        RedemptionStatus status;
        uint32 statusAt; // when it entered `status`; the delivery window runs from shipping
    }

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Listing `listingId` offers `stock` units at `price` points each.
    event ListingCreated(uint256 indexed listingId, uint256 price, uint256 stock, string metadataURI);
    /// @notice The merchant changed the price or stock of `listingId` (stock 0: off sale).
    event ListingUpdated(uint256 indexed listingId, uint256 price, uint256 stock);
    /// @notice `buyer` redeemed `quantity` of `listingId` for `points` (burned).
    event Redeemed(
        uint256 indexed redemptionId, uint256 indexed listingId, address indexed buyer, uint256 quantity, uint256 points
    );
    /// @notice Redemption `redemptionId` was shipped with `carrier` under `trackingRef`.
    event RedemptionShipped(uint256 indexed redemptionId, string carrier, string trackingRef);
    /// @notice Redemption `redemptionId` was delivered, as confirmed by `confirmedBy` (the buyer,
    /// or anyone once the delivery window has passed).
    event RedemptionDelivered(uint256 indexed redemptionId, address indexed confirmedBy);
    /// @notice The buyer cancelled `redemptionId`; `pointsReturned` came back.
    event RedemptionCancelled(uint256 indexed redemptionId, uint256 pointsReturned);
    /// @notice The merchant rejected `redemptionId`; `pointsReturned` came back.
    event RedemptionRejected(uint256 indexed redemptionId, uint256 pointsReturned);
    /// @notice The merchant refunded `redemptionId` after shipping; `pointsReturned` came back.
    event RedemptionRefunded(uint256 indexed redemptionId, uint256 pointsReturned);
    /// @notice Shipped redemptions count as delivered `window` seconds after shipping.
    event DeliveryWindowSet(uint256 window);

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice Listings need a price above zero.
    error PointsMallZeroPrice();
    /// @notice Redemptions are of at least one unit.
    error PointsMallZeroQuantity();
    /// @notice No listing has id `listingId`.
    error PointsMallUnknownListing(uint256 listingId);
    /// @notice Listing `listingId` has `available` units; `requested` were asked for.
    error PointsMallInsufficientStock(uint256 listingId, uint256 available, uint256 requested);
    /// @notice The redemption costs `expected` points; the buyer agreed to `offered`.
    error PointsMallWrongPrice(uint256 expected, uint256 offered);
    /// @notice No redemption has id `redemptionId`.
    error PointsMallUnknownRedemption(uint256 redemptionId);
    /// @notice Only the buyer of `redemptionId` may do this; `caller` is not.
    error PointsMallNotBuyer(uint256 redemptionId, address caller);
    /// @notice Redemption `redemptionId` is `status`, where this is not allowed.
    error PointsMallInvalidStatus(uint256 redemptionId, RedemptionStatus status);
    /// @notice Only the buyer may confirm `redemptionId` before `deadline` (unix seconds).
    error PointsMallTooEarly(uint256 redemptionId, uint256 deadline);
    /// @notice A delivery window must be above zero.
    error PointsMallInvalidWindow();
    /// @notice The zero address cannot be used here.
    error PointsMallZeroAddress();

    /*//////////////////////////////////////////////////////////////
                                MERCHANT
    //////////////////////////////////////////////////////////////*/

    /// @notice List an item at `price` points per unit. Merchant only.
    function createListing(uint128 price, uint32 stock, string calldata metadataURI)
        external
        returns (uint256 listingId);

    /// @notice Change a listing's price or stock (0 takes it off sale). Merchant only. Open
    /// redemptions keep what they cost.
    function updateListing(uint256 listingId, uint128 price, uint32 stock) external;

    /// @notice Mark a placed redemption shipped. Merchant only.
    function shipRedemption(uint256 redemptionId, string calldata carrier, string calldata trackingRef) external;

    /// @notice Refuse a placed redemption: its units go back in stock and the points back to the
    /// buyer (parts that expired meanwhile are renewed). Merchant only.
    function rejectRedemption(uint256 redemptionId) external;

    /// @notice Refund a shipped or delivered redemption: the points go back to the buyer (parts
    /// that expired meanwhile are renewed). Merchant only.
    function refundRedemption(uint256 redemptionId) external;

    /*//////////////////////////////////////////////////////////////
                                 BUYERS
    //////////////////////////////////////////////////////////////*/

    /// @notice Redeem `quantity` units of `listingId`, burning `totalPoints` (which must equal
    /// price x quantity, so a price change between view and redemption reverts).
    function redeem(uint256 listingId, uint16 quantity, uint256 totalPoints) external returns (uint256 redemptionId);

    /// @notice Cancel your redemption before it ships: units back in stock, points back with their
    /// original expiries (parts that expired meanwhile are lost).
    function cancelRedemption(uint256 redemptionId) external;

    /// @notice Confirm that a shipped redemption arrived: the buyer any time, anyone once the
    /// delivery window has passed (then dated at the window's end).
    function confirmDelivery(uint256 redemptionId) external;

    /*//////////////////////////////////////////////////////////////
                                 ADMIN
    //////////////////////////////////////////////////////////////*/

    /// @notice Shipped redemptions count as delivered `window` seconds after shipping. Admin only.
    function setDeliveryWindow(uint32 window) external;

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    function getListing(uint256 listingId) external view returns (Listing memory);

    function getRedemption(uint256 redemptionId) external view returns (Redemption memory);

    function listingCount() external view returns (uint256);

    function redemptionCount() external view returns (uint256);

    function deliveryWindow() external view returns (uint256);

    /// @notice The points token whose points this mall burns.
    function points() external view returns (address);

    /// @notice This implementation's version, for upgrade checks and the UI.
    function version() external pure returns (string memory);
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";

import {IMallPoints} from "../interfaces/IMallPoints.sol";
import {IPointsMall} from "../interfaces/IPointsMall.sol";

/// @title PointsMall
/// @notice Items priced in points. A redemption burns the buyer's points through the points
/// token (REDEEMER_ROLE there) under the redemption's id, and follows the shipping and delivery
/// flow of an order line; cancelling, rejecting or refunding it gives the points back through the
/// same receipt, so the mall can never mint more than it burned. Deployed behind an ERC-1967
/// proxy; upgrades are UUPS, allowed to UPGRADER_ROLE only.
contract PointsMall is IPointsMall, Initializable, AccessControlUpgradeable, UUPSUpgradeable {
    /*//////////////////////////////////////////////////////////////
                                 ROLES
    //////////////////////////////////////////////////////////////*/

    bytes32 public constant UPGRADER_ROLE = keccak256("UPGRADER_ROLE");
    /// @notice The mall operator: lists items and ships, rejects or refunds redemptions.
    bytes32 public constant MERCHANT_ROLE = keccak256("MERCHANT_ROLE");

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @custom:storage-location erc7201:blockchainmall.storage.PointsMall
    struct PointsMallStorage {
        IMallPoints points;
        uint32 listingCount; // highest listing id issued
        uint32 deliveryWindow; // seconds after shipping after which a redemption counts as delivered
        uint64 redemptionCount; // highest redemption id issued (also its receipt id in the token)
        mapping(uint256 listingId => Listing) listings;
        mapping(uint256 redemptionId => Redemption) redemptions;
    }

    // keccak256(abi.encode(uint256(keccak256("blockchainmall.storage.PointsMall")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant POINTS_MALL_STORAGE_LOCATION =
        0xe92c5c71d8ae48daba915e886420bb635b56f0a3db66969d0d23d74485373b00;

    function _getPointsMallStorage() private pure returns (PointsMallStorage storage $) {
        assembly {
            $.slot := POINTS_MALL_STORAGE_LOCATION
        }
    }

    /*//////////////////////////////////////////////////////////////
                              INITIALIZER
    //////////////////////////////////////////////////////////////*/

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Set up a fresh proxy: `admin` holds every role (and is the first merchant);
    /// redemptions burn `points_`, which must grant this proxy its REDEEMER_ROLE.
    function initialize(address admin, IMallPoints points_, uint32 deliveryWindow_) external initializer {
        if (admin == address(0) || address(points_) == address(0)) revert PointsMallZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(UPGRADER_ROLE, admin);
        _grantRole(MERCHANT_ROLE, admin);
        _getPointsMallStorage().points = points_;
        _setDeliveryWindow(deliveryWindow_);
    }

    /*//////////////////////////////////////////////////////////////
                                MERCHANT
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IPointsMall
    function createListing(uint128 price, uint32 stock, string calldata metadataURI)
        external
        onlyRole(MERCHANT_ROLE)
        returns (uint256 listingId)
    {
        if (price == 0) revert PointsMallZeroPrice();
        PointsMallStorage storage $ = _getPointsMallStorage();
        listingId = ++$.listingCount; // checked: a full registry reverts
        $.listings[listingId] = Listing({price: price, stock: stock});
        emit ListingCreated(listingId, price, stock, metadataURI);
    }

    /// @inheritdoc IPointsMall
    function updateListing(uint256 listingId, uint128 price, uint32 stock) external onlyRole(MERCHANT_ROLE) {
        Listing storage listing = _existingListing(listingId);
        if (price == 0) revert PointsMallZeroPrice();
        listing.price = price;
        listing.stock = stock;
        emit ListingUpdated(listingId, price, stock);
    }

    /// @inheritdoc IPointsMall
    function shipRedemption(uint256 redemptionId, string calldata carrier, string calldata trackingRef)
        external
        onlyRole(MERCHANT_ROLE)
    {
        Redemption storage redemption = _redemptionIn(redemptionId, RedemptionStatus.Placed);
        _moveTo(redemption, RedemptionStatus.Shipped);
        emit RedemptionShipped(redemptionId, carrier, trackingRef);
    }

    /// @inheritdoc IPointsMall
    function rejectRedemption(uint256 redemptionId) external onlyRole(MERCHANT_ROLE) {
        Redemption storage redemption = _redemptionIn(redemptionId, RedemptionStatus.Placed);
        _restock(redemption);
        _moveTo(redemption, RedemptionStatus.Rejected);
        // Not the buyer's doing: parts that expired while it waited are renewed.
        uint256 returned = _getPointsMallStorage().points.returnRedemption(redemption.buyer, redemptionId, true);
        emit RedemptionRejected(redemptionId, returned);
    }

    /// @inheritdoc IPointsMall
    function refundRedemption(uint256 redemptionId) external onlyRole(MERCHANT_ROLE) {
        Redemption storage redemption = _getPointsMallStorage().redemptions[redemptionId];
        RedemptionStatus status = _existingStatus(redemption, redemptionId);
        if (status != RedemptionStatus.Shipped && status != RedemptionStatus.Delivered) {
            revert PointsMallInvalidStatus(redemptionId, status);
        }
        _moveTo(redemption, RedemptionStatus.Refunded);
        uint256 returned = _getPointsMallStorage().points.returnRedemption(redemption.buyer, redemptionId, true);
        emit RedemptionRefunded(redemptionId, returned);
    }

    /*//////////////////////////////////////////////////////////////
                                 BUYERS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IPointsMall
    function redeem(uint256 listingId, uint16 quantity, uint256 totalPoints) external returns (uint256 redemptionId) {
        PointsMallStorage storage $ = _getPointsMallStorage();
        Listing storage listing = _existingListing(listingId);
        Listing memory l = listing;
        if (quantity == 0) revert PointsMallZeroQuantity();
        if (quantity > l.stock) revert PointsMallInsufficientStock(listingId, l.stock, quantity);
        uint256 cost = uint256(l.price) * quantity;
        if (cost != totalPoints) revert PointsMallWrongPrice(cost, totalPoints);

        // Checked above: quantity <= stock.
        unchecked {
            listing.stock = l.stock - quantity;
        }
        redemptionId = ++$.redemptionCount;
        $.redemptions[redemptionId] = Redemption({
            buyer: msg.sender,
            listingId: uint32(listingId), // an existing listing: id <= listingCount, a uint32
            quantity: quantity,
            status: RedemptionStatus.Placed,
            statusAt: uint32(block.timestamp)
        });
        emit Redeemed(redemptionId, listingId, msg.sender, quantity, cost);
        // Reverts with the token's ERC20InsufficientBalance if the buyer's live points are short.
        $.points.burnForRedemption(msg.sender, cost, redemptionId);
    }

    /// @inheritdoc IPointsMall
    function cancelRedemption(uint256 redemptionId) external {
        Redemption storage redemption = _redemptionIn(redemptionId, RedemptionStatus.Placed);
        if (redemption.buyer != msg.sender) revert PointsMallNotBuyer(redemptionId, msg.sender);
        _restock(redemption);
        _moveTo(redemption, RedemptionStatus.Cancelled);
        // The buyer's choice: points come back as they were, so cancelling never extends an expiry.
        uint256 returned = _getPointsMallStorage().points.returnRedemption(msg.sender, redemptionId, false);
        emit RedemptionCancelled(redemptionId, returned);
    }

    /// @inheritdoc IPointsMall
    function confirmDelivery(uint256 redemptionId) external {
        Redemption storage redemption = _redemptionIn(redemptionId, RedemptionStatus.Shipped);
        uint256 deliveredBy = redemption.statusAt + _getPointsMallStorage().deliveryWindow;
        if (msg.sender != redemption.buyer && block.timestamp <= deliveredBy) {
            revert PointsMallTooEarly(redemptionId, deliveredBy);
        }
        redemption.status = RedemptionStatus.Delivered;
        // A late confirmation is dated at the window's end. Both fit in 32 bits until 2106.
        redemption.statusAt = uint32(block.timestamp < deliveredBy ? block.timestamp : deliveredBy);
        emit RedemptionDelivered(redemptionId, msg.sender);
    }

    /*//////////////////////////////////////////////////////////////
                                 ADMIN
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IPointsMall
    function setDeliveryWindow(uint32 window) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setDeliveryWindow(window);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IPointsMall
    function getListing(uint256 listingId) external view returns (Listing memory) {
        return _getPointsMallStorage().listings[listingId];
    }

    /// @inheritdoc IPointsMall
    function getRedemption(uint256 redemptionId) external view returns (Redemption memory) {
        return _getPointsMallStorage().redemptions[redemptionId];
    }

    /// @inheritdoc IPointsMall
    function listingCount() external view returns (uint256) {
        return _getPointsMallStorage().listingCount;
    }

    /// @inheritdoc IPointsMall
    function redemptionCount() external view returns (uint256) {
        return _getPointsMallStorage().redemptionCount;
    }

    /// @inheritdoc IPointsMall
    function deliveryWindow() external view returns (uint256) {
        return _getPointsMallStorage().deliveryWindow;
    }

    /// @inheritdoc IPointsMall
    function points() external view returns (address) {
        return address(_getPointsMallStorage().points);
    }

    /// @inheritdoc IPointsMall
    function version() external pure virtual returns (string memory) {
        return "1.0.0";
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    function _existingListing(uint256 listingId) private view returns (Listing storage listing) {
        listing = _getPointsMallStorage().listings[listingId];
        if (listing.price == 0) revert PointsMallUnknownListing(listingId);
    }

    function _existingStatus(Redemption storage redemption, uint256 redemptionId)
        private
        view
        returns (RedemptionStatus status)
    {
        status = redemption.status;
        if (status == RedemptionStatus.None) revert PointsMallUnknownRedemption(redemptionId);
    }

    function _redemptionIn(uint256 redemptionId, RedemptionStatus expected)
        private
        view
        returns (Redemption storage redemption)
    {
        redemption = _getPointsMallStorage().redemptions[redemptionId];
        RedemptionStatus status = _existingStatus(redemption, redemptionId);
        if (status != expected) revert PointsMallInvalidStatus(redemptionId, status);
    }

    function _moveTo(Redemption storage redemption, RedemptionStatus status) private {
        redemption.status = status;
        redemption.statusAt = uint32(block.timestamp); // fits until 2106
    }

    /// @dev Put a placed redemption's units back on sale.
    function _restock(Redemption storage redemption) private {
        Listing storage listing = _getPointsMallStorage().listings[redemption.listingId];
        // Saturating, so that a merchant's huge stock figure can never block a refund.
        uint256 stock = uint256(listing.stock) + redemption.quantity;
        listing.stock = stock > type(uint32).max ? type(uint32).max : uint32(stock);
    }

    function _setDeliveryWindow(uint32 window) private {
        if (window == 0) revert PointsMallInvalidWindow();
        _getPointsMallStorage().deliveryWindow = window;
        emit DeliveryWindowSet(window);
    }

    function _authorizeUpgrade(address) internal override onlyRole(UPGRADER_ROLE) {}
}

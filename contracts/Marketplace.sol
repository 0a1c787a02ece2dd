// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IMarketplace} from "./interfaces/IMarketplace.sol";

/// @title Marketplace
/// @notice Listing, escrowed ETH purchases, buyer confirmation and pull-payment withdrawal.
/// Deployed behind an ERC-1967 proxy; upgrades are UUPS, allowed to UPGRADER_ROLE only.
/// @dev State lives in one ERC-7201 namespaced struct so that later versions can append to it.
contract Marketplace is
    IMarketplace,
    Initializable,
    AccessControlUpgradeable,
    UUPSUpgradeable,
    ReentrancyGuardTransient
{
    using SafeCast for uint256;

    /// @notice May upgrade the implementation behind the proxy.
    bytes32 public constant UPGRADER_ROLE = keccak256("UPGRADER_ROLE");

    /// @custom:storage-location erc7201:blockchainmall.storage.Marketplace
    struct MarketplaceStorage {
        uint64 productCount; // highest product id issued
        uint64 orderCount; // highest order id issued
        mapping(uint256 productId => Product) products;
        mapping(uint256 orderId => Order) orders;
        mapping(address account => uint256) credits; // wei each account may withdraw
    }

    // keccak256(abi.encode(uint256(keccak256("blockchainmall.storage.Marketplace")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant MARKETPLACE_STORAGE_LOCATION =
        0xe67345f22bc73ad20dbee2266afa9454c1aac5c6f81e80bbf792b14cec752c00;

    function _getMarketplaceStorage() private pure returns (MarketplaceStorage storage $) {
        assembly {
            $.slot := MARKETPLACE_STORAGE_LOCATION
        }
    }

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Set up a fresh proxy: `admin` gets the admin and upgrader roles.
    function initialize(address admin) external initializer {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(UPGRADER_ROLE, admin);
    }

    /*//////////////////////////////////////////////////////////////
                                SELLERS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IMarketplace
    function listProduct(uint96 price, uint32 stock, string calldata metadataURI)
        external
        returns (uint256 productId)
    {
        if (price == 0) revert MarketZeroPrice();
        if (stock == 0) revert MarketZeroQuantity();

        MarketplaceStorage storage $ = _getMarketplaceStorage();
        // Ids are issued one at a time, so 2**64 listings would take longer than the chain will exist.
        unchecked {
            productId = ++$.productCount;
        }
        $.products[productId] = Product({seller: msg.sender, price: price, stock: stock});
        emit ProductListed(productId, msg.sender, price, stock, metadataURI);
    }

    /// @inheritdoc IMarketplace
    function withdraw() external nonReentrant {
        MarketplaceStorage storage $ = _getMarketplaceStorage();
        uint256 amount = $.credits[msg.sender];
        if (amount == 0) revert MarketNothingToWithdraw(msg.sender);

        $.credits[msg.sender] = 0;
        emit Withdrawn(msg.sender, amount);

        // Credit cleared before the call: a reentrant withdraw finds nothing to take.
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert MarketTransferFailed(msg.sender, amount);
    }

    /*//////////////////////////////////////////////////////////////
                                 BUYERS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IMarketplace
    function buy(uint256 productId, uint32 quantity) external payable returns (uint256 orderId) {
        MarketplaceStorage storage $ = _getMarketplaceStorage();
        Product storage product = $.products[productId];
        address seller = product.seller;
        if (seller == address(0)) revert MarketUnknownProduct(productId);
        if (seller == msg.sender) revert MarketSellerCannotBuy(productId, msg.sender);
        if (quantity == 0) revert MarketZeroQuantity();
        uint32 stock = product.stock;
        if (quantity > stock) revert MarketInsufficientStock(productId, stock, quantity);
        // price < 2**96 and quantity < 2**32, so the product fits in 128 bits.
        uint256 amount = uint256(product.price) * quantity;
        if (msg.value != amount) revert MarketWrongPayment(amount, msg.value);

        // Checked above: quantity <= stock.
        unchecked {
            product.stock = stock - quantity;
        }
        unchecked {
            orderId = ++$.orderCount;
        }
        $.orders[orderId] = Order({
            buyer: msg.sender,
            amount: amount.toUint96(),
            productId: uint64(productId), // productId <= productCount, a uint64
            quantity: quantity,
            status: OrderStatus.Paid,
            placedAt: uint40(block.timestamp)
        });
        emit OrderPlaced(orderId, productId, msg.sender, seller, quantity, amount);
    }

    /// @inheritdoc IMarketplace
    function confirmDelivery(uint256 orderId) external {
        MarketplaceStorage storage $ = _getMarketplaceStorage();
        Order storage order = $.orders[orderId];
        OrderStatus status = order.status;
        if (status == OrderStatus.None) revert MarketUnknownOrder(orderId);
        if (order.buyer != msg.sender) revert MarketNotBuyer(orderId, msg.sender);
        if (status != OrderStatus.Paid) revert MarketInvalidOrderStatus(orderId, status);

        order.status = OrderStatus.Completed;
        address seller = $.products[order.productId].seller;
        uint256 amount = order.amount;
        $.credits[seller] += amount;
        emit OrderCompleted(orderId, seller, amount);
    }

    /// @notice Plain ETH transfers are refused, so every wei held is accounted to an order.
    receive() external payable {
        revert MarketUnexpectedPayment(msg.sender, msg.value);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IMarketplace
    function getProduct(uint256 productId) external view returns (Product memory) {
        return _getMarketplaceStorage().products[productId];
    }

    /// @inheritdoc IMarketplace
    function getOrder(uint256 orderId) external view returns (Order memory) {
        return _getMarketplaceStorage().orders[orderId];
    }

    /// @inheritdoc IMarketplace
    function creditOf(address account) external view returns (uint256) {
        return _getMarketplaceStorage().credits[account];
    }

    /// @inheritdoc IMarketplace
    function productCount() external view returns (uint256) {
        return _getMarketplaceStorage().productCount;
    }

    /// @inheritdoc IMarketplace
    function orderCount() external view returns (uint256) {
        return _getMarketplaceStorage().orderCount;
    }

    /// @inheritdoc IMarketplace
    function version() external pure virtual returns (string memory) {
        return "1.0.0";
    }

    /*//////////////////////////////////////////////////////////////
                                UPGRADES
    //////////////////////////////////////////////////////////////*/

    function _authorizeUpgrade(address newImplementation) internal override onlyRole(UPGRADER_ROLE) {}
}

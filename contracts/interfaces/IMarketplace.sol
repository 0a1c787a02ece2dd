// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title The blockchain mall's marketplace
/// @notice Sellers list products; buyers pay into escrow held by this contract; the buyer's
/// confirmation of delivery credits the seller, who withdraws (pull payment).
interface IMarketplace {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice Where an order stands. New states are appended by later versions, never reordered.
    enum OrderStatus {
        None, // no such order
        Paid, // the buyer's payment is held in escrow
        Completed // delivery confirmed; the seller has been credited
    }

    /// @notice A listing. Two storage slots.
    struct Product {
        address seller; // who ships the product and is paid for it
        uint96 price; // wei per unit
        uint32 stock; // units still for sale
    }

    /// @notice One purchase of one product. Two storage slots.
    struct Order {
        address buyer; // who paid and confirms delivery
        uint96 amount; // wei held in escrow for this order
        uint64 productId; // what was bought
        uint32 quantity; // how many units
        OrderStatus status; // where the order stands
        uint40 placedAt; // block timestamp of the purchase
    }

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice `seller` listed product `productId`: `stock` units at `price` wei each.
    /// @param metadataURI where the product's description lives (e.g. ipfs://...), for indexers.
    event ProductListed(
        uint256 indexed productId, address indexed seller, uint256 price, uint256 stock, string metadataURI
    );

    /// @notice `buyer` paid `amount` wei into escrow for `quantity` units of `productId`;
    /// the product's stock went down by `quantity`.
    event OrderPlaced(
        uint256 indexed orderId,
        uint256 indexed productId,
        address indexed buyer,
        address seller,
        uint256 quantity,
        uint256 amount
    );

    /// @notice The buyer confirmed delivery of `orderId`; `seller` was credited `amount` wei.
    event OrderCompleted(uint256 indexed orderId, address indexed seller, uint256 amount);

    /// @notice `account` withdrew `amount` wei of its credit.
    event Withdrawn(address indexed account, uint256 amount);

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice A listing must have a price above zero.
    error MarketZeroPrice();
    /// @notice A listing must have stock, and a purchase must be of at least one unit.
    error MarketZeroQuantity();
    /// @notice No product has id `productId`.
    error MarketUnknownProduct(uint256 productId);
    /// @notice `seller` tried to buy its own product `productId`.
    error MarketSellerCannotBuy(uint256 productId, address seller);
    /// @notice Product `productId` has `available` units; `requested` were asked for.
    error MarketInsufficientStock(uint256 productId, uint256 available, uint256 requested);
    /// @notice The purchase costs `expected` wei; `sent` were sent.
    error MarketWrongPayment(uint256 expected, uint256 sent);
    /// @notice No order has id `orderId`.
    error MarketUnknownOrder(uint256 orderId);
    /// @notice Only the buyer of `orderId` may do this; `caller` is not.
    error MarketNotBuyer(uint256 orderId, address caller);
    /// @notice Order `orderId` is in `status`, where this is not allowed.
    error MarketInvalidOrderStatus(uint256 orderId, OrderStatus status);
    /// @notice `account` has no credit to withdraw.
    error MarketNothingToWithdraw(address account);
    /// @notice Sending `amount` wei to `to` failed; the credit is kept.
    error MarketTransferFailed(address to, uint256 amount);
    /// @notice `sender` sent `amount` wei without buying anything; ETH only enters through `buy`.
    error MarketUnexpectedPayment(address sender, uint256 amount);

    /*//////////////////////////////////////////////////////////////
                                SELLERS
    //////////////////////////////////////////////////////////////*/

    /// @notice List a product for sale; the caller becomes its seller.
    /// @return productId the new product's id (ids start at 1)
    function listProduct(uint96 price, uint32 stock, string calldata metadataURI)
        external
        returns (uint256 productId);

    /// @notice Send the caller's whole credit to the caller.
    function withdraw() external;

    /*//////////////////////////////////////////////////////////////
                                 BUYERS
    //////////////////////////////////////////////////////////////*/

    /// @notice Buy `quantity` units of `productId`, sending exactly price × quantity wei, which the
    /// contract holds in escrow until delivery is confirmed.
    /// @return orderId the new order's id (ids start at 1)
    function buy(uint256 productId, uint32 quantity) external payable returns (uint256 orderId);

    /// @notice Confirm that order `orderId` arrived; credits its seller with the escrowed amount.
    function confirmDelivery(uint256 orderId) external;

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    function getProduct(uint256 productId) external view returns (Product memory);

    function getOrder(uint256 orderId) external view returns (Order memory);

    /// @notice Wei `account` can withdraw now.
    function creditOf(address account) external view returns (uint256);

    /// @notice Number of products listed so far (the highest product id).
    function productCount() external view returns (uint256);

    /// @notice Number of orders placed so far (the highest order id).
    function orderCount() external view returns (uint256);

    /// @notice This implementation's version, for upgrade checks and the UI.
    function version() external pure returns (string memory);
}

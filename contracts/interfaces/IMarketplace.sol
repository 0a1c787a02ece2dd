// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title The blockchain mall's marketplace
/// @notice Sellers list products priced in ETH or an allow-listed ERC-20. Buyers check out carts
/// into escrow held by this contract. Each order line then moves through its own lifecycle
/// (accept, ship, deliver, inspect, complete; or cancel, reject, expire, refund). Every payout is
/// a credit the owner withdraws (pull payments).
/// @dev Lifecycle diagram: docs/order-lifecycle.md. Amounts are in the smallest unit of the
/// order's payment token; `address(0)` means ETH.
interface IMarketplace {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice Where an order line stands. Appended to by later versions, never reordered.
    enum LineStatus {
        None, // no such line
        Paid, // paid into escrow; the seller must accept or reject within the accept window
        Accepted, // the seller accepted; it must ship within the ship window
        Shipped, // handed to a carrier; delivered when the buyer confirms or the delivery window passes
        Delivered, // delivery confirmed; the inspection window runs, then anyone may complete it
        Completed, // terminal: seller credited (less the fee), treasury credited the fee
        Cancelled, // terminal: the buyer cancelled before acceptance; refunded in full
        Rejected, // terminal: the seller rejected; refunded in full
        Expired, // terminal: the seller missed the accept or ship deadline; refunded in full
        Refunded, // terminal: partial refunds accepted by the buyer reached the whole amount
        Disputed, // held by the resolution centre: a dispute is open; nothing else may move it
        Resolved // terminal: the escrow was split by a settlement, a ruling or the default outcome
    }

    /// @notice The rules an order is bound by, snapshotted at checkout. One storage slot.
    struct Terms {
        uint16 feeBps; // platform fee, in basis points of each completed line
        uint32 acceptWindow; // seconds the seller has to accept a paid line
        uint32 shipWindow; // seconds the seller has to ship an accepted line
        uint32 deliveryWindow; // seconds after shipping after which the line counts as delivered
        uint32 inspectionWindow; // seconds the buyer has, after delivery, before completion
    }

    /// @notice A listing. One storage slot.
    struct Product {
        uint32 sellerId; // the seller's member id (see memberOf)
        uint8 tokenId; // what it is priced in: index in the token registry (see tokenOf); 0 is ETH
        uint96 price; // per unit, in the token's smallest unit
        uint32 stock; // units still for sale
    }

    /// @notice What the buyer wants: `quantity` units of `productId`.
    struct CartItem {
        uint256 productId;
        uint16 quantity;
    }

    /// @notice One product in one order: the unit of escrow. One storage slot, so that an order
    /// costs one slot per line and nothing more. Its payment token is its product's.
    struct Line {
        uint32 productId; // what was bought
        uint32 sellerId; // who sells it (member id)
        uint32 buyerId; // who paid it and receives refunds (member id)
        uint16 termsId; // the Terms version in force at checkout
        uint16 quantity; // how many units
        uint88 amount; // still escrowed for this line (accepted partial refunds reduce it)
        LineStatus status; // where the line stands
        uint32 statusAt; // when it entered `status`; deadlines run from here
    }

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice `account` listed or bought for the first time and got member id `memberId`.
    event MemberRegistered(uint32 indexed memberId, address indexed account);
    /// @notice Product `productId` was listed: `stock` units at `price` of `token` each.
    event ProductListed(
        uint256 indexed productId,
        uint32 indexed sellerId,
        address token,
        uint256 price,
        uint256 stock,
        string metadataURI
    );
    /// @notice The seller changed the price or stock of `productId` (stock 0: delisted).
    event ProductUpdated(uint256 indexed productId, uint256 price, uint256 stock);

    /// @notice One line of a checkout: `quantity` of `productId` for `amount` (in the product's
    /// token), escrowed under Terms `termsId`. Emitted once per cart line; the order id is
    /// `lineId >> 8` and the line's index in it `lineId & 0xff`.
    event LinePlaced(
        uint256 indexed lineId,
        address indexed buyer,
        uint32 indexed sellerId,
        uint256 productId,
        uint256 quantity,
        uint256 amount,
        uint16 termsId
    );
    /// @notice The seller accepted line `lineId`.
    event LineAccepted(uint256 indexed lineId);
    /// @notice The seller rejected line `lineId`; the buyer was credited `refund`.
    event LineRejected(uint256 indexed lineId, uint256 refund);
    /// @notice The buyer cancelled line `lineId` before acceptance and was credited `refund`.
    event LineCancelled(uint256 indexed lineId, uint256 refund);
    /// @notice Line `lineId` missed its accept or ship deadline; the buyer was credited `refund`.
    event LineExpired(uint256 indexed lineId, uint256 refund);
    /// @notice Line `lineId` was shipped with `carrier`; `trackingHash` = keccak256(trackingRef).
    event LineShipped(uint256 indexed lineId, string carrier, string trackingRef, bytes32 trackingHash);
    /// @notice Delivery of `lineId` was confirmed by `confirmedBy`; the inspection window starts.
    event LineDelivered(uint256 indexed lineId, address indexed confirmedBy);
    /// @notice Line `lineId` completed: the seller was credited `sellerAmount`; `fee` was added to
    /// the platform's uncollected fees.
    event LineCompleted(uint256 indexed lineId, uint256 sellerAmount, uint256 fee);
    /// @notice The seller offers to refund `amount` of line `lineId` (0 withdraws the offer).
    /// @notice The resolution centre holds the line: a dispute was raised.
    event LineDisputed(uint256 indexed lineId);
    /// @notice A dispute ended: the escrow was split between the buyer, the seller (less the platform's
    /// fee on the seller's part) and the arbiter's fee.
    event LineResolved(
        uint256 indexed lineId,
        uint256 buyerAmount,
        uint256 sellerAmount,
        uint256 fee,
        address arbiter,
        uint256 arbiterFee
    );
    event RefundOffered(uint256 indexed lineId, uint256 amount);
    /// @notice The buyer accepted a refund of `amount` on `lineId`; `remaining` stays escrowed.
    event RefundAccepted(uint256 indexed lineId, uint256 amount, uint256 remaining);

    /// @notice `account` withdrew `amount` of `token` (address(0): ETH).
    event Withdrawn(address indexed account, address token, uint256 amount);
    /// @notice `amount` of uncollected `token` fees were sent to `treasury`.
    event FeesCollected(address indexed token, address indexed treasury, uint256 amount);

    /// @notice Token `token` got registry index `tokenId` and may (or may no longer) be used.
    event PaymentTokenSet(address indexed token, uint8 tokenId, bool allowed);
    /// @notice New orders are bound by Terms version `termsId`.
    event TermsSet(uint16 indexed termsId, Terms terms);
    /// @notice Platform fees are credited to `treasury` from now on.
    event TreasurySet(address indexed treasury);
    /// @notice New products and orders are refused (`paused`) or accepted again.
    event PausedSet(bool paused, address indexed by);

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice Listings must have a price above zero.
    error MarketZeroPrice();
    /// @notice Purchases must be of at least one unit; listings need stock.
    error MarketZeroQuantity();
    /// @notice No product has id `productId`.
    error MarketUnknownProduct(uint256 productId);
    /// @notice Only the seller of `productId` may do this; `caller` is not.
    error MarketNotSeller(uint256 productId, address caller);
    /// @notice `seller` tried to buy its own product `productId`.
    error MarketSellerCannotBuy(uint256 productId, address seller);
    /// @notice A registry is full (`what`: "members", "tokens" or "terms"); a new version must widen it.
    error MarketRegistryFull(string what);
    /// @notice Product `productId` has `available` units; `requested` were asked for.
    error MarketInsufficientStock(uint256 productId, uint256 available, uint256 requested);
    /// @notice The cart is empty or longer than `max` lines.
    error MarketBadCartSize(uint256 size, uint256 max);
    /// @notice Product `productId` is priced in `productToken`, not in `orderToken`.
    error MarketTokenMismatch(uint256 productId, address productToken, address orderToken);
    /// @notice `token` is not an allowed payment token.
    error MarketTokenNotAllowed(address token);
    /// @notice The cart costs `expected`; the buyer offered to pay `sent`.
    error MarketWrongPayment(uint256 expected, uint256 sent);
    /// @notice `token` delivered `received` of the `expected` amount (fee-on-transfer tokens are refused).
    error MarketTokenShortfall(address token, uint256 expected, uint256 received);
    /// @notice ETH was sent with an ERC-20 checkout.
    error MarketUnexpectedEth(uint256 value);
    /// @notice No line has id `lineId`.
    error MarketUnknownLine(uint256 lineId);
    /// @notice Only the buyer of `lineId` may do this; `caller` is not.
    error MarketNotBuyer(uint256 lineId, address caller);
    /// @notice Only the seller of `lineId` may do this; `caller` is not.
    error MarketNotLineSeller(uint256 lineId, address caller);
    /// @notice Line `lineId` is `status`, where this is not allowed.
    error MarketInvalidStatus(uint256 lineId, LineStatus status);
    /// @notice Line `lineId` cannot do this before `deadline` (unix seconds).
    error MarketTooEarly(uint256 lineId, uint256 deadline);
    /// @notice Line `lineId`'s deadline `deadline` has passed.
    error MarketDeadlinePassed(uint256 lineId, uint256 deadline);
    /// @notice A refund of `amount` is not on offer for `lineId` (`offered` is).
    error MarketRefundNotOffered(uint256 lineId, uint256 amount, uint256 offered);
    /// @notice A refund offer of `amount` exceeds the `escrowed` amount of `lineId`.
    error MarketRefundTooLarge(uint256 lineId, uint256 amount, uint256 escrowed);
    /// @notice `account` has nothing of `token` to withdraw.
    error MarketNothingToWithdraw(address account, address token);
    /// @notice No `token` fees are waiting to be collected.
    error MarketNoFees(address token);
    /// @notice Sending `amount` ETH to `to` failed; the credit is kept.
    error MarketTransferFailed(address to, uint256 amount);
    /// @notice `sender` sent `amount` wei outside a checkout.
    error MarketUnexpectedPayment(address sender, uint256 amount);
    /// @notice New products and orders are paused.
    error MarketPaused();
    /// @notice The terms are out of range (fee above `maxFeeBps`, or a window of zero).
    error MarketInvalidTerms(uint256 maxFeeBps);
    /// @notice The zero address cannot be used here.
    error MarketZeroAddress();
    error MarketInvalidSplit(uint256 buyerBps, uint256 arbiterFeeBps);

    /*//////////////////////////////////////////////////////////////
                                SELLERS
    //////////////////////////////////////////////////////////////*/

    /// @notice List a product priced in `token` (address(0): ETH); the caller becomes its seller.
    function listProduct(address token, uint96 price, uint32 stock, string calldata metadataURI)
        external
        returns (uint256 productId);

    /// @notice Change the price or stock of your product; stock 0 takes it off sale.
    function updateProduct(uint256 productId, uint96 price, uint32 stock) external;

    /// @notice Accept a paid line: you commit to ship it within the ship window.
    function acceptLine(uint256 lineId) external;

    /// @notice Reject a paid line: the buyer is refunded in full and the units return to stock.
    function rejectLine(uint256 lineId) external;

    /// @notice Mark an accepted line shipped. `trackingRef` is kept in the event; its hash on chain.
    function shipLine(uint256 lineId, string calldata carrier, string calldata trackingRef) external;

    /// @notice Offer the buyer a refund of `amount` on a line in progress (0 withdraws the offer).
    function offerRefund(uint256 lineId, uint88 amount) external;

    /*//////////////////////////////////////////////////////////////
                                 BUYERS
    //////////////////////////////////////////////////////////////*/

    /// @notice Buy a cart (one or more products, any sellers, all priced in `token`), paying `total`
    /// into escrow: as msg.value for ETH, else pulled with transferFrom (approve first).
    /// `total` must equal the cart's price, so a price change between view and purchase reverts.
    function checkout(CartItem[] calldata cart, address token, uint256 total)
        external
        payable
        returns (uint256 orderId);

    /// @notice `checkout` for ERC-2612 tokens, with a permit signature instead of an approval.
    function checkoutWithPermit(
        CartItem[] calldata cart,
        address token,
        uint256 total,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 orderId);

    /// @notice Cancel a line the seller has not accepted yet: full refund, units back in stock.
    function cancelLine(uint256 lineId) external;

    /// @notice Confirm that a shipped line arrived; the inspection window starts.
    function confirmDelivery(uint256 lineId) external;

    /// @notice Accept the seller's refund offer of exactly `amount` on `lineId`.
    function acceptRefund(uint256 lineId, uint88 amount) external;

    /*//////////////////////////////////////////////////////////////
                     ORACLE AND RESOLUTION CENTRE
    //////////////////////////////////////////////////////////////*/

    /// @notice Mark a shipped line delivered on a carrier's attestation (ORACLE_ROLE: the logistics
    /// oracle contract, which verified the signed attestation). The inspection window starts exactly
    /// as it does on the buyer's confirmation.
    function confirmDeliveryByOracle(uint256 lineId) external;

    /// @notice Hold an accepted, shipped or delivered line for a dispute (RESOLVER_ROLE), while it is still
    /// live: before the ship deadline, or before the line becomes completable by anyone.
    function holdLine(uint256 lineId) external;

    /// @notice End a dispute (RESOLVER_ROLE) by splitting the escrow: first `arbiterFeeBps` of it to
    /// `arbiter`, then `buyerBps` of the rest to the buyer, and the remainder to the seller less the
    /// platform fee of the line's terms. Everything is credited, to be withdrawn.
    function resolveLine(uint256 lineId, uint16 buyerBps, address arbiter, uint16 arbiterFeeBps) external;

    /// @notice Refund part of an in-progress line to its buyer (RESOLVER_ROLE: a support refund the
    /// seller authorised in the resolution centre). Emits RefundAccepted, like an accepted offer.
    function refundByResolver(uint256 lineId, uint88 amount) external;

    /*//////////////////////////////////////////////////////////////
                                ANYONE
    //////////////////////////////////////////////////////////////*/

    /// @notice Complete a line: by its buyer once delivered, by anyone once the inspection window
    /// has passed (for a shipped line: delivery window plus inspection window).
    function completeLine(uint256 lineId) external;

    /// @notice Refund a line whose seller missed the accept or ship deadline. Anyone may call.
    function expireLine(uint256 lineId) external;

    /// @notice Send the caller its whole credit in `token` (address(0): ETH).
    function withdraw(address token) external;

    /// @notice Send all uncollected `token` fees to the treasury. Anyone may call: the
    /// destination is fixed, and fees are kept apart from credits so completions stay cheap.
    function collectFees(address token) external;

    /*//////////////////////////////////////////////////////////////
                                 ADMIN
    //////////////////////////////////////////////////////////////*/

    /// @notice Allow (or stop allowing) `token` for new listings and checkouts. Admin only.
    /// Open orders in a disallowed token still complete, refund and withdraw.
    function setPaymentToken(address token, bool allowed) external;

    /// @notice Bind new orders to `terms`. Admin only. Open orders keep the terms they were placed under.
    function setTerms(Terms calldata terms) external;

    /// @notice Credit platform fees to `treasury` from now on. Admin only.
    function setTreasury(address newTreasury) external;

    /// @notice Refuse (or accept again) new products and orders. Pauser only. Everything else —
    /// shipping, refunds, completions, withdrawals — keeps working while paused.
    function setPaused(bool pause) external;

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    function getProduct(uint256 productId) external view returns (Product memory);

    function getLine(uint256 lineId) external view returns (Line memory);

    /// @notice The id of line `index` of order `orderId`: (orderId << 8) | index.
    function lineIdOf(uint256 orderId, uint256 index) external pure returns (uint256);

    function getTerms(uint16 termsId) external view returns (Terms memory);

    function currentTermsId() external view returns (uint16);

    /// @notice The deadline of `lineId`'s current state: accept, ship, delivery (shipped) or
    /// inspection (delivered) deadline; 0 for terminal states.
    function deadlineOf(uint256 lineId) external view returns (uint256);

    function refundOffer(uint256 lineId) external view returns (uint256);

    /// @notice keccak256 of the tracking reference `lineId` was shipped with (0 before shipping).
    function trackingHashOf(uint256 lineId) external view returns (bytes32);

    /// @notice What `account` can withdraw of `token` now.
    function creditOf(address account, address token) external view returns (uint256);

    /// @notice Platform fees in `token` not yet sent to the treasury.
    function feesOf(address token) external view returns (uint256);

    /// @notice The account behind member id `memberId` (buyers and sellers share one registry).
    function memberOf(uint32 memberId) external view returns (address);

    /// @notice The member id of `account`, 0 if it never listed or bought.
    function memberIdOf(address account) external view returns (uint32);

    function tokenOf(uint8 tokenId) external view returns (address);

    function isTokenAllowed(address token) external view returns (bool);

    function treasury() external view returns (address);

    function paused() external view returns (bool);

    function productCount() external view returns (uint256);

    function orderCount() external view returns (uint256);

    /// @notice This implementation's version, for upgrade checks and the UI.
    function version() external pure returns (string memory);
}

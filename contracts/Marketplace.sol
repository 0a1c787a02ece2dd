// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {MulticallUpgradeable} from "@openzeppelin/contracts-upgradeable/utils/MulticallUpgradeable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IMarketplace} from "./interfaces/IMarketplace.sol";

/// @title Marketplace
/// @notice Listings, cart checkout into escrow (ETH or allow-listed ERC-20), the order-line
/// lifecycle with deadlines, partial refunds, platform fees and pull-payment withdrawals.
/// Deployed behind an ERC-1967 proxy; upgrades are UUPS, allowed to UPGRADER_ROLE only.
/// @dev Gas: a product and an order line are one storage slot each (an order is nothing but its
/// lines); the hot counters, current terms id and pause flag share one slot. Accounts and tokens
/// are referred to by small registry ids so that a line fits in a slot. Each line snapshots its
/// Terms by id: later changes never alter an open order.
/// `multicall` (OpenZeppelin) batches calls in one transaction, e.g. a seller's catalogue import
/// (many listProduct) or a seller's queue (accept, ship); it is not payable, so an ETH checkout
/// cannot be batched with itself to reuse msg.value.
contract Marketplace is
    IMarketplace,
    Initializable,
    AccessControlUpgradeable,
    UUPSUpgradeable,
    MulticallUpgradeable,
    ReentrancyGuardTransient
{
    using SafeERC20 for IERC20;

    /*//////////////////////////////////////////////////////////////
                            ROLES AND LIMITS
    //////////////////////////////////////////////////////////////*/

    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    bytes32 public constant UPGRADER_ROLE = keccak256("UPGRADER_ROLE");
    /// @notice Held by the logistics oracle contract: marks lines delivered from verified carrier attestations.
    bytes32 public constant ORACLE_ROLE = keccak256("ORACLE_ROLE");
    /// @notice Held by the resolution centre contract: holds disputed lines and pays out rulings,
    /// settlements and seller-authorised support refunds.
    bytes32 public constant RESOLVER_ROLE = keccak256("RESOLVER_ROLE");

    uint256 public constant MAX_CART_LINES = 32;
    uint256 public constant MAX_FEE_BPS = 2_000; // 20%
    uint256 private constant BPS = 10_000;
    address private constant ETH = address(0);

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    struct TokenInfo {
        uint8 id; // registry index (ETH is 0 and needs no entry)
        bool registered; // has an index
        bool allowed; // may be used for new listings and checkouts
    }

    /// @custom:storage-location erc7201:blockchainmall.storage.Marketplace
    struct MarketplaceStorage {
        // One slot, touched by every listing and checkout.
        uint32 productCount; // highest product id issued
        uint64 orderCount; // highest order id issued
        uint16 termsId; // Terms version new orders are bound by
        uint32 memberCount; // highest member id issued
        uint8 tokenCount; // highest token id issued (ETH is 0)
        bool paused; // new products and orders refused
        // Everything else.
        address treasury;
        mapping(uint256 productId => Product) products;
        mapping(uint256 lineId => Line) lines;
        mapping(uint256 lineId => uint88) refundOffers;
        mapping(uint256 lineId => bytes32) trackingHashes; // keccak256 of the carrier's tracking reference
        mapping(uint16 termsId => Terms) terms;
        mapping(address account => uint32) memberIds;
        mapping(uint32 memberId => address) members;
        mapping(address token => TokenInfo) tokenInfo;
        mapping(uint8 tokenId => address) tokens;
        mapping(address token => mapping(address account => uint256)) credits;
        mapping(address token => uint256) fees; // completed lines' fees, not yet sent to the treasury
    }

    // keccak256(abi.encode(uint256(keccak256("blockchainmall.storage.Marketplace")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant MARKETPLACE_STORAGE_LOCATION =
        0xe67345f22bc73ad20dbee2266afa9454c1aac5c6f81e80bbf792b14cec752c00;

    function _getMarketplaceStorage() private pure returns (MarketplaceStorage storage $) {
        assembly {
            $.slot := MARKETPLACE_STORAGE_LOCATION
        }
    }

    /*//////////////////////////////////////////////////////////////
                              INITIALIZER
    //////////////////////////////////////////////////////////////*/

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Set up a fresh proxy: `admin` holds every admin role; fees go to `treasury_`.
    function initialize(address admin, address treasury_, Terms calldata terms_) external initializer {
        if (admin == address(0)) revert MarketZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(PAUSER_ROLE, admin);
        _grantRole(UPGRADER_ROLE, admin);
        _setTreasury(treasury_);
        _setTerms(terms_);
    }

    /*//////////////////////////////////////////////////////////////
                                SELLERS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IMarketplace
    function listProduct(address token, uint96 price, uint32 stock, string calldata metadataURI)
        external
        returns (uint256 productId)
    {
        MarketplaceStorage storage $ = _getMarketplaceStorage();
        if ($.paused) revert MarketPaused();
        if (price == 0) revert MarketZeroPrice();
        if (stock == 0) revert MarketZeroQuantity();
        uint8 tokenId = _allowedTokenId($, token);

        uint32 sellerId = _memberId($, msg.sender);
        // One listing per transaction: 2**32 listings would take centuries of blocks.
        unchecked {
            productId = ++$.productCount;
        }
        $.products[productId] = Product({sellerId: sellerId, tokenId: tokenId, price: price, stock: stock});
        emit ProductListed(productId, sellerId, token, price, stock, metadataURI);
    }

    /// @inheritdoc IMarketplace
    function updateProduct(uint256 productId, uint96 price, uint32 stock) external {
        MarketplaceStorage storage $ = _getMarketplaceStorage();
        Product storage product = $.products[productId];
        uint32 sellerId = product.sellerId;
        if (sellerId == 0) revert MarketUnknownProduct(productId);
        if ($.members[sellerId] != msg.sender) revert MarketNotSeller(productId, msg.sender);
        if (price == 0) revert MarketZeroPrice();

        product.price = price;
        product.stock = stock;
        emit ProductUpdated(productId, price, stock);
    }

    /// @inheritdoc IMarketplace
    function acceptLine(uint256 lineId) external {
        MarketplaceStorage storage $ = _getMarketplaceStorage();
        Line storage line = _sellersLine($, lineId);
        _requireStatus(line, lineId, LineStatus.Paid);
        _requireBeforeDeadline($, line, lineId);

        _moveTo(line, LineStatus.Accepted);
        emit LineAccepted(lineId);
    }

    /// @inheritdoc IMarketplace
    function rejectLine(uint256 lineId) external {
        MarketplaceStorage storage $ = _getMarketplaceStorage();
        Line storage line = _sellersLine($, lineId);
        _requireStatus(line, lineId, LineStatus.Paid);

        uint256 refund = _refundInFull($, line, LineStatus.Rejected);
        emit LineRejected(lineId, refund);
    }

    /// @inheritdoc IMarketplace
    function shipLine(uint256 lineId, string calldata carrier, string calldata trackingRef) external {
        MarketplaceStorage storage $ = _getMarketplaceStorage();
        Line storage line = _sellersLine($, lineId);
        _requireStatus(line, lineId, LineStatus.Accepted);
        _requireBeforeDeadline($, line, lineId);

        _moveTo(line, LineStatus.Shipped);
        bytes32 trackingHash = keccak256(bytes(trackingRef));
        $.trackingHashes[lineId] = trackingHash; // what a carrier's delivery attestation must name
        emit LineShipped(lineId, carrier, trackingRef, trackingHash);
    }

    /// @inheritdoc IMarketplace
    function offerRefund(uint256 lineId, uint88 amount) external {
        MarketplaceStorage storage $ = _getMarketplaceStorage();
        Line storage line = _sellersLine($, lineId);
        _requireInProgress(line, lineId);
        uint88 escrowed = line.amount;
        if (amount > escrowed) revert MarketRefundTooLarge(lineId, amount, escrowed);

        $.refundOffers[lineId] = amount;
        emit RefundOffered(lineId, amount);
    }

    /*//////////////////////////////////////////////////////////////
                                 BUYERS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IMarketplace
    function checkout(CartItem[] calldata cart, address token, uint256 total)
        external
        payable
        nonReentrant
        returns (uint256 orderId)
    {
        orderId = _placeOrder(cart, token, total);
        if (token == ETH) {
            if (msg.value != total) revert MarketWrongPayment(total, msg.value);
        } else {
            if (msg.value != 0) revert MarketUnexpectedEth(msg.value);
            _pull(token, total);
        }
    }

    /// @inheritdoc IMarketplace
    function checkoutWithPermit(
        CartItem[] calldata cart,
        address token,
        uint256 total,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external nonReentrant returns (uint256 orderId) {
        if (token == ETH) revert MarketTokenNotAllowed(token); // ETH has no permit: use checkout
        // A permit can be front-run (its signature is public once in the mempool); if the
        // allowance is already there, go on rather than let a griefer block the purchase.
        try IERC20Permit(token).permit(msg.sender, address(this), total, deadline, v, r, s) {}
        catch (bytes memory reason) {
            if (IERC20(token).allowance(msg.sender, address(this)) < total) {
                assembly {
                    revert(add(reason, 0x20), mload(reason))
                }
            }
        }
        orderId = _placeOrder(cart, token, total);
        _pull(token, total);
    }

    /// @inheritdoc IMarketplace
    function cancelLine(uint256 lineId) external {
        MarketplaceStorage storage $ = _getMarketplaceStorage();
        Line storage line = _buyersLine($, lineId);
        _requireStatus(line, lineId, LineStatus.Paid);

        uint256 refund = _refundInFull($, line, LineStatus.Cancelled);
        emit LineCancelled(lineId, refund);
    }

    /// @inheritdoc IMarketplace
    function confirmDelivery(uint256 lineId) external {
        MarketplaceStorage storage $ = _getMarketplaceStorage();
        _deliver($, _buyersLine($, lineId), lineId);
    }

    /// @inheritdoc IMarketplace
    function acceptRefund(uint256 lineId, uint88 amount) external {
        MarketplaceStorage storage $ = _getMarketplaceStorage();
        Line storage line = _buyersLine($, lineId);
        _requireInProgress(line, lineId);
        uint88 offered = $.refundOffers[lineId];
        if (amount == 0 || amount != offered) revert MarketRefundNotOffered(lineId, amount, offered);

        delete $.refundOffers[lineId];
        // offerRefund capped the offer at the escrowed amount, which only shrinks through here.
        _refundPart($, line, lineId, amount);
    }

    /*//////////////////////////////////////////////////////////////
                     ORACLE AND RESOLUTION CENTRE
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IMarketplace
    function confirmDeliveryByOracle(uint256 lineId) external onlyRole(ORACLE_ROLE) {
        MarketplaceStorage storage $ = _getMarketplaceStorage();
        _deliver($, _existingLine($, lineId), lineId);
    }

    /// @inheritdoc IMarketplace
    function holdLine(uint256 lineId) external onlyRole(RESOLVER_ROLE) {
        MarketplaceStorage storage $ = _getMarketplaceStorage();
        Line storage line = _existingLine($, lineId);
        _requireInProgress(line, lineId);
        // Only while the line is still live: not once the seller missed the ship deadline (it is
        // refundable in full by expiry), nor once anyone may complete it.
        uint256 until = _deadline($, line);
        if (line.status == LineStatus.Shipped) until += $.terms[line.termsId].inspectionWindow;
        if (block.timestamp > until) revert MarketDeadlinePassed(lineId, until);

        _moveTo(line, LineStatus.Disputed);
        emit LineDisputed(lineId);
    }

    /// @inheritdoc IMarketplace
    function resolveLine(uint256 lineId, uint16 buyerBps, address arbiter, uint16 arbiterFeeBps)
        external
        onlyRole(RESOLVER_ROLE)
    {
        if (buyerBps > BPS || arbiterFeeBps > BPS) revert MarketInvalidSplit(buyerBps, arbiterFeeBps);
        MarketplaceStorage storage $ = _getMarketplaceStorage();
        Line storage line = _existingLine($, lineId);
        _requireStatus(line, lineId, LineStatus.Disputed);

        // [buyer, seller, platform fee, arbiter fee]; in memory, not on the stack.
        uint256[4] memory parts = _split(line.amount, buyerBps, arbiterFeeBps, $.terms[line.termsId].feeBps);
        _moveTo(line, LineStatus.Resolved);
        address token = _tokenOfLine($, line);
        mapping(address => uint256) storage credits = $.credits[token];
        if (parts[0] != 0) credits[$.members[line.buyerId]] += parts[0];
        if (parts[1] != 0) credits[$.members[line.sellerId]] += parts[1];
        if (parts[2] != 0) $.fees[token] += parts[2];
        if (parts[3] != 0) credits[arbiter] += parts[3];
        emit LineResolved(lineId, parts[0], parts[1], parts[2], arbiter, parts[3]);
    }

    /// @inheritdoc IMarketplace
    function refundByResolver(uint256 lineId, uint88 amount) external onlyRole(RESOLVER_ROLE) {
        MarketplaceStorage storage $ = _getMarketplaceStorage();
        Line storage line = _existingLine($, lineId);
        _requireInProgress(line, lineId);
        uint88 escrowed = line.amount;
        if (amount == 0 || amount > escrowed) revert MarketRefundTooLarge(lineId, amount, escrowed);
        _refundPart($, line, lineId, amount);
    }

    /*//////////////////////////////////////////////////////////////
                                 ANYONE
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IMarketplace
    function completeLine(uint256 lineId) external {
        MarketplaceStorage storage $ = _getMarketplaceStorage();
        Line storage line = _existingLine($, lineId);
        LineStatus status = line.status;
        if (status != LineStatus.Shipped && status != LineStatus.Delivered) {
            revert MarketInvalidStatus(lineId, status);
        }
        Terms storage terms = $.terms[line.termsId];
        if (msg.sender != $.members[line.buyerId]) {
            uint256 completableAt = line.statusAt + terms.inspectionWindow;
            if (status == LineStatus.Shipped) completableAt += terms.deliveryWindow;
            if (block.timestamp <= completableAt) revert MarketTooEarly(lineId, completableAt);
        }

        uint256 amount = line.amount;
        // feeBps <= MAX_FEE_BPS and amount < 2**88: no overflow, and fee <= amount.
        uint256 fee = amount * terms.feeBps / BPS;
        uint256 sellerAmount;
        unchecked {
            sellerAmount = amount - fee;
        }
        _moveTo(line, LineStatus.Completed);
        address token = _tokenOfLine($, line);
        $.credits[token][$.members[line.sellerId]] += sellerAmount;
        if (fee != 0) $.fees[token] += fee;
        emit LineCompleted(lineId, sellerAmount, fee);
    }

    /// @inheritdoc IMarketplace
    function expireLine(uint256 lineId) external {
        MarketplaceStorage storage $ = _getMarketplaceStorage();
        Line storage line = _existingLine($, lineId);
        uint256 deadline = _deadline($, line);
        LineStatus status = line.status;
        if (status != LineStatus.Paid && status != LineStatus.Accepted) revert MarketInvalidStatus(lineId, status);
        if (block.timestamp <= deadline) revert MarketTooEarly(lineId, deadline);

        uint256 refund = _refundInFull($, line, LineStatus.Expired);
        emit LineExpired(lineId, refund);
    }

    /// @inheritdoc IMarketplace
    function withdraw(address token) external {
        MarketplaceStorage storage $ = _getMarketplaceStorage();
        uint256 amount = $.credits[token][msg.sender];
        if (amount == 0) revert MarketNothingToWithdraw(msg.sender, token);

        $.credits[token][msg.sender] = 0;
        emit Withdrawn(msg.sender, token, amount);

        // Credit cleared before paying: a reentrant withdraw finds nothing to take. (No guard
        // needed, and none paid for on the most frequent payout.)
        _send(token, msg.sender, amount);
    }

    /// @inheritdoc IMarketplace
    function collectFees(address token) external {
        MarketplaceStorage storage $ = _getMarketplaceStorage();
        uint256 amount = $.fees[token];
        if (amount == 0) revert MarketNoFees(token);

        $.fees[token] = 0;
        address to = $.treasury;
        emit FeesCollected(token, to, amount);
        _send(token, to, amount);
    }

    /// @notice Plain ETH transfers are refused, so every wei held is accounted to an order.
    receive() external payable {
        revert MarketUnexpectedPayment(msg.sender, msg.value);
    }

    /*//////////////////////////////////////////////////////////////
                                 ADMIN
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IMarketplace
    function setPaymentToken(address token, bool allowed) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (token == ETH) revert MarketZeroAddress(); // ETH is always accepted
        MarketplaceStorage storage $ = _getMarketplaceStorage();
        TokenInfo storage info = $.tokenInfo[token];
        if (!info.registered) {
            if ($.tokenCount == type(uint8).max) revert MarketRegistryFull("tokens");
            uint8 id = ++$.tokenCount;
            info.id = id;
            info.registered = true;
            $.tokens[id] = token;
        }
        info.allowed = allowed;
        emit PaymentTokenSet(token, info.id, allowed);
    }

    /// @inheritdoc IMarketplace
    function setTerms(Terms calldata terms_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setTerms(terms_);
    }

    /// @inheritdoc IMarketplace
    function setTreasury(address treasury_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setTreasury(treasury_);
    }

    /// @inheritdoc IMarketplace
    function setPaused(bool paused_) external onlyRole(PAUSER_ROLE) {
        _getMarketplaceStorage().paused = paused_;
        emit PausedSet(paused_, msg.sender);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IMarketplace
    function getProduct(uint256 productId) external view returns (Product memory) {
        return _getMarketplaceStorage().products[productId];
    }

    /// @inheritdoc IMarketplace
    function getLine(uint256 lineId) external view returns (Line memory) {
        return _getMarketplaceStorage().lines[lineId];
    }

    /// @inheritdoc IMarketplace
    function lineIdOf(uint256 orderId, uint256 index) external pure returns (uint256) {
        return (orderId << 8) | index;
    }

    /// @inheritdoc IMarketplace
    function getTerms(uint16 termsId) external view returns (Terms memory) {
        return _getMarketplaceStorage().terms[termsId];
    }

    /// @inheritdoc IMarketplace
    function currentTermsId() external view returns (uint16) {
        return _getMarketplaceStorage().termsId;
    }

    /// @inheritdoc IMarketplace
    function deadlineOf(uint256 lineId) external view returns (uint256) {
        MarketplaceStorage storage $ = _getMarketplaceStorage();
        return _deadline($, $.lines[lineId]);
    }

    /// @inheritdoc IMarketplace
    function refundOffer(uint256 lineId) external view returns (uint256) {
        MarketplaceStorage storage $ = _getMarketplaceStorage();
        // Closing a line (complete, cancel, reject, expire) leaves any offer in storage, since
        // clearing it would cost every closing a cold slot; it can no longer be accepted, so it
        // is not reported either.
        LineStatus status = $.lines[lineId].status;
        bool open = status == LineStatus.Accepted || status == LineStatus.Shipped || status == LineStatus.Delivered;
        return open ? $.refundOffers[lineId] : 0;
    }

    /// @inheritdoc IMarketplace
    function trackingHashOf(uint256 lineId) external view returns (bytes32) {
        return _getMarketplaceStorage().trackingHashes[lineId];
    }

    /// @inheritdoc IMarketplace
    function creditOf(address account, address token) external view returns (uint256) {
        return _getMarketplaceStorage().credits[token][account];
    }

    /// @inheritdoc IMarketplace
    function feesOf(address token) external view returns (uint256) {
        return _getMarketplaceStorage().fees[token];
    }

    /// @inheritdoc IMarketplace
    function memberOf(uint32 memberId) external view returns (address) {
        return _getMarketplaceStorage().members[memberId];
    }

    /// @inheritdoc IMarketplace
    function memberIdOf(address account) external view returns (uint32) {
        return _getMarketplaceStorage().memberIds[account];
    }

    /// @inheritdoc IMarketplace
    function tokenOf(uint8 tokenId) external view returns (address) {
        return _getMarketplaceStorage().tokens[tokenId];
    }

    /// @inheritdoc IMarketplace
    function isTokenAllowed(address token) external view returns (bool) {
        return token == ETH || _getMarketplaceStorage().tokenInfo[token].allowed;
    }

    /// @inheritdoc IMarketplace
    function treasury() external view returns (address) {
        return _getMarketplaceStorage().treasury;
    }

    /// @inheritdoc IMarketplace
    function paused() external view returns (bool) {
        return _getMarketplaceStorage().paused;
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
        return "1.1.0";
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    /// @dev What every line of one checkout shares (in memory: one stack slot instead of four).
    struct Checkout {
        address token;
        uint8 tokenId;
        uint32 buyerId;
        uint16 termsId;
    }

    function _placeOrder(CartItem[] calldata cart, address token, uint256 total) private returns (uint256 orderId) {
        MarketplaceStorage storage $ = _getMarketplaceStorage();
        if ($.paused) revert MarketPaused();
        uint256 size = cart.length;
        if (size == 0 || size > MAX_CART_LINES) revert MarketBadCartSize(size, MAX_CART_LINES);
        Checkout memory ctx = Checkout({
            token: token,
            tokenId: _allowedTokenId($, token),
            buyerId: _memberId($, msg.sender),
            termsId: $.termsId
        });
        // One order per transaction: 2**64 orders cannot happen.
        unchecked {
            orderId = ++$.orderCount;
        }

        uint256 sum = 0;
        for (uint256 i; i < size; ++i) {
            sum += _placeLine($, cart[i], (orderId << 8) | i, ctx);
        }
        if (sum != total) revert MarketWrongPayment(sum, total);
    }

    function _placeLine(MarketplaceStorage storage $, CartItem calldata item, uint256 lineId, Checkout memory ctx)
        private
        returns (uint256 amount)
    {
        uint256 productId = item.productId;
        Product storage product = $.products[productId];
        Product memory p = product;
        if (p.sellerId == 0) revert MarketUnknownProduct(productId);
        if (p.tokenId != ctx.tokenId) {
            revert MarketTokenMismatch(productId, _tokenAddress($, p.tokenId), ctx.token);
        }
        if (p.sellerId == ctx.buyerId) revert MarketSellerCannotBuy(productId, msg.sender);
        uint16 quantity = item.quantity;
        if (quantity == 0) revert MarketZeroQuantity();
        if (quantity > p.stock) revert MarketInsufficientStock(productId, p.stock, quantity);

        // Checked above: quantity <= stock.
        unchecked {
            product.stock = p.stock - quantity;
        }
        amount = uint256(p.price) * quantity; // < 2**112: the cart's sum cannot overflow
        $.lines[lineId] = Line({
            productId: uint32(productId), // a known product: id <= productCount, a uint32
            sellerId: p.sellerId,
            buyerId: ctx.buyerId,
            termsId: ctx.termsId,
            quantity: quantity,
            amount: SafeCast.toUint88(amount),
            status: LineStatus.Paid,
            statusAt: uint32(block.timestamp)
        });
        emit LinePlaced(lineId, msg.sender, p.sellerId, productId, quantity, amount, ctx.termsId);
    }

    /// @dev Pay out `amount` of `token` (ETH: address(0)) to `to`; reverts if it fails.
    function _send(address token, address to, uint256 amount) private {
        if (token == ETH) {
            bool ok;
            assembly {
                ok := call(gas(), to, amount, 0, 0, 0, 0) // no return data copied
            }
            if (!ok) revert MarketTransferFailed(to, amount);
        } else {
            IERC20(token).safeTransfer(to, amount);
        }
    }

    /// @dev Pull `total` of `token` from the buyer, refusing tokens that deliver less (or more).
    function _pull(address token, uint256 total) private {
        uint256 balanceBefore = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(msg.sender, address(this), total);
        uint256 received = IERC20(token).balanceOf(address(this)) - balanceBefore;
        if (received != total) revert MarketTokenShortfall(token, total, received);
    }

    function _refundInFull(MarketplaceStorage storage $, Line storage line, LineStatus to)
        private
        returns (uint256 refund)
    {
        refund = line.amount;
        _moveTo(line, to);
        // A pending refund offer is left in storage: a closed line's offer can be neither seen
        // (refundOffer) nor accepted (acceptRefund), and clearing it would cost every refund.
        Product storage product = $.products[line.productId];
        // The units go back on sale; saturate rather than revert, so a refund can never be blocked.
        uint256 restocked = uint256(product.stock) + line.quantity;
        product.stock = restocked > type(uint32).max ? type(uint32).max : uint32(restocked);
        $.credits[_tokenAddress($, product.tokenId)][$.members[line.buyerId]] += refund;
    }

    /// @dev A disputed escrow's split: the arbiter's fee first, the buyer's share of the rest, the seller
    /// the remainder less the platform's fee on it. amount < 2**88 and every rate <= BPS: no overflow, and
    /// each part is at most what it is taken from.
    function _split(uint256 amount, uint16 buyerBps, uint16 arbiterFeeBps, uint16 feeBps)
        private
        pure
        returns (uint256[4] memory parts)
    {
        uint256 arbiterFee = amount * arbiterFeeBps / BPS;
        uint256 buyerAmount = (amount - arbiterFee) * buyerBps / BPS;
        uint256 sellerGross = amount - arbiterFee - buyerAmount;
        uint256 fee = sellerGross * feeBps / BPS;
        parts = [buyerAmount, sellerGross - fee, fee, arbiterFee];
    }

    /// @dev Shipped -> Delivered, by the buyer or the oracle; the inspection window starts.
    function _deliver(MarketplaceStorage storage $, Line storage line, uint256 lineId) private {
        _requireStatus(line, lineId, LineStatus.Shipped);
        // A late confirmation does not restart the clock: once the delivery window has passed,
        // the line counts as delivered at the window's end.
        uint256 deliveredBy = _deadline($, line); // shipped: statusAt + deliveryWindow
        line.status = LineStatus.Delivered;
        // Both fit: block.timestamp does until 2106, and deliveredBy is then smaller.
        line.statusAt = uint32(block.timestamp < deliveredBy ? block.timestamp : deliveredBy);
        emit LineDelivered(lineId, msg.sender);
    }

    /// @dev Part of the escrow back to the buyer (amount <= line.amount, checked by the caller).
    function _refundPart(MarketplaceStorage storage $, Line storage line, uint256 lineId, uint88 amount) private {
        uint88 remaining = line.amount - amount;
        line.amount = remaining;
        if (remaining == 0) _moveTo(line, LineStatus.Refunded);
        $.credits[_tokenOfLine($, line)][$.members[line.buyerId]] += amount;
        emit RefundAccepted(lineId, amount, remaining);
    }

    function _deadline(MarketplaceStorage storage $, Line storage line) private view returns (uint256) {
        LineStatus status = line.status;
        Terms storage terms = $.terms[line.termsId];
        if (status == LineStatus.Paid) return line.statusAt + terms.acceptWindow;
        if (status == LineStatus.Accepted) return line.statusAt + terms.shipWindow;
        if (status == LineStatus.Shipped) return line.statusAt + terms.deliveryWindow;
        if (status == LineStatus.Delivered) return line.statusAt + terms.inspectionWindow;
        return 0;
    }

    /// @dev The seller's actions must come by the deadline of the line's current state.
    function _requireBeforeDeadline(MarketplaceStorage storage $, Line storage line, uint256 lineId) private view {
        uint256 deadline = _deadline($, line);
        if (block.timestamp > deadline) revert MarketDeadlinePassed(lineId, deadline);
    }

    function _moveTo(Line storage line, LineStatus to) private {
        line.status = to;
        line.statusAt = uint32(block.timestamp); // fits until 2106
    }

    function _existingLine(MarketplaceStorage storage $, uint256 lineId) private view returns (Line storage line) {
        line = $.lines[lineId];
        if (line.status == LineStatus.None) revert MarketUnknownLine(lineId);
    }

    function _buyersLine(MarketplaceStorage storage $, uint256 lineId) private view returns (Line storage line) {
        line = _existingLine($, lineId);
        if ($.members[line.buyerId] != msg.sender) revert MarketNotBuyer(lineId, msg.sender);
    }

    function _sellersLine(MarketplaceStorage storage $, uint256 lineId) private view returns (Line storage line) {
        line = _existingLine($, lineId);
        if ($.members[line.sellerId] != msg.sender) revert MarketNotLineSeller(lineId, msg.sender);
    }

    function _requireStatus(Line storage line, uint256 lineId, LineStatus expected) private view {
        LineStatus status = line.status;
        if (status != expected) revert MarketInvalidStatus(lineId, status);
    }

    /// @dev Accepted, shipped or delivered: the seller has committed and the money is still escrowed.
    function _requireInProgress(Line storage line, uint256 lineId) private view {
        LineStatus status = line.status;
        if (status != LineStatus.Accepted && status != LineStatus.Shipped && status != LineStatus.Delivered) {
            revert MarketInvalidStatus(lineId, status);
        }
    }

    function _allowedTokenId(MarketplaceStorage storage $, address token) private view returns (uint8) {
        if (token == ETH) return 0;
        TokenInfo storage info = $.tokenInfo[token];
        if (!info.allowed) revert MarketTokenNotAllowed(token);
        return info.id;
    }

    /// @dev The member id of `account`, registering it on its first listing or purchase.
    function _memberId(MarketplaceStorage storage $, address account) private returns (uint32 memberId) {
        memberId = $.memberIds[account];
        if (memberId != 0) return memberId;
        if ($.memberCount == type(uint32).max) revert MarketRegistryFull("members");
        memberId = ++$.memberCount;
        $.memberIds[account] = memberId;
        $.members[memberId] = account;
        emit MemberRegistered(memberId, account);
    }

    /// @dev The payment token of a line: its product's.
    function _tokenOfLine(MarketplaceStorage storage $, Line storage line) private view returns (address) {
        return _tokenAddress($, $.products[line.productId].tokenId);
    }

    /// @dev A token id's address; ETH (id 0) needs no storage read.
    function _tokenAddress(MarketplaceStorage storage $, uint8 tokenId) private view returns (address) {
        return tokenId == 0 ? ETH : $.tokens[tokenId];
    }

    function _setTerms(Terms calldata terms_) private {
        if (
            terms_.feeBps > MAX_FEE_BPS || terms_.acceptWindow == 0 || terms_.shipWindow == 0
                || terms_.deliveryWindow == 0 || terms_.inspectionWindow == 0
        ) revert MarketInvalidTerms(MAX_FEE_BPS);
        MarketplaceStorage storage $ = _getMarketplaceStorage();
        if ($.termsId == type(uint16).max) revert MarketRegistryFull("terms");
        uint16 termsId = ++$.termsId;
        $.terms[termsId] = terms_;
        emit TermsSet(termsId, terms_);
    }

    function _setTreasury(address treasury_) private {
        if (treasury_ == address(0)) revert MarketZeroAddress();
        _getMarketplaceStorage().treasury = treasury_;
        emit TreasurySet(treasury_);
    }

    /*//////////////////////////////////////////////////////////////
                                UPGRADES
    //////////////////////////////////////////////////////////////*/

    function _authorizeUpgrade(address newImplementation) internal override onlyRole(UPGRADER_ROLE) {}
}

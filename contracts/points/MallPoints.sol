// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {ERC20Upgradeable} from "@openzeppelin/contracts-upgradeable/token/ERC20/ERC20Upgradeable.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Checkpoints} from "@openzeppelin/contracts/utils/structs/Checkpoints.sol";

import {IMallPoints, IReviewSource} from "../interfaces/IMallPoints.sol";
import {IMarketplace} from "../interfaces/IMarketplace.sol";
import {PointsLedger} from "./PointsLedger.sol";

/// @title MallPoints
/// @notice The mall's loyalty points: an ERC-20 with 0 decimals whose balances expire (see
/// PointsLedger), minted only by the on-chain earning rules and burned only for redemptions.
/// Deployed behind an ERC-1967 proxy; upgrades are UUPS, allowed to UPGRADER_ROLE only.
/// @dev Rules are versioned: each change appends a version effective from the next second, and
/// every earning is priced with the version (and purchase rate) in force at the moment it is
/// dated (a line's completion, a review's posting, a check-in), so a change applies to later
/// actions only. `totalSupply` counts points minted and not burned, expired ones included: it
/// bounds the sum of balances from above. docs/points.md.
contract MallPoints is Initializable, IMallPoints, ERC20Upgradeable, AccessControlUpgradeable, UUPSUpgradeable {
    using Checkpoints for Checkpoints.Trace224;
    using PointsLedger for PointsLedger.Ledger;

    /*//////////////////////////////////////////////////////////////
                            ROLES AND LIMITS
    //////////////////////////////////////////////////////////////*/

    bytes32 public constant UPGRADER_ROLE = keccak256("UPGRADER_ROLE");
    /// @notice Rates, review bonus, check-in points, campaigns, validity, transferability.
    bytes32 public constant RULES_ADMIN_ROLE = keccak256("RULES_ADMIN_ROLE");
    /// @notice Burn points for a redemption and give them back (the points mall).
    bytes32 public constant REDEEMER_ROLE = keccak256("REDEEMER_ROLE");

    uint256 public constant PERIOD = PointsLedger.PERIOD;
    uint256 public constant MIN_VALIDITY = 1 days;
    /// @notice 24 periods (720 days): an account's live expiries then fit its ring of buckets.
    uint256 public constant MAX_VALIDITY = 24 * PointsLedger.PERIOD;
    uint256 public constant MAX_RATE = 1e24;
    uint256 public constant MAX_MULTIPLIER_BPS = 50_000; // x5
    uint256 private constant BPS = 10_000;
    /// @dev Rates are points per 10^18 of a token's smallest unit.
    uint256 private constant RATE_UNIT = 1e18;
    /// @dev The marketplace's MAX_CART_LINES: a line's index in its order (lineId & 0xff) is below it.
    uint256 private constant LINES_PER_ORDER = 32;
    /// @dev A receipt's first word holds its number of parts above its first part (160 bits).
    uint256 private constant PARTS_SHIFT = 160;
    uint256 private constant PART_MASK = (1 << PARTS_SHIFT) - 1;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @custom:storage-location erc7201:blockchainmall.storage.MallPoints
    struct MallPointsStorage {
        // One slot, touched by every mint and burn.
        uint128 totalSupply; // minted minus burned
        uint32 rulesCount; // versions in `rules`
        bool transfersEnabled;
        // Everything else.
        IMarketplace marketplace;
        IReviewSource reviews;
        mapping(uint256 version => Rules) rules;
        mapping(address token => Checkpoints.Trace224) rates; // effective second => rate
        PointsLedger.Ledger ledger;
        mapping(uint256 word => uint256) purchaseClaimed; // one bit per line: see _claimBit
        mapping(uint256 word => uint256) reviewClaimed;
        // What each redemption took, as PointsLedger parts; word 0 also holds the number of parts.
        mapping(address redeemer => mapping(address account => mapping(uint256 ref => mapping(uint256 => uint256))))
            receipts;
    }

    // keccak256(abi.encode(uint256(keccak256("blockchainmall.storage.MallPoints")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant MALL_POINTS_STORAGE_LOCATION =
        0x197d07b7b1265437ec0c96472eda11e3f1a6c9d13c4c9003632d56d8d4763c00;

    function _getMallPointsStorage() private pure returns (MallPointsStorage storage $) {
        assembly {
            $.slot := MALL_POINTS_STORAGE_LOCATION
        }
    }

    /*//////////////////////////////////////////////////////////////
                              INITIALIZER
    //////////////////////////////////////////////////////////////*/

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor() {
        _disableInitializers();
    }

    /// @notice Set up a fresh proxy: `admin` holds every admin role; purchases are read from
    /// `marketplace_`; the first rules version takes effect the next second (no purchase rate
    /// yet: set one per payment token with setPurchaseRate).
    function initialize(
        address admin,
        IMarketplace marketplace_,
        uint32 validity,
        uint48 checkInPoints,
        uint48 reviewBonus
    ) external initializer {
        if (admin == address(0) || address(marketplace_) == address(0)) revert PointsZeroAddress();
        __ERC20_init("Mall Points", "MPT");
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(UPGRADER_ROLE, admin);
        _grantRole(RULES_ADMIN_ROLE, admin);
        _getMallPointsStorage().marketplace = marketplace_;
        _requireValidity(validity);
        _appendRules(
            Rules({
                effectiveAt: 0, // set by _appendRules
                validity: validity,
                checkInPoints: checkInPoints,
                reviewBonus: reviewBonus,
                campaignStart: 0,
                campaignEnd: 0,
                campaignMultiplierBps: uint16(BPS)
            })
        );
    }

    /*//////////////////////////////////////////////////////////////
                                EARNING
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IMallPoints
    function checkIn() external {
        MallPointsStorage storage $ = _getMallPointsStorage();
        PointsLedger.Account memory account = $.ledger.accounts[msg.sender];
        uint32 today = uint32(block.timestamp / 1 days);
        if (account.lastCheckInDay >= today) revert PointsAlreadyCheckedIn(msg.sender, today);
        Rules memory rules = _rulesAt($, block.timestamp);
        uint256 points = _boosted(rules, rules.checkInPoints, block.timestamp);
        if (points == 0) revert PointsCheckInOff();
        uint32 expiresAt = PointsLedger.expiryOf(block.timestamp, rules.validity);

        // The day and the points share the account's header: one slot written.
        account.lastCheckInDay = today;
        $.ledger.credit(msg.sender, account, points, expiresAt);
        $.ledger.accounts[msg.sender] = account;
        _addSupply($, msg.sender, points);
        emit CheckedIn(msg.sender, today, points, expiresAt);
    }

    /// @inheritdoc IMallPoints
    function claimPurchasePoints(uint256[] calldata lineIds) external {
        MallPointsStorage storage $ = _getMallPointsStorage();
        IMarketplace market = $.marketplace;
        for (uint256 i; i < lineIds.length; ++i) {
            uint256 lineId = lineIds[i];
            (uint256 word, uint256 bit) = _claimBit(lineId);
            if ($.purchaseClaimed[word] & bit != 0) revert PointsAlreadyClaimed(lineId);
            $.purchaseClaimed[word] |= bit;

            // Only view calls below (STATICCALL): the marketplace cannot call back into a claim.
            IMarketplace.Line memory line = market.getLine(lineId);
            if (line.status != IMarketplace.LineStatus.Completed) revert PointsLineNotCompleted(lineId, line.status);
            (address buyer, uint256 points, uint32 expiresAt) = _purchaseEarning($, market, line);
            _requireLive(lineId, points, expiresAt);
            _mintUntil($, buyer, points, expiresAt);
            emit PurchasePointsClaimed(lineId, buyer, points, expiresAt);
        }
    }

    /// @inheritdoc IMallPoints
    function claimReviewBonus(uint256 lineId) external {
        MallPointsStorage storage $ = _getMallPointsStorage();
        IReviewSource reviews = $.reviews;
        if (address(reviews) == address(0)) revert PointsReviewsNotSet();
        (uint256 word, uint256 bit) = _claimBit(lineId);
        if ($.reviewClaimed[word] & bit != 0) revert PointsBonusAlreadyClaimed(lineId);
        $.reviewClaimed[word] |= bit;

        (address author, uint8 rating, uint64 postedAt) = reviews.reviewOf(lineId);
        if (author == address(0) || rating == 0) revert PointsNoReview(lineId); // a review has a rating
        // The reviews contract is not trusted with the rules: the line must be completed and the
        // review its buyer's.
        IMarketplace market = $.marketplace;
        IMarketplace.Line memory line = market.getLine(lineId);
        if (line.status != IMarketplace.LineStatus.Completed) revert PointsLineNotCompleted(lineId, line.status);
        if (market.memberOf(line.buyerId) != author) revert PointsReviewerNotBuyer(lineId, author);

        uint256 earnedAt = Math.min(postedAt, block.timestamp); // never dated in the future
        Rules memory rules = _rulesAt($, earnedAt);
        uint256 points = _boosted(rules, rules.reviewBonus, earnedAt);
        uint32 expiresAt = PointsLedger.expiryOf(earnedAt, rules.validity);
        _requireLive(lineId, points, expiresAt);
        _mintUntil($, author, points, expiresAt);
        emit ReviewBonusClaimed(lineId, author, points, expiresAt);
    }

    /*//////////////////////////////////////////////////////////////
                               REDEMPTION
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IMallPoints
    function burnForRedemption(address account, uint256 amount, uint256 ref) external onlyRole(REDEEMER_ROLE) {
        if (amount == 0) revert PointsZeroAmount();
        MallPointsStorage storage $ = _getMallPointsStorage();
        mapping(uint256 => uint256) storage receipt = $.receipts[msg.sender][account][ref];
        if (receipt[0] != 0) revert PointsReceiptExists(msg.sender, account, ref);

        // amount > 0: at least one part, and word 0 is never zero.
        (uint256[] memory parts, uint256 count) = $.ledger.take(account, amount);
        receipt[0] = parts[0] | (count << PARTS_SHIFT);
        for (uint256 i = 1; i < count; ++i) {
            receipt[i] = parts[i];
        }
        // amount was live in one balance, so it is at most totalSupply (< 2**128).
        $.totalSupply -= uint128(amount);
        emit Transfer(account, address(0), amount);
        emit PointsRedeemed(msg.sender, ref, account, amount);
    }

    /// @inheritdoc IMallPoints
    function returnRedemption(address account, uint256 ref, bool renewExpired)
        external
        onlyRole(REDEEMER_ROLE)
        returns (uint256 returned)
    {
        MallPointsStorage storage $ = _getMallPointsStorage();
        mapping(uint256 => uint256) storage receipt = $.receipts[msg.sender][account][ref];
        uint256 first = receipt[0];
        if (first == 0) revert PointsUnknownReceipt(msg.sender, account, ref);

        uint256 total = first >> PARTS_SHIFT;
        uint256[] memory parts = new uint256[](total);
        uint256 count = 0;
        uint256 lost = 0;
        uint32 renewedExpiry = 0;
        for (uint256 i; i < total; ++i) {
            (uint256 amount, uint32 expiresAt) = PointsLedger.unpack(i == 0 ? first & PART_MASK : receipt[i]);
            delete receipt[i]; // deleting word 0 closes the receipt
            if (expiresAt <= block.timestamp) {
                if (!renewExpired) {
                    lost += amount;
                    continue;
                }
                // Renewed parts count as earned now, with the current validity.
                if (renewedExpiry == 0) {
                    renewedExpiry = PointsLedger.expiryOf(block.timestamp, _rulesAt($, block.timestamp).validity);
                }
                expiresAt = renewedExpiry;
            }
            parts[count++] = PointsLedger.pack(amount, expiresAt);
            returned += amount;
        }
        $.ledger.creditParts(account, parts, count);
        $.totalSupply = SafeCast.toUint128($.totalSupply + returned);
        emit Transfer(address(0), account, returned);
        emit PointsReturned(msg.sender, ref, account, returned, lost);
    }

    /*//////////////////////////////////////////////////////////////
                              RULES ADMIN
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IMallPoints
    function setCheckInPoints(uint48 points) external onlyRole(RULES_ADMIN_ROLE) {
        Rules memory rules = _latestRules();
        rules.checkInPoints = points;
        _appendRules(rules);
    }

    /// @inheritdoc IMallPoints
    function setReviewBonus(uint48 points) external onlyRole(RULES_ADMIN_ROLE) {
        Rules memory rules = _latestRules();
        rules.reviewBonus = points;
        _appendRules(rules);
    }

    /// @inheritdoc IMallPoints
    function setValidity(uint32 validity) external onlyRole(RULES_ADMIN_ROLE) {
        _requireValidity(validity);
        Rules memory rules = _latestRules();
        rules.validity = validity;
        _appendRules(rules);
    }

    /// @inheritdoc IMallPoints
    function setCampaign(uint32 start, uint32 end, uint16 multiplierBps) external onlyRole(RULES_ADMIN_ROLE) {
        if (start > end || multiplierBps < BPS || multiplierBps > MAX_MULTIPLIER_BPS) {
            revert PointsInvalidCampaign(start, end, multiplierBps, MAX_MULTIPLIER_BPS);
        }
        Rules memory rules = _latestRules();
        (rules.campaignStart, rules.campaignEnd, rules.campaignMultiplierBps) = (start, end, multiplierBps);
        _appendRules(rules);
    }

    /// @inheritdoc IMallPoints
    function setPurchaseRate(address token, uint256 rate) external onlyRole(RULES_ADMIN_ROLE) {
        if (rate > MAX_RATE) revert PointsRateTooHigh(rate, MAX_RATE);
        uint32 effectiveAt = _nextSecond();
        (uint224 previous, uint224 stored) = _getMallPointsStorage().rates[token].push(effectiveAt, uint224(rate)); // rate <= MAX_RATE
        emit PurchaseRateSet(token, previous, stored, effectiveAt);
    }

    /// @inheritdoc IMallPoints
    function setTransfersEnabled(bool enabled) external onlyRole(RULES_ADMIN_ROLE) {
        _getMallPointsStorage().transfersEnabled = enabled;
        emit TransfersEnabledSet(enabled);
    }

    /*//////////////////////////////////////////////////////////////
                                 ADMIN
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IMallPoints
    function setReviewSource(address reviews) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _getMallPointsStorage().reviews = IReviewSource(reviews);
        emit ReviewSourceSet(reviews);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice Whole points.
    function decimals() public pure override returns (uint8) {
        return 0;
    }

    /// @notice Points minted and not burned, expired ones included (an upper bound of the sum of
    /// balances; expiring points changes no storage, so it cannot be subtracted here).
    function totalSupply() public view override(ERC20Upgradeable, IERC20) returns (uint256) {
        return _getMallPointsStorage().totalSupply;
    }

    /// @notice `account`'s live points: those whose expiry is after the current block's timestamp.
    function balanceOf(address account) public view override(ERC20Upgradeable, IERC20) returns (uint256) {
        return _getMallPointsStorage().ledger.balanceOf(account);
    }

    /// @inheritdoc IMallPoints
    function rulesAt(uint256 timestamp) external view returns (Rules memory) {
        return _rulesAt(_getMallPointsStorage(), timestamp);
    }

    /// @inheritdoc IMallPoints
    function rulesVersion(uint256 versionId) external view returns (Rules memory) {
        return _getMallPointsStorage().rules[versionId];
    }

    /// @inheritdoc IMallPoints
    function rulesCount() external view returns (uint256) {
        return _getMallPointsStorage().rulesCount;
    }

    /// @inheritdoc IMallPoints
    function purchaseRateAt(address token, uint256 timestamp) external view returns (uint256) {
        return _rateAt(_getMallPointsStorage(), token, timestamp);
    }

    /// @inheritdoc IMallPoints
    function purchasePointsOf(uint256 lineId)
        external
        view
        returns (address buyer, uint256 points, uint256 expiresAt)
    {
        MallPointsStorage storage $ = _getMallPointsStorage();
        IMarketplace market = $.marketplace;
        IMarketplace.Line memory line = market.getLine(lineId);
        if (line.status == IMarketplace.LineStatus.Completed) {
            (buyer, points, expiresAt) = _purchaseEarning($, market, line);
        }
    }

    /// @inheritdoc IMallPoints
    function isPurchaseClaimed(uint256 lineId) external view returns (bool) {
        (uint256 word, uint256 bit) = _claimBit(lineId);
        return _getMallPointsStorage().purchaseClaimed[word] & bit != 0;
    }

    /// @inheritdoc IMallPoints
    function isReviewBonusClaimed(uint256 lineId) external view returns (bool) {
        (uint256 word, uint256 bit) = _claimBit(lineId);
        return _getMallPointsStorage().reviewClaimed[word] & bit != 0;
    }

    /// @inheritdoc IMallPoints
    function bucketsOf(address account) external view returns (Bucket[] memory) {
        return _getMallPointsStorage().ledger.buckets(account);
    }

    /// @inheritdoc IMallPoints
    function lastCheckInDay(address account) external view returns (uint256) {
        return _getMallPointsStorage().ledger.accounts[account].lastCheckInDay;
    }

    /// @inheritdoc IMallPoints
    function expiryOf(uint256 earnedAt, uint256 validity) external pure returns (uint256) {
        return PointsLedger.expiryOf(earnedAt, validity);
    }

    /// @inheritdoc IMallPoints
    function receiptOf(address redeemer, address account, uint256 ref) external view returns (Bucket[] memory parts) {
        mapping(uint256 => uint256) storage receipt = _getMallPointsStorage().receipts[redeemer][account][ref];
        uint256 first = receipt[0];
        parts = new Bucket[](first >> PARTS_SHIFT);
        for (uint256 i; i < parts.length; ++i) {
            (uint256 amount, uint32 expiresAt) = PointsLedger.unpack(i == 0 ? first & PART_MASK : receipt[i]);
            parts[i] = Bucket(uint128(amount), expiresAt); // parts were taken from uint128 buckets
        }
    }

    /// @inheritdoc IMallPoints
    function transfersEnabled() external view returns (bool) {
        return _getMallPointsStorage().transfersEnabled;
    }

    /// @inheritdoc IMallPoints
    function marketplace() external view returns (IMarketplace) {
        return _getMallPointsStorage().marketplace;
    }

    /// @inheritdoc IMallPoints
    function reviewSource() external view returns (address) {
        return address(_getMallPointsStorage().reviews);
    }

    /// @inheritdoc IMallPoints
    function version() external pure virtual returns (string memory) {
        return "1.0.0";
    }

    /*//////////////////////////////////////////////////////////////
                               INTERNALS
    //////////////////////////////////////////////////////////////*/

    /// @dev Transfers only, and only while enabled: mints and burns go through the ledger with
    /// expiries (_mintUntil, burnForRedemption, returnRedemption), never through _mint or _burn.
    /// Each part moves with its expiry.
    function _update(address from, address to, uint256 value) internal override {
        MallPointsStorage storage $ = _getMallPointsStorage();
        if (!$.transfersEnabled) revert PointsTransfersDisabled();
        (uint256[] memory parts, uint256 count) = $.ledger.take(from, value);
        $.ledger.creditParts(to, parts, count);
        emit Transfer(from, to, value);
    }

    function _mintUntil(MallPointsStorage storage $, address account, uint256 points, uint32 expiresAt) private {
        PointsLedger.Account memory header = $.ledger.accounts[account];
        $.ledger.credit(account, header, points, expiresAt);
        $.ledger.accounts[account] = header;
        _addSupply($, account, points);
    }

    function _addSupply(MallPointsStorage storage $, address account, uint256 points) private {
        $.totalSupply = SafeCast.toUint128($.totalSupply + points);
        emit Transfer(address(0), account, points);
    }

    /// @dev Buyer, points and expiry of a completed line, under the rate and rules in force at its
    /// completion. (Rates only take effect after the first rules version, so a line with a rate
    /// always has rules.)
    function _purchaseEarning(MallPointsStorage storage $, IMarketplace market, IMarketplace.Line memory line)
        private
        view
        returns (address buyer, uint256 points, uint32 expiresAt)
    {
        uint8 tokenId = market.getProduct(line.productId).tokenId;
        address token = tokenId == 0 ? address(0) : market.tokenOf(tokenId); // token 0 is ETH
        uint256 completedAt = line.statusAt;
        Rules memory rules = _rulesAt($, completedAt);
        // amount < 2**88, rate <= MAX_RATE < 2**80, multiplier < 2**16: no overflow.
        points = _boosted(rules, line.amount * _rateAt($, token, completedAt), completedAt) / RATE_UNIT;
        buyer = market.memberOf(line.buyerId);
        expiresAt = PointsLedger.expiryOf(completedAt, rules.validity);
    }

    function _requireLive(uint256 lineId, uint256 points, uint32 expiresAt) private view {
        if (points == 0) revert PointsNothingEarned(lineId);
        if (expiresAt <= block.timestamp) revert PointsEarnedExpired(lineId, expiresAt);
    }

    /// @dev `base` times the campaign multiplier if `timestamp` is in the campaign window of `rules`.
    function _boosted(Rules memory rules, uint256 base, uint256 timestamp) private pure returns (uint256) {
        bool inCampaign = rules.campaignStart <= timestamp && timestamp < rules.campaignEnd;
        return inCampaign ? base * rules.campaignMultiplierBps / BPS : base;
    }

    /// @dev The last version in effect at `timestamp` (all zero before the first).
    function _rulesAt(MallPointsStorage storage $, uint256 timestamp) private view returns (Rules memory rules) {
        uint256 count = $.rulesCount; // at least 1 once initialized
        // Rules change rarely and earnings are mostly recent: try the latest version first.
        rules = $.rules[count - 1];
        if (rules.effectiveAt <= timestamp) return rules;
        // Binary search of the versions before it for the first one not yet in effect.
        uint256 low = 0;
        uint256 high = count - 1;
        while (low < high) {
            uint256 mid = Math.average(low, high);
            if ($.rules[mid].effectiveAt > timestamp) high = mid;
            else low = mid + 1;
        }
        if (low == 0) {
            delete rules;
        } else {
            rules = $.rules[low - 1];
        }
    }

    function _rateAt(MallPointsStorage storage $, address token, uint256 timestamp) private view returns (uint256) {
        Checkpoints.Trace224 storage rates = $.rates[token];
        // The latest rate first, as for the rules.
        (bool exists, uint32 since, uint224 rate) = rates.latestCheckpoint();
        if (exists && since <= timestamp) return rate;
        return rates.upperLookupRecent(SafeCast.toUint32(timestamp));
    }

    function _latestRules() private view returns (Rules memory) {
        MallPointsStorage storage $ = _getMallPointsStorage();
        return $.rules[$.rulesCount - 1];
    }

    /// @dev Append `rules` as a new version, effective from the next second: whatever is already
    /// on chain, even earlier in this block, happened before it.
    function _appendRules(Rules memory rules) private {
        MallPointsStorage storage $ = _getMallPointsStorage();
        rules.effectiveAt = _nextSecond();
        uint256 version_ = $.rulesCount++;
        $.rules[version_] = rules;
        emit RulesChanged(version_, rules);
    }

    function _nextSecond() private view returns (uint32) {
        return SafeCast.toUint32(block.timestamp + 1);
    }

    function _requireValidity(uint256 validity) private pure {
        if (validity < MIN_VALIDITY || validity > MAX_VALIDITY) {
            revert PointsInvalidValidity(validity, MIN_VALIDITY, MAX_VALIDITY);
        }
    }

    /// @dev Line (orderId, index) is bit `index` of the 32-bit field `orderId % 8` of word
    /// `orderId / 8`: lines of neighbouring orders share a word, so most claims write a slot that
    /// is already non-zero. Reverts for an index that no line can have.
    function _claimBit(uint256 lineId) private pure returns (uint256 word, uint256 bit) {
        uint256 index = lineId & 0xff;
        if (index >= LINES_PER_ORDER) revert PointsUnknownLine(lineId);
        uint256 position = (lineId >> 8) * LINES_PER_ORDER + index;
        return (position >> 8, 1 << (position & 0xff));
    }

    function _authorizeUpgrade(address) internal override onlyRole(UPGRADER_ROLE) {}
}

// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";

import {IMarketplace} from "./interfaces/IMarketplace.sol";
import {IResolutionCenter} from "./interfaces/IResolutionCenter.sol";

/// @title ResolutionCenter
/// @notice Disputes, arbitration and customer service for the Marketplace's order lines. See
/// IResolutionCenter for the rules. It holds RESOLVER_ROLE on the Marketplace: it can hold a live line
/// and split its escrow, and refund within a seller's authorisation; it never holds funds itself.
///
/// Why the arbiter is drawn from a block hash: the arbiter must not be chosen by either party. A party
/// chooses when to escalate, so anything it can read when it signs (a counter, the previous block's
/// randomness) would let it wait for a favourable arbiter. The hash of the escalation's own block is
/// unknown until that block exists, so the draw (by anyone, from the next block) is out of both parties'
/// hands; only the block's producer could bias it, by withholding a block. Parties and the arbiter who
/// timed out are skipped. The admin, who registers arbiters, is trusted not to be a party.
contract ResolutionCenter is Initializable, AccessControlUpgradeable, UUPSUpgradeable, IResolutionCenter {
    bytes32 public constant UPGRADER_ROLE = keccak256("UPGRADER_ROLE");
    /// @notice Customer-service staff.
    bytes32 public constant SUPPORT_ROLE = keccak256("SUPPORT_ROLE");

    uint16 public constant MAX_ARBITER_FEE_BPS = 1_000; // 10% of the escrow
    uint16 public constant DEFAULT_BUYER_BPS = 5_000; // half each when two arbiters miss their deadlines
    uint16 private constant BPS = 10_000;

    /// @custom:storage-location erc7201:blockchainmall.storage.ResolutionCenter
    struct ResolutionStorage {
        uint32 settlementWindow;
        uint32 rulingWindow;
        uint64 caseCount;
        address[] arbiterList;
        mapping(address arbiter => ArbiterInfo) arbiterInfo;
        mapping(uint256 lineId => Dispute) disputes;
        mapping(uint256 caseId => SupportCase) cases;
        mapping(uint256 lineId => uint88) supportRefundAllowance;
    }

    struct ArbiterInfo {
        bool registered;
        uint16 feeBps;
        uint32 index; // position in arbiterList
    }

    // keccak256(abi.encode(uint256(keccak256("blockchainmall.storage.ResolutionCenter")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_LOCATION = 0xf3e1c804be9e764a5dfc84c25e68e1dd0720281bcfd2babb6ed615c3cb8ff400;

    function _s() private pure returns (ResolutionStorage storage $) {
        assembly {
            $.slot := STORAGE_LOCATION
        }
    }

    /// @dev In the implementation's code, not in storage: read on every call, so it saves a cold storage
    /// read each time. An upgrade's implementation is built for the same marketplace.
    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    IMarketplace private immutable MARKET;

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IMarketplace marketplace_) {
        if (address(marketplace_) == address(0)) revert ResolutionZeroAddress();
        MARKET = marketplace_;
        _disableInitializers();
    }

    function initialize(address admin, uint32 settlementWindow, uint32 rulingWindow) external initializer {
        if (admin == address(0)) revert ResolutionZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(UPGRADER_ROLE, admin);
        _setWindows(settlementWindow, rulingWindow);
    }

    /*//////////////////////////////////////////////////////////////
                                DISPUTES
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IResolutionCenter
    function raiseDispute(uint256 lineId, string calldata reason) external {
        (address buyer, address seller) = _parties(lineId);
        if (msg.sender != buyer && msg.sender != seller) revert ResolutionNotParty(lineId, msg.sender);
        _raise(lineId, reason);
    }

    /// @inheritdoc IResolutionCenter
    function proposeSettlement(uint256 lineId, uint16 buyerBps) external {
        if (buyerBps > BPS) revert ResolutionInvalidBps(buyerBps);
        Dispute storage d = _disputeIn(lineId, DisputeStatus.Negotiating);
        (address buyer, address seller) = _parties(lineId);
        if (msg.sender == buyer) d.buyerOffer = buyerBps + 1;
        else if (msg.sender == seller) d.sellerOffer = buyerBps + 1;
        else revert ResolutionNotParty(lineId, msg.sender);
        emit SettlementProposed(lineId, msg.sender, buyerBps);
    }

    /// @inheritdoc IResolutionCenter
    function acceptSettlement(uint256 lineId, uint16 buyerBps) external {
        Dispute storage d = _disputeIn(lineId, DisputeStatus.Negotiating);
        (address buyer, address seller) = _parties(lineId);
        uint16 offered = 0; // the other side's offer, plus one
        if (msg.sender == buyer) offered = d.sellerOffer;
        else if (msg.sender == seller) offered = d.buyerOffer;
        else revert ResolutionNotParty(lineId, msg.sender);
        if (offered == 0 || offered != uint256(buyerBps) + 1) {
            revert ResolutionOfferMismatch(lineId, buyerBps, offered == 0 ? 0 : offered - 1);
        }

        d.status = DisputeStatus.Settled;
        emit DisputeSettled(lineId, buyerBps);
        MARKET.resolveLine(lineId, buyerBps, address(0), 0);
    }

    /// @inheritdoc IResolutionCenter
    function escalate(uint256 lineId) external {
        Dispute storage d = _disputeIn(lineId, DisputeStatus.Negotiating);
        (address buyer, address seller) = _parties(lineId);
        if (msg.sender != buyer && msg.sender != seller) revert ResolutionNotParty(lineId, msg.sender);
        if (block.timestamp <= d.deadline) revert ResolutionTooEarly(lineId, d.deadline);

        uint256 ruleBy = block.timestamp + _s().rulingWindow;
        d.status = DisputeStatus.Escalated;
        d.deadline = uint32(ruleBy);
        d.drawBlock = uint64(block.number);
        emit DisputeEscalated(lineId, msg.sender, block.number, ruleBy);
    }

    /// @inheritdoc IResolutionCenter
    function drawArbiter(uint256 lineId) external {
        ResolutionStorage storage $ = _s();
        Dispute storage d = _disputeIn(lineId, DisputeStatus.Escalated);
        uint256 drawBlock = d.drawBlock;
        if (drawBlock == 0) revert ResolutionNothingToDraw(lineId);
        if (block.number <= drawBlock) revert ResolutionDrawTooEarly(lineId, drawBlock);
        bytes32 seed = blockhash(drawBlock);
        if (seed == bytes32(0)) {
            // Older than 256 blocks: the hash is gone. Draw from the current block's hash instead.
            d.drawBlock = uint64(block.number);
            emit ArbiterDrawDeferred(lineId, block.number);
            return;
        }

        address arbiter = _pick($, lineId, uint256(keccak256(abi.encode(seed, lineId, d.round))), d.excludedArbiter);
        uint16 feeBps = $.arbiterInfo[arbiter].feeBps;
        uint256 ruleBy = block.timestamp + $.rulingWindow;
        d.arbiter = arbiter;
        d.arbiterFeeBps = feeBps;
        d.deadline = uint32(ruleBy);
        d.drawBlock = 0;
        emit ArbiterAssigned(lineId, arbiter, feeBps, ruleBy);
    }

    /// @inheritdoc IResolutionCenter
    function rule(uint256 lineId, uint16 buyerBps, bytes32 reasonHash, string calldata reasonURI) external {
        Dispute storage d = _s().disputes[lineId];
        address arbiter = d.arbiter;
        if (arbiter == address(0)) revert ResolutionArbiterNotDrawn(lineId);
        if (msg.sender != arbiter) revert ResolutionNotArbiter(lineId, msg.sender);
        if (d.status != DisputeStatus.Escalated) revert ResolutionInvalidStatus(lineId, d.status);
        if (block.timestamp > d.deadline) revert ResolutionDeadlinePassed(lineId, d.deadline);
        if (buyerBps > BPS) revert ResolutionInvalidBps(buyerBps);

        d.status = DisputeStatus.Ruled;
        emit DisputeRuled(lineId, arbiter, buyerBps, reasonHash, reasonURI);
        MARKET.resolveLine(lineId, buyerBps, arbiter, d.arbiterFeeBps);
    }

    /// @inheritdoc IResolutionCenter
    function timeoutRuling(uint256 lineId) external {
        Dispute storage d = _disputeIn(lineId, DisputeStatus.Escalated);
        if (block.timestamp <= d.deadline) revert ResolutionTooEarly(lineId, d.deadline);

        if (d.round == 0) {
            // One replacement, drawn like the first, never the arbiter who missed the deadline.
            uint256 ruleBy = block.timestamp + _s().rulingWindow;
            emit ArbiterTimedOut(lineId, d.arbiter, block.number, ruleBy);
            d.excludedArbiter = d.arbiter;
            d.arbiter = address(0);
            d.arbiterFeeBps = 0;
            d.round = 1;
            d.deadline = uint32(ruleBy);
            d.drawBlock = uint64(block.number);
        } else {
            emit ArbiterTimedOut(lineId, d.arbiter, 0, 0);
            d.status = DisputeStatus.Defaulted;
            emit DisputeDefaulted(lineId, DEFAULT_BUYER_BPS);
            MARKET.resolveLine(lineId, DEFAULT_BUYER_BPS, address(0), 0);
        }
    }

    /// @inheritdoc IResolutionCenter
    function submitEvidence(uint256 lineId, string calldata uri, bytes32 contentHash) external {
        Dispute storage d = _s().disputes[lineId];
        DisputeStatus status = d.status;
        if (status != DisputeStatus.Negotiating && status != DisputeStatus.Escalated) {
            revert ResolutionInvalidStatus(lineId, status);
        }
        if (msg.sender != d.arbiter && !hasRole(SUPPORT_ROLE, msg.sender)) {
            (address buyer, address seller) = _parties(lineId);
            if (msg.sender != buyer && msg.sender != seller) revert ResolutionNotParty(lineId, msg.sender);
        }
        emit EvidenceSubmitted(lineId, msg.sender, uri, contentHash);
    }

    /*//////////////////////////////////////////////////////////////
                            CUSTOMER SERVICE
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IResolutionCenter
    function openCase(uint256 lineId, string calldata uri, bytes32 contentHash) external returns (uint256 caseId) {
        (address buyer,) = _parties(lineId);
        if (msg.sender != buyer) revert ResolutionNotParty(lineId, msg.sender);

        ResolutionStorage storage $ = _s();
        caseId = ++$.caseCount;
        $.cases[caseId] = SupportCase({lineId: uint64(lineId), status: CaseStatus.Open, buyer: buyer});
        emit CaseOpened(caseId, lineId, buyer, uri, contentHash);
    }

    /// @inheritdoc IResolutionCenter
    function replyToCase(uint256 caseId, string calldata uri, bytes32 contentHash) external {
        _openCaseOf(caseId, true);
        emit CaseReplied(caseId, msg.sender, uri, contentHash);
    }

    /// @inheritdoc IResolutionCenter
    function closeCase(uint256 caseId) external {
        SupportCase storage c = _openCaseOf(caseId, true);
        c.status = CaseStatus.Closed;
        emit CaseClosed(caseId, msg.sender);
    }

    /// @inheritdoc IResolutionCenter
    function escalateCase(uint256 caseId, string calldata reason) external onlyRole(SUPPORT_ROLE) {
        SupportCase storage c = _openCaseOf(caseId, false);
        uint256 lineId = c.lineId;
        c.status = CaseStatus.Escalated;
        emit CaseEscalated(caseId, lineId, msg.sender);
        _raise(lineId, reason);
    }

    /// @inheritdoc IResolutionCenter
    function authorizeSupportRefund(uint256 lineId, uint88 maxAmount) external {
        (, address seller) = _parties(lineId);
        if (msg.sender != seller) revert ResolutionNotSeller(lineId, msg.sender);
        _s().supportRefundAllowance[lineId] = maxAmount;
        emit SupportRefundAuthorized(lineId, msg.sender, maxAmount);
    }

    /// @inheritdoc IResolutionCenter
    function refundCase(uint256 caseId, uint88 amount) external onlyRole(SUPPORT_ROLE) {
        ResolutionStorage storage $ = _s();
        SupportCase storage c = _openCaseOf(caseId, false);
        uint256 lineId = c.lineId;
        uint88 allowance = $.supportRefundAllowance[lineId];
        if (amount == 0 || amount > allowance) revert ResolutionRefundNotAuthorized(lineId, amount, allowance);

        $.supportRefundAllowance[lineId] = allowance - amount;
        emit SupportRefunded(caseId, lineId, msg.sender, amount);
        MARKET.refundByResolver(lineId, amount);
    }

    /*//////////////////////////////////////////////////////////////
                                 ADMIN
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IResolutionCenter
    function registerArbiter(address arbiter, uint16 feeBps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (arbiter == address(0)) revert ResolutionZeroAddress();
        if (feeBps > MAX_ARBITER_FEE_BPS) revert ResolutionFeeTooHigh(feeBps, MAX_ARBITER_FEE_BPS);
        ResolutionStorage storage $ = _s();
        if ($.arbiterInfo[arbiter].registered) revert ResolutionArbiterExists(arbiter);

        $.arbiterInfo[arbiter] = ArbiterInfo({registered: true, feeBps: feeBps, index: uint32($.arbiterList.length)});
        $.arbiterList.push(arbiter);
        emit ArbiterRegistered(arbiter, feeBps);
    }

    /// @inheritdoc IResolutionCenter
    function removeArbiter(address arbiter) external onlyRole(DEFAULT_ADMIN_ROLE) {
        ResolutionStorage storage $ = _s();
        ArbiterInfo storage info = $.arbiterInfo[arbiter];
        if (!info.registered) revert ResolutionUnknownArbiter(arbiter);

        // Swap and pop. Disputes already assigned to the arbiter stay theirs.
        address last = $.arbiterList[$.arbiterList.length - 1];
        $.arbiterList[info.index] = last;
        $.arbiterInfo[last].index = info.index;
        $.arbiterList.pop();
        delete $.arbiterInfo[arbiter];
        emit ArbiterRemoved(arbiter);
    }

    /// @inheritdoc IResolutionCenter
    function setArbiterFee(uint16 feeBps) external {
        ArbiterInfo storage info = _s().arbiterInfo[msg.sender];
        if (!info.registered) revert ResolutionUnknownArbiter(msg.sender);
        if (feeBps > MAX_ARBITER_FEE_BPS) revert ResolutionFeeTooHigh(feeBps, MAX_ARBITER_FEE_BPS);
        info.feeBps = feeBps;
        emit ArbiterFeeSet(msg.sender, feeBps);
    }

    /// @inheritdoc IResolutionCenter
    function setWindows(uint32 settlementWindow, uint32 rulingWindow) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setWindows(settlementWindow, rulingWindow);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IResolutionCenter
    function getDispute(uint256 lineId) external view returns (Dispute memory) {
        return _s().disputes[lineId];
    }

    /// @inheritdoc IResolutionCenter
    function getCase(uint256 caseId) external view returns (SupportCase memory) {
        return _s().cases[caseId];
    }

    /// @inheritdoc IResolutionCenter
    function supportRefundAllowance(uint256 lineId) external view returns (uint256) {
        return _s().supportRefundAllowance[lineId];
    }

    /// @inheritdoc IResolutionCenter
    function arbiters() external view returns (address[] memory) {
        return _s().arbiterList;
    }

    /// @inheritdoc IResolutionCenter
    function arbiterFeeOf(address arbiter) external view returns (uint16 feeBps, bool registered) {
        ArbiterInfo storage info = _s().arbiterInfo[arbiter];
        return (info.feeBps, info.registered);
    }

    /// @inheritdoc IResolutionCenter
    function windows() external view returns (uint32 settlementWindow, uint32 rulingWindow) {
        ResolutionStorage storage $ = _s();
        return ($.settlementWindow, $.rulingWindow);
    }

    /// @inheritdoc IResolutionCenter
    function caseCount() external view returns (uint256) {
        return _s().caseCount;
    }

    /// @inheritdoc IResolutionCenter
    function marketplace() external view returns (address) {
        return address(MARKET);
    }

    function version() external pure virtual returns (string memory) {
        return "1.0.0";
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNALS
    //////////////////////////////////////////////////////////////*/

    function _raise(uint256 lineId, string calldata reason) private {
        ResolutionStorage storage $ = _s();
        Dispute storage d = $.disputes[lineId];
        if (d.status != DisputeStatus.None) revert ResolutionDisputeExists(lineId, d.status);

        uint256 settleBy = block.timestamp + $.settlementWindow;
        d.status = DisputeStatus.Negotiating;
        d.deadline = uint32(settleBy);
        emit DisputeRaised(lineId, msg.sender, reason, settleBy);
        MARKET.holdLine(lineId); // reverts unless the line is live
    }

    /// @dev The line's buyer and seller (reverts for an unknown line).
    function _parties(uint256 lineId) private view returns (address buyer, address seller) {
        IMarketplace.Line memory line = MARKET.getLine(lineId);
        if (line.status == IMarketplace.LineStatus.None) revert IMarketplace.MarketUnknownLine(lineId);
        return (MARKET.memberOf(line.buyerId), MARKET.memberOf(line.sellerId));
    }

    function _disputeIn(uint256 lineId, DisputeStatus expected) private view returns (Dispute storage d) {
        d = _s().disputes[lineId];
        if (d.status != expected) revert ResolutionInvalidStatus(lineId, d.status);
    }

    /// @dev An open case; the caller must be support, or (if `buyerToo`) the case's buyer.
    function _openCaseOf(uint256 caseId, bool buyerToo) private view returns (SupportCase storage c) {
        c = _s().cases[caseId];
        if (c.status == CaseStatus.None) revert ResolutionUnknownCase(caseId);
        if (!(hasRole(SUPPORT_ROLE, msg.sender) || (buyerToo && msg.sender == c.buyer))) {
            revert ResolutionNotCaseParty(caseId, msg.sender);
        }
        if (c.status != CaseStatus.Open) revert ResolutionCaseNotOpen(caseId, c.status);
    }

    /// @dev The first eligible arbiter from a random starting point: never a party, never `excluded`.
    function _pick(ResolutionStorage storage $, uint256 lineId, uint256 random, address excluded)
        private
        view
        returns (address)
    {
        uint256 count = $.arbiterList.length;
        (address buyer, address seller) = _parties(lineId);
        for (uint256 i; i < count; ++i) {
            // `random` is the hash of the escalation's block, unknown to the parties when they escalate:
            // chosen on purpose (see the contract's NatSpec), not a secret.
            // slither-disable-next-line weak-prng
            address candidate = $.arbiterList[(random + i) % count];
            if (candidate != buyer && candidate != seller && candidate != excluded) return candidate;
        }
        revert ResolutionNoEligibleArbiter(lineId);
    }

    function _setWindows(uint32 settlementWindow, uint32 rulingWindow) private {
        if (settlementWindow == 0 || rulingWindow == 0) revert ResolutionInvalidWindows(settlementWindow, rulingWindow);
        ResolutionStorage storage $ = _s();
        $.settlementWindow = settlementWindow;
        $.rulingWindow = rulingWindow;
        emit WindowsSet(settlementWindow, rulingWindow);
    }

    function _authorizeUpgrade(address newImplementation) internal override onlyRole(UPGRADER_ROLE) {}
}

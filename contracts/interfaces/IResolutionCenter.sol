// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title The mall's resolution centre: disputes, arbitration and customer service
/// @notice A dispute holds an order line's escrow in the Marketplace until it is split:
///
///   raise (buyer or seller, or support for the buyer) -> Negotiating: either party proposes a split, the
///   other accepts it -> Settled. Unsettled by the settlement deadline, either party escalates ->
///   Escalated: an arbiter is drawn from the registry by the hash of the escalation's block (which no
///   party knows when it sends the escalation), rules a split before the ruling deadline -> Ruled.
///   An arbiter who misses the deadline is replaced once by a fresh draw; if the second misses too,
///   anyone applies the default outcome (half each, no arbiter fee) -> Defaulted. Funds are never stuck.
///
/// Split rule (published): the arbiter's fee (their registered basis points, fixed when drawn) comes off
/// the escrow first; the buyer gets their basis points of the rest; the seller gets the remainder less
/// the platform fee of the line's terms. Settlements pay no arbiter fee. All payouts are credits in the
/// Marketplace, withdrawn with `withdraw(token)`.
///
/// Customer service: buyers open support cases on their lines; support staff and the buyer reply; support
/// may close a case, escalate it to a dispute on the buyer's behalf, or refund from the escrow up to what
/// the line's seller has authorised.
interface IResolutionCenter {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    enum DisputeStatus {
        None,
        Negotiating, // parties may propose and accept a split until the settlement deadline
        Escalated, // an arbiter is (to be) drawn and must rule by the ruling deadline
        Settled, // terminal: the parties agreed a split
        Ruled, // terminal: the arbiter ruled
        Defaulted // terminal: two arbiters missed their deadlines; half each
    }

    enum CaseStatus {
        None,
        Open,
        Closed,
        Escalated // turned into a dispute
    }

    struct Dispute {
        // Slot 0: everything a proposal, an acceptance and a ruling touch.
        address arbiter; // the drawn arbiter (zero until drawn)
        uint32 deadline; // Negotiating: escalation allowed after it; Escalated: ruling deadline
        DisputeStatus status;
        uint8 round; // 0: first arbiter; 1: the replacement
        uint16 arbiterFeeBps; // the arbiter's fee, fixed at the draw
        uint16 buyerOffer; // the buyer's proposed buyer share in bps, plus one (zero: none)
        uint16 sellerOffer; // the seller's proposed buyer share in bps, plus one (zero: none)
        // Slot 1: the draw.
        uint64 drawBlock; // the block whose hash picks the arbiter (zero: no draw pending)
        address excludedArbiter; // the arbiter who missed the first deadline, never redrawn
    }

    struct SupportCase {
        uint64 lineId;
        CaseStatus status;
        address buyer;
    }

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    event ArbiterRegistered(address indexed arbiter, uint16 feeBps);
    event ArbiterRemoved(address indexed arbiter);
    event ArbiterFeeSet(address indexed arbiter, uint16 feeBps);
    event WindowsSet(uint32 settlementWindow, uint32 rulingWindow);

    event DisputeRaised(uint256 indexed lineId, address indexed by, string reason, uint256 settleBy);
    event SettlementProposed(uint256 indexed lineId, address indexed by, uint16 buyerBps);
    event DisputeSettled(uint256 indexed lineId, uint16 buyerBps);
    event DisputeEscalated(uint256 indexed lineId, address indexed by, uint256 drawBlock, uint256 ruleBy);
    /// @notice The draw's block hash had aged out (older than 256 blocks): the draw uses a later block.
    event ArbiterDrawDeferred(uint256 indexed lineId, uint256 drawBlock);
    event ArbiterAssigned(uint256 indexed lineId, address indexed arbiter, uint16 feeBps, uint256 ruleBy);
    event DisputeRuled(
        uint256 indexed lineId, address indexed arbiter, uint16 buyerBps, bytes32 reasonHash, string reasonURI
    );
    event ArbiterTimedOut(uint256 indexed lineId, address indexed arbiter, uint256 drawBlock, uint256 ruleBy);
    event DisputeDefaulted(uint256 indexed lineId, uint16 buyerBps);
    event EvidenceSubmitted(uint256 indexed lineId, address indexed by, string uri, bytes32 contentHash);

    event CaseOpened(uint256 indexed caseId, uint256 indexed lineId, address indexed buyer, string uri, bytes32 contentHash);
    event CaseReplied(uint256 indexed caseId, address indexed by, string uri, bytes32 contentHash);
    event CaseClosed(uint256 indexed caseId, address indexed by);
    event CaseEscalated(uint256 indexed caseId, uint256 indexed lineId, address indexed by);
    event SupportRefundAuthorized(uint256 indexed lineId, address indexed seller, uint256 maxAmount);
    event SupportRefunded(uint256 indexed caseId, uint256 indexed lineId, address indexed by, uint256 amount);

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    error ResolutionNotParty(uint256 lineId, address caller);
    error ResolutionNotSeller(uint256 lineId, address caller);
    error ResolutionDisputeExists(uint256 lineId, DisputeStatus status);
    error ResolutionInvalidStatus(uint256 lineId, DisputeStatus status);
    error ResolutionTooEarly(uint256 lineId, uint256 allowedAfter);
    error ResolutionDeadlinePassed(uint256 lineId, uint256 deadline);
    error ResolutionInvalidBps(uint256 bps);
    error ResolutionOfferMismatch(uint256 lineId, uint256 buyerBps, uint256 offered);
    error ResolutionNotArbiter(uint256 lineId, address caller);
    error ResolutionArbiterNotDrawn(uint256 lineId);
    error ResolutionNothingToDraw(uint256 lineId);
    error ResolutionDrawTooEarly(uint256 lineId, uint256 drawBlock);
    error ResolutionNoEligibleArbiter(uint256 lineId);
    error ResolutionUnknownArbiter(address account);
    error ResolutionArbiterExists(address account);
    error ResolutionFeeTooHigh(uint256 feeBps, uint256 maxFeeBps);
    error ResolutionInvalidWindows(uint32 settlementWindow, uint32 rulingWindow);
    error ResolutionZeroAddress();
    error ResolutionUnknownCase(uint256 caseId);
    error ResolutionNotCaseParty(uint256 caseId, address caller);
    error ResolutionCaseNotOpen(uint256 caseId, CaseStatus status);
    error ResolutionRefundNotAuthorized(uint256 lineId, uint256 amount, uint256 authorized);

    /*//////////////////////////////////////////////////////////////
                                DISPUTES
    //////////////////////////////////////////////////////////////*/

    /// @notice Raise a dispute on an accepted, shipped or delivered line you bought or sold, while it is
    /// still live (before the ship deadline, or before anyone may complete it). Its escrow is held.
    function raiseDispute(uint256 lineId, string calldata reason) external;

    /// @notice Propose the buyer's share of the escrow, in basis points (a party; while negotiating).
    function proposeSettlement(uint256 lineId, uint16 buyerBps) external;

    /// @notice Accept the other party's proposal, naming it exactly; the escrow is split at once.
    function acceptSettlement(uint256 lineId, uint16 buyerBps) external;

    /// @notice After the settlement deadline, a party sends the dispute to arbitration.
    function escalate(uint256 lineId) external;

    /// @notice Anyone, from the block after the escalation (or a deferral): draws the arbiter.
    function drawArbiter(uint256 lineId) external;

    /// @notice The drawn arbiter rules the buyer's share in basis points, before the ruling deadline.
    function rule(uint256 lineId, uint16 buyerBps, bytes32 reasonHash, string calldata reasonURI) external;

    /// @notice Anyone, after a missed ruling deadline: a fresh draw the first time, the default outcome the second.
    function timeoutRuling(uint256 lineId) external;

    /// @notice A party, the drawn arbiter or support posts evidence while the dispute is open.
    function submitEvidence(uint256 lineId, string calldata uri, bytes32 contentHash) external;

    /*//////////////////////////////////////////////////////////////
                            CUSTOMER SERVICE
    //////////////////////////////////////////////////////////////*/

    function openCase(uint256 lineId, string calldata uri, bytes32 contentHash) external returns (uint256 caseId);
    /// @notice Support or the case's buyer adds a message.
    function replyToCase(uint256 caseId, string calldata uri, bytes32 contentHash) external;
    /// @notice Support or the case's buyer closes it.
    function closeCase(uint256 caseId) external;
    /// @notice Support turns the case into a dispute raised on the buyer's behalf.
    function escalateCase(uint256 caseId, string calldata reason) external;
    /// @notice The line's seller lets support refund up to `maxAmount` of it (replaces an earlier figure).
    function authorizeSupportRefund(uint256 lineId, uint88 maxAmount) external;
    /// @notice Support refunds part of the case's line, within the seller's authorisation.
    function refundCase(uint256 caseId, uint88 amount) external;

    /*//////////////////////////////////////////////////////////////
                                 ADMIN
    //////////////////////////////////////////////////////////////*/

    function registerArbiter(address arbiter, uint16 feeBps) external;
    function removeArbiter(address arbiter) external;
    /// @notice A registered arbiter changes their own published fee (applies to later draws).
    function setArbiterFee(uint16 feeBps) external;
    function setWindows(uint32 settlementWindow, uint32 rulingWindow) external;

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    function getDispute(uint256 lineId) external view returns (Dispute memory);
    function getCase(uint256 caseId) external view returns (SupportCase memory);
    function supportRefundAllowance(uint256 lineId) external view returns (uint256);
    function arbiters() external view returns (address[] memory);
    function arbiterFeeOf(address arbiter) external view returns (uint16 feeBps, bool registered);
    function windows() external view returns (uint32 settlementWindow, uint32 rulingWindow);
    function caseCount() external view returns (uint256);
    function marketplace() external view returns (address);
}

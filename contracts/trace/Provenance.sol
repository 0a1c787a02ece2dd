// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IMarketplace} from "../interfaces/IMarketplace.sol";
import {IProvenance} from "../interfaces/IProvenance.sol";
import {MarketplaceModule} from "./MarketplaceModule.sol";

/// @title Provenance
/// @notice Product batches, their supply-chain participants and EPCIS-like trace events, on a
/// batch or on an order line shipped from it. Deployed behind an ERC-1967 proxy (UUPS).
/// @dev Gas: a trace event stores nothing. Recording one reads one slot, the caller's role for the
/// batch (the seller's own role is written there at registration), plus the line's batch for a
/// line event.
contract Provenance is IProvenance, MarketplaceModule {
    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @custom:storage-location erc7201:blockchainmall.storage.Provenance
    struct ProvenanceStorage {
        uint256 batchCount; // highest batch id issued
        mapping(uint256 batchId => Batch) batches;
        mapping(uint256 batchId => mapping(address participant => Role)) roles; // granted roles only
        mapping(uint256 lineId => uint256 batchId) lineBatches; // set once, by linkLine
    }

    // keccak256(abi.encode(uint256(keccak256("blockchainmall.storage.Provenance")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant PROVENANCE_STORAGE_LOCATION =
        0x6b6a1f9da0adbfd042bda0591bdb810b451892f18b6c6bdba913e4d8b906ba00;

    function _getProvenanceStorage() private pure returns (ProvenanceStorage storage $) {
        assembly {
            $.slot := PROVENANCE_STORAGE_LOCATION
        }
    }

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IMarketplace marketplace_) MarketplaceModule(marketplace_) {}

    /*//////////////////////////////////////////////////////////////
                                SELLERS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IProvenance
    function registerBatch(uint256 productId, string calldata metadataURI) external returns (uint256 batchId) {
        uint32 sellerId = _MARKETPLACE.getProduct(productId).sellerId;
        if (sellerId == 0) revert ProvenanceUnknownProduct(productId);
        if (_member(sellerId) != msg.sender) revert ProvenanceNotSeller(productId, msg.sender);

        ProvenanceStorage storage $ = _getProvenanceStorage();
        // One batch per transaction: the counter cannot come near 2**256.
        unchecked {
            batchId = ++$.batchCount;
        }
        // Marketplace product ids are uint32, so the cast keeps every bit.
        $.batches[batchId] = Batch({seller: msg.sender, productId: uint96(productId)});
        // The seller's role is written like a participant's, so that recording reads one slot for anyone.
        $.roles[batchId][msg.sender] = Role.Seller;
        emit BatchRegistered(batchId, productId, msg.sender, metadataURI);
    }

    /// @inheritdoc IProvenance
    function authorizeParticipant(uint256 batchId, address participant, Role role) external {
        ProvenanceStorage storage $ = _getProvenanceStorage();
        _requireBatchSeller($, batchId);
        if (participant == address(0)) revert ProvenanceZeroAddress();
        if (role < Role.Producer) revert ProvenanceInvalidRole(role);
        if (participant == msg.sender) revert ProvenanceIsSeller(batchId, participant);

        $.roles[batchId][participant] = role;
        emit ParticipantAuthorized(batchId, participant, role);
    }

    /// @inheritdoc IProvenance
    function revokeParticipant(uint256 batchId, address participant) external {
        ProvenanceStorage storage $ = _getProvenanceStorage();
        _requireBatchSeller($, batchId);
        if (participant == msg.sender) revert ProvenanceIsSeller(batchId, participant);
        Role role = $.roles[batchId][participant];
        if (role == Role.None) revert ProvenanceNotParticipant(batchId, participant);

        delete $.roles[batchId][participant];
        emit ParticipantRevoked(batchId, participant, role);
    }

    /// @inheritdoc IProvenance
    function linkLine(uint256 lineId, uint256 batchId) external {
        ProvenanceStorage storage $ = _getProvenanceStorage();
        Batch memory batch = $.batches[batchId];
        if (batch.seller == address(0)) revert ProvenanceUnknownBatch(batchId);
        IMarketplace.Line memory line = _MARKETPLACE.getLine(lineId);
        if (_member(line.sellerId) != msg.sender) revert ProvenanceNotLineSeller(lineId, msg.sender);
        if (!_hasShipped(line.status)) revert ProvenanceLineNotShipped(lineId, line.status);
        if (line.productId != batch.productId) {
            revert ProvenanceProductMismatch(lineId, line.productId, batchId, batch.productId);
        }
        uint256 linked = $.lineBatches[lineId];
        if (linked != 0) revert ProvenanceLineAlreadyLinked(lineId, linked);

        $.lineBatches[lineId] = batchId;
        emit LineLinked(lineId, batchId, line.productId);
    }

    /*//////////////////////////////////////////////////////////////
                        PARTICIPANTS AND SELLERS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IProvenance
    function recordEvent(
        uint256 batchId,
        bytes32 bizStep,
        bytes32 disposition,
        uint64 eventTime,
        string calldata readPoint,
        bytes32 docHash,
        string calldata uri
    ) external {
        _record(batchId, 0, bizStep, disposition, eventTime, readPoint, docHash, uri);
    }

    /// @inheritdoc IProvenance
    function recordLineEvent(
        uint256 lineId,
        bytes32 bizStep,
        bytes32 disposition,
        uint64 eventTime,
        string calldata readPoint,
        bytes32 docHash,
        string calldata uri
    ) external {
        uint256 batchId = _getProvenanceStorage().lineBatches[lineId];
        if (batchId == 0) revert ProvenanceLineNotLinked(lineId);
        _record(batchId, lineId, bizStep, disposition, eventTime, readPoint, docHash, uri);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IProvenance
    function getBatch(uint256 batchId) external view returns (Batch memory) {
        return _getProvenanceStorage().batches[batchId];
    }

    /// @inheritdoc IProvenance
    function roleOf(uint256 batchId, address participant) external view returns (Role) {
        return _getProvenanceStorage().roles[batchId][participant];
    }

    /// @inheritdoc IProvenance
    function batchOfLine(uint256 lineId) external view returns (uint256) {
        return _getProvenanceStorage().lineBatches[lineId];
    }

    /// @inheritdoc IProvenance
    function batchCount() external view returns (uint256) {
        return _getProvenanceStorage().batchCount;
    }

    /// @inheritdoc IProvenance
    function version() external pure returns (string memory) {
        return "1.0.0";
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    function _record(
        uint256 batchId,
        uint256 lineId,
        bytes32 bizStep,
        bytes32 disposition,
        uint64 eventTime,
        string calldata readPoint,
        bytes32 docHash,
        string calldata uri
    ) private {
        ProvenanceStorage storage $ = _getProvenanceStorage();
        Role role = $.roles[batchId][msg.sender];
        if (role == Role.None) {
            if ($.batches[batchId].seller == address(0)) revert ProvenanceUnknownBatch(batchId);
            revert ProvenanceNotAuthorized(batchId, msg.sender);
        }
        if (bizStep == bytes32(0)) revert ProvenanceMissingBizStep();
        if (eventTime == 0 || eventTime > block.timestamp) revert ProvenanceInvalidEventTime(eventTime);

        emit TraceEventRecorded(
            batchId, lineId, msg.sender, role, bizStep, disposition, eventTime, readPoint, docHash, uri
        );
    }

    function _requireBatchSeller(ProvenanceStorage storage $, uint256 batchId) private view {
        Batch storage batch = $.batches[batchId];
        address seller = batch.seller;
        if (seller == address(0)) revert ProvenanceUnknownBatch(batchId);
        if (seller != msg.sender) revert ProvenanceNotSeller(batch.productId, msg.sender);
    }

    /// @dev Shipped, or past it: delivered, completed, or held and settled in a dispute.
    function _hasShipped(IMarketplace.LineStatus status) private pure returns (bool) {
        return status == IMarketplace.LineStatus.Shipped || status == IMarketplace.LineStatus.Delivered
            || status == IMarketplace.LineStatus.Completed || status == IMarketplace.LineStatus.Disputed
            || status == IMarketplace.LineStatus.Resolved;
    }
}

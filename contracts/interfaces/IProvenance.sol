// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IMarketplace} from "./IMarketplace.sol";

/// @title The mall's provenance register
/// @notice Where a product came from and what happened to a parcel. A seller registers batches of
/// one of its products and authorises supply-chain participants for each batch; participants (and
/// the seller) record events modelled on GS1 EPCIS: what (a batch, or an order line shipped from
/// it), when, where, the business step, the disposition and the hash of a supporting document.
/// Once a line has shipped, its seller links it to the batch it was shipped from, and the batch's
/// participants can record the parcel's journey against the line itself.
/// @dev Events, not storage: a trace event stores nothing and costs one authorisation read, the
/// same slot for the seller and the participants (plus the line's batch for a line event). `bizStep` and `disposition` are GS1 CBV short names
/// ("shipping", "in_transit", ...) as left-aligned ASCII in a bytes32, so that any CBV value or a
/// private extension fits and the name itself is the data.
interface IProvenance {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice What a participant does for a batch. Appended to by later versions, never reordered.
    enum Role {
        None, // not authorised
        Seller, // the product's seller, from the batch's registration on (cannot be granted or revoked)
        Producer, // makes or grows the goods
        Inspector, // certifies them (quality, origin, organic, ...)
        Warehouse, // stores and picks them
        Carrier // moves them, up to the buyer's door
    }

    /// @notice A batch of one product. One storage slot.
    struct Batch {
        address seller; // the product's seller when the batch was registered
        uint96 productId; // the Marketplace listing it is a batch of
    }

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice `seller` registered batch `batchId` of product `productId`, described at `metadataURI`.
    event BatchRegistered(
        uint256 indexed batchId, uint256 indexed productId, address indexed seller, string metadataURI
    );
    /// @notice `participant` may record events for batch `batchId` (and its linked lines) as `role`.
    event ParticipantAuthorized(uint256 indexed batchId, address indexed participant, Role role);
    /// @notice `participant`, who was `role`, may no longer record events for batch `batchId`.
    event ParticipantRevoked(uint256 indexed batchId, address indexed participant, Role role);
    /// @notice Order line `lineId` (of product `productId`) was shipped from batch `batchId`.
    event LineLinked(uint256 indexed lineId, uint256 indexed batchId, uint256 indexed productId);
    /// @notice An EPCIS-like event. `lineId` is 0 for an event on the batch as a whole.
    /// @param recorder who recorded it, acting as `role`
    /// @param bizStep GS1 CBV business step short name, e.g. "commissioning", "inspecting", "shipping"
    /// @param disposition GS1 CBV disposition short name, e.g. "conformant", "in_transit"; 0 if none
    /// @param eventTime when it happened (unix seconds); the block's time is when it was recorded
    /// @param readPoint where it happened: a GS1 SGLN URN, a geo: URI or a plain place name
    /// @param docHash hash of a supporting document (certificate, waybill, photo); 0 if none
    /// @param uri where that document (or more detail) can be found; empty if none
    event TraceEventRecorded(
        uint256 indexed batchId,
        uint256 indexed lineId,
        address indexed recorder,
        Role role,
        bytes32 bizStep,
        bytes32 disposition,
        uint64 eventTime,
        string readPoint,
        bytes32 docHash,
        string uri
    );

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice No Marketplace product has id `productId`.
    error ProvenanceUnknownProduct(uint256 productId);
    /// @notice Only the seller of product `productId` may do this; `caller` is not.
    error ProvenanceNotSeller(uint256 productId, address caller);
    /// @notice No batch has id `batchId`.
    error ProvenanceUnknownBatch(uint256 batchId);
    /// @notice `caller` is neither the seller of batch `batchId` nor a participant authorised for it.
    error ProvenanceNotAuthorized(uint256 batchId, address caller);
    /// @notice `role` cannot be granted (only Producer, Inspector, Warehouse and Carrier can).
    error ProvenanceInvalidRole(Role role);
    /// @notice `seller` is the seller of batch `batchId`: its role can be neither granted nor revoked.
    error ProvenanceIsSeller(uint256 batchId, address seller);
    /// @notice `participant` holds no role for batch `batchId`.
    error ProvenanceNotParticipant(uint256 batchId, address participant);
    /// @notice The zero address cannot be used here.
    error ProvenanceZeroAddress();
    /// @notice Only the seller of line `lineId` may do this; `caller` is not.
    error ProvenanceNotLineSeller(uint256 lineId, address caller);
    /// @notice Line `lineId` is `status`: it has not shipped (or was never shipped).
    error ProvenanceLineNotShipped(uint256 lineId, IMarketplace.LineStatus status);
    /// @notice Line `lineId` is of product `lineProductId`, batch `batchId` of `batchProductId`.
    error ProvenanceProductMismatch(uint256 lineId, uint256 lineProductId, uint256 batchId, uint256 batchProductId);
    /// @notice Line `lineId` is already linked to batch `batchId`; a link is never changed.
    error ProvenanceLineAlreadyLinked(uint256 lineId, uint256 batchId);
    /// @notice Line `lineId` is not linked to any batch.
    error ProvenanceLineNotLinked(uint256 lineId);
    /// @notice Every event needs a business step.
    error ProvenanceMissingBizStep();
    /// @notice `eventTime` is zero or later than the time of the block recording it.
    error ProvenanceInvalidEventTime(uint64 eventTime);

    /*//////////////////////////////////////////////////////////////
                                SELLERS
    //////////////////////////////////////////////////////////////*/

    /// @notice Register a batch of your product `productId`; `metadataURI` describes it (origin,
    /// lot number, production date, ...).
    function registerBatch(uint256 productId, string calldata metadataURI) external returns (uint256 batchId);

    /// @notice Let `participant` record events for your batch `batchId` as `role` (Producer,
    /// Inspector, Warehouse or Carrier). Granting again changes the role.
    function authorizeParticipant(uint256 batchId, address participant, Role role) external;

    /// @notice Stop `participant` recording events for your batch `batchId`. Its past events stay.
    function revokeParticipant(uint256 batchId, address participant) external;

    /// @notice Say that your line `lineId` was shipped from batch `batchId` (of the same product).
    /// Only once the line has shipped (Shipped, Delivered, Completed, Disputed or Resolved), and once.
    function linkLine(uint256 lineId, uint256 batchId) external;

    /*//////////////////////////////////////////////////////////////
                        PARTICIPANTS AND SELLERS
    //////////////////////////////////////////////////////////////*/

    /// @notice Record an event on batch `batchId`: its seller or a participant authorised for it.
    /// `eventTime` must not be later than now.
    function recordEvent(
        uint256 batchId,
        bytes32 bizStep,
        bytes32 disposition,
        uint64 eventTime,
        string calldata readPoint,
        bytes32 docHash,
        string calldata uri
    ) external;

    /// @notice Record an event on order line `lineId` (a handover, a delivery attempt, ...): the
    /// seller or a participant authorised for the batch the line is linked to.
    function recordLineEvent(
        uint256 lineId,
        bytes32 bizStep,
        bytes32 disposition,
        uint64 eventTime,
        string calldata readPoint,
        bytes32 docHash,
        string calldata uri
    ) external;

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice Batch `batchId` (seller address(0) if there is none).
    function getBatch(uint256 batchId) external view returns (Batch memory);

    /// @notice The role `participant` holds for batch `batchId` (None if none; Seller for its seller).
    function roleOf(uint256 batchId, address participant) external view returns (Role);

    /// @notice The batch line `lineId` was shipped from (0 if not linked).
    function batchOfLine(uint256 lineId) external view returns (uint256);

    function batchCount() external view returns (uint256);

    /// @notice This implementation's version, for upgrade checks and the UI.
    function version() external pure returns (string memory);
}

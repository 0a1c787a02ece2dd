// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title The mall's logistics oracle
/// @notice Marks shipped order lines delivered on a carrier's word. The oracle service receives the
/// carrier's tracking webhooks, and for each delivered parcel an attester (a key holding ATTESTER_ROLE)
/// signs a `Delivery` as EIP-712 typed data; anyone may relay it here. This contract checks the
/// signature, the deadline, the tracking reference and the nonce, then calls the Marketplace's
/// `confirmDeliveryByOracle`, which starts the inspection window exactly as the buyer's confirmation
/// does. It can do nothing else: the buyer may still dispute during the inspection window.
/// @dev EIP-712 domain: name "LogisticsOracle", version "1", the chain id and this proxy's address
/// (read it with `eip712Domain()`, ERC-5267). Trust model and service: docs/logistics-oracle.md.
interface ILogisticsOracle {
    /*//////////////////////////////////////////////////////////////
                                 TYPES
    //////////////////////////////////////////////////////////////*/

    /// @notice A carrier's report that the parcel of order line `lineId` was delivered, as an attester signs it:
    /// `Delivery(uint256 lineId,bytes32 trackingHash,uint64 deliveredAt,uint256 nonce,uint256 deadline)`.
    struct Delivery {
        uint256 lineId; // the Marketplace order line delivered
        bytes32 trackingHash; // keccak256 of the tracking reference the line was shipped with
        uint64 deliveredAt; // when the carrier says the parcel was delivered (unix seconds); reported, not used
        uint256 nonce; // single use per attester, in any order (a bitmap, as Permit2's unordered nonces)
        uint256 deadline; // the attestation is void after this time (unix seconds)
    }

    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice Attester `signer` reported line `lineId`, shipped with `trackingHash`, delivered at
    /// `deliveredAt`; the Marketplace marked it delivered (its LineDelivered names this contract).
    event DeliveryAttested(uint256 indexed lineId, address indexed signer, uint64 deliveredAt, bytes32 trackingHash);

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice The signature is not by an attester: `signer` recovered from it lacks ATTESTER_ROLE.
    /// (A malformed signature reverts with OpenZeppelin's ECDSAInvalidSignatureLength(length),
    /// ECDSAInvalidSignatureS(s) or ECDSAInvalidSignature().)
    error OracleUnauthorizedSigner(address signer);
    /// @notice The attestation's `deadline` passed (`currentTime` is the block's timestamp).
    error OracleAttestationExpired(uint256 deadline, uint256 currentTime);
    /// @notice The attestation names tracking hash `got`, but `lineId` was shipped with `expected`
    /// (zero: the line was never shipped).
    error OracleTrackingMismatch(uint256 lineId, bytes32 expected, bytes32 got);
    /// @notice The attestation says the parcel was delivered at `deliveredAt`, after `currentTime`.
    error OracleDeliveredInFuture(uint64 deliveredAt, uint256 currentTime);
    /// @notice `signer`'s `nonce` was already used: the attestation was relayed before.
    error OracleAttestationReplayed(address signer, uint256 nonce);
    /// @notice A batch must pair each delivery with one signature.
    error OracleLengthMismatch(uint256 deliveries, uint256 signatures);
    /// @notice The zero address was given for the marketplace, the admin or an attester.
    error OracleZeroAddress();

    /*//////////////////////////////////////////////////////////////
                                 ANYONE
    //////////////////////////////////////////////////////////////*/

    /// @notice Deliver `delivery.lineId` on an attester's `signature` (65 bytes, r || s || v) over
    /// `delivery`. Anyone may relay it. Reverts with the error of the first check that fails: the
    /// deadline, the delivery time, the signature's form, its signer's role, the tracking hash, the
    /// nonce; then the Marketplace's own (MarketInvalidStatus if the line is not Shipped).
    function attestDelivery(Delivery calldata delivery, bytes calldata signature) external;

    /// @notice `attestDelivery` for each pair, all or nothing (one parcel often carries several lines).
    function attestDeliveries(Delivery[] calldata deliveries, bytes[] calldata signatures) external;

    /*//////////////////////////////////////////////////////////////
                                 ADMIN
    //////////////////////////////////////////////////////////////*/

    // Attesters are managed with AccessControl's grantRole/revokeRole (ATTESTER_ROLE, by
    // DEFAULT_ADMIN_ROLE). Revoking a key voids every attestation it signed and nobody relayed yet.

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice The EIP-712 digest an attester signs for `delivery`.
    function hashDelivery(Delivery calldata delivery) external view returns (bytes32);

    /// @notice Whether `signer` already used `nonce`.
    function nonceUsed(address signer, uint256 nonce) external view returns (bool);

    /// @notice The Marketplace whose lines this oracle delivers (it must hold its ORACLE_ROLE).
    function marketplace() external view returns (address);

    /// @notice This implementation's version, for upgrade checks.
    function version() external pure returns (string memory);
}

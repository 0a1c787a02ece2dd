// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";
import {EIP712Upgradeable} from "@openzeppelin/contracts-upgradeable/utils/cryptography/EIP712Upgradeable.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

import {ILogisticsOracle} from "../interfaces/ILogisticsOracle.sol";
import {IMarketplace} from "../interfaces/IMarketplace.sol";

/// @title LogisticsOracle
/// @notice Verifies attesters' EIP-712 signed delivery reports and marks the lines delivered in the
/// Marketplace (which grants this proxy its ORACLE_ROLE). Deployed behind an ERC-1967 proxy (UUPS).
/// @dev Gas: replay protection is a per-signer bitmap of unordered nonces, 256 to a slot: a service
/// that numbers its attestations in sequence pays a warm-slot write (5,000) for 255 of every 256,
/// where a per-line "attested" flag would cost a fresh slot (22,100) every time. A line cannot be
/// delivered twice anyway: the Marketplace accepts only Shipped lines.
contract LogisticsOracle is
    ILogisticsOracle,
    Initializable,
    AccessControlUpgradeable,
    EIP712Upgradeable,
    UUPSUpgradeable
{
    /*//////////////////////////////////////////////////////////////
                                ROLES
    //////////////////////////////////////////////////////////////*/

    bytes32 public constant UPGRADER_ROLE = keccak256("UPGRADER_ROLE");
    /// @notice Held by the oracle service's signing keys.
    bytes32 public constant ATTESTER_ROLE = keccak256("ATTESTER_ROLE");

    bytes32 public constant DELIVERY_TYPEHASH = keccak256(
        "Delivery(uint256 lineId,bytes32 trackingHash,uint64 deliveredAt,uint256 nonce,uint256 deadline)"
    );

    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    IMarketplace private immutable _MARKETPLACE;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @custom:storage-location erc7201:blockchainmall.storage.LogisticsOracle
    struct LogisticsOracleStorage {
        // Bit `nonce & 0xff` of word `nonce >> 8` is set once `signer` used `nonce`.
        mapping(address signer => mapping(uint256 word => uint256 bits)) usedNonces;
    }

    // keccak256(abi.encode(uint256(keccak256("blockchainmall.storage.LogisticsOracle")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant LOGISTICS_ORACLE_STORAGE_LOCATION =
        0xb8b08ac1d9e096e2a36a2fc6702dd51bfda795f79a955e560e56b849e4ab5d00;

    function _getLogisticsOracleStorage() private pure returns (LogisticsOracleStorage storage $) {
        assembly {
            $.slot := LOGISTICS_ORACLE_STORAGE_LOCATION
        }
    }

    /*//////////////////////////////////////////////////////////////
                              INITIALIZER
    //////////////////////////////////////////////////////////////*/

    /// @dev The Marketplace's address is an immutable of the implementation, not proxy storage: its
    /// proxy never moves, and every attestation saves a cold storage read (2,100 gas). A new
    /// implementation is deployed with the same address.
    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IMarketplace marketplace_) {
        if (address(marketplace_) == address(0)) revert OracleZeroAddress();
        _MARKETPLACE = marketplace_;
        _disableInitializers();
    }

    /// @notice Set up a fresh proxy: `admin` may manage attesters and upgrade; `attesters` may sign.
    function initialize(address admin, address[] calldata attesters) external initializer {
        if (admin == address(0)) revert OracleZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(UPGRADER_ROLE, admin);
        for (uint256 i; i < attesters.length; ++i) {
            if (attesters[i] == address(0)) revert OracleZeroAddress();
            _grantRole(ATTESTER_ROLE, attesters[i]);
        }
    }

    /*//////////////////////////////////////////////////////////////
                                 ANYONE
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ILogisticsOracle
    function attestDelivery(Delivery calldata delivery, bytes calldata signature) external {
        _attest(delivery, signature);
    }

    /// @inheritdoc ILogisticsOracle
    function attestDeliveries(Delivery[] calldata deliveries, bytes[] calldata signatures) external {
        uint256 count = deliveries.length;
        if (signatures.length != count) revert OracleLengthMismatch(count, signatures.length);
        for (uint256 i; i < count; ++i) {
            _attest(deliveries[i], signatures[i]);
        }
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc ILogisticsOracle
    function hashDelivery(Delivery calldata delivery) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    DELIVERY_TYPEHASH,
                    delivery.lineId,
                    delivery.trackingHash,
                    delivery.deliveredAt,
                    delivery.nonce,
                    delivery.deadline
                )
            )
        );
    }

    /// @inheritdoc ILogisticsOracle
    function nonceUsed(address signer, uint256 nonce) external view returns (bool) {
        return _getLogisticsOracleStorage().usedNonces[signer][nonce >> 8] & (1 << (nonce & 0xff)) != 0;
    }

    /// @inheritdoc ILogisticsOracle
    function marketplace() external view returns (address) {
        return address(_MARKETPLACE);
    }

    /// @inheritdoc ILogisticsOracle
    function version() external pure returns (string memory) {
        return "1.0.0";
    }

    /*//////////////////////////////////////////////////////////////
                                INTERNAL
    //////////////////////////////////////////////////////////////*/

    function _attest(Delivery calldata delivery, bytes calldata signature) private {
        if (block.timestamp > delivery.deadline) {
            revert OracleAttestationExpired(delivery.deadline, block.timestamp);
        }
        if (delivery.deliveredAt > block.timestamp) {
            revert OracleDeliveredInFuture(delivery.deliveredAt, block.timestamp);
        }
        // A malformed signature reverts here with ECDSA's own errors (length, high s, no signer).
        address signer = ECDSA.recoverCalldata(hashDelivery(delivery), signature);
        if (!hasRole(ATTESTER_ROLE, signer)) revert OracleUnauthorizedSigner(signer);
        uint256 lineId = delivery.lineId;
        bytes32 shippedWith = _MARKETPLACE.trackingHashOf(lineId);
        if (delivery.trackingHash != shippedWith) {
            revert OracleTrackingMismatch(lineId, shippedWith, delivery.trackingHash);
        }

        _useNonce(signer, delivery.nonce);
        emit DeliveryAttested(lineId, signer, delivery.deliveredAt, delivery.trackingHash);
        _MARKETPLACE.confirmDeliveryByOracle(lineId); // checks the line is Shipped
    }

    function _useNonce(address signer, uint256 nonce) private {
        mapping(uint256 word => uint256 bits) storage used = _getLogisticsOracleStorage().usedNonces[signer];
        uint256 bit = 1 << (nonce & 0xff);
        uint256 bits = used[nonce >> 8];
        if (bits & bit != 0) revert OracleAttestationReplayed(signer, nonce);
        used[nonce >> 8] = bits | bit;
    }

    /// @dev The domain's name and version are constants of the implementation, not proxy storage
    /// (EIP712Upgradeable's default): no storage reads per signature. A new version comes with an upgrade.
    function _EIP712Name() internal pure override returns (string memory) {
        return "LogisticsOracle";
    }

    function _EIP712Version() internal pure override returns (string memory) {
        return "1";
    }

    function _authorizeUpgrade(address) internal override onlyRole(UPGRADER_ROLE) {}
}

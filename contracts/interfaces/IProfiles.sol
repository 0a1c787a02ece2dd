// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title The mall's profiles and sealed shipping details
/// @notice A profile is a display name, an avatar URI and an X25519 encryption public key. The key
/// is kept on chain so that a buyer's browser reads it through its own wallet's RPC, never from a
/// server that could swap it. At checkout the browser seals the shipping address to the seller's
/// key (a NaCl sealed box) and posts the ciphertext here, as an event only; if a dispute is
/// escalated the buyer seals it again to the arbiter's key. No plaintext ever reaches the chain.
/// @dev Only the key is stored; the name and avatar are in the events (read them from the indexer).
/// Key handling in the browser: docs/traceability.md.
interface IProfiles {
    /*//////////////////////////////////////////////////////////////
                                 EVENTS
    //////////////////////////////////////////////////////////////*/

    /// @notice `account` set its profile: `displayName`, `avatarURI` and `encryptionKey`.
    event ProfileSet(address indexed account, string displayName, string avatarURI, bytes32 encryptionKey);
    /// @notice The buyer of `lineId` sealed its shipping details to `recipient`'s key
    /// `recipientKey` (a NaCl sealed box: 32-byte ephemeral key, then the XSalsa20-Poly1305 box).
    event ShippingDetailsPosted(
        uint256 indexed lineId, address indexed recipient, bytes32 recipientKey, bytes ciphertext
    );

    /*//////////////////////////////////////////////////////////////
                                 ERRORS
    //////////////////////////////////////////////////////////////*/

    /// @notice An encryption key is exactly 32 bytes and not all zero; `key` is not.
    error ProfilesInvalidEncryptionKey(bytes key);
    /// @notice `field` ("displayName" or "avatarURI") is `length` bytes; at most `max` are allowed.
    error ProfilesFieldTooLong(string field, uint256 length, uint256 max);
    /// @notice Only the buyer of line `lineId` may post its shipping details; `caller` is not.
    error ProfilesNotBuyer(uint256 lineId, address caller);
    /// @notice `recipient` has published no encryption key to seal to.
    error ProfilesNoEncryptionKey(address recipient);
    /// @notice A sealed box of `length` bytes: at least `min` (48 bytes of overhead plus one) and at
    /// most `max` are allowed.
    error ProfilesInvalidCiphertextLength(uint256 length, uint256 min, uint256 max);

    /*//////////////////////////////////////////////////////////////
                                ANYONE
    //////////////////////////////////////////////////////////////*/

    /// @notice Set your profile. `encryptionKey` is your X25519 public key: exactly 32 bytes, not
    /// all zero. Setting it again replaces the whole profile (a new key seals only later envelopes).
    function setProfile(string calldata displayName, string calldata avatarURI, bytes calldata encryptionKey)
        external;

    /*//////////////////////////////////////////////////////////////
                                 BUYERS
    //////////////////////////////////////////////////////////////*/

    /// @notice Post the shipping details of your line `lineId`, sealed to `recipient`'s current
    /// encryption key: the line's seller at checkout, or anyone you choose later (an arbiter when
    /// a dispute is escalated).
    function postShippingDetails(uint256 lineId, address recipient, bytes calldata ciphertext) external;

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @notice `account`'s X25519 public key (0 if it has none).
    function encryptionKeyOf(address account) external view returns (bytes32);

    /// @notice This implementation's version, for upgrade checks and the UI.
    function version() external pure returns (string memory);
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IMarketplace} from "../interfaces/IMarketplace.sol";
import {IProfiles} from "../interfaces/IProfiles.sol";
import {MarketplaceModule} from "./MarketplaceModule.sol";

/// @title Profiles
/// @notice Display names, avatars and X25519 encryption keys; the sealed shipping details of order
/// lines, as events. Deployed behind an ERC-1967 proxy (UUPS).
/// @dev Only the encryption key is stored: it is what a buyer's browser must read from the chain
/// itself. The ciphertext is checked for size only; this contract cannot and does not read it.
contract Profiles is IProfiles, MarketplaceModule {
    uint256 public constant MAX_DISPLAY_NAME_BYTES = 64;
    uint256 public constant MAX_AVATAR_URI_BYTES = 256;
    uint256 public constant ENCRYPTION_KEY_BYTES = 32;
    /// @notice A sealed box is the 32-byte ephemeral public key, the 16-byte tag, then the message.
    uint256 public constant SEALED_BOX_OVERHEAD = 48;
    /// @notice Room for a postal address with a phone number and delivery notes (976 bytes of UTF-8).
    uint256 public constant MAX_CIPHERTEXT_BYTES = 1024;

    /*//////////////////////////////////////////////////////////////
                                STORAGE
    //////////////////////////////////////////////////////////////*/

    /// @custom:storage-location erc7201:blockchainmall.storage.Profiles
    struct ProfilesStorage {
        mapping(address account => bytes32) encryptionKeys; // X25519 public keys
    }

    // keccak256(abi.encode(uint256(keccak256("blockchainmall.storage.Profiles")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant PROFILES_STORAGE_LOCATION =
        0xee8d99ef6f0b6c2961c6cabe92f9e027c9d05f56ab324b7fd47315d39a27a200;

    function _getProfilesStorage() private pure returns (ProfilesStorage storage $) {
        assembly {
            $.slot := PROFILES_STORAGE_LOCATION
        }
    }

    /*//////////////////////////////////////////////////////////////
                              CONSTRUCTOR
    //////////////////////////////////////////////////////////////*/

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IMarketplace marketplace_) MarketplaceModule(marketplace_) {}

    /*//////////////////////////////////////////////////////////////
                                ANYONE
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IProfiles
    function setProfile(string calldata displayName, string calldata avatarURI, bytes calldata encryptionKey)
        external
    {
        if (bytes(displayName).length > MAX_DISPLAY_NAME_BYTES) {
            revert ProfilesFieldTooLong("displayName", bytes(displayName).length, MAX_DISPLAY_NAME_BYTES);
        }
        if (bytes(avatarURI).length > MAX_AVATAR_URI_BYTES) {
            revert ProfilesFieldTooLong("avatarURI", bytes(avatarURI).length, MAX_AVATAR_URI_BYTES);
        }
        if (encryptionKey.length != ENCRYPTION_KEY_BYTES) revert ProfilesInvalidEncryptionKey(encryptionKey);
        bytes32 key = bytes32(encryptionKey);
        if (key == bytes32(0)) revert ProfilesInvalidEncryptionKey(encryptionKey);

        _getProfilesStorage().encryptionKeys[msg.sender] = key;
        emit ProfileSet(msg.sender, displayName, avatarURI, key);
    }

    /*//////////////////////////////////////////////////////////////
                                 BUYERS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IProfiles
    function postShippingDetails(uint256 lineId, address recipient, bytes calldata ciphertext) external {
        uint32 buyerId = _MARKETPLACE.getLine(lineId).buyerId;
        if (_member(buyerId) != msg.sender) revert ProfilesNotBuyer(lineId, msg.sender);
        bytes32 key = _getProfilesStorage().encryptionKeys[recipient];
        if (key == bytes32(0)) revert ProfilesNoEncryptionKey(recipient);
        uint256 length = ciphertext.length;
        if (length <= SEALED_BOX_OVERHEAD || length > MAX_CIPHERTEXT_BYTES) {
            revert ProfilesInvalidCiphertextLength(length, SEALED_BOX_OVERHEAD + 1, MAX_CIPHERTEXT_BYTES);
        }

        emit ShippingDetailsPosted(lineId, recipient, key, ciphertext);
    }

    /*//////////////////////////////////////////////////////////////
                                 VIEWS
    //////////////////////////////////////////////////////////////*/

    /// @inheritdoc IProfiles
    function encryptionKeyOf(address account) external view returns (bytes32) {
        return _getProfilesStorage().encryptionKeys[account];
    }

    /// @inheritdoc IProfiles
    function version() external pure returns (string memory) {
        return "1.0.0";
    }
}

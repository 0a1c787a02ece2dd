// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {Marketplace} from "../Marketplace.sol";

/// @notice TEST ONLY. A next version that appends its own namespaced storage, to prove that an
/// upgrade keeps every product, order and credit and that the flows continue.
contract MarketplaceV2Example is Marketplace {
    /// @custom:storage-location erc7201:blockchainmall.storage.MarketplaceV2Example
    struct V2Storage {
        string motto;
    }

    // keccak256(abi.encode(uint256(keccak256("blockchainmall.storage.MarketplaceV2Example")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant V2_STORAGE_LOCATION = 0x7ada725113bc97746efa82510e4db575055526e633f7fe6d77c4ec473504d500;

    event MottoChanged(string motto);

    function _getV2Storage() private pure returns (V2Storage storage $) {
        assembly {
            $.slot := V2_STORAGE_LOCATION
        }
    }

    function setMotto(string calldata motto) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _getV2Storage().motto = motto;
        emit MottoChanged(motto);
    }

    function motto() external view returns (string memory) {
        return _getV2Storage().motto;
    }

    function version() external pure override returns (string memory) {
        return "2.0.0-example";
    }
}

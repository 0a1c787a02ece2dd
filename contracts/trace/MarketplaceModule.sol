// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {AccessControlUpgradeable} from "@openzeppelin/contracts-upgradeable/access/AccessControlUpgradeable.sol";
import {Initializable} from "@openzeppelin/contracts-upgradeable/proxy/utils/Initializable.sol";
import {UUPSUpgradeable} from "@openzeppelin/contracts-upgradeable/proxy/utils/UUPSUpgradeable.sol";

import {IMarketplace} from "../interfaces/IMarketplace.sol";

/// @title A contract that reads the Marketplace's lines and products
/// @notice What the provenance register, the reviews and the profiles share: a UUPS proxy
/// implementation (DEFAULT_ADMIN_ROLE and UPGRADER_ROLE, granted to one admin at initialisation)
/// that reads the Marketplace through its views and never writes to it.
/// @dev The Marketplace's address is an immutable of the implementation, not proxy storage: the
/// Marketplace's proxy never moves, and every review, link and sealed envelope saves a cold storage
/// read (2,100 gas). A new implementation is deployed with the same address.
abstract contract MarketplaceModule is Initializable, AccessControlUpgradeable, UUPSUpgradeable {
    bytes32 public constant UPGRADER_ROLE = keccak256("UPGRADER_ROLE");

    /// @custom:oz-upgrades-unsafe-allow state-variable-immutable
    IMarketplace internal immutable _MARKETPLACE;

    /// @notice The zero address was given for the marketplace or the admin.
    error ModuleZeroAddress();

    /// @custom:oz-upgrades-unsafe-allow constructor
    constructor(IMarketplace marketplace_) {
        if (address(marketplace_) == address(0)) revert ModuleZeroAddress();
        _MARKETPLACE = marketplace_;
        _disableInitializers();
    }

    /// @notice Set up a fresh proxy: `admin` may grant roles and upgrade.
    function initialize(address admin) external initializer {
        if (admin == address(0)) revert ModuleZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(UPGRADER_ROLE, admin);
    }

    /// @notice The Marketplace whose products and lines this contract refers to.
    function marketplace() external view returns (address) {
        return address(_MARKETPLACE);
    }

    /// @dev The account behind Marketplace member `memberId`; address(0) for id 0 (no line, no product).
    function _member(uint32 memberId) internal view returns (address) {
        return _MARKETPLACE.memberOf(memberId);
    }

    function _authorizeUpgrade(address) internal override onlyRole(UPGRADER_ROLE) {}
}

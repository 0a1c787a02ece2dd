// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ERC1967Proxy} from "@openzeppelin/contracts/proxy/ERC1967/ERC1967Proxy.sol";

/// @notice The ERC-1967 proxy every upgradeable mall contract sits behind (UUPS: the upgrade
/// logic lives in the implementation). A local subclass so that only this file is compiled,
/// not the whole OpenZeppelin package.
contract MallProxy is ERC1967Proxy {
    constructor(address implementation, bytes memory initData) payable ERC1967Proxy(implementation, initData) {}
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @notice A dollar stablecoin for local chains and testnets: 6 decimals like USDC, EIP-2612
/// permit, minted by its owner (the demo funds its buyers with it). Not for real networks: use
/// the network's real stablecoin there and allow-list it in the marketplace.
contract DemoStablecoin is ERC20, ERC20Permit, Ownable {
    constructor(address owner_) ERC20("Mall Demo Dollar", "mUSD") ERC20Permit("Mall Demo Dollar") Ownable(owner_) {}

    function decimals() public pure override returns (uint8) {
        return 6;
    }

    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}

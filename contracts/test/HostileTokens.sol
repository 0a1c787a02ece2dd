// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

interface IMarketplaceLike {
    function withdraw(address token) external;
}

/// @notice TEST ONLY. Keeps 1% of every transfer, so the receiver gets less than was sent.
contract FeeOnTransferToken is ERC20 {
    constructor() ERC20("Fee on transfer", "FOT") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0)) {
            uint256 fee = value / 100;
            super._update(from, address(0xdead), fee);
            value -= fee;
        }
        super._update(from, to, value);
    }
}

/// @notice TEST ONLY. Returns false instead of reverting when a transfer should fail, and can be
/// switched to fail every transfer.
contract FalseReturningToken is ERC20 {
    bool public failTransfers;

    constructor() ERC20("Returns false", "FALSE") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function setFailTransfers(bool fail) external {
        failTransfers = fail;
    }

    function transfer(address to, uint256 value) public override returns (bool) {
        if (failTransfers) return false;
        return super.transfer(to, value);
    }

    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        if (failTransfers) return false;
        return super.transferFrom(from, to, value);
    }
}

/// @notice TEST ONLY. Calls back into the marketplace's withdraw during every transfer out of it.
contract ReentrantToken is ERC20 {
    IMarketplaceLike public market;
    uint256 public reentryAttempts;
    bool public reentrySucceeded;

    constructor() ERC20("Reentrant", "REENT") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function setMarket(IMarketplaceLike market_) external {
        market = market_;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (address(market) != address(0) && from == address(market)) {
            reentryAttempts++;
            try market.withdraw(address(this)) {
                reentrySucceeded = true;
            } catch {}
        }
    }
}

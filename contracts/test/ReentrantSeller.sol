// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IMarketplace} from "../interfaces/IMarketplace.sol";

/// @notice TEST ONLY. A seller contract that tries to withdraw again while receiving its payout,
/// or refuses payment altogether.
contract ReentrantSeller {
    IMarketplace public immutable market;
    bool public rejectPayments;
    uint256 public reentries;

    constructor(IMarketplace market_) {
        market = market_;
    }

    function list(uint96 price, uint32 stock) external returns (uint256) {
        return market.listProduct(price, stock, "ipfs://attacker");
    }

    function setRejectPayments(bool reject) external {
        rejectPayments = reject;
    }

    function withdraw() external {
        market.withdraw();
    }

    receive() external payable {
        if (rejectPayments) revert("no thanks");
        reentries++;
        market.withdraw(); // must fail: the guard and the zeroed credit both stop it
    }
}

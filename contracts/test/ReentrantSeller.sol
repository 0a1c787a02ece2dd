// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IMarketplace} from "../interfaces/IMarketplace.sol";

/// @notice TEST ONLY. A seller (and buyer) contract that tries to withdraw again while receiving
/// ETH, or refuses ETH altogether.
contract ReentrantSeller {
    IMarketplace public immutable market;
    bool public rejectPayments;
    uint256 public reentries;

    constructor(IMarketplace market_) {
        market = market_;
    }

    function list(uint96 price, uint32 stock) external returns (uint256) {
        return market.listProduct(address(0), price, stock, "ipfs://attacker");
    }

    function buy(uint256 productId, uint16 quantity) external payable returns (uint256) {
        IMarketplace.CartItem[] memory cart = new IMarketplace.CartItem[](1);
        cart[0] = IMarketplace.CartItem({productId: productId, quantity: quantity});
        return market.checkout{value: msg.value}(cart, address(0), msg.value);
    }

    function cancel(uint256 lineId) external {
        market.cancelLine(lineId);
    }

    function setRejectPayments(bool reject) external {
        rejectPayments = reject;
    }

    function withdraw() external {
        market.withdraw(address(0));
    }

    receive() external payable {
        if (rejectPayments) revert("no thanks");
        reentries++;
        market.withdraw(address(0)); // must fail: the guard and the zeroed credit both stop it
    }
}

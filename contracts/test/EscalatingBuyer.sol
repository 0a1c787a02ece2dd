// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IMarketplace} from "../interfaces/IMarketplace.sol";
import {IResolutionCenter} from "../interfaces/IResolutionCenter.sol";

/// @notice Test only: a buyer that tries to escalate and draw its arbiter in one transaction, i.e. to
/// pick the moment of the draw knowing its outcome. The draw must refuse.
contract EscalatingBuyer {
    IMarketplace private immutable market;
    IResolutionCenter private immutable center;

    constructor(IMarketplace market_, IResolutionCenter center_) {
        market = market_;
        center = center_;
    }

    function buy(uint256 productId) external payable returns (uint256 orderId) {
        IMarketplace.CartItem[] memory cart = new IMarketplace.CartItem[](1);
        cart[0] = IMarketplace.CartItem({productId: productId, quantity: 1});
        return market.checkout{value: msg.value}(cart, address(0), msg.value);
    }

    function raiseDispute(uint256 lineId) external {
        center.raiseDispute(lineId, "steering attempt");
    }

    function escalateAndDraw(uint256 lineId) external {
        center.escalate(lineId);
        center.drawArbiter(lineId);
    }

    receive() external payable {}
}

// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IMarketplace} from "../interfaces/IMarketplace.sol";

/// @notice TEST ONLY (benchmarks). A seller or buyer that calls the real marketplace many times
/// per transaction, so that a chain with tens of thousands of genuine mall events is built in
/// seconds (tools/bench_indexer.py). Every call goes through the marketplace's public functions
/// and emits exactly the events a person's transaction would; only its owner may drive it.
contract BulkTrader {
    IMarketplace public immutable market;
    address public immutable owner;

    error BulkNotOwner(address caller);

    modifier onlyOwner() {
        if (msg.sender != owner) revert BulkNotOwner(msg.sender);
        _;
    }

    constructor(IMarketplace market_) {
        market = market_;
        owner = msg.sender;
    }

    // ------------------------------------------------------------------ as a seller

    function listMany(uint256 count, address token, uint96 price, uint32 stock, string calldata metadataURI)
        external
        onlyOwner
    {
        for (uint256 i; i < count; ++i) {
            market.listProduct(token, price, stock, metadataURI);
        }
    }

    function acceptMany(uint256[] calldata lineIds) external onlyOwner {
        for (uint256 i; i < lineIds.length; ++i) {
            market.acceptLine(lineIds[i]);
        }
    }

    function rejectMany(uint256[] calldata lineIds) external onlyOwner {
        for (uint256 i; i < lineIds.length; ++i) {
            market.rejectLine(lineIds[i]);
        }
    }

    function shipMany(uint256[] calldata lineIds, string calldata carrier, string calldata trackingRef)
        external
        onlyOwner
    {
        for (uint256 i; i < lineIds.length; ++i) {
            market.shipLine(lineIds[i], carrier, trackingRef);
        }
    }

    // ------------------------------------------------------------------ as a buyer

    /// @notice Check out the same ETH cart `times` times; msg.value pays all of them.
    function checkoutMany(IMarketplace.CartItem[] calldata cart, uint256 times) external payable onlyOwner {
        uint256 each = msg.value / times;
        for (uint256 i; i < times; ++i) {
            market.checkout{value: each}(cart, address(0), each);
        }
    }

    function cancelMany(uint256[] calldata lineIds) external onlyOwner {
        for (uint256 i; i < lineIds.length; ++i) {
            market.cancelLine(lineIds[i]);
        }
    }

    function confirmMany(uint256[] calldata lineIds) external onlyOwner {
        for (uint256 i; i < lineIds.length; ++i) {
            market.confirmDelivery(lineIds[i]);
        }
    }

    function completeMany(uint256[] calldata lineIds) external onlyOwner {
        for (uint256 i; i < lineIds.length; ++i) {
            market.completeLine(lineIds[i]);
        }
    }

    // ------------------------------------------------------------------ either

    function withdraw(address token) external onlyOwner {
        market.withdraw(token);
    }

    /// @notice Withdrawn credits and refunds arrive here.
    receive() external payable {}
}

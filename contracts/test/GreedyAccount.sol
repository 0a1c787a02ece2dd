// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

interface IMarketWithdraw {
    function withdraw(address token) external;
}

/// @notice TEST ONLY. Told by `CallbackToken` that it received tokens (an ERC-777-style hook).
interface ITokenReceiver {
    function onTokenReceived(address from, uint256 amount) external;
}

/// @notice TEST ONLY. A marketplace member run by a contract, which can act as seller or buyer
/// (`act` forwards any call, to the marketplace or a token) and which, whenever the marketplace
/// pays it (ETH, or a `CallbackToken`), tries to withdraw again. Reentry failures are caught and recorded, so the
/// outer payout goes through and a test can check that it was paid once and only once.
contract GreedyAccount is ITokenReceiver {
    address public immutable market;
    uint256 public reentryAttempts;
    uint256 public reentrySuccesses;
    bytes public lastReentryError;

    constructor(address market_) {
        market = market_;
    }

    /// @notice Call `target` as this contract: list, accept, ship, checkout, cancel, withdraw; approve.
    function act(address target, bytes calldata data) external payable returns (bytes memory result) {
        bool ok;
        (ok, result) = target.call{value: msg.value}(data);
        if (!ok) {
            assembly {
                revert(add(result, 0x20), mload(result))
            }
        }
    }

    receive() external payable {
        if (msg.sender == market) _withdrawAgain(address(0));
    }

    function onTokenReceived(address from, uint256) external {
        if (from == market) _withdrawAgain(msg.sender);
    }

    function _withdrawAgain(address token) private {
        reentryAttempts++;
        try IMarketWithdraw(market).withdraw(token) {
            reentrySuccesses++;
        } catch (bytes memory reason) {
            lastReentryError = reason;
        }
    }
}

/// @notice TEST ONLY. An ERC-20 that, like ERC-777, calls the recipient's `onTokenReceived` after
/// every transfer to a contract: a withdrawing contract gets control while it is being paid.
contract CallbackToken is ERC20 {
    constructor() ERC20("Calls back", "HOOK") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (from == address(0) || to.code.length == 0) return;
        // Recipients without the hook (the marketplace itself) are skipped.
        try ITokenReceiver(to).onTokenReceived(from, value) {} catch {}
    }
}

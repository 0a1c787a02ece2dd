// SPDX-License-Identifier: MIT
pragma solidity 0.8.37;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

import {IMallPoints} from "../interfaces/IMallPoints.sol";

/// @title Expiring point balances
/// @notice Every point belongs to a bucket with an expiry on a period boundary (a multiple of
/// PERIOD since 1970). An account keeps its newest bucket in its header slot (so that earning
/// again in the same period writes one slot) and the older ones in a ring of RING buckets indexed
/// by `(expiresAt / PERIOD) % RING`. Points count while `block.timestamp < expiresAt`; they are
/// spent soonest-expiring first and keep their expiry when they move.
/// @dev Why the ring never loses a live bucket: every expiry credited is in the future and less
/// than MAX_VALIDITY + PERIOD ahead (MallPoints bounds the validity and dates earnings no later
/// than now), so the live expiries of an account are fewer than RING distinct period boundaries
/// and never share an index. A bucket found at its index with another expiry has expired, and is
/// overwritten. docs/points.md has the layout and its gas.
library PointsLedger {

    /// @notice Points earned in the same period expire together, at a period boundary.
    uint256 internal constant PERIOD = 30 days;
    /// @notice Buckets in an account's ring: more than the live expiries it can hold at once. A
    /// power of two, so that `& (RING - 1)` is `% RING`.
    uint256 internal constant RING = 32;
    uint256 private constant RING_MASK = RING - 1;
    /// @notice The most parts one spend can take: the whole ring and the newest bucket.
    uint256 internal constant MAX_PARTS = RING + 1;

    /// @notice An account's header. One slot.
    struct Account {
        uint128 newestAmount; // points in the newest bucket
        uint32 newestExpiresAt; // its expiry, later than that of every bucket in the ring
        uint32 ringMask; // bit i set: ring[i] holds points (possibly expired)
        uint32 lastCheckInDay; // kept here so that a check-in writes a single slot
    }

    struct Ledger {
        mapping(address account => Account) accounts;
        mapping(address account => IMallPoints.Bucket[RING]) rings;
    }

    /// @notice The first period boundary at or after `earnedAt + validity`.
    function expiryOf(uint256 earnedAt, uint256 validity) internal pure returns (uint32) {
        return SafeCast.toUint32(Math.ceilDiv(earnedAt + validity, PERIOD) * PERIOD);
    }

    /// @notice A part of a spend, `amount` points expiring at `expiresAt`, in one word.
    function pack(uint256 amount, uint256 expiresAt) internal pure returns (uint256) {
        return (amount << 32) | expiresAt;
    }

    function unpack(uint256 part) internal pure returns (uint256 amount, uint32 expiresAt) {
        return (part >> 32, uint32(part));
    }

    /// @notice Add `amount` points expiring at `expiresAt` to `a`, the caller's copy of
    /// `account`'s header, which the caller then stores. `expiresAt` must be in the future and
    /// less than MAX_VALIDITY + PERIOD ahead.
    function credit(Ledger storage self, address account, Account memory a, uint256 amount, uint32 expiresAt)
        internal
    {
        if (expiresAt == a.newestExpiresAt) {
            a.newestAmount = SafeCast.toUint128(a.newestAmount + amount);
        } else if (expiresAt > a.newestExpiresAt) {
            // A later expiry becomes the newest bucket; the previous one joins the ring if it still counts.
            if (a.newestAmount != 0 && a.newestExpiresAt > block.timestamp) {
                _creditRing(self, account, a, a.newestAmount, a.newestExpiresAt);
            }
            a.newestAmount = SafeCast.toUint128(amount);
            a.newestExpiresAt = expiresAt;
        } else {
            _creditRing(self, account, a, amount, expiresAt);
        }
    }

    /// @notice Credit each of `parts` (packed, soonest-expiring first) to `account` with its expiry.
    function creditParts(Ledger storage self, address account, uint256[] memory parts, uint256 count) internal {
        Account memory a = self.accounts[account];
        // Latest first: it becomes (or joins) the newest bucket, and the others go straight to the
        // ring instead of passing through the header one after the other.
        for (uint256 i = count; i > 0; --i) {
            (uint256 amount, uint32 expiresAt) = unpack(parts[i - 1]);
            credit(self, account, a, amount, expiresAt);
        }
        self.accounts[account] = a;
    }

    /// @notice Remove `amount` of `account`'s live points, soonest-expiring first. Returns the
    /// parts taken (packed, soonest first) and how many there are. Reverts with the ERC-20 error
    /// if the live balance is short.
    function take(Ledger storage self, address account, uint256 amount)
        internal
        returns (uint256[] memory parts, uint256 count)
    {
        Account memory a = self.accounts[account];
        parts = new uint256[](MAX_PARTS);
        uint256 remaining = amount;
        uint256 unvisited = a.ringMask;
        // The ring in expiry order: from the index of the first period boundary after now.
        uint256 index = (block.timestamp / PERIOD + 1) & RING_MASK;
        while (remaining != 0 && unvisited != 0) {
            uint256 bit = 1 << index;
            if (unvisited & bit != 0) {
                unvisited &= ~bit;
                IMallPoints.Bucket storage bucket = self.rings[account][index];
                IMallPoints.Bucket memory b = bucket;
                if (b.expiresAt <= block.timestamp) {
                    a.ringMask &= uint32(~bit); // expired: the index is free
                } else {
                    uint256 part = Math.min(b.amount, remaining);
                    if (part == b.amount) {
                        a.ringMask &= uint32(~bit); // emptied
                    } else {
                        bucket.amount = b.amount - uint128(part); // part < b.amount
                    }
                    parts[count++] = pack(part, b.expiresAt);
                    remaining -= part;
                }
            }
            index = (index + 1) & RING_MASK;
        }
        if (remaining != 0) {
            // Every ring bucket was visited: what is left can only come from the newest one.
            uint256 newest = a.newestExpiresAt > block.timestamp ? a.newestAmount : 0;
            if (newest < remaining) {
                revert IERC20Errors.ERC20InsufficientBalance(account, amount - remaining + newest, amount);
            }
            a.newestAmount = uint128(newest - remaining);
            parts[count++] = pack(remaining, a.newestExpiresAt);
        }
        self.accounts[account] = a;
    }

    /// @notice `account`'s live points.
    function balanceOf(Ledger storage self, address account) internal view returns (uint256 balance) {
        Account memory a = self.accounts[account];
        if (a.newestExpiresAt > block.timestamp) balance = a.newestAmount;
        uint256 mask = a.ringMask;
        for (uint256 index; mask != 0; ++index) {
            if (mask & 1 != 0) {
                IMallPoints.Bucket memory b = self.rings[account][index];
                if (b.expiresAt > block.timestamp) balance += b.amount;
            }
            mask >>= 1;
        }
    }

    /// @notice `account`'s live buckets, soonest-expiring first.
    function buckets(Ledger storage self, address account) internal view returns (IMallPoints.Bucket[] memory list) {
        Account memory a = self.accounts[account];
        list = new IMallPoints.Bucket[](MAX_PARTS);
        uint256 count = 0;
        uint256 index = (block.timestamp / PERIOD + 1) & RING_MASK;
        for (uint256 k; k < RING; ++k) {
            if (a.ringMask & (1 << index) != 0) {
                IMallPoints.Bucket memory b = self.rings[account][index];
                if (b.expiresAt > block.timestamp) list[count++] = b;
            }
            index = (index + 1) & RING_MASK;
        }
        if (a.newestAmount != 0 && a.newestExpiresAt > block.timestamp) {
            list[count++] = IMallPoints.Bucket(a.newestAmount, a.newestExpiresAt);
        }
        assembly ("memory-safe") {
            mstore(list, count) // shrink to the buckets found
        }
    }

    function _creditRing(Ledger storage self, address account, Account memory a, uint256 amount, uint32 expiresAt)
        private
    {
        uint256 index = (expiresAt / PERIOD) & RING_MASK;
        uint32 bit = uint32(1 << index);
        IMallPoints.Bucket storage bucket = self.rings[account][index];
        if (a.ringMask & bit != 0 && bucket.expiresAt == expiresAt) {
            bucket.amount = SafeCast.toUint128(bucket.amount + amount);
        } else {
            // Free, or holding points that expired (see the library's note): overwrite it.
            self.rings[account][index] = IMallPoints.Bucket(SafeCast.toUint128(amount), expiresAt);
            a.ringMask |= bit;
        }
    }
}

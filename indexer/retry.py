"""What an RPC failure means, and how long to wait before trying again. Knows neither SQL nor ABIs."""

from __future__ import annotations

import random

import requests
from web3.exceptions import TimeExhausted, Web3Exception, Web3RPCError

# How providers say "ask for fewer blocks" (geth, erigon, Alchemy, Infura, QuickNode, Ankr, ...).
_RANGE_TOO_LARGE = (
    "query returned more than",
    "more than 10000 results",
    "response size exceeded",
    "response size should not",
    "block range",
    "range too large",
    "range is too large",
    "too many blocks",
    "too many results",
    "exceed maximum block range",
    "limit exceeded",
    "query timeout",
)


def is_range_too_large(error: BaseException) -> bool:
    """A getLogs failure that a smaller block range avoids: too many results, or a timeout."""
    if isinstance(error, (requests.Timeout, TimeExhausted)):
        return True
    if isinstance(error, Web3RPCError):
        message = str(error).lower()
        return any(hint in message for hint in _RANGE_TOO_LARGE) or "-32005" in message
    return False


def is_transient(error: BaseException) -> bool:
    """The RPC is down, overloaded or rate-limiting (HTTP 429, 5xx, refused, reset): wait, retry."""
    return isinstance(error, (requests.RequestException, ConnectionError, TimeoutError, OSError, Web3Exception))


class Backoff:
    """Exponential backoff with jitter: ``base``, 2×, 4×, … up to ``cap`` seconds, each delay
    drawn from its upper half so that restarted indexers do not retry in lockstep."""

    def __init__(self, *, base: float = 0.5, cap: float = 30.0, rng: random.Random | None = None):
        self._base = base
        self._cap = cap
        self._rng = rng or random.Random()
        self.failures = 0

    def next_delay(self) -> float:
        ceiling = min(self._cap, self._base * 2**self.failures)
        self.failures += 1
        return self._rng.uniform(ceiling / 2, ceiling)

    def reset(self) -> None:
        self.failures = 0

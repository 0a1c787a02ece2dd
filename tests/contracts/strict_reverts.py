"""A stricter ``ape.reverts`` for the contract tests (imported by bare name: pytest puts this
folder on sys.path, and a stray ``tests`` package in site-packages rules out ``tests.…``)."""

from contextlib import contextmanager

import ape


@contextmanager
def reverts_with(error, **inputs):
    """``ape.reverts``, stricter: the decoded error must have this name, and every one of its
    arguments must be given (ape skips arguments left out, and any error class from a contract
    container, or a revert it cannot decode, would pass)."""
    with ape.reverts(error, **inputs) as info:
        yield info
    actual = info.value
    assert type(actual).__name__ == error.__name__, f"expected {error.__name__}, got {actual!r}"
    assert set(actual.inputs) == set(inputs), f"{actual!r}: arguments {set(actual.inputs)} not all checked"

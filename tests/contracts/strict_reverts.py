"""A stricter ``ape.reverts`` for the contract tests (imported by bare name: pytest puts this
folder on sys.path, and a stray ``tests`` package in site-packages rules out ``tests.…``)."""

from contextlib import contextmanager

import pytest
from ape.exceptions import ContractLogicError


@contextmanager
def reverts_with(error, **inputs):
    """Expect a revert with this custom error and exactly these arguments.

    Stricter than ``ape.reverts``, which skips arguments left out and lets any error class from a
    contract container, or a revert it cannot decode, pass. Looser in one way: the error may come from
    another contract than the one called (a Marketplace error bubbling up through the resolution
    centre), as long as its name and arguments match.
    """
    with pytest.raises(ContractLogicError) as info:
        yield info
    actual = info.value
    assert type(actual).__name__ == error.__name__, f"expected {error.__name__}, got {actual!r}"
    assert set(actual.inputs) == set(inputs), f"{actual!r}: arguments {set(actual.inputs)} not all checked"
    wrong = {name: actual.inputs[name] for name, expected in inputs.items() if actual.inputs[name] != expected}
    assert not wrong, f"{error.__name__}: expected {inputs}, got {actual.inputs}"

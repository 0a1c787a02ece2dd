"""Gas through the proxies, held to the issue's targets where they can be met (a trace event on a
batch ≤ 40,000) and to ceilings elsewhere (see scripts/_bench_trace.py)."""

from scripts._bench_trace import CEILINGS, measure


def test_gas__within_ceilings(marketplace, trace, accounts):
    gas = dict(measure(marketplace, trace, accounts))
    print("\n" + "\n".join(f"{name:32} {used:>8,}" for name, used in gas.items()))
    assert set(CEILINGS) <= set(gas)
    over = {name: gas[name] for name, ceiling in CEILINGS.items() if gas[name] > ceiling}
    assert not over, f"over the ceiling: {over}"

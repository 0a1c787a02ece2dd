"""The gas figures of scripts/_bench_points.py (what `make bench-gas` reports for the points),
and the issue's target: a check-in in the steady state costs at most 50,000 gas."""

from scripts._bench_points import TARGETS, measure


def test_gas__within_targets(marketplace, points, points_mall, accounts):
    gas = dict(measure(marketplace, points, points_mall, accounts))
    print("\n" + "\n".join(f"{name:40} {used:>9,}" for name, used in gas.items()))
    for name, target in TARGETS.items():
        assert gas[name] <= target, f"{name}: {gas[name]:,} gas, target {target:,}"
    assert gas["check_in_first"] > gas["check_in_steady"]  # the first one creates the account's header
    assert gas["claim_10_lines_per_line"] < gas["claim_1_line"]

"""The attestation's gas stays within its budget (scripts/_bench_oracle.py, also run by make bench-gas)."""

from scripts._bench_oracle import TARGETS, measure


def test_gas__attestations_within_targets(marketplace, oracle, accounts, attester):
    gas = dict(measure(marketplace, oracle, accounts, attester))
    print(gas)

    assert set(gas) == {
        "attest_delivery_first_in_nonce_word",
        "attest_delivery",
        "attest_deliveries_3_lines",
        "each_extra_line_in_attest_batch",
    }
    for name, target in TARGETS.items():
        assert gas[name] <= target, f"{name}: {gas[name]:,} gas, target {target:,}"
    # The nonce bitmap: 255 of 256 attestations write a warm word, not a fresh slot.
    assert gas["attest_delivery_first_in_nonce_word"] - gas["attest_delivery"] >= 15_000
    assert gas["each_extra_line_in_attest_batch"] < gas["attest_delivery"] - 15_000

"""The logistics oracle service: carrier tracking webhooks in (HMAC-signed), EIP-712 delivery
attestations out to the LogisticsOracle contract; and a carrier simulator for the demo.
See docs/logistics-oracle.md."""

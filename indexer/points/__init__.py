"""Loyalty points and the points mall in the indexer.

- ``models``: per-account history, expiry buckets (a model of the token's ledger), redemption
  receipts, rules versions, points-mall listings and redemptions.
- ``projections``: how each MallPoints / PointsMall event changes them; registered in ``indexer.projections``.
- ``queries`` and ``routes``: the API (``/api/points/...``).
"""

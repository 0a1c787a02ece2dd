"""The resolution centre in the indexer: disputes, arbitration, support cases, roles.

- ``projections``: how each ResolutionCenter event (and each contract's role grants) changes the
  tables of ``indexer.models``' resolution section; registered in ``indexer.projections``.
- ``queries``: reads for the API (no string-built SQL).
- ``routes``: the API's routes (``/api/disputes``, ``/api/arbiters``, ``/api/cases``).
"""

"""Provenance, reviews, profiles and sealed shipping details in the indexer.

- ``projections``: how each Provenance, Reviews and Profiles event changes the tables of
  ``indexer.models``' trace section; registered in ``indexer.projections``.
- ``queries``: reads for the API (no string-built SQL): timelines, reputation, profiles, envelopes.
- ``schemas``: what the routes return (camelCase JSON).
- ``routes``: the API's routes (``/api/products/{id}/provenance``, ``/api/lines/{id}/provenance``,
  ``/api/lines/{id}/envelopes``, ``/api/reviews``, ``/api/sellers/{address}/reputation``,
  ``/api/profiles/{address}``) and what a product's detail gains.

Envelopes are kept exactly as posted (ciphertext, recipient, the key they were sealed to): the
indexer cannot open them and must never hold, log or serve anything decrypted.
"""

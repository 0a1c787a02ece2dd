"""The mall's indexer: follows contract events into a database and serves a read-only API.

Layers, each knowing only its own world:
- ``ingest``: RPC and ABIs; turns logs into ``ChainEvent`` values. No SQL.
- ``store``: SQL; applies events to tables and answers queries. No RPC.
- ``api``: FastAPI over the store. Never imports ingest.
"""

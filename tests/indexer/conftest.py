"""Indexer fixtures: a real chain (ape's private anvil), a real SQLite file, the real API app."""

import pytest
from web3 import Web3

from indexer.deployment import Deployment
from indexer.ingest import Ingestor
from indexer.store import Store
from scripts.deploy import build_record, write_record


@pytest.fixture
def record_file(tmp_path, deployment, usd):
    marketplace, implementation, start_block = deployment
    path = tmp_path / "deployment.json"
    record = build_record(marketplace=marketplace, implementation=implementation, start_block=start_block, tokens=[usd])
    write_record(record, path)
    return path


@pytest.fixture
def mall_deployment(record_file):
    return Deployment.load(record_file)


@pytest.fixture
def store(tmp_path, mall_deployment):
    return Store(f"sqlite:///{tmp_path / 'mall.db'}", chain_id=mall_deployment.chain_id)


@pytest.fixture
def ingestor(chain, mall_deployment, store):
    w3 = Web3(Web3.HTTPProvider(chain.provider.uri))
    return Ingestor(w3, mall_deployment, store, max_block_range=3)

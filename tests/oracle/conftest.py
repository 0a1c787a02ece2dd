"""Oracle service fixtures: the real chain (ape's private anvil) with the marketplace and the
oracle deployed, a deployment record naming both, an attester key the service signs and pays
with, and the real FastAPI app in a test client."""

import json
import time

import pytest
from eth_account import Account
from fastapi.testclient import TestClient
from web3 import Web3

from indexer.deployment import Deployment
from oracle import webhook_signature
from oracle.api import create_app
from oracle.chain import OracleChain
from oracle.service import DeliveryService
from oracle.shipments import ShipmentIndex
from scripts._constants import ETHER
from scripts._constants import LineStatus as Status
from scripts._deploy_oracle import deploy_oracle
from scripts.deploy import build_record, write_record

SECRET = "whsec_test_0123456789abcdef"


@pytest.fixture(scope="session")
def attester_key(admin):
    """A fresh key (the service's, as in production: not one of the chain's unlocked accounts),
    funded to pay for its own attestations."""
    account = Account.create()
    admin.transfer(account.address, 10 * ETHER)
    return account.key.to_0x_hex()


@pytest.fixture(scope="session")
def attester_address(attester_key):
    return Account.from_key(attester_key).address


@pytest.fixture(scope="session")
def oracle_deployment(admin, marketplace, attester_address):
    """(oracle at its proxy, implementation), holding the marketplace's ORACLE_ROLE."""
    return deploy_oracle(admin, marketplace, attesters=[attester_address])


@pytest.fixture(scope="session")
def oracle(oracle_deployment):
    return oracle_deployment[0]


@pytest.fixture(scope="session")
def record_file(tmp_path_factory, deployment, oracle_deployment):
    """The deployment record as scripts/deploy.py writes it: the marketplace and the oracle."""
    marketplace, implementation, start_block = deployment
    contracts = {"Marketplace": (marketplace, implementation), "LogisticsOracle": oracle_deployment}
    path = tmp_path_factory.mktemp("oracle") / "deployment.json"
    write_record(build_record(start_block=start_block, contracts=contracts), path)
    return path


@pytest.fixture
def w3(chain):
    return Web3(Web3.HTTPProvider(chain.provider.uri, exception_retry_configuration=None))


@pytest.fixture
def oracle_chain(w3, record_file, attester_key):
    return OracleChain(w3, Deployment.load(record_file), attester_key=attester_key, receipt_timeout=30)


@pytest.fixture
def shipments(oracle_chain, deployment):
    return ShipmentIndex(oracle_chain.marketplace, deployment[2])


@pytest.fixture
def service(shipments, oracle_chain):
    return DeliveryService(shipments, oracle_chain)


@pytest.fixture
def client(service):
    with TestClient(create_app(service, secret=SECRET.encode(), tolerance=300)) as test_client:
        yield test_client


@pytest.fixture
def ship(marketplace, line_in, alice):
    """ship(tracking_ref, carrier="DHL", lines=1) -> line ids: fresh lines (alice sells, carol buys)
    shipped in one parcel."""

    def _ship(tracking_ref, *, carrier="DHL", lines=1):
        line_ids = [line_in(Status.ACCEPTED) for _ in range(lines)]
        for line_id in line_ids:
            marketplace.shipLine(line_id, carrier, tracking_ref, sender=alice)
        return line_ids

    return _ship


@pytest.fixture
def webhook_body():
    """webhook_body(tracking_number, status="delivered", **fields) -> a tracking update's JSON, as
    a carrier sends it (``fields`` add or replace fields; None drops one)."""

    def _body(tracking_number, status="delivered", **fields) -> bytes:
        payload = {
            "id": "evt_test",
            "event": "tracking.updated",
            "carrier": "DHL",
            "trackingNumber": tracking_number,
            "status": status,
            "occurredAt": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        } | fields
        return json.dumps({key: value for key, value in payload.items() if value is not None}).encode()

    return _body


@pytest.fixture
def post(client):
    """post(body, secret=SECRET, timestamp=now, header=None) -> response: a signed webhook
    (``header`` replaces the computed Carrier-Signature, sent as UTF-8 bytes; "" sends none)."""

    def _post(body: bytes, *, secret=SECRET, timestamp=None, header=None):
        if header is None:
            header = webhook_signature.sign(secret.encode(), body, int(time.time()) if timestamp is None else timestamp)
        headers = {"Content-Type": "application/json"} | ({webhook_signature.HEADER: header.encode()} if header else {})
        return client.post("/webhooks/carrier", content=body, headers=headers)

    return _post


@pytest.fixture
def sent(w3, attester_address):
    """sent() -> how many transactions the attester has sent so far."""
    return lambda: w3.eth.get_transaction_count(attester_address)

"""The fast decoder (indexer/decoding.py) against web3's own event decoding: the same arguments
for every event the marketplace emits on a real chain, and for synthetic logs of every ABI type
it handles (signed, bytes, arrays, structs, indexed dynamic values)."""

from collections.abc import Mapping

import pytest
from eth_abi import encode
from eth_utils import event_abi_to_log_topic, keccak
from web3._utils.events import get_event_data

from indexer.decoding import EventDecoder
from indexer.ingest import LogDecoder
from scripts._constants import ETH, USD
from scripts._constants import LineStatus as Status


def _plain(value):
    """web3's values as the indexer stores them: bytes as 0x-hex, structs as dicts, arrays as lists."""
    if isinstance(value, bytes):
        return "0x" + value.hex()
    if isinstance(value, Mapping):
        return {key: _plain(v) for key, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _reference(w3, abi_by_topic, log) -> dict:
    data = get_event_data(w3.codec, abi_by_topic[bytes(log["topics"][0])], log)
    return {name: _plain(value) for name, value in data["args"].items()}


def test_every_marketplace_event__decoded_as_web3_does(
    w3, mall_deployment, marketplace, line_in, list_product, buy, usd, alice, carol, admin, treasury
):
    for status in range(Status.PAID, Status.REFUNDED + 1):
        line_in(status)
    line_in(Status.COMPLETED, price=25 * USD, token=usd)
    product = list_product(metadata='data:application/json,{"name":"Mug","category":"Home"}')
    marketplace.updateProduct(product, 3, 4, sender=alice)
    marketplace.withdraw(ETH, sender=alice)
    marketplace.collectFees(ETH, sender=carol)
    marketplace.setPaused(True, sender=admin)
    marketplace.setPaused(False, sender=admin)
    marketplace.setTreasury(treasury, sender=admin)

    record = mall_deployment.contracts["Marketplace"]
    abi_by_topic = {event_abi_to_log_topic(e): e for e in record.abi if e.get("type") == "event"}
    logs = w3.eth.get_logs({"address": record.address, "fromBlock": mall_deployment.start_block})
    raw = w3.provider.make_request("eth_getLogs", [{"address": record.address, "fromBlock": "0x0"}])["result"]
    decoder = LogDecoder(w3, mall_deployment)

    names = set()
    for formatted, plain in zip(logs, raw[-len(logs) :], strict=True):
        expected = _reference(w3, abi_by_topic, formatted)
        for log in (formatted, plain):  # web3-formatted and raw JSON-RPC logs alike
            event = decoder.decode(log, block_timestamp=0)
            assert event.args == expected, event.name
            assert (event.block_number, event.log_index) == (formatted["blockNumber"], formatted["logIndex"])
            assert event.tx_hash == "0x" + bytes(formatted["transactionHash"]).hex()
        names.add(event.name)
    expected_names = {"LinePlaced", "LineAccepted", "LineShipped", "LineDelivered", "LineCompleted", "LineCancelled",
                      "LineRejected", "LineExpired", "RefundOffered", "RefundAccepted", "ProductListed",
                      "ProductUpdated", "Withdrawn", "FeesCollected", "PausedSet", "TreasurySet", "TermsSet",
                      "PaymentTokenSet", "MemberRegistered"}  # fmt: skip
    assert expected_names <= names


SYNTHETIC = {
    "type": "event",
    "name": "Everything",
    "anonymous": False,
    "inputs": [
        {"name": "who", "type": "address", "indexed": True},
        {"name": "delta", "type": "int64", "indexed": True},
        {"name": "label", "type": "string", "indexed": True},
        {"name": "flag", "type": "bool", "indexed": False},
        {"name": "tag", "type": "bytes4", "indexed": False},
        {"name": "blob", "type": "bytes", "indexed": False},
        {"name": "amounts", "type": "int128[]", "indexed": False},
        {
            "name": "pair",
            "type": "tuple",
            "indexed": False,
            "components": [{"name": "owner", "type": "address"}, {"name": "ids", "type": "uint32[2]"}],
        },
    ],
}


@pytest.mark.parametrize("delta", [-(2**63), -1, 0, 7, 2**63 - 1])
def test_every_abi_type__decoded_as_web3_does(w3, delta):
    who = "0x" + "ab" * 20
    topics = [
        event_abi_to_log_topic(SYNTHETIC),
        bytes(12) + bytes.fromhex(who[2:]),
        (delta % 2**256).to_bytes(32, "big"),
        keccak(text="hello"),
    ]
    data = encode(
        ["bool", "bytes4", "bytes", "int128[]", "(address,uint32[2])"],
        [True, b"\x01\x02\x03\x04", b"\xff" * 40, [-5, 2**100], (who, [1, 2])],
    )
    log = {
        "address": "0x" + "11" * 20,
        "topics": topics,
        "data": data,
        "blockNumber": 1,
        "blockHash": bytes(32),
        "transactionHash": bytes(32),
        "transactionIndex": 0,
        "logIndex": 0,
    }
    expected = {name: _plain(value) for name, value in get_event_data(w3.codec, SYNTHETIC, log)["args"].items()}
    decoded = EventDecoder("Test", SYNTHETIC).args(["0x" + t.hex() for t in topics], "0x" + data.hex())
    assert decoded == expected
    assert decoded["delta"] == delta and decoded["pair"]["ids"] == [1, 2]


STATIC = {
    "type": "event",
    "name": "Words",
    "anonymous": False,
    "inputs": [
        {"name": "id", "type": "uint256", "indexed": True},
        {"name": "delta", "type": "int32", "indexed": False},
        {"name": "who", "type": "address", "indexed": False},
        {"name": "ok", "type": "bool", "indexed": False},
        {"name": "tag", "type": "bytes8", "indexed": False},
        {"name": "amount", "type": "uint96", "indexed": False},
    ],
}


@pytest.mark.parametrize("delta", [-(2**31), -2, 0, 2**31 - 1])
def test_one_word_values__read_from_the_hex_as_web3_decodes_them(w3, delta):
    """Events with only one-word data values skip eth_abi: same answers."""
    topics = [event_abi_to_log_topic(STATIC), (2**255 + 9).to_bytes(32, "big")]
    data = encode(
        ["int32", "address", "bool", "bytes8", "uint96"], [delta, "0x" + "cd" * 20, False, b"12345678", 2**96 - 1]
    )
    log = {"address": "0x" + "11" * 20, "topics": topics, "data": data, "blockNumber": 1, "blockHash": bytes(32),
           "transactionHash": bytes(32), "transactionIndex": 0, "logIndex": 0}  # fmt: skip
    expected = {name: _plain(value) for name, value in get_event_data(w3.codec, STATIC, log)["args"].items()}
    decoder = EventDecoder("Test", STATIC)
    assert decoder._words is not None  # the fast path
    assert decoder.args(["0x" + t.hex() for t in topics], "0x" + data.hex()) == expected
    with pytest.raises(ValueError, match="too short"):
        decoder.args(["0x" + t.hex() for t in topics], "0x" + data.hex()[:-2])

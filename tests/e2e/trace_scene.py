"""The provenance register, the reviews and the profiles of the browser tests' mall (deployed by
`deploy_mall` with the rest; their addresses come from the mall's deployment record), and the ape
gestures that set a provenance, review or sealed-address scene.

Imported by the trace tests by bare name (pytest puts this folder on sys.path: no __init__.py).
"""

import json
from dataclasses import dataclass
from urllib.parse import quote

from ape import project
from eth_utils import keccak

from scripts._bench_trace import bytes32

CARRIER, INSPECTOR = 5, 3  # IProvenance.Role
ADDRESS = "Carol Whitfield-Okafor\nFlat 3, 17 Marchmont Crescent\nEdinburgh EH9 1HD\n+44 7700 900123"
LOW_ORDER_KEY = bytes([1]) + bytes(31)  # 32 bytes, not zero: the contract takes it, a browser must refuse it


@dataclass
class Trace:
    provenance: object
    reviews: object
    profiles: object


def trace_of(mall) -> Trace:
    """The mall's trace contracts at their proxies, from its deployment record."""
    contracts = json.loads(mall.record_path.read_text())["contracts"]
    return Trace(
        *(getattr(project, name).at(contracts[name]["address"]) for name in ("Provenance", "Reviews", "Profiles"))
    )


def text_uri(text: str) -> str:
    """What the dApp posts for typed text (resolution.js postable)."""
    return "data:text/plain;charset=utf-8," + quote(text)


def review(trace: Trace, line: int, rating: int, text: str, *, by, amend=False):
    call = trace.reviews.amendReview if amend else trace.reviews.postReview
    return call(line, rating, text_uri(text), keccak(text=text), sender=by)


def shipped(mall, buyer, seller, product: str) -> int:
    """A line of `product` bought by `buyer`, accepted and shipped by `seller`."""
    (line,) = mall.checkout(buyer, [(mall.products[product], 1)])
    mall.marketplace.acceptLine(line, sender=seller)
    mall.marketplace.shipLine(line, "DHL", "JD014600006281", sender=seller)
    return line


def completed(mall, buyer, seller, product: str) -> int:
    line = shipped(mall, buyer, seller, product)
    mall.marketplace.confirmDelivery(line, sender=buyer)
    mall.marketplace.completeLine(line, sender=buyer)
    return line


def batch(trace: Trace, product_id: int, seller, uri="ipfs://bafy-lot-2026-07") -> int:
    receipt = trace.provenance.registerBatch(product_id, uri, sender=seller)
    return receipt.events.filter(trace.provenance.BatchRegistered)[0].batchId


def record(trace: Trace, batch_id: int, step: str, *, by, at: int, place: str, disposition="", doc=bytes(32), uri=""):
    trace.provenance.recordEvent(batch_id, bytes32(step), bytes32(disposition), at, place, doc, uri, sender=by)

"""No plaintext personal data anywhere but in the two browsers that must see it. A whole order through
the page: the seller creates her key on her profile, the buyer types her address at checkout (sealed in
her browser), the parcel is linked to its batch and a carrier records it, the line completes and is
reviewed, and the seller's page opens the address. Then every place the mall keeps or sends data is
searched for any 8-byte piece of that address:

- the chain: every transaction's input, every log, and anvil's whole state dump;
- the indexer's SQLite database (its file and write-ahead log) and every log file it wrote (the
  indexer's and the API's: `python -m indexer serve` runs both in one process, one log);
- what the pages sent (every request's URL and body, the wallet's RPC calls included), what they
  logged to the console, and what they left in localStorage and sessionStorage.

None holds a piece; the same search finds public text (the seller's display name, a read point, the
server's address in its log) in each, so it can fail.
"""

import gzip

from ape import chain
from mall_scene import MUG
from playwright.sync_api import expect
from trace_scene import ADDRESS, CARRIER, batch, review, trace_of

from scripts._bench_trace import bytes32

expect.set_options(timeout=20_000)
WINDOW = 8  # bytes: random data matches a given 8-byte piece with odds of 2**-64
DISPLAY_NAME = "Alice's Pottery"
READ_POINT = "Glasgow sorting hub"


def pieces(text: str) -> set[bytes]:
    data = text.encode()
    return {data[i : i + WINDOW] for i in range(len(data) - WINDOW + 1)}


def hits(data: bytes, text: str) -> int:
    """Pieces of `text` in `data`, as they are or as hex (calldata, logs and state travel as hex)."""
    lowered = data.lower()
    return sum(piece in data or piece.hex().encode() in lowered for piece in pieces(text))


def chain_data() -> dict[str, bytes]:
    inputs, logs = b"", b""
    for number in range(chain.blocks.height + 1):
        for tx in chain.blocks[number].transactions:
            inputs += bytes(tx.data)
            for log in chain.provider.get_receipt(tx.txn_hash.hex()).logs:
                logs += b"".join(bytes(topic) for topic in log["topics"]) + bytes(log["data"])
    state = gzip.decompress(bytes.fromhex(chain.provider.make_request("anvil_dumpState", [])[2:]))
    return {"chain: transaction inputs": inputs, "chain: logs": logs, "chain: state dump": state}


def indexer_data(mall) -> dict[str, bytes]:
    """The indexer's database files and every log file in its working directory."""
    workdir = mall.log_path.parent
    database = b"".join(path.read_bytes() for path in sorted(workdir.glob("index.db*")))
    logs = b"".join(path.read_bytes() for path in sorted(workdir.rglob("*.log")))
    assert database and logs, "nothing to search: the test would prove nothing"
    return {"indexer: database": database, "indexer and API: log files": logs}


class PageWatch:
    """Everything a page sends and logs, from the moment it opens."""

    def __init__(self, page):
        self.page = page
        self.sent = []
        self.console = []
        page.on("request", lambda request: self.sent.append(request.url + (request.post_data or "")))
        page.on("console", lambda message: self.console.append(message.text))

    def data(self, who: str) -> dict[str, bytes]:
        storage = self.page.evaluate("JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])")
        return {
            f"{who}: requests sent": "\n".join(self.sent).encode(),
            f"{who}: console": "\n".join(self.console).encode(),
            f"{who}: storage": storage.encode(),
        }


def test_a_whole_order__the_address_is_nowhere_but_in_the_sellers_page(
    mall, open_mall, screenshot, alice, carol, mallory
):
    trace = trace_of(mall)
    mug = mall.products[MUG]
    lot = batch(trace, mug, alice)
    trace.provenance.authorizeParticipant(lot, mallory, CARRIER, sender=alice)

    # ---- alice creates her encryption key on her profile page
    seller = open_mall(alice)
    seller_watch = PageWatch(seller.page)
    seller.connect(alice)
    seller.go("profile")
    seller.by("profile-name").fill(DISPLAY_NAME)
    seller.click_and_wait("profile-create-key")
    expect(seller.by("profile-key-status")).to_have_attribute("data-has-key", "true")

    # ---- carol buys a mug and types her address: sealed in her browser, sent after the checkout
    buyer = open_mall(carol)
    buyer_watch = PageWatch(buyer.page)
    buyer.connect(carol)
    buyer.add_to_cart(mug, 1)
    buyer.go("cart")
    buyer.by(f"ship-address-ETH-{alice.address}").fill(ADDRESS)
    buyer.click_and_wait("checkout-ETH")
    expect(buyer.status).to_contain_text("Sending your sealed address to the seller")
    expect(buyer.status).to_have_attribute("data-state", "done")
    line = next(iter(trace.profiles.ShippingDetailsPosted.range(0, chain.blocks.height + 1))).lineId

    # ---- the parcel's journey, its completion and a review (set with ape)
    mall.marketplace.acceptLine(line, sender=alice)
    mall.marketplace.shipLine(line, "DHL", "JD014600006281", sender=alice)
    trace.provenance.linkLine(line, lot, sender=alice)
    trace.provenance.recordLineEvent(line, bytes32("arriving"), bytes32("in_transit"), chain.blocks.head.timestamp,
                                     READ_POINT, bytes(32), "", sender=mallory)  # fmt: skip
    mall.marketplace.confirmDelivery(line, sender=carol)
    mall.marketplace.completeLine(line, sender=carol)
    review(trace, line, 5, "Arrived safely.", by=carol)
    mall.sync()

    # ---- alice's page opens the address, and only there is it seen
    seller.go("seller")
    seller.by(f"show-address-{line}").click()
    expect(seller.by(f"address-{line}")).to_have_text(ADDRESS)
    screenshot(seller.page, "seller-sees-the-address")
    mall.sync()

    places = chain_data() | indexer_data(mall) | buyer_watch.data("buyer's page") | seller_watch.data("seller's page")
    assert {where: hits(data, ADDRESS) for where, data in places.items()} == {where: 0 for where in places}

    # The search can fail: public text is found where it is kept.
    for where in ("chain: transaction inputs", "chain: logs", "chain: state dump", "indexer: database"):
        assert hits(places[where], DISPLAY_NAME) and hits(places[where], READ_POINT), where
    assert hits(places["indexer and API: log files"], mall.url.removeprefix("http://"))
    # the buyer's browser read alice's key from the chain through its wallet (encryptionKeyOf(alice))
    assert hits(places["buyer's page: requests sent"], alice.address[2:].lower())
    assert hits(places["seller's page: requests sent"], f"/api/lines/{line}/envelopes")
    assert hits(places["buyer's page: storage"], "mall.cart.v1")
    assert seller.page.page_errors == [] and buyer.page.page_errors == []

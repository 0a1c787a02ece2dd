"""What the browser tests' mall is stocked with: its products (by name) and who sells them.

Imported by the e2e conftest and tests (pytest puts this folder on sys.path: no __init__.py).
"""

from eth_account import Account

from scripts._constants import ETH, USD

MUSD = "mUSD"  # the demo stablecoin's symbol

MUG = "Hand-thrown stoneware mug"
TOWEL = "Linen tea towel"
SPOON = "Walnut spoon"
SCARF = "Merino wool scarf"
CANDLES = "Beeswax candle set"

PRODUCTS = [  # (seller, name, category, description, token, price in the token's smallest unit, stock)
    ("alice", MUG, "Home", "Glazed by hand; holds 350 ml.", ETH, 10**16, 38),
    ("bob", TOWEL, "Home", "Stonewashed Lithuanian linen.", ETH, 6 * 10**15, 3),
    ("alice", SPOON, "Kitchen", "Carved from one piece of walnut.", ETH, 25 * 10**15, 12),
    ("alice", SCARF, "Clothing", "Undyed merino, 180 × 30 cm.", MUSD, 25 * USD, 20),
    ("bob", CANDLES, "Home", "Three hand-poured candles.", MUSD, 12 * USD + USD // 2, 10),
]


ARBITER_FEES_BPS = (200, 300)  # arbiter1's and arbiter2's published fees, as in the root conftest
ATTESTER = Account.from_key("0x" + "a7" * 32)  # signs the logistics oracle's delivery attestations (no ether needed)


def line_id(order_id: int, index: int) -> int:
    """The id of line `index` of order `order_id` (IMarketplace.lineIdOf)."""
    return (order_id << 8) | index

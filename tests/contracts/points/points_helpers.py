"""The points contract's arithmetic in plain Python, for the tests (imported by bare name)."""

DAY = 24 * 60 * 60
PERIOD = 30 * DAY  # MallPoints.PERIOD
BPS = 10_000
RATE_UNIT = 10**18  # rates are points per 10**18 of a token's smallest unit
ZERO_ADDRESS = "0x0000000000000000000000000000000000000000"


def expiry(earned_at: int, validity: int) -> int:
    """The first period boundary at or after earned_at + validity."""
    return -(-(earned_at + validity) // PERIOD) * PERIOD


def purchase_points(amount: int, rate: int, multiplier_bps: int = BPS) -> int:
    return amount * rate * multiplier_bps // BPS // RATE_UNIT


def minted(points, to, value):
    """The Transfer event of a mint."""
    return points.Transfer(**{"from": ZERO_ADDRESS, "to": to, "value": value})


def burned(points, owner, value):
    """The Transfer event of a burn."""
    return points.Transfer(**{"from": owner, "to": ZERO_ADDRESS, "value": value})

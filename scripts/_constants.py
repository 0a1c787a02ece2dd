"""Values shared by the scripts and the tests (not an ape script: the leading underscore)."""

from enum import IntEnum

ETH = "0x0000000000000000000000000000000000000000"  # the marketplace's token address for ether
ETHER = 10**18
USD = 10**6  # one unit of the demo stablecoin (6 decimals)


class LineStatus(IntEnum):
    """IMarketplace.LineStatus, in declaration order."""

    NONE = 0
    PAID = 1
    ACCEPTED = 2
    SHIPPED = 3
    DELIVERED = 4
    COMPLETED = 5
    CANCELLED = 6
    REJECTED = 7
    EXPIRED = 8
    REFUNDED = 9
    DISPUTED = 10
    RESOLVED = 11

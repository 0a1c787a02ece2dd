"""Deploy the loyalty points token and the points mall behind UUPS proxies (not an ape script:
the leading underscore; ``scripts/deploy.py`` and the tests call it).

Default rules (docs/points.md): points are whole (0 decimals), valid 365 days (rounded up to the
next 30-day boundary), 10 points per daily check-in, 50 per review of a completed line, no
campaign, transfers between users off. Purchase rates: 100,000 points per ETH (1,000 for a
0.01 ETH purchase) and, for dollar stablecoins, 40 points per dollar (1,000 for 25 dollars,
about 0.01 ETH at 2,500 dollars an ether); the stablecoins' addresses are known only once they
are deployed, hence ``set_default_rates``.
"""

from __future__ import annotations

from collections.abc import Iterable

from ape import networks, project

from scripts._constants import ETH

DAY = 24 * 60 * 60
DEFAULT_RULES = {
    "validity": 365 * DAY,
    "checkInPoints": 10,
    "reviewBonus": 50,
}
ETH_POINTS_PER_ETHER = 100_000
POINTS_PER_DOLLAR = 40
RATE_UNIT = 10**18  # rates are points per 10**18 of a token's smallest unit
DELIVERY_WINDOW = 14 * DAY  # as the marketplace's
DECIMALS_SELECTOR = "0x313ce567"  # decimals()


def deploy_points(deployer, marketplace, *, admin=None) -> dict:
    """Deploy MallPoints and PointsMall (implementations and proxies), with the default rules and
    the ETH rate, and let the mall burn and return points (REDEEMER_ROLE).

    ``admin`` (default: the deployer) ends up holding every admin role of both contracts; when it
    is another address the deployer hands its roles over and renounces them.

    Returns ``{"MallPoints": (points_at_proxy, implementation), "PointsMall": (mall_at_proxy,
    implementation)}``.
    """
    points_impl = deployer.deploy(project.MallPoints)
    init_data = points_impl.initialize.encode_input(
        deployer, marketplace, DEFAULT_RULES["validity"], DEFAULT_RULES["checkInPoints"], DEFAULT_RULES["reviewBonus"]
    )
    points = project.MallPoints.at(deployer.deploy(project.MallProxy, points_impl, init_data).address)

    mall_impl = deployer.deploy(project.PointsMall)
    init_data = mall_impl.initialize.encode_input(deployer, points, DELIVERY_WINDOW)
    mall = project.PointsMall.at(deployer.deploy(project.MallProxy, mall_impl, init_data).address)

    points.grantRole(points.REDEEMER_ROLE(), mall, sender=deployer)
    set_default_rates(points, [ETH], deployer)
    if admin is not None and str(admin) != str(deployer):
        _hand_over(points, ("DEFAULT_ADMIN_ROLE", "UPGRADER_ROLE", "RULES_ADMIN_ROLE"), deployer, admin)
        _hand_over(mall, ("DEFAULT_ADMIN_ROLE", "UPGRADER_ROLE", "MERCHANT_ROLE"), deployer, admin)
    return {"MallPoints": (points, points_impl), "PointsMall": (mall, mall_impl)}


def default_rate(token_address: str) -> int:
    """The default purchase rate of a payment token: the ETH rate for address(0), otherwise the
    dollar-stablecoin rate scaled to the token's decimals."""
    if str(token_address) == ETH:
        return ETH_POINTS_PER_ETHER  # per 10**18 wei
    raw = networks.provider.web3.eth.call({"to": str(token_address), "data": DECIMALS_SELECTOR})
    decimals = int.from_bytes(raw, "big")
    return POINTS_PER_DOLLAR * RATE_UNIT // 10**decimals


def set_default_rates(points, token_addresses: Iterable[str], sender) -> dict[str, int]:
    """Set the default purchase rate of each token (address(0): ETH); ``sender`` needs
    RULES_ADMIN_ROLE. Returns the rates set, by address. They apply to lines completed from the
    next second on."""
    rates = {}
    for address in token_addresses:
        rates[str(address)] = rate = default_rate(address)
        points.setPurchaseRate(address, rate, sender=sender)
    return rates


def _hand_over(contract, role_names: tuple[str, ...], deployer, admin) -> None:
    roles = [getattr(contract, name)() for name in role_names]
    for role in roles:
        contract.grantRole(role, admin, sender=deployer)
    for role in roles:
        contract.renounceRole(role, deployer, sender=deployer)

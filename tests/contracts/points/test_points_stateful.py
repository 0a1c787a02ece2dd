"""The points under random walks.

Hypothesis drives buyers who complete lines or get them refunded or cancelled, a keeper who
claims purchase points (for lines that completed and lines that never did), daily check-ins,
redemptions in the points mall with their cancellations and rejections, transfers switched on
and off, validity changes and long jumps of the clock. A plain Python model keeps every
account's buckets (expiry -> points). After every step:

- the sum of the balances never exceeds the total supply (and the supply is minted minus burned);
- lines that were refunded or cancelled never earned anything;
- every balance and bucket list equals the model's live buckets, so expired points never count;
  spending more than the live balance always reverts with that live balance (a rule of its own).

Every action first moves the clock past any expiry or day boundary due within the next half
minute, so that the model knows which side of it the transaction lands on; the exact seconds
are the example tests' job (test_points_expiry.py).
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field, replace

import ape
import pytest
from ape_ethereum.trace import Trace
from eth_abi import encode
from eth_utils import keccak
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from points_helpers import DAY, PERIOD, expiry, purchase_points
from strict_reverts import reverts_with
from web3.exceptions import ContractCustomError

from scripts._constants import ETH
from scripts._constants import LineStatus as Status
from scripts._deploy_points import DEFAULT_RULES, ETH_POINTS_PER_ETHER

PRICE = 10**16
HOLDERS = ("carol", "dave", "mallory")
BUYERS = ("carol", "dave")
SETTLE = 30  # seconds: nothing may expire or roll over this close ahead of an action
CHECK_IN = DEFAULT_RULES["checkInPoints"]
# Long ones first (Hypothesis favours the first): some land between the expiries of one account's buckets.
JUMPS = (400 * DAY, 200 * DAY, 100 * DAY, PERIOD, 7 * DAY, DAY)
VALIDITIES = (30 * DAY, DEFAULT_RULES["validity"], 720 * DAY)
# Caps per example, so that a walk spends its steps earning and spending rather than flipping switches.
MAX_TOGGLES = 2
MAX_VALIDITY_CHANGES = 2
MAX_TIME_JUMPS = 6

STATS: Counter[str] = Counter()


@dataclass
class Env:
    points: object
    mall: object
    marketplace: object
    accounts: dict
    product_id: int
    listing_id: int  # a 1-point item: redeeming n units spends n points
    views: object  # the points contract through web3, for batched views
    mall_views: object  # the points mall through web3, for eth_call
    lines: list  # lines made before the walks (completed, refunded, cancelled), unclaimed


def abi_of(contract) -> list[dict]:
    return [item.model_dump(mode="json", by_alias=True) for item in contract.contract_type.abi]


@dataclass
class Line:
    id: int
    buyer: str
    completed_at: int | None  # None: refunded or cancelled, it never completes
    status: int
    claimed: bool = False


@dataclass
class Redemption:
    id: int
    buyer: str
    parts: list[tuple[int, int]]  # (amount, expiry) taken, soonest first
    open: bool = True


@dataclass
class Model:
    buckets: dict[str, Counter] = field(default_factory=lambda: {name: Counter() for name in HOLDERS})
    supply: int = 0

    def live(self, name: str, now: int) -> list[tuple[int, int]]:
        return [(amount, e) for e, amount in sorted(self.buckets[name].items()) if e > now and amount]

    def balance(self, name: str, now: int) -> int:
        return sum(amount for amount, _ in self.live(name, now))

    def take(self, name: str, amount: int, now: int) -> list[tuple[int, int]]:
        parts = []
        for available, e in self.live(name, now):
            part = min(available, amount - sum(p for p, _ in parts))
            if part == 0:
                break
            self.buckets[name][e] -= part
            parts.append((part, e))
        return parts

    def credit(self, name: str, amount: int, e: int) -> None:
        self.buckets[name][e] += amount


class PointsMachine(RuleBasedStateMachine):
    env: Env  # set by the test before the machine runs

    def __init__(self):
        super().__init__()
        self.snapshot = ape.chain.snapshot()  # each example starts from the same chain
        self.model = Model()
        self.lines = [replace(line) for line in self.env.lines]
        self.redemptions: list[Redemption] = []
        self.validities = [(0, DEFAULT_RULES["validity"])]  # (effective from, seconds)
        self.transfers = False
        self.last_day = dict.fromkeys(HOLDERS, 0)
        self.counts: Counter[str] = Counter()  # this example's steps, by kind
        STATS["examples"] += 1

    def teardown(self):
        ape.chain.restore(self.snapshot)

    # ------------------------------------------------------------------ helpers

    def _account(self, name):
        return self.env.accounts[name]

    def _head(self) -> int:
        return ape.chain.blocks.head.timestamp

    def _validity_at(self, t: int) -> int:
        return [v for since, v in self.validities if since <= t][-1]

    def _settle(self) -> int:
        """Mine past anything due within SETTLE seconds (an expiry, a claimable line's expiry, a
        UTC day's end); returns the head's timestamp, after which the action lands within SETTLE."""
        while True:
            now = self._head()
            due = {e for name in HOLDERS for e in self.model.buckets[name] if self.model.buckets[name][e]}
            due |= {e for r in self.redemptions if r.open for _, e in r.parts}
            due |= {self._claim_expiry(line) for line in self.lines if line.completed_at and not line.claimed}
            due.add((now // DAY + 1) * DAY)
            soon = [t for t in due if now < t <= now + SETTLE]
            if not soon:
                return now
            ape.chain.mine(timestamp=max(soon) + 1)
            STATS["settled"] += 1

    def _assert_redeem_refused(self, who: str, amount: int, live: int) -> None:
        """The mall's redeem reverts with the token's ERC20InsufficientBalance(who, live, amount).
        Checked byte for byte with an eth_call: ape decodes an error raised by another contract
        than the one called by walking the whole call trace, about a second each time."""
        address = self._account(who).address
        expected = keccak(text="ERC20InsufficientBalance(address,uint256,uint256)")[:4]
        expected += encode(["address", "uint256", "uint256"], [address, live, amount])
        with pytest.raises(ContractCustomError) as info:
            self.env.mall_views.functions.redeem(self.env.listing_id, amount, amount).call({"from": address})
        assert info.value.data == "0x" + expected.hex()

    def _claim_expiry(self, line: Line) -> int:
        return expiry(line.completed_at, self._validity_at(line.completed_at))

    def _count(self, what: str) -> None:
        STATS[what] += 1
        self.counts[what] += 1

    # ------------------------------------------------------------------ lines

    @initialize(enabled=st.booleans())
    def transfers_at_start(self, enabled):
        if enabled:
            self.env.points.setTransfersEnabled(True, sender=self._account("admin"))
            self.transfers = True

    @rule(buyer=st.sampled_from(BUYERS), quantity=st.integers(1, 3))
    def complete_line(self, buyer, quantity):
        self.lines.append(place_line(self.env, buyer, Status.COMPLETED, quantity))
        self._count("line_completed")

    @rule(buyer=st.sampled_from(BUYERS), fate=st.sampled_from((Status.REFUNDED, Status.CANCELLED)))
    def line_that_never_completes(self, buyer, fate):
        self.lines.append(place_line(self.env, buyer, fate))
        self._count(f"line_{Status(fate).name.lower()}")

    @precondition(lambda self: self.lines)
    @rule(index=st.integers(0, 30), kind=st.sampled_from(("unclaimed", "never completed", "any")))
    def claim(self, index, kind):
        """A keeper claims a line: one that completed and was not claimed yet, one that was
        refunded or cancelled, or any (claimed already, long expired...)."""
        points = self.env.points
        candidates = {
            "unclaimed": [line for line in self.lines if line.completed_at and not line.claimed],
            "never completed": [line for line in self.lines if line.completed_at is None],
        }.get(kind) or self.lines
        line = candidates[index % len(candidates)]
        keeper = self._account("mallory")
        now = self._settle()
        if line.completed_at is None:
            with reverts_with(points.PointsLineNotCompleted, lineId=line.id, status=line.status):
                points.claimPurchasePoints([line.id], sender=keeper)
            self._count("claim_refused_never_completed")
        elif line.claimed:
            with reverts_with(points.PointsAlreadyClaimed, lineId=line.id):
                points.claimPurchasePoints([line.id], sender=keeper)
            self._count("claim_refused_twice")
        elif self._claim_expiry(line) <= now:
            with reverts_with(points.PointsEarnedExpired, lineId=line.id, expiredAt=self._claim_expiry(line)):
                points.claimPurchasePoints([line.id], sender=keeper)
            self._count("claim_refused_expired")
        else:
            earned = purchase_points(self.env.marketplace.getLine(line.id).amount, ETH_POINTS_PER_ETHER)
            points.claimPurchasePoints([line.id], sender=keeper)
            self.model.credit(line.buyer, earned, self._claim_expiry(line))
            self.model.supply += earned
            line.claimed = True
            self._count("claimed")

    # ------------------------------------------------------------------ check-in

    @rule(who=st.sampled_from(HOLDERS), tomorrow=st.booleans())
    def check_in(self, who, tomorrow):
        """Check in, on the same day as before or (clock moved) on the next one."""
        if tomorrow:
            ape.chain.mine(timestamp=(self._head() // DAY + 1) * DAY + 60)
        self._check_in(who)

    @rule(who=st.sampled_from(HOLDERS), periods=st.integers(2, 3))
    def check_in_monthly(self, who, periods):
        """Check in once in each of `periods` consecutive periods: buckets with different expiries,
        the older ones in the account's ring, which later jumps of the clock expire one by one."""
        for _ in range(periods):
            ape.chain.mine(timestamp=(self._head() // PERIOD + 1) * PERIOD + 60)
            self._check_in(who)

    def _check_in(self, who):
        points = self.env.points
        day = (self._settle() + 1) // DAY  # _settle keeps the day's end out of reach
        if self.last_day[who] == day:
            with reverts_with(points.PointsAlreadyCheckedIn, account=self._account(who), day=day):
                points.checkIn(sender=self._account(who))
            self._count("check_in_refused")
            return
        receipt = points.checkIn(sender=self._account(who))
        self.last_day[who] = receipt.timestamp // DAY
        self.model.credit(who, CHECK_IN, expiry(receipt.timestamp, self._validity_at(receipt.timestamp)))
        self.model.supply += CHECK_IN
        self._count("checked_in")

    # ------------------------------------------------------------------ spending

    @rule(who=st.sampled_from(HOLDERS), percent=st.integers(1, 100))
    def redeem(self, who, percent):
        """Redeem `percent` of the live balance (at least one point: refused when there is none)."""
        env = self.env
        now = self._settle()
        live = self.model.balance(who, now + 1)
        amount = max(1, live * percent // 100)
        if amount > live:
            self._assert_redeem_refused(who, amount, live)
            self._count("redeem_refused")
            return
        receipt = env.mall.redeem(env.listing_id, amount, amount, sender=self._account(who))
        redemption_id = receipt.events.filter(env.mall.Redeemed)[0].redemptionId
        parts = self.model.take(who, amount, receipt.timestamp)
        self.model.supply -= amount
        assert env.points.receiptOf(env.mall, self._account(who), redemption_id) == parts
        self.redemptions.append(Redemption(redemption_id, who, parts))
        self._count("redeemed")

    @rule(who=st.sampled_from(HOLDERS))
    def spend_one_more_than_live(self, who):
        """Expired points are never spendable: one point more than the live balance is refused,
        naming the live balance (whatever expired points the account still has in storage)."""
        live = self.model.balance(who, self._settle() + 1)
        self._assert_redeem_refused(who, live + 1, live)
        if any(e <= self._head() and amount for e, amount in self.model.buckets[who].items()):
            self._count("overspend_refused_with_expired_points_held")
        self._count("overspend_refused")

    @precondition(lambda self: any(r.open for r in self.redemptions))
    @rule(index=st.integers(0, 30), by=st.sampled_from(("merchant", "buyer")))
    def undo_redemption(self, index, by):
        """The buyer cancels (expired parts are lost) or the merchant rejects (they are renewed)."""
        env = self.env
        redemption = [r for r in self.redemptions if r.open][index % sum(r.open for r in self.redemptions)]
        by_merchant = by == "merchant"
        self._settle()
        if by_merchant:
            receipt = env.mall.rejectRedemption(redemption.id, sender=self._account("admin"))
        else:
            receipt = env.mall.cancelRedemption(redemption.id, sender=self._account(redemption.buyer))
        now = receipt.timestamp
        returned = lost = 0
        for amount, e in redemption.parts:
            if e > now:
                self.model.credit(redemption.buyer, amount, e)
            elif by_merchant:
                self.model.credit(redemption.buyer, amount, expiry(now, self._validity_at(now)))
                self._count("renewed_parts")
            else:
                lost += amount
                self._count("lost_parts")
                continue
            returned += amount
        self.model.supply += returned
        event = receipt.events.filter(env.points.PointsReturned)[0]
        assert (event.returned, event.lost) == (returned, lost)
        redemption.open = False
        self._count("rejected" if by_merchant else "cancelled")
        self._count("redemption_undone")

    @rule(sender=st.sampled_from(HOLDERS), receiver=st.sampled_from(HOLDERS), percent=st.integers(1, 101))
    def transfer(self, sender, receiver, percent):
        """Transfer `percent` of the live balance (101: one point too many)."""
        points = self.env.points
        now = self._settle()
        live = self.model.balance(sender, now + 1)
        amount = max(1, live * percent // 100 + (percent > 100))
        if not self.transfers:
            with reverts_with(points.PointsTransfersDisabled):
                points.transfer(self._account(receiver), amount, sender=self._account(sender))
            self._count("transfer_refused_off")
        elif amount > live:
            with reverts_with(
                points.ERC20InsufficientBalance, sender=self._account(sender), balance=live, needed=amount
            ):
                points.transfer(self._account(receiver), amount, sender=self._account(sender))
            self._count("transfer_refused_short")
        else:
            receipt = points.transfer(self._account(receiver), amount, sender=self._account(sender))
            for part, e in self.model.take(sender, amount, receipt.timestamp):
                self.model.credit(receiver, part, e)
            self._count("transferred")

    # ------------------------------------------------------------------ rules and time

    @precondition(lambda self: self.counts["transfers_toggled"] < MAX_TOGGLES)
    @rule()
    def toggle_transfers(self):
        self.transfers = not self.transfers
        self.env.points.setTransfersEnabled(self.transfers, sender=self._account("admin"))
        self._count("transfers_toggled")

    @precondition(lambda self: self.counts["validity_set"] < MAX_VALIDITY_CHANGES)
    @rule(validity=st.sampled_from(VALIDITIES))
    def set_validity(self, validity):
        receipt = self.env.points.setValidity(validity, sender=self._account("admin"))
        self.validities.append((receipt.timestamp + 1, validity))
        self._count("validity_set")

    @precondition(lambda self: self.counts["time_passed"] < MAX_TIME_JUMPS)
    @rule(seconds=st.sampled_from(JUMPS))
    def time_passes(self, seconds):
        before = self._head()
        ape.chain.mine(timestamp=before + seconds)
        now = self._head()
        if any(before < e <= now for name in HOLDERS for e, amount in self.model.buckets[name].items() if amount):
            self._count("points_expired_while_held")
        self._count("time_passed")

    # ------------------------------------------------------------------ invariants

    @invariant()
    def chain_matches_the_model(self):
        """Balances, buckets and supply as the model says, read in one JSON-RPC batch at the head;
        lines that never completed were never claimed."""
        views, now = self.env.views, self._head()
        never_completed = [line.id for line in self.lines if line.completed_at is None]
        web3 = ape.chain.provider.web3
        with web3.batch_requests() as batch:
            for name in HOLDERS:
                address = self._account(name).address
                batch.add(views.functions.balanceOf(address))
                batch.add(views.functions.bucketsOf(address))
            batch.add(views.functions.totalSupply())
            for line_id in never_completed:
                batch.add(views.functions.isPurchaseClaimed(line_id))
            results = iter(batch.execute())
        balances = {}
        for name in HOLDERS:
            balances[name] = next(results)
            assert balances[name] == self.model.balance(name, now), name
            assert [tuple(bucket) for bucket in next(results)] == self.model.live(name, now), name
        supply = next(results)
        assert supply == self.model.supply
        assert sum(balances.values()) <= supply
        assert not any(results), "a line that never completed was claimed"


def place_line(env: Env, buyer: str, fate: int, quantity: int = 1) -> Line:
    """A line alice sells to `buyer`, taken to `fate`: completed (by the buyer after shipping),
    refunded in full after acceptance, or cancelled."""
    market, seller, account = env.marketplace, env.accounts["alice"], env.accounts[buyer]
    total = PRICE * quantity
    receipt = market.checkout([(env.product_id, quantity)], ETH, total, value=total, sender=account)
    (line_id,) = [event.lineId for event in receipt.events.filter(market.LinePlaced)]
    if fate == Status.CANCELLED:
        market.cancelLine(line_id, sender=account)
        return Line(line_id, buyer, None, fate)
    market.acceptLine(line_id, sender=seller)
    if fate == Status.REFUNDED:
        market.offerRefund(line_id, total, sender=seller)
        market.acceptRefund(line_id, total, sender=account)
        return Line(line_id, buyer, None, fate)
    market.shipLine(line_id, "DHL", "1", sender=seller)
    completed = market.completeLine(line_id, sender=account)
    return Line(line_id, buyer, completed.timestamp, Status.COMPLETED)


@pytest.fixture
def steady_clock(chain):
    """Each block one second after the previous one, so that replayed examples reach the same
    states (as in tests/contracts/test_stateful.py)."""
    chain.provider.make_request("anvil_setBlockTimestampInterval", [1])
    yield
    chain.provider.make_request("anvil_removeBlockTimestampInterval", [])


@pytest.fixture
def quiet_reverts(monkeypatch):
    """Deliberate reverts are decoded and checked but their call traces are not printed (slow)."""
    monkeypatch.setattr(Trace, "show", lambda self, *args, **kwargs: None)


def test_points_machine__invariants_hold(
    steady_clock, quiet_reverts, points, points_mall, marketplace, accounts, admin, alice, chain
):
    assert points.rulesCount() == 1, "the model starts from the deployment's rules"
    product = marketplace.listProduct(ETH, PRICE, 2**32 - 1, "ipfs://stateful", sender=alice)
    listing = points_mall.createListing(1, 2**32 - 1, "ipfs://one-point", sender=admin)
    PointsMachine.env = Env(
        points=points,
        mall=points_mall,
        marketplace=marketplace,
        accounts={
            name: accounts[index]
            for name, index in {"admin": 0, "alice": 1, "carol": 3, "dave": 4, "mallory": 9}.items()
        },
        product_id=product.events.filter(marketplace.ProductListed)[0].productId,
        listing_id=listing.events.filter(points_mall.ListingCreated)[0].listingId,
        views=chain.provider.web3.eth.contract(address=points.address, abi=abi_of(points)),
        mall_views=chain.provider.web3.eth.contract(address=points_mall.address, abi=abi_of(points_mall)),
        lines=[],
    )
    # Lines every walk starts with, made once (each example restores the chain to here).
    env = PointsMachine.env
    made = (("carol", Status.COMPLETED, 1), ("dave", Status.COMPLETED, 2), ("carol", Status.COMPLETED, 3))
    made += (("dave", Status.COMPLETED, 1), ("carol", Status.REFUNDED, 1), ("dave", Status.CANCELLED, 1))
    env.lines = [place_line(env, buyer, fate, quantity) for buyer, fate, quantity in made]
    STATS.clear()
    started = time.monotonic()
    run_state_machine_as_test(
        PointsMachine,
        settings=settings(
            max_examples=14,
            stateful_step_count=25,
            deadline=None,
            derandomize=True,  # the same walk on every machine: the coverage check is a fact, not luck
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
        ),
    )
    elapsed = time.monotonic() - started
    print(
        f"\n{STATS['examples']} examples in {elapsed:.1f} s: " + ", ".join(f"{k} {v}" for k, v in sorted(STATS.items()))
    )
    # A walk that never earned, spent, expired or undid anything would prove little. (Which of the
    # refusals it reaches is reported above; each has its example test.)
    for what in (
        "claimed",
        "claim_refused_never_completed",
        "checked_in",
        "redeemed",
        "redemption_undone",
        "transferred",
        "points_expired_while_held",
        "overspend_refused_with_expired_points_held",
    ):
        assert STATS[what], f"the walk never reached {what}"

"""Gas of the loyalty points and the points mall, measured through their proxies (not an ape
script: the leading underscore; scripts/bench_gas.py calls ``measure``).

``measure`` runs on a fresh deployment (``scripts/_deploy_points.deploy_points`` on top of a
fresh marketplace) and returns ``(operation, gas used)`` rows. As in bench_gas, a figure is a
steady-state occurrence unless its name says otherwise: the claim bitmap word, the buyer's
header slot, the redemption counter are written once before measuring. ``accounts`` is indexed
like the test accounts: 0 the admin (rules admin and merchant), 1 a seller, 3 and 4 buyers,
9 a keeper who claims for others.

The review bonus is measured against contracts/test/ReviewRegistryStub.sol (set as the review
source for the measurement, the previous source restored after it): reading a review from the
real reviews contract costs about the same (one view call, one or two storage slots).
"""

from __future__ import annotations

from ape import chain, project

from scripts._constants import ETH

DAY = 24 * 60 * 60
PERIOD = 30 * DAY  # MallPoints.PERIOD
PRICE = 10**16
METADATA = "ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi"
TARGETS = {"check_in_steady": 50_000}
BATCH = 10


def measure(marketplace, points, points_mall, accounts) -> list[tuple[str, int]]:
    admin, seller, buyer, other, keeper = (accounts[i] for i in (0, 1, 3, 4, 9))
    rows: list[tuple[str, int]] = []

    def row(name, receipt):
        rows.append((name, receipt.gas_used))
        return receipt

    product_id = marketplace.listProduct(ETH, PRICE, 1_000, METADATA, sender=seller).events[-1].productId

    def delivered_line(who=buyer):
        receipt = marketplace.checkout([(product_id, 1)], ETH, PRICE, value=PRICE, sender=who)
        line_id = receipt.events.filter(marketplace.LinePlaced)[0].lineId
        marketplace.acceptLine(line_id, sender=seller)
        marketplace.shipLine(line_id, "DHL", "JD014600006281", sender=seller)
        marketplace.confirmDelivery(line_id, sender=who)
        return line_id

    def completed_line(who=buyer):
        line_id = delivered_line(who)
        marketplace.completeLine(line_id, sender=who)
        return line_id

    # Check-in: the first ever, then the next day in the same period (the points join the same bucket).
    day_one = (chain.blocks.head.timestamp // PERIOD + 1) * PERIOD + 3_600
    chain.pending_timestamp = day_one
    row("check_in_first", points.checkIn(sender=buyer))
    chain.pending_timestamp = day_one + DAY
    row("check_in_steady", points.checkIn(sender=buyer))
    points.checkIn(sender=other)  # the other buyer's header slot exists too

    # Purchase points: the completion itself (the marketplace, unchanged), then the claims.
    row("claim_1_line_new_bitmap_word", points.claimPurchasePoints([completed_line()], sender=keeper))
    line_id = delivered_line()
    row("complete_line", marketplace.completeLine(line_id, sender=buyer))
    row("claim_1_line", points.claimPurchasePoints([line_id], sender=keeper))
    lines = [completed_line(buyer if i % 2 else other) for i in range(BATCH)]  # ten orders, two buyers
    receipt = row(f"claim_{BATCH}_lines", points.claimPurchasePoints(lines, sender=keeper))
    rows.append((f"claim_{BATCH}_lines_per_line", receipt.gas_used // BATCH))

    # Review bonus, read from the stand-in reviews contract.
    previous_source = points.reviewSource()
    stub = admin.deploy(project.ReviewRegistryStub)
    points.setReviewSource(stub, sender=admin)
    for name, reviewed in (("claim_review_bonus_new_bitmap_word", lines[1]), ("claim_review_bonus", line_id)):
        stub.setReview(reviewed, buyer, 5, chain.blocks.head.timestamp, sender=buyer)
        row(name, points.claimReviewBonus(reviewed, sender=keeper))
    points.setReviewSource(previous_source, sender=admin)

    # Points mall: the redemption flow and the ways back.
    listing_id = points_mall.createListing(100, 1_000, METADATA, sender=admin).events[-1].listingId
    redeem = points_mall.redeem  # (listing, quantity, total points)
    first = redeem(listing_id, 1, 100, sender=buyer)  # writes the redemption counter
    rows.append(("redeem_first", first.gas_used))
    placed = row("redeem", redeem(listing_id, 1, 100, sender=buyer)).events.filter(points_mall.Redeemed)[0]
    row("ship_redemption", points_mall.shipRedemption(placed.redemptionId, "DHL", "JD0001", sender=admin))
    row("confirm_redemption_delivery", points_mall.confirmDelivery(placed.redemptionId, sender=buyer))
    row("refund_redemption_with_return", points_mall.refundRedemption(placed.redemptionId, sender=admin))
    for name, undo in (
        ("cancel_redemption_with_return", lambda rid: points_mall.cancelRedemption(rid, sender=buyer)),
        ("reject_redemption_with_return", lambda rid: points_mall.rejectRedemption(rid, sender=admin)),
    ):
        redemption_id = redeem(listing_id, 1, 100, sender=buyer).events.filter(points_mall.Redeemed)[0].redemptionId
        row(name, undo(redemption_id))

    # A transfer, with transfers switched on for the measurement and off again after it.
    points.setTransfersEnabled(True, sender=admin)
    row("transfer", points.transfer(other, 10, sender=buyer))
    points.setTransfersEnabled(False, sender=admin)
    return rows

"""Reviews: only the buyer of a completed line reviews it, once; the seller replies once; the author
amends with a new event and nothing earlier is erased."""

import pytest
from ape import chain
from strict_reverts import reverts_with

from scripts._constants import LineStatus as Status

ZERO_ADDRESS = "0x" + "00" * 20
URI = "ipfs://bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"
HASH = bytes.fromhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
REPLY_HASH = bytes.fromhex("2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae")


@pytest.fixture
def completed(line_in):
    """A completed line: alice sold it, carol bought it."""
    return line_in(Status.COMPLETED)


@pytest.fixture
def reviewed(reviews, completed, carol):
    """A completed line carol has rated 4."""
    reviews.postReview(completed, 4, URI, HASH, sender=carol)
    return completed


def test_post_review__by_the_buyer_of_a_completed_line(reviews, marketplace, completed, carol):
    receipt = reviews.postReview(completed, 4, URI, HASH, sender=carol)
    seller_id = marketplace.getLine(completed).sellerId
    assert receipt.events == [
        reviews.ReviewPosted(lineId=completed, author=carol, sellerId=seller_id, rating=4, contentHash=HASH, uri=URI)
    ]
    posted_at = chain.blocks[receipt.block_number].timestamp
    assert reviews.reviewOf(completed) == (carol.address, 4, posted_at)
    assert reviews.getReview(completed) == (carol.address, 4, posted_at, seller_id, False)


def test_review_of__none_yet(reviews, completed):
    assert reviews.reviewOf(completed) == (ZERO_ADDRESS, 0, 0)


@pytest.mark.parametrize("rating", [1, 5])
def test_post_review__every_rating_from_1_to_5(reviews, completed, carol, rating):
    reviews.postReview(completed, rating, URI, HASH, sender=carol)
    assert reviews.reviewOf(completed).rating == rating


@pytest.mark.parametrize("rating", [0, 6, 255])
def test_post_review__rating_out_of_range__reverts(reviews, completed, carol, rating):
    with reverts_with(reviews.ReviewsInvalidRating, rating=rating):
        reviews.postReview(completed, rating, URI, HASH, sender=carol)


@pytest.mark.parametrize("who", ["alice", "dave", "mallory"])
def test_post_review__not_the_buyer__reverts(reviews, completed, who, request):
    caller = request.getfixturevalue(who)
    with reverts_with(reviews.ReviewsNotBuyer, lineId=completed, caller=caller):
        reviews.postReview(completed, 5, URI, HASH, sender=caller)


def test_post_review__unknown_line__reverts(reviews, carol):
    with reverts_with(reviews.ReviewsNotBuyer, lineId=4242, caller=carol):
        reviews.postReview(4242, 5, URI, HASH, sender=carol)


@pytest.mark.parametrize(
    "status",
    [Status.PAID, Status.ACCEPTED, Status.SHIPPED, Status.DELIVERED, Status.CANCELLED, Status.REJECTED,
     Status.EXPIRED, Status.REFUNDED],
)  # fmt: skip
def test_post_review__line_not_completed__reverts(reviews, line_in, carol, status):
    line_id = line_in(status)
    with reverts_with(reviews.ReviewsLineNotCompleted, lineId=line_id, status=status):
        reviews.postReview(line_id, 5, URI, HASH, sender=carol)


@pytest.mark.parametrize("resolved", [False, True], ids=["disputed", "resolved"])
def test_post_review__line_in_or_after_a_dispute__reverts(reviews, line_in_dispute, carol, resolved):
    line_id = line_in_dispute(resolved)
    status = Status.RESOLVED if resolved else Status.DISPUTED
    with reverts_with(reviews.ReviewsLineNotCompleted, lineId=line_id, status=status):
        reviews.postReview(line_id, 1, URI, HASH, sender=carol)


def test_post_review__second_time__reverts(reviews, reviewed, carol):
    with reverts_with(reviews.ReviewsAlreadyReviewed, lineId=reviewed):
        reviews.postReview(reviewed, 1, URI, HASH, sender=carol)


def test_post_review__each_line_of_an_order_separately(reviews, marketplace, list_product, buy, alice, carol):
    first, second = list_product(), list_product()
    lines = buy([(first, 1), (second, 2)])
    for line_id in lines:
        marketplace.acceptLine(line_id, sender=alice)
        marketplace.shipLine(line_id, "DHL", "JD014600006281", sender=alice)
        marketplace.completeLine(line_id, sender=carol)
    reviews.postReview(lines[0], 2, URI, HASH, sender=carol)
    reviews.postReview(lines[1], 5, URI, HASH, sender=carol)
    assert [reviews.reviewOf(line_id).rating for line_id in lines] == [2, 5]


# ---------------------------------------------------------------- replies


def test_reply__by_the_seller_once(reviews, reviewed, alice):
    receipt = reviews.replyToReview(reviewed, "ipfs://reply", REPLY_HASH, sender=alice)
    assert receipt.events == [
        reviews.ReviewReplied(lineId=reviewed, seller=alice, contentHash=REPLY_HASH, uri="ipfs://reply")
    ]
    assert reviews.getReview(reviewed).replied
    with reverts_with(reviews.ReviewsAlreadyReplied, lineId=reviewed):
        reviews.replyToReview(reviewed, "ipfs://again", REPLY_HASH, sender=alice)


@pytest.mark.parametrize("who", ["bob", "carol", "mallory"])
def test_reply__not_the_seller__reverts(reviews, reviewed, who, request):
    caller = request.getfixturevalue(who)
    with reverts_with(reviews.ReviewsNotSeller, lineId=reviewed, caller=caller):
        reviews.replyToReview(reviewed, "ipfs://reply", REPLY_HASH, sender=caller)


def test_reply__no_review__reverts(reviews, completed, alice):
    with reverts_with(reviews.ReviewsNoReview, lineId=completed):
        reviews.replyToReview(completed, "ipfs://reply", REPLY_HASH, sender=alice)


# ---------------------------------------------------------------- amendments


def test_amend__new_event_new_rating_nothing_erased(reviews, marketplace, reviewed, carol, alice):
    posted_at = reviews.reviewOf(reviewed).postedAt
    reviews.replyToReview(reviewed, "ipfs://reply", REPLY_HASH, sender=alice)
    chain.pending_timestamp += 86_400
    receipt = reviews.amendReview(reviewed, 2, "ipfs://amended", REPLY_HASH, sender=carol)
    seller_id = marketplace.getLine(reviewed).sellerId
    assert receipt.events == [
        reviews.ReviewAmended(
            lineId=reviewed, author=carol, sellerId=seller_id, rating=2, contentHash=REPLY_HASH, uri="ipfs://amended"
        )
    ]
    # The current rating changes; the first posting time and the reply stay.
    assert reviews.getReview(reviewed) == (carol.address, 2, posted_at, seller_id, True)
    # An amendment is not a second review, and the seller still replies once only.
    reviews.amendReview(reviewed, 3, "ipfs://again", HASH, sender=carol)
    # Every version is still in the history.
    assert _ratings(reviews.ReviewPosted, reviewed) == [4]
    assert _ratings(reviews.ReviewAmended, reviewed) == [2, 3]
    with reverts_with(reviews.ReviewsAlreadyReplied, lineId=reviewed):
        reviews.replyToReview(reviewed, "ipfs://reply-2", REPLY_HASH, sender=alice)


@pytest.mark.parametrize("who", ["alice", "dave", "mallory"])
def test_amend__not_the_author__reverts(reviews, reviewed, who, request):
    caller = request.getfixturevalue(who)
    with reverts_with(reviews.ReviewsNotAuthor, lineId=reviewed, caller=caller):
        reviews.amendReview(reviewed, 1, URI, HASH, sender=caller)


def test_amend__no_review__reverts(reviews, completed, carol):
    with reverts_with(reviews.ReviewsNoReview, lineId=completed):
        reviews.amendReview(completed, 3, URI, HASH, sender=carol)


@pytest.mark.parametrize("rating", [0, 6])
def test_amend__rating_out_of_range__reverts(reviews, reviewed, carol, rating):
    with reverts_with(reviews.ReviewsInvalidRating, rating=rating):
        reviews.amendReview(reviewed, rating, URI, HASH, sender=carol)


def _ratings(event_type, line_id):
    logs = event_type.range(0, chain.blocks.height + 1, search_topics={"lineId": line_id})
    return [log.rating for log in logs]

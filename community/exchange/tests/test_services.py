"""The exchange flow through its services: post, respond, message, agree, complete, thank."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from community.exchange import actions, selectors
from community.exchange.models import Exchange, Message, Movement, Post, Side, Transfer
from community.exchange.tests.conftest import agreed_exchange, make_post
from community.models import Notification
from community.moderation import actions as mod
from community.moderation.models import Suspension as ModerationSuspension
from community.moderation.tests.factories import moderator
from community.tests.factories import PersonaFactory, UserFactory

pytestmark = pytest.mark.django_db


def balance(user) -> Decimal:
    account = selectors.account_of_user(user)
    return account.balance if account else Decimal(0)


def test_full_exchange_flow_moves_credits_from_the_helped_to_the_helper(amara, joe):
    post = make_post(amara)  # Amara offers help
    exchange = actions.exchange_respond(
        user=joe.account, post=post, persona=joe, message="Could you help me on Friday?"
    )
    actions.message_send(user=amara.account, exchange=exchange, body="Yes, at the library?")
    actions.exchange_propose(user=amara.account, exchange=exchange, hours="1.5")
    exchange = actions.exchange_accept(user=joe.account, exchange=exchange)
    assert exchange.status == Exchange.Status.AGREED
    assert exchange.hours == Decimal("1.5")

    actions.exchange_confirm_done(user=joe.account, exchange=exchange)
    assert balance(amara.account) == 0  # one confirmation moves nothing
    exchange = actions.exchange_confirm_done(user=amara.account, exchange=exchange)

    assert exchange.status == Exchange.Status.COMPLETED
    assert balance(amara.account) == Decimal("1.5")
    assert balance(joe.account) == Decimal("-1.5")
    transfer = Transfer.objects.get(exchange=exchange)
    assert sorted(m.amount for m in transfer.movements.all()) == [Decimal("-1.5"), Decimal("1.5")]
    thanks = actions.thanks_give(user=joe.account, exchange=exchange, body="Thank you so much!")
    assert thanks.side == Side.RESPONDER
    state = selectors.exchange_state(exchange)
    assert state["thanks"] == {"responder": "Thank you so much!"}


def test_on_a_request_the_responder_earns_the_credits(amara, joe):
    post = make_post(amara, kind="request", title="Lift to the Riverside clinic on Tuesday")
    exchange = agreed_exchange(post, joe, hours="1")
    actions.exchange_confirm_done(user=joe.account, exchange=exchange)
    actions.exchange_confirm_done(user=amara.account, exchange=exchange)
    assert balance(joe.account) == 1
    assert balance(amara.account) == -1


def test_the_other_side_is_notified_of_a_response_and_messages_once_until_read(amara, joe):
    post = make_post(amara)
    exchange = actions.exchange_respond(user=joe.account, post=post, persona=joe, message="Hi")
    assert Notification.objects.filter(recipient=amara.account).count() == 1
    actions.message_send(user=joe.account, exchange=exchange, body="One more thing")
    actions.message_send(user=joe.account, exchange=exchange, body="And another")
    # the response notification is unread, so chat messages do not pile up
    assert Notification.objects.filter(recipient=amara.account).count() == 1
    Notification.objects.filter(recipient=amara.account).update(read_at=timezone.now())
    actions.message_send(user=joe.account, exchange=exchange, body="Still there?")
    assert Notification.objects.filter(recipient=amara.account).count() == 2
    assert not Notification.objects.filter(recipient=joe.account).exists()


def test_post_text_is_sanitised_and_contact_details_are_refused(amara):
    with pytest.raises(ValidationError, match="plain text: remove the HTML"):
        make_post(amara, title="Phone <b>skills</b> for beginners")
    post = make_post(
        amara,
        title="  Phone   skills for beginners ",
        description="<script>alert(1)</script><p onclick='x()'>Basic <em>phone</em> skills</p>",
    )
    assert post.title == "Phone skills for beginners"
    assert "<script" not in post.description
    assert "onclick" not in post.description
    assert "<em>phone</em>" in post.description
    with pytest.raises(ValidationError) as exc:
        make_post(amara, description="Call me on 07700 900123 any time")
    assert "phone numbers" in str(exc.value)
    with pytest.raises(ValidationError):
        make_post(amara, description="Email amara@example.org")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("kind", "swap", "offering or asking"),
        ("category", "weapons", "category"),
        ("area", "atlantis", "area"),
        ("mode", "telepathy", "in person or remote"),
        ("title", "Hi", "at least 5"),
        ("description", "   ", "Describe"),
    ],
)
def test_invalid_posts_are_refused_with_a_clear_message(amara, field, value, message):
    with pytest.raises(ValidationError) as exc:
        make_post(amara, **{field: value})
    assert message in str(exc.value)
    assert not Post.objects.exists()


def test_expired_posts_are_hidden_from_the_list_but_kept(amara):
    post = make_post(amara, expires_on=timezone.localdate())
    assert list(selectors.post_list()) == [post]
    Post.objects.filter(pk=post.pk).update(expires_on=timezone.localdate() - datetime.timedelta(1))
    assert list(selectors.post_list()) == []
    assert Post.objects.filter(pk=post.pk).exists()
    with pytest.raises(ValidationError):
        make_post(amara, expires_on=timezone.localdate() - datetime.timedelta(days=1))


def test_search_and_filters_narrow_the_list(amara, joe):
    forms = make_post(amara, title="Benefits form help", category="forms", area="riverside")
    lift = make_post(
        joe, kind="request", title="Lift to the clinic", category="lifts", area="old-town"
    )
    remote = make_post(joe, title="Phone skills by video", category="digital", mode="remote")
    assert list(selectors.post_list(filters=selectors.PostFilters(q="clinic"))) == [lift]
    assert list(selectors.post_list(filters=selectors.PostFilters(kind="request"))) == [lift]
    assert list(selectors.post_list(filters=selectors.PostFilters(category="forms"))) == [forms]
    assert list(selectors.post_list(filters=selectors.PostFilters(area="old-town"))) == [lift]
    assert list(selectors.post_list(filters=selectors.PostFilters(mode="remote"))) == [remote]
    assert list(selectors.post_list(filters=selectors.PostFilters(q="form benefits"))) == [forms]


def test_posting_as_someone_elses_persona_is_refused(amara, joe):
    with pytest.raises(PermissionDenied):
        actions.post_create(
            user=joe.account,
            persona=amara,
            kind="offer",
            title="Pretending to be Amara",
            description="Nope",
            category="other",
            area="riverside",
            mode="remote",
        )


def _suspend(persona, days):
    """Suspend the account behind ``persona`` through the moderation queue."""
    report = mod.report_create(user=UserFactory(), obj=persona, reason="spam")
    return mod.case_decide(
        moderator=moderator(),
        case=report.case,
        version=1,
        action="suspend",
        reason="spam",
        days=days,
    )


def test_posting_while_suspended_is_refused(amara):
    _suspend(amara, 7)
    with pytest.raises(PermissionDenied, match="suspended"):
        make_post(amara)
    assert not Post.objects.exists()


def test_an_expired_suspension_no_longer_applies(amara):
    _suspend(amara, 1)
    ModerationSuspension.objects.update(ends_at=timezone.now() - datetime.timedelta(minutes=1))
    assert make_post(amara).pk


def test_a_post_with_a_link_from_a_new_account_is_held_and_not_listed(amara):
    post = make_post(amara, description="Details at https://cheap-forms.shop/offer")
    assert post.screening.held and "links" in post.screening.message
    assert list(selectors.post_list()) == []
    settled = PersonaFactory(account__date_joined=timezone.now() - datetime.timedelta(days=30))
    fine = make_post(settled, description="Details at https://cheap-forms.shop/offer")
    assert not fine.screening.held and list(selectors.post_list()) == [fine]


def test_a_post_with_an_identity_number_is_held(amara):
    post = make_post(amara, description="My NI number is AB 12 34 56 C, I can vouch")
    assert post.screening.held and "identity" in post.screening.message


def test_a_message_with_blocklisted_words_is_held_from_the_other_side(amara, joe, settings):
    settings.MODERATION = {**settings.MODERATION, "BLOCKLIST": ["scumbag"]}
    exchange = actions.exchange_respond(
        user=joe.account, post=make_post(amara), persona=joe, message="Hello"
    )
    message = actions.message_send(user=joe.account, exchange=exchange, body="You scumbag")
    assert message.screening.held and "not allowed" in message.screening.message
    assert [m.body for m in selectors.visible_messages(exchange)] == ["<p>Hello</p>"]


def test_private_messages_may_carry_a_phone_number(amara, joe):
    exchange = actions.exchange_respond(
        user=joe.account, post=make_post(amara), persona=joe, message="Hello"
    )
    message = actions.message_send(
        user=joe.account, exchange=exchange, body="Ring me on 0161 496 0018"
    )
    assert not message.screening.held


def test_responding_to_ones_own_post_is_refused_even_with_another_persona(amara):
    post = make_post(amara)
    second = PersonaFactory(account=amara.account, display_name="Riverside parent")
    with pytest.raises(ValidationError, match="your own post"):
        actions.exchange_respond(user=amara.account, post=post, persona=second, message="Me!")


def test_responding_twice_to_the_same_post_is_refused(amara, joe):
    post = make_post(amara)
    actions.exchange_respond(user=joe.account, post=post, persona=joe, message="Hi")
    with pytest.raises(ValidationError, match="already talking"):
        actions.exchange_respond(user=joe.account, post=post, persona=joe, message="Hi again")
    assert Exchange.objects.count() == 1


def test_first_response_needs_the_safety_guidance(amara):
    newcomer = PersonaFactory(display_name="Newcomer")
    post = make_post(amara)
    with pytest.raises(ValidationError, match="safety guidance"):
        actions.exchange_respond(user=newcomer.account, post=post, persona=newcomer, message="Hi")
    exchange = actions.exchange_respond(
        user=newcomer.account, post=post, persona=newcomer, message="Hi", safety_acknowledged=True
    )
    assert exchange.pk
    assert selectors.has_read_safety_guidance(newcomer.account)


def test_closed_or_expired_posts_take_no_responses(amara, joe):
    post = make_post(amara)
    actions.post_close(user=amara.account, post=post)
    with pytest.raises(ValidationError, match="closed"):
        actions.exchange_respond(user=joe.account, post=post, persona=joe, message="Hi")


def test_messages_are_sanitised(amara, joe):
    post = make_post(amara)
    exchange = actions.exchange_respond(user=joe.account, post=post, persona=joe, message="Hi")
    message = actions.message_send(
        user=amara.account, exchange=exchange, body='<img src=x onerror="alert(1)">Hello <b>Joe</b>'
    )
    assert "<img" not in message.body
    assert "onerror" not in message.body
    assert "Hello" in message.body
    with pytest.raises(ValidationError, match="Write a message"):
        actions.message_send(user=amara.account, exchange=exchange, body="<script></script>")


def test_hours_must_be_positive_quarter_hours_within_the_maximum(amara, joe):
    post = make_post(amara)
    exchange = actions.exchange_respond(user=joe.account, post=post, persona=joe, message="Hi")
    for bad, message in [
        ("0", "above zero"),
        ("-1", "above zero"),
        ("1.1", "quarter hours"),
        ("abc", "number"),
        ("NaN", "above zero"),
        ("25", "at most 24"),
    ]:
        with pytest.raises(ValidationError, match=message):
            actions.exchange_propose(user=joe.account, exchange=exchange, hours=bad)
    exchange.refresh_from_db()
    assert exchange.proposed_hours is None


def test_one_cannot_accept_ones_own_proposal(amara, joe):
    post = make_post(amara)
    exchange = actions.exchange_respond(user=joe.account, post=post, persona=joe, message="Hi")
    actions.exchange_propose(user=joe.account, exchange=exchange, hours="1")
    with pytest.raises(ValidationError, match="other person needs to accept"):
        actions.exchange_accept(user=joe.account, exchange=exchange)


def test_marking_done_before_agreeing_is_refused(amara, joe):
    post = make_post(amara)
    exchange = actions.exchange_respond(user=joe.account, post=post, persona=joe, message="Hi")
    with pytest.raises(ValidationError, match="Agree the hours"):
        actions.exchange_confirm_done(user=joe.account, exchange=exchange)


def test_confirming_twice_is_refused_and_moves_nothing(amara, joe):
    exchange = agreed_exchange(make_post(amara), joe)
    actions.exchange_confirm_done(user=joe.account, exchange=exchange)
    with pytest.raises(ValidationError, match="already confirmed"):
        actions.exchange_confirm_done(user=joe.account, exchange=exchange)
    actions.exchange_confirm_done(user=amara.account, exchange=exchange)
    with pytest.raises(ValidationError, match="already complete"):
        actions.exchange_confirm_done(user=amara.account, exchange=exchange)
    assert Transfer.objects.filter(exchange=exchange).count() == 1
    assert Movement.objects.count() == 2


def test_a_cancelled_exchange_takes_no_more_messages_or_confirmations(amara, joe):
    exchange = agreed_exchange(make_post(amara), joe)
    actions.exchange_cancel(user=amara.account, exchange=exchange)
    with pytest.raises(ValidationError, match="cancelled"):
        actions.message_send(user=joe.account, exchange=exchange, body="Wait!")
    with pytest.raises(ValidationError):
        actions.exchange_confirm_done(user=joe.account, exchange=exchange)
    # and the responder may start again
    again = actions.exchange_respond(
        user=joe.account, post=exchange.post, persona=joe, message="Can we try again?"
    )
    assert again.pk != exchange.pk


def test_thanks_only_after_completion_and_once_per_side(amara, joe):
    exchange = agreed_exchange(make_post(amara), joe)
    with pytest.raises(ValidationError, match="once the exchange is complete"):
        actions.thanks_give(user=joe.account, exchange=exchange, body="Thanks")
    actions.exchange_confirm_done(user=joe.account, exchange=exchange)
    actions.exchange_confirm_done(user=amara.account, exchange=exchange)
    actions.thanks_give(user=joe.account, exchange=exchange, body="Thanks")
    with pytest.raises(ValidationError, match="already said thank you"):
        actions.thanks_give(user=joe.account, exchange=exchange, body="Thanks again")


def test_contact_details_are_shown_only_when_shared_by_their_owner(amara, joe):
    exchange = actions.exchange_respond(
        user=joe.account, post=make_post(amara), persona=joe, message="Hi"
    )
    snapshot = selectors.conversation_snapshot(exchange, side=Side.OWNER)
    assert joe.account.email not in str(snapshot)
    message = actions.contact_share(
        user=joe.account, exchange=exchange, details="07700 900123", include_email=True
    )
    assert message.kind == Message.Kind.CONTACT
    assert "07700 900123" in message.body
    assert joe.account.email in message.body
    with pytest.raises(ValidationError):
        actions.contact_share(user=joe.account, exchange=exchange)


def test_stats_count_completed_exchanges_hours_categories_and_areas(amara, joe):
    first = agreed_exchange(make_post(amara, category="forms", area="riverside"), joe, "1.5")
    second = agreed_exchange(
        make_post(amara, title="Phone skills", category="digital", area="old-town"), joe, "2"
    )
    agreed_exchange(make_post(amara, title="Not finished yet"), joe, "3")
    for exchange in (first, second):
        actions.exchange_confirm_done(user=joe.account, exchange=exchange)
        actions.exchange_confirm_done(user=amara.account, exchange=exchange)
    stats = selectors.exchange_stats()
    assert stats["exchanges_completed"] == 2
    assert stats["hours_exchanged"] == "3.5"
    assert {row["category"]: row["hours"] for row in stats["by_category"]} == {
        "forms": "1.5",
        "digital": "2",
    }
    assert {row["area"]: row["exchanges"] for row in stats["by_area"]} == {
        "riverside": 1,
        "old-town": 1,
    }


def test_the_please_confirm_notice_is_read_once_the_exchange_completes(amara, joe):
    exchange = agreed_exchange(make_post(amara), joe)
    actions.exchange_confirm_done(user=joe.account, exchange=exchange)
    ask = Notification.objects.get(recipient=amara.account, title__contains="please confirm")
    assert ask.read_at is None
    actions.exchange_confirm_done(user=amara.account, exchange=exchange)
    ask.refresh_from_db()
    assert ask.read_at is not None
    # Joe's "complete" notice is news to him, so it stays unread.
    done = Notification.objects.get(recipient=joe.account, title__startswith="Exchange complete")
    assert done.read_at is None

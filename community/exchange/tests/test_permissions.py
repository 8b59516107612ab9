"""Who may read and write: parties, intermediaries, strangers; blocking; reporting."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from community.exchange import permissions, selectors, services
from community.exchange.models import Message, Post, Report, Side
from community.exchange.tests.conftest import make_post
from community.models import Notification, Role
from community.tests.factories import OrganisationFactory, PersonaFactory, UserFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(amara, joe):
    return services.exchange_respond(
        user=joe.account, post=make_post(amara), persona=joe, message="Hi there"
    )


def test_strangers_cannot_read_or_post_into_a_conversation(conversation, stranger):
    assert permissions.side_of(stranger.account, conversation) is None
    with pytest.raises(PermissionDenied):
        services.message_send(user=stranger.account, exchange=conversation, body="Hello")
    with pytest.raises(PermissionDenied):
        services.exchange_propose(user=stranger.account, exchange=conversation, hours="1")
    with pytest.raises(PermissionDenied):
        services.exchange_cancel(user=stranger.account, exchange=conversation)
    assert conversation.messages.count() == 1


def test_the_parties_have_their_sides(conversation, amara, joe):
    assert permissions.side_of(amara.account, conversation) == Side.OWNER
    assert permissions.side_of(joe.account, conversation) == Side.RESPONDER


def test_an_intermediary_member_acts_for_someone_and_the_poster_is_recorded(li, riverside, joe):
    post = services.post_create(
        user=li.account,
        persona=li,
        organisation=riverside,
        on_behalf_of="Mrs K.",
        kind="request",
        title="Lift to the Riverside clinic on Tuesday",
        description="A lift there and back, about an hour.",
        category="lifts",
        area="riverside",
        mode="in_person",
    )
    assert (post.organisation, post.on_behalf_of, post.created_by) == (
        riverside,
        "Mrs K.",
        li.account,
    )
    exchange = services.exchange_respond(user=joe.account, post=post, persona=joe, message="Yes")
    colleague = PersonaFactory(display_name="Colleague C.")
    from community.tests.factories import MembershipFactory

    MembershipFactory(user=colleague.account, organisation=riverside, role=Role.MEMBER)
    assert permissions.side_of(colleague.account, exchange) == Side.OWNER
    message = services.message_send(user=colleague.account, exchange=exchange, body="Hello Joe")
    assert message.author == colleague
    assert message.author_user == colleague.account
    # both members of the intermediary hear about Joe's messages
    services.message_send(user=joe.account, exchange=exchange, body="Tuesday at 10?")
    assert Notification.objects.filter(recipient=li.account, category="exchange").exists()
    assert Notification.objects.filter(recipient=colleague.account, category="exchange").exists()
    assert "Riverside Neighbours" in selectors.side_label(exchange, Side.OWNER)


def test_non_members_cannot_post_for_an_intermediary(riverside, joe):
    with pytest.raises(PermissionDenied, match="Only members"):
        services.post_create(
            user=joe.account,
            persona=joe,
            organisation=riverside,
            kind="offer",
            title="Speaking for Riverside",
            description="Not really.",
            category="other",
            area="riverside",
            mode="remote",
        )
    assert not Post.objects.exists()


def test_agencies_cannot_be_used_as_intermediaries(joe):
    agency = OrganisationFactory()
    from community.tests.factories import MembershipFactory

    MembershipFactory(user=joe.account, organisation=agency)
    with pytest.raises(PermissionDenied):
        make_post(joe, organisation=agency)


def test_on_behalf_of_needs_an_intermediary(amara):
    with pytest.raises(ValidationError, match="Only an intermediary"):
        make_post(amara, on_behalf_of="my neighbour")


# -- blocking ---------------------------------------------------------------------------------


def test_a_blocked_person_cannot_message_respond_or_see_posts(amara, joe, conversation):
    services.person_block(user=amara.account, persona=joe)
    with pytest.raises(PermissionDenied, match="not accepting messages"):
        services.message_send(user=joe.account, exchange=conversation, body="Hello?")
    with pytest.raises(PermissionDenied, match="Unblock them"):
        services.message_send(user=amara.account, exchange=conversation, body="Hello?")
    with pytest.raises(PermissionDenied, match="not accepting messages"):
        services.exchange_respond(
            user=joe.account,
            post=make_post(amara, title="Another offer"),
            persona=joe,
            message="Hi",
        )
    make_post(joe, title="Joe's offer")
    assert all(p.persona != joe for p in selectors.post_list(viewer=amara.account))


def test_blocking_reaches_every_persona_of_the_account_without_revealing_it(amara, joe):
    second = PersonaFactory(account=joe.account, display_name="Joe's other persona")
    block = services.person_block(user=amara.account, persona=joe)
    with pytest.raises(PermissionDenied):
        services.exchange_respond(
            user=joe.account, post=make_post(amara), persona=second, message="Hi"
        )
    assert block.via_persona == joe
    shown = [b.via_persona.public_name for b in selectors.blocked_personas(amara.account)]
    assert shown == ["Joe B."]


def test_unblocking_restores_messaging(amara, joe, conversation):
    block = services.person_block(user=amara.account, persona=joe)
    with pytest.raises(PermissionDenied):
        services.person_unblock(user=joe.account, block=block)
    services.person_unblock(user=amara.account, block=block)
    assert services.message_send(user=joe.account, exchange=conversation, body="Hi again").pk


def test_one_cannot_block_oneself(amara):
    with pytest.raises(ValidationError):
        services.person_block(user=amara.account, persona=amara)


# -- reporting and moderation -----------------------------------------------------------------


def test_reporting_a_post_reaches_moderators_once(amara, joe):
    moderator = staff(Role.MODERATOR)
    post = make_post(amara)
    services.report_create(user=joe.account, post=post, reason="scam", details="Asked for cash")
    assert Notification.objects.filter(recipient=moderator, category="moderation").count() == 1
    with pytest.raises(ValidationError, match="already reported"):
        services.report_create(user=joe.account, post=post, reason="scam")
    assert Report.objects.count() == 1


def test_reporting_needs_a_reason_and_one_target(amara, joe):
    post = make_post(amara)
    with pytest.raises(ValidationError, match="reason"):
        services.report_create(user=joe.account, post=post, reason="meh")
    with pytest.raises(ValidationError, match="one thing"):
        services.report_create(user=joe.account, post=post, persona=amara, reason="spam")


def test_only_parties_can_report_a_message(conversation, stranger, amara):
    message = conversation.messages.get()
    with pytest.raises(PermissionDenied):
        services.report_create(user=stranger.account, message=message, reason="offensive")
    assert services.report_create(user=amara.account, message=message, reason="offensive").pk


def test_a_moderator_hides_a_reported_message(conversation, amara):
    message = conversation.messages.get()
    report = services.report_create(user=amara.account, message=message, reason="offensive")
    with pytest.raises(PermissionDenied):
        services.report_resolve(moderator=amara.account, report=report, action="hide")
    moderator = staff(Role.MODERATOR)
    services.report_resolve(moderator=moderator, report=report, action="hide", note="Abusive")
    report.refresh_from_db()
    assert report.status == Report.Status.ACTIONED
    assert report.handled_by == moderator
    assert Message.objects.get(pk=message.pk).is_hidden
    assert selectors.visible_messages(conversation) == []
    with pytest.raises(ValidationError, match="already handled"):
        services.report_resolve(moderator=moderator, report=report, action="dismiss")


def test_a_moderator_suspends_a_reported_person_who_then_cannot_post(amara, joe):
    report = services.report_create(user=amara.account, persona=joe, reason="unsafe")
    services.report_resolve(
        moderator=staff(Role.MODERATOR), report=report, action="suspend", suspend_days=30
    )
    assert permissions.is_suspended(joe.account)
    with pytest.raises(PermissionDenied, match="suspended"):
        make_post(joe)


def test_hidden_posts_leave_the_list(amara, joe):
    post = make_post(amara)
    report = services.report_create(user=joe.account, post=post, reason="spam")
    services.report_resolve(moderator=staff(Role.MODERATOR), report=report, action="hide")
    assert list(selectors.post_list()) == []


def test_staff_without_ledger_rights_cannot_adjust():
    user = UserFactory(is_staff=True)
    assert not permissions.can_adjust_credits(user)
    assert permissions.can_adjust_credits(UserFactory(is_superuser=True))

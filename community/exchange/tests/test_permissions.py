"""Who may read and write: parties, intermediaries, strangers; blocking; reporting."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from community.exchange import actions, permissions, selectors
from community.exchange.models import Post, Side
from community.exchange.tests.conftest import make_post
from community.models import Notification, Role
from community.moderation import actions as mod
from community.moderation import selectors as mod_selectors
from community.moderation.models import Report as ModerationReport
from community.moderation.tests.factories import moderator
from community.tests.factories import OrganisationFactory, PersonaFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(amara, joe):
    return actions.exchange_respond(
        user=joe.account, post=make_post(amara), persona=joe, message="Hi there"
    )


def test_strangers_cannot_read_or_post_into_a_conversation(conversation, stranger):
    assert permissions.side_of(stranger.account, conversation) is None
    with pytest.raises(PermissionDenied):
        actions.message_send(user=stranger.account, exchange=conversation, body="Hello")
    with pytest.raises(PermissionDenied):
        actions.exchange_propose(user=stranger.account, exchange=conversation, hours="1")
    with pytest.raises(PermissionDenied):
        actions.exchange_cancel(user=stranger.account, exchange=conversation)
    assert conversation.messages.count() == 1


def test_the_parties_have_their_sides(conversation, amara, joe):
    assert permissions.side_of(amara.account, conversation) == Side.OWNER
    assert permissions.side_of(joe.account, conversation) == Side.RESPONDER


def test_an_intermediary_member_acts_for_someone_and_the_poster_is_recorded(li, riverside, joe):
    post = actions.post_create(
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
    exchange = actions.exchange_respond(user=joe.account, post=post, persona=joe, message="Yes")
    colleague = PersonaFactory(display_name="Colleague C.")
    from community.tests.factories import MembershipFactory

    MembershipFactory(user=colleague.account, organisation=riverside, role=Role.MEMBER)
    assert permissions.side_of(colleague.account, exchange) == Side.OWNER
    message = actions.message_send(user=colleague.account, exchange=exchange, body="Hello Joe")
    assert message.author == colleague
    assert message.author_user == colleague.account
    # both members of the intermediary hear about Joe's messages
    actions.message_send(user=joe.account, exchange=exchange, body="Tuesday at 10?")
    assert Notification.objects.filter(recipient=li.account, category="exchange").exists()
    assert Notification.objects.filter(recipient=colleague.account, category="exchange").exists()
    assert "Riverside Neighbours" in selectors.side_label(exchange, Side.OWNER)


def test_non_members_cannot_post_for_an_intermediary(riverside, joe):
    with pytest.raises(PermissionDenied, match="Only members"):
        actions.post_create(
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
    actions.person_block(user=amara.account, persona=joe)
    with pytest.raises(PermissionDenied, match="not accepting messages"):
        actions.message_send(user=joe.account, exchange=conversation, body="Hello?")
    with pytest.raises(PermissionDenied, match="Unblock them"):
        actions.message_send(user=amara.account, exchange=conversation, body="Hello?")
    with pytest.raises(PermissionDenied, match="not accepting messages"):
        actions.exchange_respond(
            user=joe.account,
            post=make_post(amara, title="Another offer"),
            persona=joe,
            message="Hi",
        )
    make_post(joe, title="Joe's offer")
    assert all(p.persona != joe for p in selectors.post_list(viewer=amara.account))


def test_blocking_reaches_every_persona_of_the_account_without_revealing_it(amara, joe):
    second = PersonaFactory(account=joe.account, display_name="Joe's other persona")
    block = actions.person_block(user=amara.account, persona=joe)
    with pytest.raises(PermissionDenied):
        actions.exchange_respond(
            user=joe.account, post=make_post(amara), persona=second, message="Hi"
        )
    assert block.via_persona == joe
    shown = [b.via_persona.public_name for b in selectors.blocked_personas(amara.account)]
    assert shown == ["Joe B."]


def test_unblocking_restores_messaging(amara, joe, conversation):
    block = actions.person_block(user=amara.account, persona=joe)
    with pytest.raises(PermissionDenied):
        actions.person_unblock(user=joe.account, block=block)
    actions.person_unblock(user=amara.account, block=block)
    assert actions.message_send(user=joe.account, exchange=conversation, body="Hi again").pk


def test_one_cannot_block_oneself(amara):
    with pytest.raises(ValidationError):
        actions.person_block(user=amara.account, persona=amara)


# -- reporting and moderation (the one generic mechanism: community.moderation) --------------


def _decide(case, action, reason="abuse", **kwargs):
    return mod.case_decide(
        moderator=moderator(),
        case=case,
        version=case.version,
        action=action,
        reason=reason,
        **kwargs,
    )


def test_reporting_a_post_puts_it_in_the_moderation_queue_once(amara, joe):
    post = make_post(amara)
    report = mod.report_create(user=joe.account, obj=post, reason="illegal", text="Asked for cash")
    assert list(mod_selectors.queue(user=moderator())) == [report.case]
    assert report.case.agency is None  # the exchange is platform-wide: any moderator
    with pytest.raises(ValidationError, match="already reported"):
        mod.report_create(user=joe.account, obj=post, reason="spam")
    assert ModerationReport.objects.count() == 1


def test_reporting_needs_a_listed_reason(amara, joe):
    post = make_post(amara)
    with pytest.raises(ValidationError, match="reason"):
        mod.report_create(user=joe.account, obj=post, reason="meh")
    assert not ModerationReport.objects.exists()


def test_only_parties_can_report_a_message(conversation, stranger, amara):
    message = conversation.messages.get()
    with pytest.raises(PermissionDenied):
        mod.report_create(user=stranger.account, obj=message, reason="abuse")
    assert mod.report_create(user=amara.account, obj=message, reason="abuse").pk


def test_a_moderator_hides_a_reported_message(conversation, amara):
    message = conversation.messages.get()
    report = mod.report_create(user=amara.account, obj=message, reason="abuse")
    with pytest.raises(PermissionDenied):
        mod.case_decide(
            moderator=amara.account, case=report.case, version=1, action="hide", reason="abuse"
        )
    staff_member = moderator()
    action = mod.case_decide(
        moderator=staff_member, case=report.case, version=1, action="hide", reason="abuse"
    )
    assert action.actor == staff_member and action.target_account == message.author.account
    assert selectors.visible_messages(conversation) == []
    with pytest.raises(ValidationError, match="already decided"):
        mod.case_decide(moderator=moderator(), case=report.case, version=1, action="approve")


def test_a_moderator_suspends_a_reported_person_who_then_cannot_post(amara, joe):
    report = mod.report_create(user=amara.account, obj=joe, reason="abuse")
    _decide(report.case, "suspend", days=30)
    assert permissions.is_suspended(joe.account)
    with pytest.raises(PermissionDenied, match="suspended"):
        make_post(joe)


def test_may_post_is_one_rule_asked_as_a_question_or_with_the_reason(amara, joe):
    """``can_post`` (pages) and ``ensure_may_post`` (every exchange action) never disagree."""
    from django.contrib.auth.models import AnonymousUser

    assert permissions.can_post(joe.account)
    permissions.ensure_may_post(joe.account)
    report = mod.report_create(user=amara.account, obj=joe, reason="abuse")
    _decide(report.case, "suspend", days=30)
    assert not permissions.can_post(joe.account)
    with pytest.raises(PermissionDenied, match="suspended from contributing until"):
        permissions.ensure_may_post(joe.account)
    assert not permissions.can_post(AnonymousUser())
    with pytest.raises(PermissionDenied, match="Sign in"):
        permissions.ensure_may_post(AnonymousUser())
    amara.account.is_active = False
    assert not permissions.can_post(amara.account)
    with pytest.raises(PermissionDenied, match="closed"):
        permissions.ensure_may_post(amara.account)


def test_a_banned_person_cannot_respond_or_message(conversation, amara, joe):
    post = make_post(amara, title="Help with a garden")
    report = mod.report_create(user=amara.account, obj=conversation.messages.get(), reason="abuse")
    _decide(report.case, "ban")
    with pytest.raises(PermissionDenied, match="banned"):
        actions.message_send(user=joe.account, exchange=conversation, body="Still here")
    with pytest.raises(PermissionDenied, match="banned"):
        actions.exchange_respond(user=joe.account, post=post, persona=joe, message="Hi")


def test_hidden_posts_leave_the_list_and_take_no_responses(amara, joe):
    post = make_post(amara)
    report = mod.report_create(user=joe.account, obj=post, reason="spam")
    _decide(report.case, "hide", reason="spam")
    assert list(selectors.post_list()) == []
    assert selectors.public_posts_of(amara, 10) == []
    with pytest.raises(ValidationError, match="no longer takes responses"):
        actions.exchange_respond(user=joe.account, post=post, persona=joe, message="Hi")


def test_staff_without_ledger_rights_cannot_adjust():
    user = UserFactory(is_staff=True)
    assert not permissions.can_adjust_credits(user)
    assert permissions.can_adjust_credits(UserFactory(is_superuser=True))

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from community.models import Notification
from community.moderation import actions, selectors
from community.moderation.models import (
    ActionKind,
    Appeal,
    AppendOnlyError,
    CaseState,
    ModerationAction,
    ModerationCase,
    Report,
)
from community.moderation.tests.factories import moderator
from community.permissions import ensure_may_contribute
from community.tests.factories import PersonaFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def persona():
    return PersonaFactory(display_name="Loud Larry", description="call me on 0161 496 0018")


def _case(persona, reporter=None):
    actions.report_create(user=reporter or UserFactory(), obj=persona, reason="personal_data")
    return ModerationCase.objects.get(object_id=persona.pk)


def test_a_persona_profile_can_be_reported_and_lands_in_the_queue(persona):
    report = actions.report_create(user=UserFactory(), obj=persona, reason="abuse", text="rude")
    case = report.case
    assert case.state == CaseState.PENDING and case.report_count == 1
    assert list(selectors.queue(user=moderator())) == [case]
    assert ModerationAction.objects.get(action=ActionKind.REPORT).reason == "abuse"


def test_reporting_twice_is_refused_with_a_clear_message(persona):
    user = UserFactory()
    actions.report_create(user=user, obj=persona, reason="spam")
    with pytest.raises(ValidationError, match="already reported"):
        actions.report_create(user=user, obj=persona, reason="abuse")
    assert Report.objects.count() == 1


def test_reporting_ones_own_content_is_refused(persona):
    with pytest.raises(ValidationError, match="your own"):
        actions.report_create(user=persona.account, obj=persona, reason="spam")


def test_other_needs_an_explanation(persona):
    with pytest.raises(ValidationError):
        actions.report_create(user=UserFactory(), obj=persona, reason="other")


def test_approve_records_the_audit_row_and_leaves_the_queue(persona):
    case = _case(persona)
    mod = moderator()
    action = actions.case_decide(moderator=mod, case=case, version=case.version, action="approve")
    case.refresh_from_db()
    assert case.state == CaseState.APPROVED and not case.is_hidden and case.decided_by == mod
    assert action.actor == mod and action.action == "approve" and action.waited is not None
    assert not selectors.queue(user=mod).exists()


@pytest.mark.parametrize("action", ["hide", "warn", "ban"])
def test_hiding_actions_hide_the_content_and_tell_the_author(persona, action):
    case = _case(persona)
    actions.case_decide(
        moderator=moderator(), case=case, version=case.version, action=action, reason="abuse"
    )
    case.refresh_from_db()
    assert case.is_hidden and case.public_reason == "abuse"
    assert selectors.public_notice(case) == "Hidden by a moderator: abuse"
    note = Notification.objects.get(recipient=persona.account, category="moderation")
    assert "abuse" in note.title
    assert ModerationAction.objects.filter(action=action, target_account=persona.account).exists()


def test_suspension_blocks_contributions_until_it_ends(persona):
    case = _case(persona)
    actions.case_decide(
        moderator=moderator(), case=case, version=1, action="suspend", reason="spam", days=7
    )
    with pytest.raises(PermissionDenied, match="suspended"):
        ensure_may_contribute(persona.account)


def test_ban_blocks_contributions_for_good(persona):
    case = _case(persona)
    actions.case_decide(moderator=moderator(), case=case, version=1, action="ban", reason="illegal")
    with pytest.raises(PermissionDenied, match="banned"):
        ensure_may_contribute(persona.account)


def test_a_persona_cannot_be_edited_by_a_moderator(persona):
    case = _case(persona)
    with pytest.raises(ValidationError, match="cannot be edited"):
        actions.case_decide(
            moderator=moderator(),
            case=case,
            version=1,
            action="edit",
            reason="abuse",
            text="x",
            note="y",
        )


def test_the_second_moderator_deciding_at_once_gets_already_decided(persona):
    case = _case(persona)
    first, second = moderator(), moderator()
    seen_version = case.version
    actions.case_decide(
        moderator=first, case=case, version=seen_version, action="hide", reason="abuse"
    )
    with pytest.raises(ValidationError, match="already decided"):
        actions.case_decide(moderator=second, case=case, version=seen_version, action="approve")
    case.refresh_from_db()
    assert case.state == CaseState.HIDDEN and case.decided_by == first
    assert ModerationAction.objects.filter(action__in=["hide", "approve"]).count() == 1


def test_citizens_cannot_moderate(persona):
    case = _case(persona)
    with pytest.raises(PermissionDenied):
        actions.case_decide(moderator=UserFactory(), case=case, version=1, action="approve")


def test_the_audit_log_refuses_updates_and_deletes(persona):
    _case(persona)
    row = ModerationAction.objects.get()
    row.note = "rewritten"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        ModerationAction.objects.update(note="x")
    with pytest.raises(AppendOnlyError):
        ModerationAction.objects.all().delete()


def test_an_appeal_goes_to_a_different_moderator_and_reversal_restores(persona):
    case = _case(persona)
    first = moderator()
    other = moderator()
    action = actions.case_decide(
        moderator=first, case=case, version=1, action="ban", reason="abuse"
    )
    appeal = actions.appeal_create(user=persona.account, action=action, text="It was a joke")
    assert appeal.assigned_to == other
    with pytest.raises(ValidationError, match="already appealed"):
        actions.appeal_create(user=persona.account, action=action, text="again")
    with pytest.raises(PermissionDenied, match="different moderator"):
        actions.appeal_decide(moderator=first, appeal=appeal, grant=True)
    assert list(selectors.open_appeals(first)) == []
    actions.appeal_decide(moderator=other, appeal=appeal, grant=True, note="Fair enough")
    case.refresh_from_db()
    assert not case.is_hidden and Appeal.objects.get().state == Appeal.State.GRANTED
    ensure_may_contribute(persona.account)  # ban lifted: no error
    assert ModerationAction.objects.filter(action="appeal_granted").exists()


def test_only_the_author_can_appeal(persona):
    case = _case(persona)
    action = actions.case_decide(
        moderator=moderator(), case=case, version=1, action="hide", reason="spam"
    )
    with pytest.raises(PermissionDenied):
        actions.appeal_create(user=UserFactory(), action=action, text="no")


def test_revealing_the_account_is_logged_for_the_citizen(persona):
    case = _case(persona)
    mod = moderator()
    account = actions.case_reveal_account(moderator=mod, case=case, reason="repeat offender?")
    assert account == persona.account
    assert persona.account.access_log.get().staff == mod
    assert ModerationAction.objects.filter(action="reveal", actor=mod).exists()


def _row(action, when, reason="", waited=None):
    return ModerationAction(action=action, reason=reason, waited=waited, created_at=when)


def test_transparency_figures_match_a_hand_computed_log():
    jan = datetime(2026, 1, 10, tzinfo=UTC)
    feb = datetime(2026, 2, 3, tzinfo=UTC)
    log = [
        _row("report", jan, "spam"),
        _row("report", jan, "abuse"),
        _row("report", jan + timedelta(days=1), "spam"),
        _row("hold", jan),
        _row("hide", jan, "spam", waited=3600),
        _row("approve", jan, "", waited=600),
        _row("ban", jan, "abuse", waited=7200),
        _row("appeal", jan, "abuse"),
        _row("report", feb, "illegal"),
        _row("hide", feb, "illegal", waited=100),
    ]
    months = selectors.transparency(log)
    assert [m["month"] for m in months] == ["2026-02", "2026-01"]
    feb_m, jan_m = months
    assert jan_m["reports"] == 3 and jan_m["holds"] == 1 and jan_m["decisions"] == 3
    assert dict(jan_m["by_action"]) == {"hide": 1, "approve": 1, "ban": 1}
    assert dict(jan_m["by_reason"]) == {"spam": 1, "abuse": 1}
    assert jan_m["median_seconds"] == 3600
    assert feb_m["reports"] == 1 and feb_m["median_seconds"] == 100


def test_a_carried_over_ban_without_an_item_can_be_appealed_and_lifted():
    """Old exchange suspensions moved in by migration have an audit row but no case."""
    from community.moderation.models import Suspension

    person, first, other = UserFactory(), moderator(), moderator()
    ban = ModerationAction.objects.create(
        case=None, actor=first, action="ban", reason="other", target_account=person
    )
    Suspension.objects.create(account=person, action=ban, ends_at=None, reason="other")
    with pytest.raises(PermissionDenied, match="banned"):
        ensure_may_contribute(person)
    appeal = actions.appeal_create(user=person, action=ban, text="That was years ago")
    assert appeal.assigned_to == other
    actions.appeal_decide(moderator=other, appeal=appeal, grant=True)
    ensure_may_contribute(person)  # lifted: no error
    granted = ModerationAction.objects.get(action="appeal_granted")
    assert granted.target_account == person and granted.case is None


def test_a_new_profile_with_a_phone_number_is_held_and_its_page_says_so(client):
    from community import actions as community_actions

    account = UserFactory()
    held = community_actions.persona_create(
        account=account, display_name="Ring Rita", description="Call me on 0161 496 0018"
    )
    assert held.screening.held and "phone number" in held.screening.message
    page = client.get(held.get_absolute_url()).content.decode()
    assert "Awaiting review by a moderator." in page and "0161" not in page
    fine = community_actions.persona_update(
        user=account, persona=held, display_name="Ring Rita", description="Ask me at the library"
    )
    assert not fine.screening.held

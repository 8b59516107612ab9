"""Moderation across every kind of content: one mechanism, one queue, one audit log.

The first tests iterate over the reportable registry itself, so every kind an app registers
(ideas, comments, exchange posts and messages, personas, and kinds added later such as
co-design sticky notes) is reported, queued, refused when reported twice or by its author,
and hidden with its reason. A sample of each kind comes from its app's factories module
(``<app>.tests.factories.<Model>Factory``); private kinds name who may see them in that
module's ``MODERATION_REPORTERS``.
"""

from __future__ import annotations

import importlib
from datetime import UTC, datetime, timedelta

import pytest
from channels.db import database_sync_to_async as sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from community.moderation import actions, selectors
from community.moderation.models import (
    DECISIONS,
    ActionKind,
    CaseState,
    ModerationAction,
    ModerationCase,
    Report,
)
from community.moderation.registry import reportable, reportables
from community.moderation.tests.factories import moderator
from community.permissions import ensure_may_contribute
from community.tests.factories import OrganisationFactory, UserFactory
from realtime.routing import websocket_urlpatterns

app = URLRouter(websocket_urlpatterns)
LABELS = sorted(entry.label for entry in reportables())


def test_every_kind_of_content_the_issue_names_is_registered():
    assert {
        "ideas.idea",
        "ideas.comment",
        "exchange.post",
        "exchange.message",
        "community.persona",
    } <= set(LABELS)


def sample(label: str):
    """(object, a user who may see and report it) for a registered kind."""
    entry = reportable(label)
    module = importlib.import_module(f"{entry.model._meta.app_config.name}.tests.factories")
    factory = getattr(module, f"{entry.model.__name__}Factory", None)
    assert factory is not None, f"add {entry.model.__name__}Factory to {module.__name__}"
    obj = factory()
    reporter = getattr(module, "MODERATION_REPORTERS", {}).get(label)
    return obj, reporter(obj) if reporter else UserFactory()


def in_scope_moderator(label: str, obj):
    return moderator(agency=reportable(label).agency(obj))


def author_account(label: str, obj):
    return reportable(label).author(obj).account


@pytest.mark.django_db
@pytest.mark.parametrize("label", LABELS)
def test_each_kind_can_be_reported_and_lands_in_the_in_scope_queue(client, label):
    obj, reporter = sample(label)
    client.force_login(reporter)
    url = reverse("moderation:report", args=[label, obj.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "abuse", "text": "Rude"}, follow=True)
    assert "A moderator will look at it" in response.content.decode()
    report = Report.objects.get()
    case = report.case
    assert (case.label, case.object_id, case.report_count) == (label, obj.pk, 1)
    assert ModerationAction.objects.get(action=ActionKind.REPORT).actor == reporter
    staff = in_scope_moderator(label, obj)
    assert list(selectors.queue(user=staff)) == [case]
    client.force_login(staff)
    queue = client.get(reverse("moderation:queue"), {"kind": label}).content.decode()
    assert f'href="{reverse("moderation:case", args=[case.pk])}"' in queue
    assert client.get(reverse("moderation:case", args=[case.pk])).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("label", LABELS)
def test_each_kind_refuses_a_second_report_and_the_authors_own(label):
    obj, reporter = sample(label)
    actions.report_create(user=reporter, obj=obj, reason="spam")
    with pytest.raises(ValidationError, match="already reported"):
        actions.report_create(user=reporter, obj=obj, reason="abuse")
    with pytest.raises(ValidationError, match="your own"):
        actions.report_create(user=author_account(label, obj), obj=obj, reason="spam")
    assert Report.objects.count() == 1
    assert ModerationAction.objects.filter(action=ActionKind.REPORT).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("label", LABELS)
def test_each_kind_hidden_shows_the_public_reason_and_is_audited(label):
    obj, reporter = sample(label)
    case = actions.report_create(user=reporter, obj=obj, reason="personal_data").case
    staff = in_scope_moderator(label, obj)
    actions.case_decide(
        moderator=staff, case=case, version=case.version, action="hide", reason="personal_data"
    )
    case.refresh_from_db()
    assert case.is_hidden and case.state == CaseState.HIDDEN
    assert selectors.public_notice(case) == "Hidden by a moderator: personal data"
    assert selectors.is_hidden(obj)
    row = ModerationAction.objects.get(action=ActionKind.HIDE)
    assert (row.actor, row.reason, row.target_account) == (
        staff,
        "personal_data",
        author_account(label, obj),
    )
    assert row.content_label == label and row.waited is not None


@pytest.mark.django_db
@pytest.mark.parametrize("label", LABELS)
def test_each_kind_is_refused_to_moderators_of_another_agency(label):
    obj, reporter = sample(label)
    case = actions.report_create(user=reporter, obj=obj, reason="spam").case
    outsider = moderator(agency=OrganisationFactory())
    if case.agency_id is None:
        # platform-wide content (the exchange, personas): every moderator may act
        actions.case_decide(moderator=outsider, case=case, version=1, action="approve")
        return
    assert list(selectors.queue(user=outsider)) == []
    with pytest.raises(PermissionDenied, match="only its moderators"):
        actions.case_decide(moderator=outsider, case=case, version=1, action="approve")
    assert not ModerationAction.objects.filter(action__in=DECISIONS).exists()


# -- every action on a live idea board: audit record, public page, live clients ------------

EXPECTED = {
    # action: (public notice on the idea page, live board event, author may still contribute)
    "approve": ("", None, True),
    "hide": ("Hidden by a moderator: abuse", "idea.hidden", True),
    "edit": ("Edited by a moderator: insult removed", "idea.updated", True),
    "warn": ("Hidden by a moderator: abuse", "idea.hidden", True),
    "suspend": ("Hidden by a moderator: abuse", "idea.hidden", False),
    "ban": ("Hidden by a moderator: abuse", "idea.hidden", False),
}


def _idea_case():
    from ideas.tests.factories import IdeaFactory

    idea = IdeaFactory(title="Bus seven", body="Bus 7 is run by idiots")
    case = actions.report_create(user=UserFactory(), obj=idea, reason="abuse").case
    return idea, case, moderator(agency=idea.challenge.agency)


def _decide(staff, case, action):
    return actions.case_decide(
        moderator=staff,
        case=case,
        version=1,
        action=action,
        reason="" if action == "approve" else "abuse",
        note="insult removed" if action == "edit" else "",
        text="Bus 7 is badly run" if action == "edit" else "",
        days=7 if action == "suspend" else None,
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("action", sorted(EXPECTED))
async def test_every_action_is_audited_shown_publicly_and_sent_live(client, action):
    notice, event_type, may_contribute = EXPECTED[action]
    idea, case, staff = await sync_to_async(_idea_case)()
    ws = WebsocketCommunicator(app, f"/ws/boards/{idea.challenge_id}/")
    ws.scope["user"] = AnonymousUser()
    try:
        connected, _ = await ws.connect()
        assert connected
        await ws.receive_json_from()  # snapshot
        row = await sync_to_async(_decide)(staff, case, action)
        if event_type is None:
            assert await ws.receive_nothing()
        else:
            event = await ws.receive_json_from()
            assert (event["type"], event["id"]) == (event_type, idea.pk)
            if event_type == "idea.hidden":
                assert event["data"]["reason"] == "Hidden by a moderator: abuse"
            else:
                assert "badly run" in event["data"]["excerpt"]
    finally:
        await ws.disconnect()

    def check():
        assert (row.action, row.actor, row.target_account) == (
            action,
            staff,
            idea.persona.account,
        )
        assert list(ModerationAction.objects.filter(action__in=DECISIONS)) == [row]
        page = client.get(idea.get_absolute_url()).content.decode()
        if notice:
            assert notice in page
        assert ("idiots" in page) == (action == "approve")
        try:
            ensure_may_contribute(idea.persona.account)
        except PermissionDenied:
            return False
        return True

    assert await sync_to_async(check)() is may_contribute


# -- appeals ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_appeal_is_routed_to_another_moderator_of_the_same_agency():
    idea, case, decider = _idea_case()
    colleague = moderator(agency=idea.challenge.agency)
    outsider = moderator()  # another agency
    action = _decide(decider, case, "hide")
    appeal = actions.appeal_create(user=idea.persona.account, action=action, text="Fair point")
    assert appeal.assigned_to == colleague
    assert list(selectors.open_appeals(colleague)) == [appeal]
    assert list(selectors.open_appeals(decider)) == []
    assert list(selectors.open_appeals(outsider)) == []
    with pytest.raises(PermissionDenied, match="only its moderators"):
        actions.appeal_decide(moderator=outsider, appeal=appeal, grant=True)
    with pytest.raises(PermissionDenied, match="different moderator"):
        actions.appeal_decide(moderator=decider, appeal=appeal, grant=True)
    actions.appeal_decide(moderator=colleague, appeal=appeal, grant=False, note="It stays")
    assert ModerationAction.objects.filter(action=ActionKind.APPEAL_UPHELD, actor=colleague)
    with pytest.raises(ValidationError, match="already decided"):
        actions.appeal_decide(moderator=colleague, appeal=appeal, grant=True)


# -- transparency: figures from the audit log ---------------------------------------------


def _log(action, when, reason="", waited=None):
    ModerationAction.objects.create(action=action, reason=reason, waited=waited, created_at=when)


@pytest.mark.django_db
def test_transparency_page_figures_equal_hand_computed_values_from_the_audit_log(client):
    march = datetime(2026, 3, 4, 9, 0, tzinfo=UTC)
    april = datetime(2026, 4, 20, 16, 0, tzinfo=UTC)
    for reason in ("spam", "spam", "abuse", "personal_data", "other"):
        _log("report", march, reason)
    _log("hold", march)
    _log("hide", march, "spam", waited=3600)  # 1 h
    _log("hide", march + timedelta(days=2), "personal_data", waited=10800)  # 3 h
    _log("approve", march, "", waited=1800)  # 0.5 h
    _log("ban", march, "abuse", waited=36000)  # 10 h
    _log("appeal", march, "abuse")  # not a decision
    _log("reveal", march)  # not a decision
    _log("report", april, "illegal")
    _log("suspend", april, "illegal", waited=7200)
    months = selectors.transparency()
    assert [m["month"] for m in months] == ["2026-04", "2026-03"]
    april_m, march_m = months
    # March: 5 reports; 4 decisions; waits 0.5, 1, 3, 10 h → median (1 + 3) / 2 = 2 h
    assert march_m["reports"] == 5 and march_m["holds"] == 1 and march_m["decisions"] == 4
    assert dict(march_m["by_action"]) == {"hide": 2, "approve": 1, "ban": 1}
    assert dict(march_m["by_reason"]) == {"spam": 1, "personal_data": 1, "abuse": 1}
    assert march_m["median_seconds"] == 7200
    assert (april_m["reports"], april_m["decisions"], april_m["median_seconds"]) == (1, 1, 7200)
    html = client.get(reverse("moderation:transparency")).content.decode()
    march_html = html[
        html.index('id="m-2026-03"') : html.index("</section>", html.index("2026-03"))
    ]
    assert "<dd>5</dd>" in march_html and "<dd>4</dd>" in march_html
    assert "2.0 hours" in march_html
    assert "<td>Hidden</td><td>2</td>" in march_html
    assert "<td>Personal data</td><td>1</td>" in march_html


@pytest.mark.django_db
def test_a_decision_records_how_long_the_item_waited(monkeypatch):
    from django.utils import timezone

    _idea, case, staff = _idea_case()
    opened = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)
    ModerationCase.objects.filter(pk=case.pk).update(opened_at=opened)
    monkeypatch.setattr(timezone, "now", lambda: opened + timedelta(hours=5, minutes=30))
    case.refresh_from_db()
    row = _decide(staff, case, "hide")
    assert row.waited == 5 * 3600 + 30 * 60
    (month,) = [
        m for m in selectors.transparency() if m["month"] == row.created_at.strftime("%Y-%m")
    ]
    assert month["median_seconds"] == 19800


# -- the queue: pages, filters, constant queries ----------------------------------------------


def _reports(count, **kwargs):
    from ideas.tests.factories import CommentFactory

    for _ in range(count):
        actions.report_create(user=UserFactory(), obj=CommentFactory(**kwargs), reason="spam")


@pytest.mark.django_db
def test_queue_query_count_stays_constant_as_the_queue_grows(
    client, django_assert_num_queries, settings
):
    from ideas.tests.factories import IdeaFactory

    idea = IdeaFactory()
    staff = moderator(agency=idea.challenge.agency)
    client.force_login(staff)
    _reports(2, idea=idea)
    client.get(reverse("moderation:queue"))  # warm per-process caches (content types)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(reverse("moderation:queue"))
    _reports(40, idea=idea)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("moderation:queue"))
    assert response.context["page"].paginator.count == 42


@pytest.mark.django_db
def test_queue_pages_oldest_first_and_keeps_filters_in_page_links(client):
    from ideas.tests.factories import IdeaFactory

    idea = IdeaFactory()
    staff = moderator(agency=idea.challenge.agency)
    _reports(30, idea=idea)
    oldest = ModerationCase.objects.order_by("opened_at", "id").first()
    ModerationCase.objects.filter(pk=oldest.pk).update(
        opened_at=oldest.opened_at - timedelta(days=3)
    )
    client.force_login(staff)
    first = client.get(reverse("moderation:queue"), {"kind": "ideas.comment"})
    cases = list(first.context["cases"])
    assert len(cases) == 25 and cases[0].pk == oldest.pk
    assert cases == sorted(cases, key=lambda c: (c.opened_at, c.pk))
    html = first.content.decode()
    assert "kind=ideas.comment&amp;page=2" in html and "waiting 3" in html
    second = client.get(reverse("moderation:queue"), {"kind": "ideas.comment", "page": 2})
    assert len(second.context["cases"]) == 5
    week = client.get(reverse("moderation:queue"), {"age": "day"})
    assert [c.pk for c in week.context["cases"]] == [oldest.pk]
    held = client.get(reverse("moderation:queue"), {"reason": "held"})
    assert list(held.context["cases"]) == []
    by_reason = client.get(reverse("moderation:queue"), {"reason": "abuse"})
    assert list(by_reason.context["cases"]) == []
    assert client.get(reverse("moderation:queue"), {"page": "x"}).status_code == 200


# -- persona name and profile ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_hidden_persona_profile_shows_the_reason_in_place_of_name_and_description(client):
    from community.tests.factories import PersonaFactory

    persona = PersonaFactory(display_name="Cheap Loans Now", description="Call for loans")
    reporter = UserFactory()
    client.force_login(reporter)
    page = client.get(persona.get_absolute_url()).content.decode()
    report_url = reverse("moderation:report", args=["community.persona", persona.pk])
    assert f'href="{report_url}"' in page
    client.post(report_url, {"reason": "spam"})
    case = ModerationCase.objects.get()
    actions.case_decide(moderator=moderator(), case=case, version=1, action="hide", reason="spam")
    page = client.get(persona.get_absolute_url()).content.decode()
    assert "Hidden by a moderator: spam" in page
    assert "Cheap Loans" not in page and "Call for loans" not in page
    client.force_login(persona.account)  # the owner still sees it, with the reason
    page = client.get(persona.get_absolute_url()).content.decode()
    assert "Hidden by a moderator: spam" in page and "Cheap Loans Now" in page

"""Ideas and comments under moderation: screening on post, reports, scoped decisions,
hidden content leaving boards (pages and live clients)."""

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async as sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from community.moderation import actions as mod
from community.moderation import selectors as mod_selectors
from community.moderation.models import ActionKind, ModerationAction, ModerationCase
from community.moderation.tests.factories import moderator
from community.tests.factories import UserFactory
from ideas import actions, selectors
from ideas.tests.factories import ChallengeFactory, CommentFactory, IdeaFactory, citizen
from realtime.routing import websocket_urlpatterns

app = URLRouter(websocket_urlpatterns)


def _report(obj, reason="personal_data"):
    mod.report_create(user=UserFactory(), obj=obj, reason=reason)
    return ModerationCase.objects.get(object_id=obj.pk, content_type__model=obj._meta.model_name)


@pytest.mark.django_db
def test_an_idea_with_a_phone_number_is_held_and_not_on_the_board():
    challenge = ChallengeFactory()
    user, _persona = citizen()
    idea = actions.idea_create(
        user=user, challenge=challenge, title="Call me", body="Ring 0161 496 0018 about buses"
    )
    assert idea.screening.held and "phone number" in idea.screening.message
    assert idea not in selectors.board_ideas(challenge=challenge)
    assert ModerationAction.objects.get(action=ActionKind.HOLD).case.held


@pytest.mark.django_db
def test_a_link_from_a_new_account_is_held_but_established_accounts_post_freely():
    challenge = ChallengeFactory()
    newbie, _p = citizen()
    held = actions.idea_create(
        user=newbie, challenge=challenge, title="Cheap", body="Visit https://spam.shop now"
    )
    old, _p = citizen(account__date_joined=timezone.now() - timedelta(days=30))
    fine = actions.idea_create(
        user=old, challenge=challenge, title="Timetable", body="See https://spam.shop/info"
    )
    assert held.screening.held and not fine.screening.held
    assert list(selectors.board_ideas(challenge=challenge)) == [fine]


@pytest.mark.django_db
def test_held_comment_is_not_shown_to_others_and_the_author_is_told(client):
    idea = IdeaFactory()
    user, persona = citizen()
    client.force_login(user)
    response = client.post(
        reverse("ideas:comment_create", args=[idea.pk]),
        {"body": "email me: jo@mail.example", "persona": persona.pk},
        follow=True,
    )
    assert "Held for review" in response.content.decode()
    client.force_login(UserFactory())
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "jo@mail.example" not in page and "Awaiting review by a moderator" in page


@pytest.mark.django_db
def test_ideas_and_comments_can_be_reported_and_hidden_in_place(client):
    comment = CommentFactory(body="Jo lives at 12 Elm Road")
    idea = comment.idea
    idea_case = _report(idea, "off_topic")
    comment_case = _report(comment)
    staff = moderator(agency=idea.challenge.agency)
    mod.case_decide(
        moderator=staff, case=comment_case, version=1, action="hide", reason="personal_data"
    )
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Hidden by a moderator: personal data" in page and "Elm Road" not in page
    mod.case_decide(moderator=staff, case=idea_case, version=1, action="hide", reason="off_topic")
    assert idea not in selectors.board_ideas(challenge=idea.challenge)


@pytest.mark.django_db
def test_a_moderator_edit_shows_the_new_text_with_a_visible_note(client):
    idea = IdeaFactory(body="Bus 7 is run by idiots")
    case = _report(idea, "abuse")
    mod.case_decide(
        moderator=moderator(agency=idea.challenge.agency),
        case=case,
        version=1,
        action="edit",
        reason="abuse",
        text="Bus 7 is badly run",
        note="insult removed",
    )
    page = client.get(idea.get_absolute_url()).content.decode()
    assert "Bus 7 is badly run" in page and "idiots" not in page
    assert "Edited by a moderator: insult removed" in page


@pytest.mark.django_db
def test_moderators_of_another_agency_neither_see_nor_act(client):
    idea = IdeaFactory()
    case = _report(idea)
    outsider = moderator()  # of a different agency
    assert list(mod_selectors.queue(user=outsider)) == []
    with pytest.raises(PermissionDenied, match="only its moderators"):
        mod.case_decide(moderator=outsider, case=case, version=1, action="approve")
    client.force_login(outsider)
    response = client.get(reverse("moderation:case", args=[case.pk]), follow=True)
    assert "only its moderators can see it" in response.content.decode()
    insider = moderator(agency=idea.challenge.agency)
    client.force_login(insider)
    queue = client.get(reverse("moderation:queue")).content.decode()
    assert f'href="{reverse("moderation:case", args=[case.pk])}"' in queue


@pytest.mark.django_db
def test_the_queue_lists_several_types_oldest_first_with_constant_queries(
    client, django_assert_max_num_queries
):
    idea = IdeaFactory()
    staff = moderator(agency=idea.challenge.agency)
    for _ in range(3):
        _report(CommentFactory(idea=idea))
    _report(idea)
    client.force_login(staff)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("moderation:queue"))
    html = response.content.decode()
    assert html.count('class="card"') >= 4
    only_ideas = client.get(reverse("moderation:queue"), {"kind": "ideas.idea"}).content.decode()
    assert only_ideas.count("Idea:") == 1


@pytest.mark.django_db
def test_report_form_works_without_javascript(client):
    idea = IdeaFactory()
    client.force_login(UserFactory())
    url = reverse("moderation:report", args=["ideas.idea", idea.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "spam"}, follow=True)
    assert "A moderator will look at it" in response.content.decode()
    again = client.post(url, {"reason": "spam"})
    assert "already reported" in again.content.decode()


@pytest.mark.django_db
def test_the_transparency_page_is_public(client):
    idea = IdeaFactory()
    case = _report(idea)
    mod.case_decide(
        moderator=moderator(agency=idea.challenge.agency),
        case=case,
        version=1,
        action="hide",
        reason="personal_data",
    )
    html = client.get(reverse("moderation:transparency")).content.decode()
    assert "Reports received" in html and "Personal data" in html


@pytest.mark.django_db(transaction=True)
async def test_a_live_board_client_sees_the_hidden_event():
    idea = await sync_to_async(IdeaFactory)()
    comment = await sync_to_async(CommentFactory)(idea=idea)
    case = await sync_to_async(_report)(idea)
    comment_case = await sync_to_async(_report)(comment)
    staff = await sync_to_async(moderator)(agency=idea.challenge.agency)
    ws = WebsocketCommunicator(app, f"/ws/boards/{idea.challenge_id}/")
    ws.scope["user"] = AnonymousUser()
    try:
        connected, _ = await ws.connect()
        assert connected
        await ws.receive_json_from()  # snapshot
        await sync_to_async(mod.case_decide)(
            moderator=staff, case=comment_case, version=1, action="hide", reason="abuse"
        )
        event = await ws.receive_json_from()
        assert event["type"] == "comment.hidden" and event["id"] == comment.pk
        assert event["data"]["reason"] == "Hidden by a moderator: abuse"
        await sync_to_async(mod.case_decide)(
            moderator=staff, case=case, version=1, action="hide", reason="personal_data"
        )
        event = await ws.receive_json_from()
        assert event["type"] == "idea.hidden" and event["id"] == idea.pk
    finally:
        await ws.disconnect()


@pytest.mark.django_db
def test_hidden_ideas_and_comments_leave_the_authors_public_persona_page():
    idea = IdeaFactory(title="Name and shame the driver")
    comment = CommentFactory(persona=idea.persona, body="A fair point about timetables")
    staff = moderator(agency=idea.challenge.agency)
    before = selectors.public_contributions_of(idea.persona, 10)
    assert {row["url"] for row in before} >= {idea.get_absolute_url()}
    assert len(before) == 2
    mod.case_decide(
        moderator=staff, case=_report(idea, "abuse"), version=1, action="hide", reason="abuse"
    )
    after = selectors.public_contributions_of(idea.persona, 10)
    assert all("Name and shame" not in row["title"] for row in after)
    assert len(after) == 1
    mod.case_decide(
        moderator=moderator(agency=comment.idea.challenge.agency),
        case=_report(comment, "off_topic"),
        version=1,
        action="hide",
        reason="off_topic",
    )
    assert selectors.public_contributions_of(idea.persona, 10) == []

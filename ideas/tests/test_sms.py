"""The whole conversation by text, through the webhook and the console gateway."""

from __future__ import annotations

import pytest

from community.models import Role
from community.moderation.models import ModerationCase
from community.sms.models import PhoneNumber
from community.sms.tests.factories import PhoneNumberFactory, text_in
from community.tests.factories import PersonaFactory, staff
from ideas import actions
from ideas.models import Idea, Status, Vote
from ideas.sms import title_from_text
from ideas.tests.factories import ChallengeFactory, IdeaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def texter():
    persona = PersonaFactory(display_name="Rosa M.")
    return PhoneNumberFactory(user=persona.account, number="+447700900123")


def _text(client, capture, phone, body, message_id):
    with capture(execute=True):
        response = text_in(client, sender=phone.number, body=body, message_id=message_id)
    assert response.status_code == 204
    return response


def test_a_citizen_posts_supports_stops_and_hears_back_by_text(
    client, sms, texter, django_capture_on_commit_callbacks
):
    challenge = ChallengeFactory(sms_code="PARKS")
    other = IdeaFactory(challenge=challenge, title="Water fountains")

    _text(
        client, django_capture_on_commit_callbacks, texter, "parks More benches by the lake.", "1"
    )
    idea = Idea.objects.get(persona__account=texter.user)
    assert idea.challenge == challenge
    assert idea.title == "More benches by the lake."
    assert ModerationCase.objects.get(object_id=idea.pk).held, "first post by text is held"
    assert f"number {idea.pk}" in sms[-1]["body"]
    assert "moderator" in sms[-1]["body"]

    _text(client, django_capture_on_commit_callbacks, texter, f"YES {other.pk}", "2")
    assert Vote.objects.filter(idea=other, account=texter.user).exists()
    assert f"support idea {other.pk}" in sms[-1]["body"]

    PhoneNumber.objects.filter(pk=texter.pk).update(notify_by_text=True)
    designer = staff(Role.SERVICE_DESIGNER, challenge.agency)
    with django_capture_on_commit_callbacks(execute=True):
        actions.idea_set_status(
            user=designer, idea=idea, status=Status.UNDER_REVIEW, response="We are looking."
        )
    assert "is now: Under review" in sms[-1]["body"]
    assert sms[-1]["to"] == texter.number

    _text(client, django_capture_on_commit_callbacks, texter, "STOP", "3")
    sent = len(sms)
    with django_capture_on_commit_callbacks(execute=True):
        actions.idea_set_status(
            user=designer, idea=idea, status=Status.ACCEPTED, response="We will do it."
        )
    assert len(sms) == sent, "no texts after STOP"


def test_an_unknown_code_posts_nothing_and_says_what_to_do(
    client, sms, texter, django_capture_on_commit_callbacks
):
    ChallengeFactory(sms_code="PARKS")
    _text(client, django_capture_on_commit_callbacks, texter, "BUSES more buses", "1")
    assert not Idea.objects.exists()
    assert "We do not know the code BUSES" in sms[-1]["body"]


def test_a_code_without_an_idea_posts_nothing(
    client, sms, texter, django_capture_on_commit_callbacks
):
    ChallengeFactory(sms_code="PARKS")
    _text(client, django_capture_on_commit_callbacks, texter, "PARKS", "1")
    assert not Idea.objects.exists()
    assert "add your idea after the code" in sms[-1]["body"]


def test_supporting_a_missing_idea_changes_nothing(
    client, sms, texter, django_capture_on_commit_callbacks
):
    _text(client, django_capture_on_commit_callbacks, texter, "YES 999", "1")
    assert not Vote.objects.exists()
    assert "could not find idea 999" in sms[-1]["body"]


def test_supporting_twice_says_so_and_counts_once(
    client, sms, texter, django_capture_on_commit_callbacks
):
    idea = IdeaFactory()
    _text(client, django_capture_on_commit_callbacks, texter, f"YES {idea.pk}", "1")
    _text(client, django_capture_on_commit_callbacks, texter, f"YES {idea.pk}", "2")
    assert Vote.objects.filter(idea=idea).count() == 1
    assert "already support" in sms[-1]["body"]


def test_a_replayed_idea_text_posts_one_idea(
    client, sms, texter, django_capture_on_commit_callbacks
):
    ChallengeFactory(sms_code="PARKS")
    _text(client, django_capture_on_commit_callbacks, texter, "PARKS More swings", "same")
    _text(client, django_capture_on_commit_callbacks, texter, "PARKS More swings", "same")
    assert Idea.objects.count() == 1
    assert len(sms) == 1


def test_a_closed_challenge_refuses_ideas_by_text(
    client, sms, texter, django_capture_on_commit_callbacks
):
    from ideas.tests.factories import close

    close(ChallengeFactory(sms_code="PARKS"))
    _text(client, django_capture_on_commit_callbacks, texter, "PARKS More swings", "1")
    assert not Idea.objects.exists()
    assert "no longer taking new ideas" in sms[-1]["body"]


def test_long_first_sentences_become_short_titles():
    title = title_from_text("Put " + "many " * 30 + "benches. And shade.")
    assert len(title) <= 60
    assert title.endswith("…")

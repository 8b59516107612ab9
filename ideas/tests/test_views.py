"""Board pages without JavaScript: forms post and redirect, errors change nothing."""

import re
import time
from datetime import timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community.models import Role
from community.tests.factories import UserFactory, staff
from ideas import fragments, services
from ideas.models import Comment, Idea, Status, Vote
from ideas.tests.factories import ChallengeFactory, IdeaFactory, VoteFactory, citizen, close

pytestmark = pytest.mark.django_db


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def test_navigation_links_to_the_challenge_list(client):
    ChallengeFactory(question="How might we fix potholes faster?")
    response = client.get(reverse("ideas:challenge_list"))
    assert response.status_code == 200
    assert b'href="/ideas/"' in response.content
    assert "How might we fix potholes faster?" in response.text


def test_challenge_list_filters_by_agency_phase_tag_and_search(client):
    parks = ChallengeFactory(question="How might we plant more trees?")
    parks.tags.set(["trees"])
    buses = ChallengeFactory(question="How might we speed up buses?")
    closed = close(ChallengeFactory(question="How might we reuse old benches?"))
    ChallengeFactory(question="How might we hide drafts?", is_published=False)
    url = reverse("ideas:challenge_list")

    def shown(**params):
        text = client.get(url, params).text
        return {c.question for c in (parks, buses, closed) if c.question in text}

    assert shown() == {parks.question, buses.question, closed.question}
    assert "hide drafts" not in client.get(url).text
    assert shown(agency=buses.agency.slug) == {buses.question}
    assert shown(phase="closed") == {closed.question}
    assert shown(phase="open") == {parks.question, buses.question}
    assert shown(tag="trees") == {parks.question}
    assert shown(q="speed") == {buses.question}


def test_board_sorts_top_newest_and_trending(client):
    challenge = ChallengeFactory()
    old_popular = IdeaFactory(
        challenge=challenge, title="Old popular", created_at=timezone.now() - timedelta(days=30)
    )
    IdeaFactory(challenge=challenge, title="Fresh")
    rising = IdeaFactory(
        challenge=challenge, title="Rising", created_at=timezone.now() - timedelta(days=3)
    )
    long_ago = timezone.now() - timedelta(days=20)
    for _ in range(4):
        VoteFactory(idea=old_popular, created_at=long_ago)
    for _ in range(2):
        VoteFactory(idea=rising)
    Idea.objects.filter(pk=old_popular.pk).update(support_count=4)
    Idea.objects.filter(pk=rising.pk).update(support_count=2)
    url = reverse("ideas:board", args=[challenge.pk])

    def order(sort):
        text = client.get(url, {"sort": sort}).text
        return sorted(["Old popular", "Fresh", "Rising"], key=text.index)

    assert order("top") == ["Old popular", "Rising", "Fresh"]
    assert order("newest") == ["Fresh", "Rising", "Old popular"]
    # Trending: 2 + 4*2 recent = 10 beats 4 + 0 = 4.
    assert order("trending") == ["Rising", "Old popular", "Fresh"]
    assert order("nonsense") == order("trending")


def test_board_filters_by_status_and_paginates(client, settings):
    settings.IDEAS = {"BOARD_PAGE_SIZE": 2}
    challenge = ChallengeFactory()
    for n in range(3):
        IdeaFactory(challenge=challenge, title=f"Plain {n}")
    IdeaFactory(challenge=challenge, title="Accepted one", status=Status.ACCEPTED)
    url = reverse("ideas:board", args=[challenge.pk])
    accepted = client.get(url, {"status": "accepted"}).text
    assert "Accepted one" in accepted and "Plain 0" not in accepted
    first = client.get(url, {"sort": "newest"})
    assert "Page 1 of 2" in first.text and 'rel="next"' in first.text
    second = client.get(url, {"sort": "newest", "page": "2"})
    assert "Plain 0" in second.text and "Plain 0" not in first.text
    assert client.get(url, {"page": "abc"}).status_code == 200
    assert client.get(url, {"page": "99"}).status_code == 200


def _board_queries(client, ideas: int) -> tuple[int, int]:
    """Queries of a board page rendered afresh, then served from the cache."""
    challenge = ChallengeFactory()
    challenge.tags.set(["roads"])
    for n in range(ideas):
        idea = IdeaFactory(challenge=challenge)
        idea.tags.set(["a", f"t{n % 3}"])
        VoteFactory(idea=idea)
    counts = []
    # Trending cards are cached per minute of the clock: both requests in the same minute, or
    # the second is rendered afresh when they straddle one (a flaky count otherwise).
    now = time.time()
    pinned = SimpleNamespace(time=lambda: now)
    with mock.patch.object(fragments, "time", pinned):
        for _ in range(2):
            # As after a real request, what waits for the commit runs (outside the count).
            with (
                TestCase.captureOnCommitCallbacks(execute=True),
                CaptureQueriesContext(connection) as queries,
            ):
                response = client.get(reverse("ideas:board", args=[challenge.pk]))
            assert response.status_code == 200
            counts.append(len(queries))
    return counts[0], counts[1]


@pytest.mark.parametrize("signed_in", [False, True])
def test_board_page_query_count_does_not_grow_with_ideas(client, signed_in):
    if signed_in:
        client.force_login(UserFactory())
    few = _board_queries(client, 3)
    many = _board_queries(client, 30)
    assert few == many
    fresh, cached = many
    # Signed in, the first view also records which ideas the person was shown (the opinion
    # map's "seen": a read and one inserted row); later views ask the cache only.
    assert fresh <= (18 if signed_in else 14)
    # Cached: nothing for an anonymous visitor; signed in, the session, the account, its
    # roles, its unread notifications and which of the page's ideas it supports.
    assert cached <= (5 if signed_in else 0)


def test_board_page_has_no_inline_scripts_or_styles(client):
    idea = IdeaFactory()
    client.force_login(UserFactory())
    for url in [
        reverse("ideas:board", args=[idea.challenge_id]),
        reverse("ideas:idea_detail", args=[idea.pk]),
        reverse("ideas:idea_create", args=[idea.challenge_id]),
    ]:
        html = client.get(url).text
        assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
        assert " style=" not in html, url
        assert "<h1" in html and html.count("<h1") == 1, url


def test_posting_an_idea_redirects_to_it_with_a_message(client):
    user, persona = citizen()
    challenge = ChallengeFactory()
    client.force_login(user)
    response = client.post(
        reverse("ideas:idea_create", args=[challenge.pk]),
        {
            "persona": persona.pk,
            "title": "Night buses on Fridays",
            "body": "Until 2am.",
            "tags": "buses, night",
        },
        follow=True,
    )
    idea = Idea.objects.get()
    assert response.redirect_chain[-1][0] == idea.get_absolute_url()
    assert "Your idea is on the board." in _messages(response)
    assert sorted(idea.tags.names()) == ["buses", "night"]


def test_bad_idea_form_shows_errors_keeps_the_text_and_saves_nothing(client):
    user, persona = citizen()
    challenge = ChallengeFactory()
    client.force_login(user)
    response = client.post(
        reverse("ideas:idea_create", args=[challenge.pk]),
        {"persona": persona.pk, "title": "Fine title", "body": "<script>alert(1)</script>"},
    )
    assert response.status_code == 200
    assert "Only light formatting is allowed" in response.text
    assert 'value="Fine title"' in response.text
    assert not Idea.objects.exists()


def test_preview_shows_similar_ideas_without_posting(client):
    challenge = ChallengeFactory()
    IdeaFactory(
        challenge=challenge,
        title="Live bus arrival screens",
        body="Screens at stops showing live bus times.",
    )
    IdeaFactory(
        challenge=challenge, title="Cheaper parking", body="Lower parking charges in the evening."
    )
    user, persona = citizen()
    client.force_login(user)
    response = client.post(
        reverse("ideas:idea_create", args=[challenge.pk]),
        {
            "persona": persona.pk,
            "title": "Screens with live bus times",
            "body": "At the busiest stops",
            "preview": "1",
        },
    )
    assert "Live bus arrival screens" in response.text
    assert "Cheaper parking" not in response.text
    assert "Preview" in response.text
    assert Idea.objects.count() == 2


def test_similar_endpoint_returns_matching_ideas_as_json(client):
    challenge = ChallengeFactory()
    match = IdeaFactory(
        challenge=challenge, title="Food waste bins for flats", body="Communal caddies"
    )
    IdeaFactory(challenge=challenge, title="Cycle lanes", body="Protected lanes on the ring road")
    response = client.get(
        reverse("ideas:similar", args=[challenge.pk]), {"q": "communal food waste bins"}
    )
    assert response.json()["results"][0]["id"] == match.pk
    assert len(response.json()["results"]) == 1
    assert client.get(reverse("ideas:similar", args=[challenge.pk]), {"q": ""}).json() == {
        "results": []
    }


def test_new_idea_page_sends_anonymous_visitors_to_sign_in(client):
    challenge = ChallengeFactory()
    response = client.get(reverse("ideas:idea_create", args=[challenge.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_support_and_withdraw_by_form(client):
    idea = IdeaFactory()
    client.force_login(UserFactory())
    board = reverse("ideas:board", args=[idea.challenge_id])
    response = client.post(
        reverse("ideas:idea_support", args=[idea.pk]), {"next": board}, follow=True
    )
    assert response.redirect_chain[-1][0] == board
    assert any("You support" in m for m in _messages(response))
    assert Idea.objects.get(pk=idea.pk).support_count == 1
    again = client.post(reverse("ideas:idea_support", args=[idea.pk]), {"next": board}, follow=True)
    assert "You already support this idea." in _messages(again)
    assert Vote.objects.count() == 1
    client.post(reverse("ideas:idea_withdraw", args=[idea.pk]))
    assert Idea.objects.get(pk=idea.pk).support_count == 0


def test_support_ignores_an_offsite_next(client):
    idea = IdeaFactory()
    client.force_login(UserFactory())
    response = client.post(
        reverse("ideas:idea_support", args=[idea.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == idea.get_absolute_url()


def test_anonymous_support_goes_to_sign_in_and_changes_nothing(client):
    idea = IdeaFactory()
    response = client.post(reverse("ideas:idea_support", args=[idea.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not Vote.objects.exists()
    assert client.get(reverse("ideas:idea_support", args=[idea.pk])).status_code == 405


def test_support_on_a_closed_challenge_is_refused_with_a_message(client):
    idea = IdeaFactory()
    close(idea.challenge)
    client.force_login(UserFactory())
    response = client.post(reverse("ideas:idea_support", args=[idea.pk]), follow=True)
    assert "This challenge is closed." in _messages(response)
    assert not Vote.objects.exists()


def test_http_vote_succeeds_when_the_channel_layer_is_down(
    client, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    class BrokenLayer:
        async def group_send(self, group, message):
            raise ConnectionError("redis is down")

    monkeypatch.setattr("realtime.events.get_channel_layer", lambda: BrokenLayer())
    idea = IdeaFactory()
    client.force_login(UserFactory())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("ideas:idea_support", args=[idea.pk]))
    assert response.status_code == 302
    assert callbacks, "the event was scheduled after commit"
    assert Idea.objects.get(pk=idea.pk).support_count == 1
    assert Vote.objects.filter(idea=idea).count() == 1
    assert "realtime publish failed" in caplog.text


def test_comment_and_reply_by_form_and_errors_keep_the_text(client):
    idea = IdeaFactory()
    user, persona = citizen()
    client.force_login(user)
    url = reverse("ideas:comment_create", args=[idea.pk])
    response = client.post(url, {"persona": persona.pk, "body": "Great"})
    comment = Comment.objects.get()
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    client.post(url, {"persona": persona.pk, "body": "Replying", "parent": comment.pk})
    assert Comment.objects.get(parent=comment).body == "Replying"
    bad = client.post(url, {"persona": persona.pk, "body": "x" * 6000})
    assert bad.status_code == 400
    assert Comment.objects.count() == 2
    shown = bad.content.decode()
    assert "A comment can be at most 2000 characters; this one has 6000." in shown
    assert "x" * 6000 in shown  # the text is kept to shorten
    assert 'maxlength="2000"' in shown
    page = client.get(idea.get_absolute_url()).text
    assert "Great" in page and "Replying" in page


def test_idea_page_shows_responses_history_and_staff_tools_only_to_staff(client):
    idea = IdeaFactory()
    designer = staff(Role.SERVICE_DESIGNER, idea.challenge.agency)
    services.idea_update(user=idea.persona.account, idea=idea, title="Edited title", body="Edited")
    services.idea_set_status(
        user=designer, idea=idea, status=Status.UNDER_REVIEW, response="Looking at it."
    )
    page = client.get(idea.get_absolute_url()).text
    assert "Looking at it." in page and idea.challenge.agency.name in page
    assert "Edited title" in page
    assert "Change status and respond" not in page
    client.force_login(designer)
    assert "Change status and respond" in client.get(idea.get_absolute_url()).text


def test_status_form_requires_a_response_and_citizens_are_forbidden(client):
    idea = IdeaFactory()
    url = reverse("ideas:idea_status", args=[idea.pk])
    client.force_login(UserFactory())
    assert client.post(url, {"status": "accepted", "response": "Yes"}).status_code == 403
    client.force_login(staff(Role.AGENCY_ADMIN, idea.challenge.agency))
    assert client.post(url, {"status": "accepted", "response": ""}).status_code == 400
    response = client.post(url, {"status": "accepted", "response": "We will do it."})
    assert response.status_code == 302
    assert Idea.objects.get(pk=idea.pk).status == "accepted"


def test_merged_duplicate_redirects_to_the_survivor(client):
    survivor = IdeaFactory()
    duplicate = IdeaFactory(challenge=survivor.challenge)
    client.force_login(staff(Role.MODERATOR, survivor.challenge.agency))
    response = client.post(reverse("ideas:idea_merge", args=[duplicate.pk]), {"into": survivor.pk})
    assert response["Location"] == survivor.get_absolute_url()
    followed = client.get(duplicate.get_absolute_url(), follow=True)
    assert followed.redirect_chain[-1][0] == survivor.get_absolute_url()
    assert any("was merged into this idea" in m for m in _messages(followed))
    board = client.get(reverse("ideas:board", args=[survivor.challenge_id])).text
    assert duplicate.title not in board


def test_unpublished_challenge_is_not_found_for_citizens(client):
    idea = IdeaFactory(challenge=ChallengeFactory(is_published=False))
    client.force_login(UserFactory())
    assert client.get(reverse("ideas:board", args=[idea.challenge_id])).status_code == 404
    assert client.get(idea.get_absolute_url()).status_code == 404
    assert client.get(reverse("ideas:board", args=[987654])).status_code == 404


def test_author_edits_within_the_window_and_others_are_turned_away(client):
    idea = IdeaFactory()
    url = reverse("ideas:idea_edit", args=[idea.pk])
    client.force_login(UserFactory())
    assert client.get(url)["Location"] == idea.get_absolute_url()
    client.force_login(idea.persona.account)
    response = client.post(url, {"title": "Better title", "body": "Better body", "tags": ""})
    assert response.status_code == 302
    assert Idea.objects.get(pk=idea.pk).title == "Better title"


def test_designer_poses_a_challenge_through_the_form(client):
    designer = staff(Role.SERVICE_DESIGNER)
    client.force_login(designer)
    response = client.post(
        reverse("ideas:challenge_create"),
        {
            "agency": designer.memberships.get().organisation_id,
            "question": "How might we make libraries warmer hubs?",
            "opens_at": "2030-01-01T09:00",
            "ideas_close_at": "2030-02-01T09:00",
            "closes_at": "2030-03-01T09:00",
        },
    )
    assert response.status_code == 302
    client.force_login(UserFactory())
    assert client.get(reverse("ideas:challenge_create")).status_code == 403


def test_the_sms_hint_shows_only_with_a_number_and_names_an_idea_on_this_board(client, settings):
    challenge = ChallengeFactory(sms_code="BUSES")
    idea = IdeaFactory(challenge=challenge)
    settings.SMS = {**settings.SMS, "FROM_NUMBER": ""}
    page = client.get(challenge.get_absolute_url()).text
    assert "data-sms-hint" not in page and "No internet?" not in page
    settings.SMS = {**settings.SMS, "FROM_NUMBER": "+44 7700 900123"}
    page = client.get(challenge.get_absolute_url()).text
    assert (
        "No internet? Text <strong>BUSES</strong>, a space and your idea to +44 7700 900123."
        in page
    )
    assert f"To support idea {idea.pk}, text YES {idea.pk}." in page
    assert "idea 12," not in page or idea.pk == 12


def test_without_a_number_a_development_site_points_the_hint_at_the_development_phone(
    client, settings
):
    """make run has no text number: the board leads developers to /dev/phone/ instead of
    naming no number (and production, with debug off, shows nothing)."""
    challenge = ChallengeFactory(sms_code="BUSES")
    settings.SMS = {**settings.SMS, "FROM_NUMBER": "", "PROVIDER": "console", "WEBHOOK_SECRET": "s"}
    settings.DEBUG = True
    page = client.get(challenge.get_absolute_url()).text
    assert "Text <strong>BUSES</strong>, a space and an idea from the" in page
    assert 'href="/dev/phone/"' in page
    settings.DEBUG = False
    page = client.get(challenge.get_absolute_url()).text
    assert "data-sms-hint" not in page

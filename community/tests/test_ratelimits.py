"""HTTP rate limits: the write over the limit gets a 429 page with Retry-After; nothing is saved."""

import pytest
from django.test import override_settings
from django.urls import reverse

from community.exchange.models import Post
from community.moderation.models import Report
from community.ratelimits import GROUPS, rate_limit
from community.tests.factories import UserFactory
from ideas.models import Comment, Idea, Vote
from ideas.tests.factories import ChallengeFactory, IdeaFactory, citizen

pytestmark = pytest.mark.django_db


def _limits(**rates):
    return override_settings(RATE_LIMITS={**dict.fromkeys(GROUPS), **rates})


def _assert_refused(response):
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "Too many tries" in response.text
    assert "Please try again in" in response.text
    assert response.text.count("<h1") == 1


def test_posting_ideas_over_the_limit_gets_429_with_retry_after_and_saves_nothing(client):
    user, persona = citizen()
    challenge = ChallengeFactory()
    client.force_login(user)
    url = reverse("ideas:idea_create", args=[challenge.pk])
    with _limits(post="2/h"):
        for n in range(2):
            response = client.post(url, {"persona": persona.pk, "title": f"Idea {n}", "body": "b"})
            assert response.status_code == 302
        refused = client.post(url, {"persona": persona.pk, "title": "One too many", "body": "b"})
        _assert_refused(refused)
        # Reading the form is never limited.
        assert client.get(url).status_code == 200
    assert Idea.objects.count() == 2
    assert int(refused["Retry-After"]) <= 3600


def test_voting_over_the_limit_is_refused_and_the_count_stays(client):
    ideas = IdeaFactory.create_batch(3)
    client.force_login(UserFactory())
    with _limits(vote="2/m"):
        for idea in ideas[:2]:
            assert client.post(reverse("ideas:idea_support", args=[idea.pk])).status_code == 302
        _assert_refused(client.post(reverse("ideas:idea_support", args=[ideas[2].pk])))
    assert Vote.objects.count() == 2
    assert Idea.objects.get(pk=ideas[2].pk).support_count == 0


def test_comment_limit_is_per_account_not_shared_between_people(client):
    idea = IdeaFactory()
    first, first_persona = citizen()
    second, second_persona = citizen()
    url = reverse("ideas:comment_create", args=[idea.pk])
    with _limits(comment="1/h"):
        client.force_login(first)
        assert client.post(url, {"persona": first_persona.pk, "body": "One"}).status_code == 302
        _assert_refused(client.post(url, {"persona": first_persona.pk, "body": "Two"}))
        client.force_login(second)
        assert client.post(url, {"persona": second_persona.pk, "body": "Mine"}).status_code == 302
    assert sorted(Comment.objects.values_list("body", flat=True)) == ["Mine", "One"]


def test_reporting_over_the_limit_is_refused(client):
    ideas = IdeaFactory.create_batch(2)
    client.force_login(UserFactory())
    with _limits(report="1/h"):
        first = client.post(
            reverse("moderation:report", args=["ideas.idea", ideas[0].pk]),
            {"reason": "spam", "details": "Advert"},
        )
        assert first.status_code in (200, 302)
        _assert_refused(
            client.post(
                reverse("moderation:report", args=["ideas.idea", ideas[1].pk]),
                {"reason": "spam", "details": "Advert"},
            )
        )
    assert Report.objects.count() <= 1


def test_exchange_posts_over_the_limit_are_refused(client):
    user, _persona = citizen()
    client.force_login(user)
    with _limits(post="1/h"):
        client.post(reverse("exchange:post_create"), {"title": "x"})
        _assert_refused(client.post(reverse("exchange:post_create"), {"title": "y"}))
    assert Post.objects.count() == 0


def test_rates_can_be_turned_off():
    with _limits():
        from django.test import RequestFactory

        calls = []

        @rate_limit("vote")
        def view(request):
            calls.append(1)
            from django.http import HttpResponse

            return HttpResponse()

        request = RequestFactory().post("/")
        request.user = UserFactory()
        for _ in range(50):
            assert view(request).status_code == 200
    assert len(calls) == 50


def test_unknown_group_is_a_programming_error():
    with pytest.raises(ValueError):
        rate_limit("everything")


def test_sign_up_uses_allauths_limit_and_our_429_page(client):
    with override_settings(ACCOUNT_RATE_LIMITS={"signup": "1/m/ip"}):
        url = reverse("account_signup")
        data = {
            "email": "a@example.org",
            "password1": "a-long-Passw0rd!",
            "password2": "a-long-Passw0rd!",
        }
        client.post(url, data)
        refused = client.post(url, {**data, "email": "b@example.org"})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "Please try again in 1 minute." in refused.text

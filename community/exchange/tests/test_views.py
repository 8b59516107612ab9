"""The pages, without JavaScript: list, post, respond, converse, agree, complete, thank."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from community.exchange import actions
from community.exchange.models import Account, Exchange, Post
from community.exchange.tests.conftest import agreed_exchange, make_post
from community.exchange.tests.factories import PostFactory
from community.models import Role
from community.moderation import actions as mod
from community.moderation.models import Report as ModerationReport
from community.tests.factories import PersonaFactory, UserFactory, staff

pytestmark = pytest.mark.django_db


def test_the_list_is_in_the_main_navigation_and_works_signed_out(client, amara):
    make_post(amara, title="Basic phone skills for beginners")
    response = client.get(reverse("exchange:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/exchange/"' in html  # nav entry resolves
    assert "Basic phone skills for beginners" in html
    assert "Amara O." in html
    assert amara.account.email not in html


def test_list_filters_work_from_the_query_string(client, amara, joe):
    make_post(amara, title="Benefits form help", category="forms")
    make_post(joe, kind="request", title="Lift to the clinic", category="lifts")
    html = client.get(reverse("exchange:list"), {"kind": "request"}).content.decode()
    assert "Lift to the clinic" in html
    assert "Benefits form help" not in html
    html = client.get(reverse("exchange:list"), {"q": "benefits"}).content.decode()
    assert "Benefits form help" in html
    assert "Lift to the clinic" not in html
    response = client.get(reverse("exchange:list"), {"area": "<script>", "page": "abc"})
    assert response.status_code == 200  # bad filters are ignored, never a 500


@pytest.mark.parametrize("signed_in", [False, True])
def test_list_query_count_does_not_grow_with_posts(
    client, django_assert_max_num_queries, signed_in, riverside
):
    viewer = UserFactory()
    if signed_in:
        client.force_login(viewer)
    PostFactory.create_batch(2)

    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("exchange:list")).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    PostFactory.create_batch(15)
    PostFactory.create_batch(3, organisation=riverside, on_behalf_of="a neighbour")
    assert count() == few
    with django_assert_max_num_queries(few):
        client.get(reverse("exchange:list"), {"page": 2})


def test_list_is_paginated(client):
    PostFactory.create_batch(25)
    html = client.get(reverse("exchange:list")).content.decode()
    assert "Page 1 of 2" in html
    assert client.get(reverse("exchange:list"), {"page": 2}).status_code == 200


def test_expired_post_is_not_listed_but_its_page_explains(client, amara):
    post = make_post(amara, title="Old offer of help")
    Post.objects.filter(pk=post.pk).update(expires_on=timezone.localdate() - datetime.timedelta(2))
    assert "Old offer of help" not in client.get(reverse("exchange:list")).content.decode()
    html = client.get(reverse("exchange:post", args=[post.pk])).content.decode()
    assert "This post has expired." in html


def test_posting_through_the_form(client, amara):
    client.force_login(amara.account)
    assert client.get(reverse("exchange:post_create")).status_code == 200
    response = client.post(
        reverse("exchange:post_create"),
        {
            "kind": "request",
            "title": "Lift to the Riverside clinic on Tuesday",
            "description": "My appointment is at 10.",
            "category": "lifts",
            "area": "riverside",
            "mode": "in_person",
            "availability": "Tuesday morning",
            "persona": amara.pk,
        },
    )
    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("exchange:post", args=[post.pk])
    assert post.persona == amara


def test_a_post_with_contact_details_shows_the_message_and_saves_nothing(client, amara):
    client.force_login(amara.account)
    response = client.post(
        reverse("exchange:post_create"),
        {
            "kind": "offer",
            "title": "Gardening help",
            "description": "Ring me on 07700 900 123",
            "category": "home",
            "area": "riverside",
            "mode": "in_person",
            "persona": amara.pk,
        },
    )
    assert response.status_code == 200
    assert "Please do not put phone numbers" in response.content.decode()
    assert not Post.objects.exists()


def test_respond_converse_agree_complete_and_thank_without_javascript(client, amara, joe):
    post = make_post(amara)
    client.force_login(joe.account)
    response = client.post(
        reverse("exchange:respond", args=[post.pk]),
        {"persona": joe.pk, "message": "Could you help me on Friday?"},
    )
    exchange = Exchange.objects.get()
    conversation = reverse("exchange:conversation", args=[exchange.pk])
    assert response["Location"] == conversation
    client.post(reverse("exchange:propose", args=[exchange.pk]), {"hours": "1.5"})

    client.force_login(amara.account)
    html = client.get(conversation).content.decode()
    assert "Could you help me on Friday?" in html
    assert "Agree to 1.5 hours" in html
    client.post(conversation, {"body": "Yes — the library at 10?"})
    client.post(reverse("exchange:accept", args=[exchange.pk]))
    client.post(reverse("exchange:confirm_done", args=[exchange.pk]))

    client.force_login(joe.account)
    client.post(reverse("exchange:confirm_done", args=[exchange.pk]))
    exchange.refresh_from_db()
    assert exchange.status == Exchange.Status.COMPLETED
    client.post(reverse("exchange:thanks", args=[exchange.pk]), {"body": "Thank you Amara!"})
    html = client.get(conversation).content.decode()
    assert "Thank you Amara!" in html
    assert "1.5 hours of time credit moved" in html
    assert Account.objects.get(user=joe.account).balance == Decimal("-1.5")
    credits = client.get(reverse("exchange:credits")).content.decode()
    assert "Balance: -1.5 hours" in credits
    assert post.title in credits


def test_a_bad_proposal_shows_the_reason_on_the_page(client, amara, joe):
    exchange = actions.exchange_respond(
        user=joe.account, post=make_post(amara), persona=joe, message="Hi"
    )
    client.force_login(joe.account)
    response = client.post(reverse("exchange:propose", args=[exchange.pk]), {"hours": "1.1"})
    assert response.status_code == 400
    assert "Use quarter hours" in response.content.decode()


def test_confirming_twice_over_http_shows_a_message(client, amara, joe):
    exchange = agreed_exchange(make_post(amara), joe)
    client.force_login(joe.account)
    client.post(reverse("exchange:confirm_done", args=[exchange.pk]))
    response = client.post(reverse("exchange:confirm_done", args=[exchange.pk]), follow=True)
    assert "already confirmed" in response.content.decode()


def test_a_stranger_cannot_open_a_conversation(client, amara, joe, stranger):
    exchange = actions.exchange_respond(
        user=joe.account, post=make_post(amara), persona=joe, message="Private words"
    )
    client.force_login(stranger.account)
    response = client.get(reverse("exchange:conversation", args=[exchange.pk]))
    assert response.status_code == 403
    assert "Private words" not in response.content.decode()
    response = client.post(reverse("exchange:conversation", args=[exchange.pk]), {"body": "Hi"})
    assert response.status_code == 403
    assert exchange.messages.count() == 1


def test_signed_out_visitors_are_sent_to_sign_in(client, amara):
    post = make_post(amara)
    html = client.get(reverse("exchange:post", args=[post.pk])).content.decode()
    assert "Sign in to respond" in html
    response = client.post(reverse("exchange:respond", args=[post.pk]), {"message": "Hi"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_first_response_shows_safety_guidance_and_requires_the_tick(client, amara):
    newcomer = PersonaFactory(display_name="Newcomer N.")
    post = make_post(amara)
    client.force_login(newcomer.account)
    html = client.get(reverse("exchange:post", args=[post.pk])).content.decode()
    assert "staying safe" in html
    response = client.post(
        reverse("exchange:respond", args=[post.pk]), {"persona": newcomer.pk, "message": "Hi"}
    )
    assert response.status_code == 400
    assert "read the safety guidance" in response.content.decode()
    assert not Exchange.objects.exists()


def test_reporting_and_blocking_through_the_pages(client, amara, joe):
    post = make_post(amara)
    client.force_login(joe.account)
    page = client.get(reverse("exchange:post", args=[post.pk])).content.decode()
    report_url = reverse("moderation:report", args=["exchange.post", post.pk])
    assert f'href="{report_url}"' in page
    assert client.get(report_url).status_code == 200
    response = client.post(report_url, {"reason": "illegal", "text": "Money"})
    assert response.status_code == 302
    report = ModerationReport.objects.get()
    assert (report.content_type.model, report.object_id) == ("post", post.pk)
    client.post(reverse("exchange:block", args=[amara.slug]))
    html = client.get(reverse("exchange:blocks")).content.decode()
    assert "Amara O." in html
    assert amara.account.email not in html


def test_a_hidden_post_shows_the_reason_in_place_of_its_content(client, amara, joe):
    post = make_post(amara, title="Cheap watches for sale")
    report = mod.report_create(user=joe.account, obj=post, reason="spam")
    client.force_login(staff(Role.MODERATOR))
    client.post(
        reverse("moderation:case", args=[report.case.pk]),
        {"version": 1, "action": "hide", "reason": "spam"},
    )
    client.force_login(joe.account)
    html = client.get(reverse("exchange:post", args=[post.pk])).content.decode()
    assert "Hidden by a moderator: spam" in html and "Cheap watches" not in html
    assert "Cheap watches" not in client.get(reverse("exchange:list")).content.decode()
    client.force_login(amara.account)  # the author still reads it, with the reason
    html = client.get(reverse("exchange:post", args=[post.pk])).content.decode()
    assert "Hidden by a moderator: spam" in html and "Cheap watches" in html


def test_a_stranger_cannot_open_the_report_form_of_a_private_message(client, amara, joe):
    exchange = actions.exchange_respond(
        user=joe.account, post=make_post(amara), persona=joe, message="Hello"
    )
    url = reverse("moderation:report", args=["exchange.message", exchange.messages.get().pk])
    client.force_login(PersonaFactory().account)
    assert client.get(url).status_code == 404
    client.force_login(amara.account)
    assert client.get(url).status_code == 200
    html = client.get(reverse("exchange:conversation", args=[exchange.pk])).content.decode()
    assert f'href="{url}"' in html


def test_the_old_exchange_queue_is_gone_moderators_use_the_one_queue(client, amara, joe):
    mod.report_create(user=joe.account, obj=make_post(amara), reason="spam")
    client.force_login(staff(Role.MODERATOR))
    html = client.get(reverse("moderation:queue")).content.decode()
    assert "Exchange offer or request" in html
    assert client.get("/exchange/moderation/").status_code == 404


def test_adjustment_page_is_staff_only_and_needs_a_reason(client, amara):
    account = actions.account_for_user(amara.account)
    client.force_login(amara.account)
    assert client.get(reverse("exchange:adjust")).status_code == 403
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.post(
        reverse("exchange:adjust"), {"account": account.pk, "hours": "2", "reason": "x"}
    )
    assert "Explain the adjustment" in response.content.decode()
    response = client.post(
        reverse("exchange:adjust"),
        {"account": account.pk, "hours": "2", "reason": "Welcome hours for the pilot"},
    )
    assert response.status_code == 302
    account.refresh_from_db()
    assert account.balance == 2


def test_people_cannot_see_each_others_credits(client, amara, joe):
    account = actions.account_for_user(amara.account)
    client.force_login(joe.account)
    assert client.get(reverse("exchange:account", args=[account.pk])).status_code == 403


def test_stats_and_safety_pages_render(client):
    assert client.get(reverse("exchange:stats")).status_code == 200
    assert client.get(reverse("exchange:safety")).status_code == 200


def test_my_exchanges_page_lists_posts_conversations_and_credits(client, amara, joe):
    exchange = agreed_exchange(make_post(amara, title="Phone help"), joe)
    client.force_login(joe.account)
    html = client.get(reverse("exchange:mine")).content.decode()
    assert "Phone help" in html
    assert reverse("exchange:conversation", args=[exchange.pk]) in html


def test_pages_carry_no_inline_scripts_or_styles(client, amara, joe):
    exchange = actions.exchange_respond(
        user=joe.account, post=make_post(amara), persona=joe, message="Hi"
    )
    client.force_login(joe.account)
    for url in [
        reverse("exchange:list"),
        reverse("exchange:post", args=[exchange.post.pk]),
        reverse("exchange:conversation", args=[exchange.pk]),
        reverse("exchange:post_create"),
    ]:
        html = client.get(url).content.decode()
        assert "<script>" not in html
        assert " style=" not in html
        assert html.count("<h1") == 1, url


def _queries(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_conversation_page_and_snapshot_queries_do_not_grow_with_messages(client, amara, joe):
    from community.exchange import selectors

    exchange = actions.exchange_respond(
        user=joe.account, post=make_post(amara), persona=joe, message="Hi"
    )
    client.force_login(amara.account)
    url = reverse("exchange:conversation", args=[exchange.pk])

    def page():
        assert client.get(url).status_code == 200

    def snapshot():
        selectors.conversation_snapshot(selectors.exchange_for_display(exchange.pk), side="owner")

    few_page, few_snapshot = _queries(page), _queries(snapshot)
    for n in range(12):
        actions.message_send(
            user=joe.account if n % 2 else amara.account, exchange=exchange, body=f"Message {n}"
        )
    assert _queries(page) == few_page
    assert _queries(snapshot) == few_snapshot


def test_my_exchanges_page_queries_do_not_grow(client, amara, joe):
    client.force_login(joe.account)
    agreed_exchange(make_post(amara, title="First help"), joe)

    def page():
        assert client.get(reverse("exchange:mine")).status_code == 200

    few = _queries(page)
    for n in range(5):
        agreed_exchange(make_post(amara, title=f"More help {n}"), joe)
        make_post(joe, title=f"Joe offers {n}")
    assert _queries(page) == few


@pytest.mark.django_db
def test_stored_text_is_sanitised_again_when_shown(client):
    """Rows written around the services (admin, imports) still cannot inject script."""
    from community.exchange.tests.factories import MessageFactory

    post = PostFactory(description='<p>ok</p><script>alert(1)</script><img src=x onerror="x()">')
    html = client.get(reverse("exchange:post", args=[post.pk])).content.decode()
    assert "<p>ok</p>" in html
    assert "<script>alert(1)" not in html and "onerror" not in html
    message = MessageFactory(body='<p>hi</p><svg onload="x()"></svg>')
    client.force_login(message.author_user)
    page = client.get(reverse("exchange:conversation", args=[message.exchange.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "<p>hi</p>" in body and "onload" not in body


def test_a_suspended_person_is_told_why_they_cannot_post(client, amara, joe):
    report = mod.report_create(user=joe.account, obj=amara, reason="spam")
    mod.case_decide(
        moderator=staff(Role.MODERATOR),
        case=report.case,
        version=1,
        action="suspend",
        reason="spam",
        days=7,
    )
    client.force_login(amara.account)
    response = client.get(reverse("exchange:post_create"), follow=True)
    assert "suspended from contributing until" in response.content.decode()
    assert not Post.objects.exists()

"""Panels the CMS embeds, tested with a plain Wagtail page (no cms import)."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from ideas.tests.factories import ChallengeFactory, CommentFactory, IdeaFactory, close

pytestmark = pytest.mark.django_db


def _render(source, **context):
    with CaptureQueriesContext(connection) as queries:
        html = Template("{% load ideas_panels %}" + source).render(Context(context))
    return html, len(queries)


def _service_page():
    return Page.objects.get(depth=2)  # Wagtail's welcome page exists after migrations


def _linked_board(page, ideas):
    challenge = ChallengeFactory()
    challenge.service_pages.add(page)
    made = [IdeaFactory(challenge=challenge, title=f"Panel idea {n}") for n in range(ideas)]
    return challenge, made


def test_improve_service_panel_lists_open_challenges_and_the_five_newest_ideas():
    page = _service_page()
    challenge, ideas = _linked_board(page, 7)
    close(ChallengeFactory(question="How might we reopen the lido?")).service_pages.add(page)
    ChallengeFactory(question="How might we unrelated?")
    html, _ = _render("{% improve_service_panel page %}", page=page)
    assert challenge.question in html
    assert "reopen the lido" not in html and "unrelated" not in html
    assert sum(idea.title in html for idea in ideas) == 5
    assert ideas[0].persona.display_name not in html or "by" in html


def test_improve_service_panel_queries_are_constant(committed):
    page = _service_page()
    committed(_linked_board, page, 2)
    _, few = _render("{% improve_service_panel page %}", page=page)
    committed(_linked_board, page, 12)  # new challenges and links move the panel's stamps
    committed(_linked_board, page, 3)
    _, many = _render("{% improve_service_panel page %}", page=page)
    assert few == many <= 2
    _, cached = _render("{% improve_service_panel page %}", page=page)
    assert cached == 0


def test_improve_service_panel_without_challenges_invites_to_the_list():
    html, queries = _render("{% improve_service_panel page %}", page=_service_page())
    assert "no open challenge about this service" in html
    assert queries == 1


def test_open_challenges_and_live_activity_for_the_home_page():
    open_one = ChallengeFactory(question="How might we grow more food locally?")
    close(ChallengeFactory(question="How might we old thing?"))
    idea = IdeaFactory(challenge=open_one, title="Allotments on rooftops")
    CommentFactory(idea=idea, body="Love it")
    html, queries = _render("{% open_challenges limit=3 %}")
    assert open_one.question in html and "old thing" not in html
    assert "1 idea" in html
    assert queries == 2  # the challenges, and one count for every board not counted yet
    html, queries = _render("{% open_challenges limit=3 %}")
    assert "1 idea" in html
    assert queries == 1  # totals are cached until the board changes
    html, queries = _render("{% live_activity limit=5 %}")
    assert html.count("Allotments on rooftops") == 2  # posted, and commented on
    assert queries == 2

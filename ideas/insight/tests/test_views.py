"""Dashboard, exports and opinion map pages: who may see them, empty states, query counts."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from community.models import Role
from community.participation.tests.factories import ParticipationEventFactory, person
from community.tests.factories import OrganisationFactory, UserFactory, staff
from ideas.insight import kinds
from ideas.opinion.tests.factories import compute_now, planted_board
from ideas.tests.factories import ChallengeFactory, IdeaFactory, VoteFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    return OrganisationFactory(name="Transport", slug="transport")


def _dashboard(client, agency):
    return client.get(reverse("insight:dashboard", args=[agency.slug]))


@pytest.mark.parametrize(
    "role", [Role.MODERATOR, Role.SERVICE_DESIGNER, Role.EDITOR, Role.AGENCY_ADMIN]
)
def test_any_staff_member_of_the_agency_sees_its_dashboard(client, agency, role):
    client.force_login(staff(role, agency))
    response = _dashboard(client, agency)
    assert response.status_code == 200
    assert "Transport: citizen insight" in response.content.decode()


def test_other_agencies_staff_and_citizens_are_refused_with_a_clear_page(client, agency):
    for user in (staff(Role.AGENCY_ADMIN, OrganisationFactory()), UserFactory()):
        client.force_login(user)
        for url in (
            reverse("insight:dashboard", args=[agency.slug]),
            reverse("insight:export", args=[agency.slug, "segments"]),
            reverse("insight:opinion_map", args=[ChallengeFactory(agency=agency).pk]),
            reverse("insight:dashboard", args=["no-such-agency"]),
        ):
            response = client.get(url)
            assert response.status_code == 403, url
            assert "Insight dashboards are for staff of the agency" in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, agency):
    response = _dashboard(client, agency)
    assert response.status_code == 302 and "login" in response["Location"]


def test_an_agency_with_no_activity_gets_helpful_empty_states(client, agency):
    client.force_login(staff(Role.MODERATOR, agency))
    page = _dashboard(client, agency).content.decode()
    assert "Nothing recorded yet." in page
    assert "Your agency has no challenges yet." in page
    assert "No co-design activity recorded yet." in page
    assert "Nobody has taken part recently" in page


def _activity(agency, n):
    """n challenges with an idea, a tag, a support and segment events each."""
    for i in range(n):
        challenge = ChallengeFactory(agency=agency)
        idea = IdeaFactory(challenge=challenge, support_count=1)
        idea.tags.set([f"tag{i}"])
        VoteFactory(idea=idea)
        for who in range(6):
            ParticipationEventFactory(
                agency=agency,
                kind=kinds.IDEA_SUPPORTED,
                participant=person(100 * i + who),
                area="harbour",
                age_band="25_34",
                challenge_id=challenge.pk,
            )


def test_the_dashboards_query_count_does_not_grow_with_the_data(client, agency):
    client.force_login(staff(Role.MODERATOR, agency))
    _activity(agency, 1)
    _dashboard(client, agency)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as small:
        assert _dashboard(client, agency).status_code == 200
    _activity(agency, 4)
    with CaptureQueriesContext(connection) as large:
        page = _dashboard(client, agency)
    assert len(large) == len(small)
    assert len(large) <= 25
    assert "Harbour" in page.content.decode()


def test_exports_keep_small_cells_suppressed_and_defuse_formulas(client, agency):
    client.force_login(staff(Role.SERVICE_DESIGNER, agency))
    ChallengeFactory(agency=agency, question="=HYPERLINK(evil)")
    now = timezone.now()
    for who in range(12):
        ParticipationEventFactory(
            agency=agency,
            kind=kinds.IDEA_POSTED,
            occurred_at=now,
            participant=person(who),
            area="harbour" if who < 4 else "riverside",
        )
    rows = list(
        csv.reader(
            io.StringIO(
                client.get(
                    reverse("insight:export", args=[agency.slug, "segments"])
                ).content.decode()
            )
        )
    )
    area = {r[1]: r[2] for r in rows if r[0] == "Area"}
    assert area["Harbour"] == "fewer than 5"
    assert area["Riverside"] == "not shown"  # else 12 - 8 would give Harbour's 4 away
    challenges = client.get(reverse("insight:export", args=[agency.slug, "challenges"]))
    assert "'=HYPERLINK(evil)" in challenges.content.decode()
    assert client.get(reverse("insight:export", args=[agency.slug, "nope"])).status_code == 404


def test_every_export_table_downloads(client, agency):
    client.force_login(staff(Role.MODERATOR, agency))
    _activity(agency, 1)
    from ideas.insight.exports import TABLES

    for table in TABLES:
        response = client.get(reverse("insight:export", args=[agency.slug, table]))
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        assert response.content.decode().splitlines()[0]


def test_the_opinion_map_says_when_there_are_not_enough_votes(client, agency):
    client.force_login(staff(Role.MODERATOR, agency))
    challenge, _ideas = planted_board([(2, [0, 1])], challenge=ChallengeFactory(agency=agency))
    compute_now("board", challenge.pk)
    page = client.get(reverse("insight:opinion_map", args=[challenge.pk])).content.decode()
    assert "Not enough votes yet" in page


def test_the_opinion_map_shows_groups_as_counts_without_anyone_named(client, agency):
    client.force_login(staff(Role.MODERATOR, agency))
    challenge, _ideas = planted_board(
        [(6, [0, 1, 2]), (6, [3, 4, 5])], challenge=ChallengeFactory(agency=agency)
    )
    compute_now("board", challenge.pk)
    page = client.get(reverse("insight:opinion_map", args=[challenge.pk])).content.decode()
    assert "Group 1" in page and "Group 2" in page
    assert "Not enough votes yet" not in page
    assert "user" not in page.split("<main", 1)[-1].lower().split("</main>")[0]


def test_the_live_counters_snapshot_is_one_query(agency, django_assert_num_queries):
    from ideas.insight.selectors import counters

    _activity(agency, 2)
    with django_assert_num_queries(1):
        counters(agency)


SVG = re.compile(r"<svg\b.*?</svg>", re.S)
GEOMETRY = re.compile(r'\s(x|y|x1|y1|x2|y2|cx|cy|r|width|height|viewBox)="([^"]*)"')


def _svg_numbers(html: str) -> list[tuple[str, str]]:
    """Every geometry attribute of every chart on the page, as (name, value)."""
    return [m for svg in SVG.findall(html) for m in GEOMETRY.findall(svg)]


def _assert_svg_numbers_parse(html: str) -> None:
    numbers = _svg_numbers(html)
    assert numbers
    for name, value in numbers:
        for part in value.split():
            float(part)  # a decimal comma ("41,0") raises here, and the browser draws nothing
        assert "," not in value, (name, value)


def test_charts_in_spanish_write_coordinates_with_a_decimal_point(client, agency):
    client.force_login(staff(Role.MODERATOR, agency))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    _activity(agency, 3)
    IdeaFactory(challenge=ChallengeFactory(agency=agency))  # bars of 1 and 2: fractional widths
    page = _dashboard(client, agency).content.decode()
    assert '<html lang="es" ' in page
    _assert_svg_numbers_parse(page)


def test_the_opinion_map_in_spanish_writes_coordinates_with_a_decimal_point(client, agency):
    client.force_login(staff(Role.MODERATOR, agency))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    challenge, _ideas = planted_board(
        [(6, [0, 1, 2]), (7, [3, 4, 5])], challenge=ChallengeFactory(agency=agency)
    )
    compute_now("board", challenge.pk)
    page = client.get(reverse("insight:opinion_map", args=[challenge.pk])).content.decode()
    assert '<html lang="es" ' in page and "<circle" in page
    _assert_svg_numbers_parse(page)

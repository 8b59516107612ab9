"""Budget projects on the maps and in the site search: exactly the projects the budget pages
show anyone (reviewed, not hidden), never one waiting for review or hidden by moderators."""

from __future__ import annotations

import pytest
from django.urls import reverse

from community.places.layers import map_items
from community.places.tests.factories import DistrictFactory, square
from community.search.selectors import site_search
from ideas.budgeting.models import ReviewState
from ideas.budgeting.tests.factories import BudgetFactory, ProjectFactory

pytestmark = pytest.mark.django_db

POINT = {"latitude": "53.05", "longitude": "-0.95"}


@pytest.fixture
def placed():
    budget = BudgetFactory()
    district = DistrictFactory(
        organisation=budget.process.agency,
        boundary={"type": "Polygon", "coordinates": [square(-1.0, 53.0, -0.9, 53.1)]},
    )
    shown = ProjectFactory(budget=budget, title="Wildflower verges", cost=9_000, **POINT,
                           district=district)  # fmt: skip
    ProjectFactory(budget=budget, title="Unreviewed verges", cost=None,
                   review_state=ReviewState.SUBMITTED, **POINT, district=district)  # fmt: skip
    ProjectFactory(budget=budget, title="Hidden verges", is_hidden=True, **POINT,
                   district=district)  # fmt: skip
    return shown, district


def test_the_city_map_shows_reviewed_projects_only_and_filters_by_district(placed):
    shown, district = placed
    titles = [i.title for i in map_items(kinds=["budget_project"])]
    assert titles == ["Wildflower verges"]
    assert [i.title for i in map_items(kinds=["budget_project"], district=district)] == titles
    item = map_items(kinds=["budget_project"], status=ReviewState.FEASIBLE)[0]
    assert item.url == shown.get_absolute_url() and item.district == district.name


def test_the_near_me_page_lists_the_project(client, placed):
    html = client.get(reverse("places:map"), {"kind": "budget_project"}).content.decode()
    assert "Wildflower verges" in html
    assert "Unreviewed verges" not in html and "Hidden verges" not in html


def test_search_finds_reviewed_projects_in_both_languages_and_never_the_others(placed):
    assert [(h.kind, h.title) for h in site_search("verges").hits] == [
        ("budget_project", "Wildflower verges")
    ]
    for query in ("unreviewed verges", "hidden verges"):
        assert [h.title for h in site_search(query).hits] in ([], ["Wildflower verges"])

"""Backlog board, item pages, CSV export, integrations page, public roadmap and its feed."""

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from community.models import Role
from community.tests.factories import OrganisationFactory, UserFactory, staff
from ideas.backlog import actions
from ideas.backlog.models import BacklogItem, ItemStatus
from ideas.backlog.tests.factories import (
    BacklogItemFactory,
    WebhookEndpointFactory,
    accepted_idea,
    designer,
)
from ideas.models import Status

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def agency():
    return OrganisationFactory()


def _moved_to_done(user, item):
    for status in (ItemStatus.TRIAGED, ItemStatus.IN_DELIVERY, ItemStatus.DONE):
        item = actions.item_transition(user=user, item=item, status=status, message="Progress.")
    return item


def test_the_board_shows_columns_by_status_with_scores_and_factors(client, agency):
    user = designer(agency)
    BacklogItemFactory(agency=agency, title="Screens", reach=8, impact=5, confidence=6, effort=3)
    BacklogItemFactory(agency=agency, title="Ramps", status=ItemStatus.DONE)
    client.force_login(user)
    response = client.get(reverse("backlog:board", args=[agency.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    for label in ("New", "Triaged", "In discovery", "In delivery", "Done", "Won&#x27;t do"):
        assert label in html
    assert "80.0</strong> = 8 × 5 × 6 ÷ 3" in html  # noqa: RUF001 - the page shows the multiplication sign
    assert f'data-socket="/ws/backlog/{agency.pk}/"' in html


def test_board_query_count_does_not_grow_with_items(client, agency, django_assert_max_num_queries):
    user = designer(agency)
    client.force_login(user)
    for _ in range(3):
        BacklogItemFactory(agency=agency, owner=user)
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("backlog:board", args=[agency.slug]))
    for _ in range(10):
        BacklogItemFactory(agency=agency, owner=user)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("backlog:board", args=[agency.slug]))


def test_citizens_and_other_agencies_cannot_see_a_backlog(client, agency):
    BacklogItemFactory(agency=agency)
    for user in (UserFactory(), designer(OrganisationFactory())):
        client.force_login(user)
        assert client.get(reverse("backlog:board", args=[agency.slug])).status_code == 404
    client.logout()
    assert client.get(reverse("backlog:board", args=[agency.slug])).status_code == 302


def test_moderators_see_the_board_but_cannot_move(client, agency):
    item = BacklogItemFactory(agency=agency)
    client.force_login(staff(Role.MODERATOR, agency))
    assert client.get(reverse("backlog:board", args=[agency.slug])).status_code == 200
    response = client.post(
        reverse("backlog:item_move", args=[item.pk]), {"status": "triaged"}, follow=True
    )
    assert "service designers and admins" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.NEW


def test_moving_by_form_redirects_with_a_message_and_bad_moves_change_nothing(client, agency):
    item = BacklogItemFactory(agency=agency)
    client.force_login(designer(agency))
    url = reverse("backlog:item_move", args=[item.pk])
    response = client.post(url, {"status": "triaged", "next": "board"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("backlog:board", args=[agency.slug])
    assert "moved to Triaged" in response.content.decode()
    response = client.post(url, {"status": "wont_do"}, follow=True)
    assert "why this will not go ahead" in response.content.decode()
    item.refresh_from_db()
    assert item.status == ItemStatus.TRIAGED


def test_bulk_move_by_form(client, agency):
    items = [BacklogItemFactory(agency=agency) for _ in range(2)]
    client.force_login(designer(agency))
    response = client.post(
        reverse("backlog:bulk_move", args=[agency.slug]),
        {"items": [i.pk for i in items], "status": "triaged", "message": "Reviewed."},
        follow=True,
    )
    assert "Moved 2 items." in response.content.decode()
    assert set(BacklogItem.objects.values_list("status", flat=True)) == {"triaged"}


def test_creating_editing_and_promoting_through_the_pages(client, agency):
    user = designer(agency)
    client.force_login(user)
    response = client.post(
        reverse("backlog:item_create", args=[agency.slug]),
        {
            "title": "Screens",
            "problem": "No info",
            "reach": 5,
            "impact": 5,
            "confidence": 5,
            "effort": 0,
        },
    )
    assert "greater than or equal to 1" in response.content.decode()
    assert not BacklogItem.objects.exists()
    idea = accepted_idea(agency)
    board = client.get(reverse("backlog:board", args=[agency.slug])).content.decode()
    assert reverse("backlog:promote", args=[idea.pk]) in board
    response = client.post(
        reverse("backlog:promote", args=[idea.pk]), {"message": "On it.", "is_public": "on"}
    )
    item = BacklogItem.objects.get()
    assert response.url == reverse("backlog:item", args=[item.pk])
    idea.refresh_from_db()
    assert idea.status == Status.IN_BACKLOG
    page = client.get(reverse("backlog:item", args=[item.pk])).content.decode()
    assert "History" in page and "created" in page


def test_csv_export_lists_every_item_and_neutralises_formulas(client, agency):
    BacklogItemFactory(agency=agency, title='=HYPERLINK("x")', reach=8)
    BacklogItemFactory(agency=agency, title="Plain")
    client.force_login(designer(agency))
    response = client.get(reverse("backlog:export", args=[agency.slug]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert {r["title"] for r in rows} == {'\'=HYPERLINK("x")', "Plain"}
    assert {r["reach"] for r in rows} == {"8", "5"}


def test_the_delivery_log_is_for_agency_admins(client, agency):
    WebhookEndpointFactory(agency=agency)
    BacklogItemFactory(agency=agency)
    url = reverse("backlog:integrations", args=[agency.slug])
    client.force_login(designer(agency))
    assert client.get(url).status_code == 404
    client.force_login(staff(Role.AGENCY_ADMIN, agency))
    actions.item_update(user=designer(agency), item=BacklogItem.objects.get(), title="Renamed")
    page = client.get(url).content.decode()
    assert "backlog_item.changed" in page and "Delivery log" in page
    response = client.post(url, {"url": "https://tracker.example/hook", "secret": "short"})
    assert response.status_code == 200  # the form explains the secret is too short


def test_the_roadmap_shows_public_items_by_stage_with_updates_and_source_ideas(client, agency):
    user = designer(agency)
    idea = accepted_idea(agency)
    shown = actions.promote_idea(user=user, idea=idea)
    actions.item_transition(user=user, item=shown, status="triaged", message="Looking into it.")
    BacklogItemFactory(agency=agency, title="Secret plan", is_public=False, status="triaged")
    BacklogItemFactory(agency=agency, title="Untriaged", status="new")
    for url in (reverse("roadmap:index"), reverse("roadmap:agency", args=[agency.slug])):
        html = client.get(url).content.decode()
        assert (
            shown.title in html and "Looking into it." in html and idea.get_absolute_url() in html
        )
        assert "Secret plan" not in html and "Untriaged" not in html
        assert "Being explored" in html
    page = client.get(reverse("roadmap:item", args=[shown.pk]))
    assert page.status_code == 200 and "Looking into it." in page.content.decode()
    hidden = BacklogItem.objects.get(title="Secret plan")
    assert client.get(reverse("roadmap:item", args=[hidden.pk])).status_code == 404


def test_roadmap_query_count_does_not_grow(client, agency, django_assert_max_num_queries):
    user = designer(agency)
    for _ in range(2):
        actions.promote_idea(user=user, idea=accepted_idea(agency))
    BacklogItem.objects.update(status="triaged")
    with django_assert_max_num_queries(30) as small:
        client.get(reverse("roadmap:index"))
    for _ in range(6):
        actions.promote_idea(user=user, idea=accepted_idea(agency))
    BacklogItem.objects.update(status="triaged")
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("roadmap:index"))


def test_the_roadmap_feed_is_valid_atom(client, agency):
    user = designer(agency)
    item = actions.promote_idea(user=user, idea=accepted_idea(agency))
    _moved_to_done(user, item)
    BacklogItemFactory(agency=agency, title="Secret plan", is_public=False, status="done")
    for url in (reverse("roadmap:feed"), reverse("roadmap:agency_feed", args=[agency.slug])):
        response = client.get(url)
        assert response["Content-Type"].startswith("application/atom+xml")
        root = ET.fromstring(response.content)  # noqa: S314 - our own feed, in a test
        assert root.tag == f"{ATOM}feed"
        for required in ("id", "title", "updated"):
            assert root.find(f"{ATOM}{required}") is not None
        entries = root.findall(f"{ATOM}entry")
        assert len(entries) == 1
        entry = entries[0]
        assert entry.find(f"{ATOM}title").text == f"{item.title} — Done"
        assert entry.find(f"{ATOM}link").get("href").endswith(item.get_absolute_url())
        assert entry.find(f"{ATOM}id").text and entry.find(f"{ATOM}updated").text
        assert "Progress." in entry.find(f"{ATOM}summary").text


def test_internal_notes_stay_internal(client, agency):
    item = BacklogItemFactory(
        agency=agency, status="triaged", internal_notes="Budget is the real blocker"
    )
    public = [
        client.get(reverse("roadmap:item", args=[item.pk])),
        client.get(reverse("roadmap:index")),
        client.get(reverse("roadmap:feed")),
    ]
    assert item.title in public[0].content.decode()
    assert all("Budget is the real blocker" not in r.content.decode() for r in public)
    client.force_login(staff(Role.MODERATOR, agency))
    page = client.get(reverse("backlog:item", args=[item.pk])).content.decode()
    assert "Budget is the real blocker" in page and 'name="title"' not in page

"""Privacy by construction: walk every public endpoint (from the router), every feed and
every dataset in the bulk download, with one of everything present (held and hidden content,
a persona its owner never used in public, staff who acted). Fail on any email address,
account id in a user/account/owner-like field, non-public persona, or held/hidden text."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from xml.etree import ElementTree

import pytest

from api import bulk
from api.urls import router

pytestmark = pytest.mark.django_db

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
ACCOUNTISH = re.compile(r"user|account|owner|author_user|created_by|changed_by|staff|voter", re.I)


def forbidden_words(world) -> list[str]:
    """Text that must never appear anywhere public."""
    return [
        world.secret_persona.display_name,
        world.secret_persona.slug,
        world.hidden_author.display_name,
        world.hidden_author.slug,
        "Held idea text",
        "Held comment text",
        "Held statement text",
        "Unpublished idea",
        "Hidden post",
        "Expired post",
        "Internal item",
        "internal only note",
        "Mrs Jones",
        "heldtag",
        "Session Sam",
        "session-sam",
        "Guest Gwen",
        "Hidden note text",
        "Held note text",
        "Concealed note text",
        "Invited only workshop",
        "Invited note text",
        "Unreviewed project text",
        "Hidden project text",
        "Survey secret answer",
        "Panel secret recruitment",
        "Secret feedback comment",
        *world.voter_secrets,
    ]


def account_ids(world) -> set:
    from community.models import User

    return set(User.objects.values_list("pk", flat=True))


def walk(value, path=""):
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from walk(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for inner in value:
            yield from walk(inner, f"{path}[]")
    else:
        yield path, value


def check(data, where: str, world) -> list[str]:
    problems = []
    ids = account_ids(world)
    words = forbidden_words(world)
    for path, value in walk(data):
        text = "" if value is None else str(value)
        if EMAIL.search(text):
            problems.append(f"{where}{path}: email {text!r}")
        last = path.rsplit(".", 1)[-1].strip("[]")
        if ACCOUNTISH.search(last) and isinstance(value, int) and value in ids:
            problems.append(f"{where}{path}: account id {value}")
        problems += [f"{where}{path}: {word!r}" for word in words if word.lower() in text.lower()]
    return problems


def test_every_api_endpoint_is_free_of_personal_data(api, world):
    problems = []
    for prefix, viewset, _basename in router.registry:
        if prefix == "search":
            problems += search_problems(api, world)
            continue
        paged = getattr(viewset, "pagination_class", None) is not None
        query = "?page_size=100" if paged else ""
        if prefix == "budget-ballots":  # listed per budget
            query = f"?budget={world.budget.pk}"
        response = api.get(f"/api/v1/{prefix}/{query}")
        assert response.status_code == 200, prefix
        body = response.json()
        problems += check(body, prefix, world)
        if isinstance(body, dict) and body.get("type") == "FeatureCollection":
            rows = body["features"]  # GeoJSON (places, districts)
        else:
            rows = body["results"] if isinstance(body, dict) else body
        assert rows, f"{prefix} has no rows: the walk would prove nothing"
        if "retrieve" in getattr(viewset, "__dict__", {}) or hasattr(viewset, "retrieve"):
            for row in rows:
                if "id" in row:
                    detail = api.get(f"/api/v1/{prefix}/{row['id']}/")
                    assert detail.status_code == 200
                    problems += check(detail.json(), f"{prefix}/{row['id']}", world)
    assert problems == []


def search_problems(api, world) -> list[str]:
    """The site search, asked for ordinary words and for every forbidden text itself."""
    problems = []
    found_any = False
    for query in ("bus", "buses", "text", "post", "item", "workshop", "note", "benches",
                  *forbidden_words(world)):  # fmt: skip
        response = api.get("/api/v1/search/", {"q": query})
        assert response.status_code == 200, query
        rows = response.json()["results"]
        found_any = found_any or bool(rows)
        problems += check(rows, f"search?q={query}", world)
    assert found_any, "search found nothing: the walk would prove nothing"
    return problems


def test_public_persona_appears_so_the_walk_can_see_personas(api, world):
    body = api.get("/api/v1/ideas/").json()
    assert body["results"][0]["persona"]["handle"] == world.author.slug


def feed_texts(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own feed
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    return [el.text or "" for el in root.iter()] + [
        value for el in root.iter() for value in el.attrib.values()
    ]


def test_every_feed_is_free_of_personal_data(client, world, news):
    problems = []
    for url in (
        f"/feeds/challenges/{world.challenge.pk}/ideas/",
        "/feeds/status-changes/",
        "/feeds/news/",
        "/roadmap/feed/",
    ):
        texts = feed_texts(client, url)
        assert len(texts) > 5
        problems += check(texts, url, world)
    assert problems == []


def test_every_dataset_in_the_download_is_free_of_personal_data(world):
    buffer = io.BytesIO()
    bulk.write_archive(buffer)
    problems = []
    with zipfile.ZipFile(buffer) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode()
            if name.endswith(".json"):
                problems += check(json.loads(text), name, world)
            elif name.endswith(".csv"):
                problems += check(list(csv.DictReader(io.StringIO(text))), name, world)
            else:
                problems += check(text, name, world)
    assert problems == []


def test_the_calendar_feed_is_free_of_personal_data(client, world):
    """/calendar.ics: public sessions and deadlines only (the world's invited workshop and
    held content never appear), and no one's name or address."""
    from icalendar import Calendar

    response = client.get("/calendar.ics")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert events
    # UIDs are "<kind>-<id>@<site host>" (RFC 5545's style): shaped like an address, naming
    # no one. Everything else is checked like every other public output.
    assert all(re.fullmatch(r"[a-z-]+-\d+(-[a-z-]+)?@[\w.-]+", str(e["UID"])) for e in events)
    texts = [
        str(value)
        for component in calendar.walk()
        for key, value in component.items()
        if key != "UID"
    ]
    assert check(texts, "/calendar.ics", world) == []

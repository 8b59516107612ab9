"""Atom feeds: new ideas per challenge, status changes, roadmap, news."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def entries(client, url) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own feed
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "summary": entry.findtext(f"{ATOM}summary") or "",
            "author": entry.find(f"{ATOM}author"),
        }
        for entry in root.iter(f"{ATOM}entry")
    ]


def test_challenge_feed_lists_its_public_ideas_without_authors(client, world):
    found = entries(client, f"/feeds/challenges/{world.challenge.pk}/ideas/")
    assert [e["title"] for e in found] == ["Benches at stops"]
    assert found[0]["link"].endswith(f"/ideas/{world.idea.pk}/")
    assert found[0]["author"] is None


def test_unpublished_or_unknown_challenge_feed_is_404(client, world):
    assert (
        client.get(f"/feeds/challenges/{world.unpublished_idea.challenge_id}/ideas/").status_code
        == 404
    )
    assert client.get("/feeds/challenges/999999/ideas/").status_code == 404


def test_status_changes_feed_has_the_agency_response(client, world):
    (entry,) = entries(client, "/feeds/status-changes/")
    assert "Benches at stops" in entry["title"]
    assert "We will do this." in entry["summary"]


def test_roadmap_feed_is_reused(client, world):
    first = entries(client, "/roadmap/feed/")[0]
    assert first["title"].startswith(world.item.title)


def test_news_feed_lists_published_stories(client, news):
    (entry,) = entries(client, "/feeds/news/")
    assert entry["title"] == "Benches are coming"
    assert "they are coming" in entry["summary"]


def _announced(html: str) -> tuple[set[str], set[str]]:
    """(hrefs of <link rel=alternate type=atom>, hrefs of visible <a> to Atom feeds)."""
    from html.parser import HTMLParser

    heads, links = set(), set()

    class Parser(HTMLParser):
        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "link" and a.get("rel") == "alternate":
                assert a.get("type") == "application/atom+xml" and a.get("title")
                heads.add(a["href"])
            if tag == "a" and a.get("type") == "application/atom+xml":
                links.add(a["href"])

    Parser().feed(html)
    return heads, links


@pytest.mark.parametrize(
    ("page", "feeds"),
    [
        ("/", ["/feeds/news/", "/feeds/status-changes/"]),
        ("/ideas/", ["/feeds/status-changes/"]),
        ("board", ["challenge", "/feeds/status-changes/"]),
        ("idea", ["challenge", "/feeds/status-changes/"]),
    ],
)
def test_home_ideas_and_challenge_pages_announce_and_link_their_feeds(client, world, page, feeds):
    from cms.tests.factories import make_home

    make_home()
    challenge_feed = f"/feeds/challenges/{world.challenge.pk}/ideas/"
    url = {"board": world.challenge.get_absolute_url(), "idea": world.idea.get_absolute_url()}
    response = client.get(url.get(page, page))
    assert response.status_code == 200
    heads, links = _announced(response.content.decode())
    expected = {challenge_feed if f == "challenge" else f for f in feeds}
    assert expected <= heads, heads
    assert expected <= links, links
    for feed in expected:
        entries(client, feed)  # each announced feed answers with Atom

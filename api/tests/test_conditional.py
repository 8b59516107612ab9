"""ETag / Last-Modified on lists and details; conditional GETs answer 304."""

from __future__ import annotations

import pytest
from django.utils.http import http_date

pytestmark = pytest.mark.django_db

V1 = "/api/v1"


@pytest.mark.parametrize("path", ["ideas/", "challenges/", "comments/", "backlog-items/"])
def test_list_has_etag_and_last_modified_and_answers_304(api, world, path):
    first = api.get(f"{V1}/{path}")
    assert first["ETag"] and first["Last-Modified"]
    again = api.get(f"{V1}/{path}", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert not again.content


def test_detail_last_modified_is_the_idea_change_time(api, world):
    response = api.get(f"{V1}/ideas/{world.idea.pk}/")
    world.idea.refresh_from_db()
    assert response["Last-Modified"] == http_date(world.idea.updated_at.timestamp())
    since = api.get(
        f"{V1}/ideas/{world.idea.pk}/", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"]
    )
    assert since.status_code == 304


def test_a_change_gives_a_new_etag(api, world):
    before = api.get(f"{V1}/ideas/{world.idea.pk}/")["ETag"]
    world.idea.title = "Benches and shade"
    world.idea.save()
    after = api.get(f"{V1}/ideas/{world.idea.pk}/", HTTP_IF_NONE_MATCH=before)
    assert after.status_code == 200
    assert after["ETag"] != before


def test_transparency_has_an_etag(api, world):
    first = api.get(f"{V1}/moderation-transparency/")
    assert (
        api.get(f"{V1}/moderation-transparency/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code
        == 304
    )

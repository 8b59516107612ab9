"""The bulk download: datasets, dictionary, licence, stable URL, schedule."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from api import bulk
from api.models import DataRelease
from api.urls import router

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return tmp_path


def open_zip(content: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(content))


def test_zip_has_csv_and_json_per_dataset_a_dictionary_and_the_licence(world):
    buffer = io.BytesIO()
    rows = bulk.write_archive(buffer)
    archive = open_zip(buffer.getvalue())
    names = set(archive.namelist())
    expected = {vs.dataset for _p, vs, _b in router.registry if getattr(vs, "dataset", None)}
    assert expected <= {"ideas", "challenges", "comments"} | expected
    for dataset in expected:
        assert {f"{dataset}.csv", f"{dataset}.json"} <= names
    assert {"data-dictionary.csv", "LICENCE.txt", "README.txt"} <= names
    assert "CC BY 4.0" in archive.read("LICENCE.txt").decode()
    assert rows["ideas"] == 1 and rows["comments"] == 1


def test_csv_headers_are_the_dictionary_fields(world):
    buffer = io.BytesIO()
    bulk.write_archive(buffer)
    archive = open_zip(buffer.getvalue())
    dictionary: dict[str, list[str]] = {}
    for row in csv.DictReader(io.StringIO(archive.read("data-dictionary.csv").decode())):
        assert row["description"], row
        dictionary.setdefault(row["dataset"], []).append(row["field"])
    for dataset, fields in dictionary.items():
        header = next(csv.reader(io.StringIO(archive.read(f"{dataset}.csv").decode())))
        assert header == fields
        records = json.loads(archive.read(f"{dataset}.json"))
        assert all(list(record) == fields for record in records)


def test_csv_cells_hold_json_for_lists_and_text_exactly_as_stored(world):
    """Open data is for programs: a title that starts with "=" is that title."""
    world.idea.title = "=HYPERLINK(1)"
    world.idea.save()
    buffer = io.BytesIO()
    bulk.write_archive(buffer)
    (row,) = csv.DictReader(io.StringIO(open_zip(buffer.getvalue()).read("ideas.csv").decode()))
    assert row["title"] == "=HYPERLINK(1)"
    assert json.loads(row["persona"]) == {"name": "Amara O", "handle": "amara-o"}


def test_task_builds_a_release_served_at_a_stable_url(client, world, media):
    from api.tasks import build_open_data

    build_open_data.enqueue()  # immediate backend in tests
    release = DataRelease.objects.get()
    response = client.get("/data/open-data.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Last-Modified"] and response["ETag"]
    content = b"".join(response.streaming_content)
    assert len(content) == release.size
    assert "ideas.csv" in open_zip(content).namelist()
    again = client.get("/data/open-data.zip", HTTP_IF_MODIFIED_SINCE=response["Last-Modified"])
    assert again.status_code == 304


def test_old_releases_are_deleted(world, media):
    for _ in range(3):
        bulk.build_release()
    assert DataRelease.objects.count() == 2
    assert len(list((media / bulk.STORAGE_DIR).iterdir())) == 2


def test_download_before_the_first_build_says_to_come_back(client, db):
    response = client.get("/data/open-data.zip")
    assert response.status_code == 503
    assert response["Retry-After"]


def test_scheduler_enqueues_once_when_stale(world, media):
    from api.management.commands.open_data_scheduler import enqueue_if_stale

    assert enqueue_if_stale(600) is True  # builds (immediate backend)
    assert DataRelease.objects.count() == 1
    assert enqueue_if_stale(600) is False  # fresh now
    DataRelease.objects.update(created_at=timezone.now() - timedelta(days=2))
    assert enqueue_if_stale(600) is False  # a build was already enqueued this interval
    call_command("open_data_scheduler", "--once")
    assert DataRelease.objects.count() == 1


def test_index_page_lists_datasets_and_feeds(client, world, media):
    bulk.build_release()
    response = client.get("/data/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1>") == 1
    for name in ("ideas", "challenges", "backlog_items", "/data/open-data.zip", "/feeds/news/"):
        assert name in html

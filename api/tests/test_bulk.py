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


TABLE_SCHEMA = {
    "type": "object",
    "required": ["fields"],
    "properties": {
        "fields": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["name", "type"],
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "type": {
                        "enum": [
                            "string", "integer", "number", "boolean", "datetime", "date",
                            "array", "object",
                        ]
                    },
                    "description": {"type": "string"},
                },
            },
        },
        "primaryKey": {"type": "array", "items": {"type": "string"}},
        "missingValues": {"type": "array", "items": {"type": "string"}},
    },
}  # fmt: skip
PACKAGE_SCHEMA = {
    "type": "object",
    "required": ["name", "resources", "licenses"],
    "properties": {
        "name": {"type": "string", "pattern": "^[a-z0-9._-]+$"},
        "licenses": {
            "type": "array",
            "minItems": 1,
            "items": {"type": "object", "required": ["name", "path"]},
        },
        "resources": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["name", "path", "schema", "profile"],
                "properties": {"schema": TABLE_SCHEMA, "name": {"pattern": "^[a-z0-9._-]+$"}},
            },
        },
    },
}


def _conforms(kind: str, cell: str, field: dict) -> bool:
    from datetime import date, datetime

    if cell in field.get("missingValues", [""]):
        return True
    try:
        match kind:
            case "integer":
                int(cell)
            case "number":
                float(cell)
            case "boolean":
                return cell in ("true", "false")
            case "datetime":
                datetime.fromisoformat(cell)
            case "date":
                date.fromisoformat(cell)
            case "array":
                return isinstance(json.loads(cell), list)
            case "object":
                return isinstance(json.loads(cell), dict)
    except ValueError:
        return False
    return True


def test_zip_describes_every_csv_as_a_frictionless_data_package(world):
    import jsonschema

    buffer = io.BytesIO()
    bulk.write_archive(buffer)
    archive = open_zip(buffer.getvalue())
    package = json.loads(archive.read("datapackage.json"))
    jsonschema.validate(package, PACKAGE_SCHEMA)
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    # polis/<id>/ holds Pol.is openData files in Pol.is's own layout (summary.csv has no
    # header row), read by Pol.is tools, not described as Frictionless resources.
    csvs = {
        n
        for n in archive.namelist()
        if n.endswith(".csv") and n != "data-dictionary.csv" and not n.startswith("polis/")
    }
    assert {r["path"] for r in package["resources"]} == csvs
    for resource in package["resources"]:
        schema = resource["schema"]
        fields = schema["fields"]
        assert all(f.get("description") for f in fields), resource["name"]
        reader = csv.reader(io.StringIO(archive.read(resource["path"]).decode()))
        header = next(reader)
        assert header == [f["name"] for f in fields], resource["name"]
        if "id" in header:
            assert schema["primaryKey"] == ["id"]
        rows = list(reader)
        assert resource["stats"]["rows"] == len(rows)
        for row in rows:
            for field, cell in zip(fields, row, strict=True):
                assert _conforms(field["type"], cell, schema), (resource["name"], field, cell)
        if "id" in header:
            ids = [row[header.index("id")] for row in rows]
            assert len(ids) == len(set(ids))


def test_zip_members_extract_readable_and_dated_with_the_build(world):
    before = timezone.localtime()
    buffer = io.BytesIO()
    bulk.write_archive(buffer)
    archive = open_zip(buffer.getvalue())
    for info in archive.infolist():
        assert (info.external_attr >> 16) & 0o777 == 0o644, info.filename
        stamp = timezone.make_aware(__import__("datetime").datetime(*info.date_time))
        assert abs(stamp - before) < timedelta(days=1), (info.filename, info.date_time)

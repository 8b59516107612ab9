"""The bulk download: one ZIP with a CSV and a JSON file per dataset, a data dictionary, a
README and the licence. Built by the ``build_open_data`` task (daily; see
``manage.py open_data_scheduler``), never inside a request.

Streaming: rows are read from the database in chunks and written straight into the ZIP
member (``ZipFile.open(..., "w")``) in a temporary file, so no dataset is held in memory; the
finished file is then copied into the default storage in chunks.

Datasets are the API's own endpoints (every viewset on ``api.urls.router`` with a
``dataset`` name), serialised exactly as the API shows them, so the download can never hold
more than the API does.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

from api.models import DataRelease

STORAGE_DIR = "open-data"
LICENCE_NAME = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
ATTRIBUTION = "Contains data from Civic Commons, licensed under CC BY 4.0."


@dataclass(frozen=True)
class Dataset:
    name: str
    title: str
    description: str
    endpoint: str
    viewset: Any

    def fields(self) -> list[tuple[str, str, str]]:
        return self.viewset.dataset_fields()

    def rows(self) -> Iterator[dict[str, Any]]:
        return self.viewset.dataset_rows()


def datasets() -> list[Dataset]:
    """Every dataset, from the API router (a new endpoint is a new dataset)."""
    from api.urls import router

    found = []
    for prefix, viewset, _basename in router.registry:
        name = getattr(viewset, "dataset", None)
        if name:
            doc = (viewset.__doc__ or "").strip()
            found.append(
                Dataset(
                    name=name,
                    title=getattr(viewset, "dataset_title", "") or name,
                    description=getattr(viewset, "dataset_description", "")
                    or " ".join(doc.split()),
                    endpoint=f"/api/v1/{prefix}/",
                    viewset=viewset,
                )
            )
    return found


def csv_cell(value: Any) -> str:
    """Lists and objects as JSON, booleans as true/false; text exactly as stored.

    Open data is read by programs (pandas, Frictionless, pabulib and Pol.is tools), so cells
    stay literal: a title that starts with "=" is that title. Exports meant for spreadsheets
    go through community.spreadsheets instead."""
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _write_csv(archive: zipfile.ZipFile, dataset: Dataset, names: list[str]) -> int:
    count = 0
    with archive.open(f"{dataset.name}.csv", "w", force_zip64=True) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        writer = csv.writer(text)
        writer.writerow(names)
        for row in dataset.rows():
            writer.writerow([csv_cell(row.get(name)) for name in names])
            count += 1
        text.flush()
        text.detach()
    return count


def _write_json(archive: zipfile.ZipFile, dataset: Dataset) -> None:
    with archive.open(f"{dataset.name}.json", "w", force_zip64=True) as raw:
        raw.write(b"[")
        for index, row in enumerate(dataset.rows()):
            raw.write(b"\n" if index == 0 else b",\n")
            raw.write(json.dumps(row, ensure_ascii=False, cls=DjangoJSONEncoder).encode())
        raw.write(b"\n]\n")


def _write_dictionary(archive: zipfile.ZipFile, found: list[Dataset]) -> None:
    with archive.open("data-dictionary.csv", "w") as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        writer = csv.writer(text)
        writer.writerow(["dataset", "field", "type", "description"])
        for dataset in found:
            for name, kind, description in dataset.fields():
                writer.writerow([dataset.name, name, kind, description])
        text.flush()
        text.detach()


def licence_text() -> str:
    return (
        f"Licence: {LICENCE_NAME}\n{LICENCE_URL}\n\n"
        "You may copy, share, adapt and build on this data for any purpose, including "
        "commercially, as long as you credit the source. Suggested attribution:\n\n"
        f"    {ATTRIBUTION}\n\n"
        "The data holds no personal data: contributions show only the public name and handle "
        "of the persona they were made under. Content held or hidden by moderators is left out.\n"
    )


def _readme(found: list[Dataset], rows: dict[str, int], built_at) -> str:
    lines = [
        "Civic Commons open data",
        "=======================",
        "",
        f"Built {built_at.isoformat()} from the live platform. Rebuilt daily.",
        "",
        "Each dataset comes as NAME.csv and NAME.json with the same fields; the fields are",
        "described in data-dictionary.csv. In the CSV files lists and objects are JSON, and",
        "text that starts like a spreadsheet formula (=, +, -, @) begins with an apostrophe.",
        "The API (/api/v1/) serves the same records, kept up to date.",
        "",
    ]
    for dataset in found:
        lines.append(f"- {dataset.name}: {dataset.title} ({rows.get(dataset.name, 0)} rows)")
    lines += ["", licence_text()]
    return "\n".join(lines)


def write_archive(fileobj) -> dict[str, int]:
    """Write the whole download into ``fileobj``; returns dataset name → rows written."""
    found = datasets()
    rows: dict[str, int] = {}
    built_at = timezone.now()
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for dataset in found:
            names = [name for name, _kind, _description in dataset.fields()]
            rows[dataset.name] = _write_csv(archive, dataset, names)
            _write_json(archive, dataset)
        _write_dictionary(archive, found)
        archive.writestr("LICENCE.txt", licence_text())
        archive.writestr("README.txt", _readme(found, rows, built_at))
    return rows


def build_release() -> DataRelease:
    """Build a new download, store it, record it, and delete releases beyond ``KEEP``."""
    digest = hashlib.sha256()
    with tempfile.TemporaryFile(suffix=".zip") as tmp:
        rows = write_archive(tmp)
        size = tmp.tell()
        tmp.seek(0)
        for chunk in iter(lambda: tmp.read(1024 * 1024), b""):
            digest.update(chunk)
        tmp.seek(0)
        stamp = timezone.now().strftime("%Y%m%dT%H%M%S%f")
        name = default_storage.save(f"{STORAGE_DIR}/open-data-{stamp}.zip", File(tmp))
    release = DataRelease.objects.create(file=name, size=size, sha256=digest.hexdigest(), rows=rows)
    keep = settings.OPEN_DATA.get("KEEP", 2)
    for old in DataRelease.objects.order_by("-created_at", "-id")[keep:]:
        default_storage.delete(old.file)
        old.delete()
    return release


def latest_release() -> DataRelease | None:
    return DataRelease.objects.order_by("-created_at", "-id").first()


def is_stale(now=None) -> bool:
    """No release yet, or the newest is older than ``OPEN_DATA["MAX_AGE"]`` seconds."""
    release = latest_release()
    if release is None:
        return True
    now = now or timezone.now()
    return (now - release.created_at).total_seconds() >= settings.OPEN_DATA["MAX_AGE"]

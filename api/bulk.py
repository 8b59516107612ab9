"""The bulk download: one ZIP with a CSV and a JSON file per dataset, a data dictionary, a
Frictionless data package descriptor (``datapackage.json``: every CSV with its Table Schema),
a README and the licence. Every member is dated with the build time and extracts as an
ordinary readable file (0644). Built by the ``build_open_data`` task (daily; see
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
MEMBER_MODE = 0o100644  # a regular file, rw-r--r--: what unzip gives everyone else's data
# The data dictionary's type names → Frictionless Table Schema types (and their format).
FRICTIONLESS_TYPES = {
    "date-time (ISO 8601)": ("datetime", "default"),
    "date (ISO 8601)": ("date", "default"),
    "boolean": ("boolean", None),
    "integer": ("integer", None),
    "integer (id)": ("integer", None),
    "number": ("number", None),
    "list (JSON in CSV)": ("array", None),
    "object (JSON in CSV)": ("object", None),
    "text": ("string", None),
    "text (one of a list)": ("string", None),
}


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
                    title=str(getattr(viewset, "dataset_title", "") or name),
                    description=str(getattr(viewset, "dataset_description", ""))
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


def _member(name: str, built_at) -> zipfile.ZipInfo:
    """A ZIP entry dated with the build time (local to the site's zone, as ZIP dates are)
    that extracts as a regular 0644 file (``ZipFile.open(name, "w")`` would give 0600 and
    ``writestr(name, …)`` the current time, not the build's)."""
    local = timezone.localtime(built_at)
    info = zipfile.ZipInfo(name, date_time=local.timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = MEMBER_MODE << 16
    return info


def _write_csv(archive: zipfile.ZipFile, dataset: Dataset, names: list[str], built_at) -> int:
    count = 0
    with archive.open(_member(f"{dataset.name}.csv", built_at), "w", force_zip64=True) as raw:
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        writer = csv.writer(text)
        writer.writerow(names)
        for row in dataset.rows():
            writer.writerow([csv_cell(row.get(name)) for name in names])
            count += 1
        text.flush()
        text.detach()
    return count


def _write_json(archive: zipfile.ZipFile, dataset: Dataset, built_at) -> None:
    with archive.open(_member(f"{dataset.name}.json", built_at), "w", force_zip64=True) as raw:
        raw.write(b"[")
        for index, row in enumerate(dataset.rows()):
            raw.write(b"\n" if index == 0 else b",\n")
            raw.write(json.dumps(row, ensure_ascii=False, cls=DjangoJSONEncoder).encode())
        raw.write(b"\n]\n")


def _write_polis(archive: zipfile.ZipFile, built_at) -> int:
    """Each conversation in Pol.is openData format under ``polis/<id>/`` (comments.csv,
    participants-votes.csv, summary.csv), so Pol.is tools read it; returns how many."""
    from ideas.conversations import selectors as conversation_selectors

    count = 0
    for conversation in conversation_selectors.public_conversations().order_by("pk"):
        files = conversation_selectors.polis_export(conversation, site_url=settings.SITE_URL)
        for name, text in files.items():
            archive.writestr(_member(f"polis/{conversation.pk}/{name}", built_at), text)
        count += 1
    return count


def _write_pabulib(archive: zipfile.ZipFile, built_at) -> int:
    """Each budget with published results as ``pabulib/<budget id>.pb`` (anonymised ballots),
    so pabulib tools (pabutools) read it directly; returns how many."""
    from ideas.budgeting import opendata

    count = 0
    for budget in opendata.published_budgets():
        text = opendata.pabulib_text(budget)
        archive.writestr(_member(f"pabulib/{budget.pk}.pb", built_at), text)
        count += 1
    return count


def _write_dictionary(archive: zipfile.ZipFile, found: list[Dataset], built_at) -> None:
    with archive.open(_member("data-dictionary.csv", built_at), "w") as raw:
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


def table_schema(dataset: Dataset) -> dict[str, Any]:
    """The dataset's Frictionless Table Schema: each CSV column's name, type and meaning."""
    fields = []
    for name, kind, description in dataset.fields():
        frictionless_type, fmt = FRICTIONLESS_TYPES.get(kind, ("string", None))
        field: dict[str, Any] = {"name": name, "type": frictionless_type}
        if fmt:
            field["format"] = fmt
        if description:
            field["description"] = description
        if frictionless_type == "boolean":
            field["trueValues"], field["falseValues"] = ["true"], ["false"]
        fields.append(field)
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    if any(f["name"] == "id" for f in fields):
        schema["primaryKey"] = ["id"]
    return schema


def datapackage(found: list[Dataset], rows: dict[str, int], built_at) -> dict[str, Any]:
    """The Frictionless data package descriptor (https://specs.frictionlessdata.io/)."""
    licence = {"name": "CC-BY-4.0", "path": LICENCE_URL, "title": LICENCE_NAME}
    return {
        "profile": "tabular-data-package",
        "name": "civic-commons-open-data",
        "title": "Civic Commons open data",
        "description": "Every public record of the platform, as served by its API (/api/v1/).",
        "homepage": settings.SITE_URL.rstrip("/") + "/data/",
        "created": built_at.isoformat(),
        "licenses": [licence],
        "resources": [
            {
                "profile": "tabular-data-resource",
                "name": dataset.name,
                "path": f"{dataset.name}.csv",
                "title": dataset.title,
                "description": dataset.description,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "dialect": {"delimiter": ",", "quoteChar": '"', "header": True},
                "licenses": [licence],
                "stats": {"rows": rows.get(dataset.name, 0)},
                "schema": table_schema(dataset),
            }
            for dataset in found
        ],
    }


def _readme(
    found: list[Dataset], rows: dict[str, int], built_at, conversations: int = 0, budgets: int = 0
) -> str:
    lines = [
        "Civic Commons open data",
        "=======================",
        "",
        f"Built {built_at.isoformat()} from the live platform. Rebuilt daily.",
        "",
        "Each dataset comes as NAME.csv and NAME.json with the same fields; the fields are",
        "described in data-dictionary.csv and, as a Frictionless data package with a Table",
        "Schema per CSV, in datapackage.json. In the CSV files lists and objects are JSON, and",
        "text that starts like a spreadsheet formula (=, +, -, @) begins with an apostrophe.",
        "The API (/api/v1/) serves the same records, kept up to date.",
        "",
    ]
    for dataset in found:
        lines.append(f"- {dataset.name}: {dataset.title} ({rows.get(dataset.name, 0)} rows)")
    lines += [
        "",
        f"polis/ID/ holds each of the {conversations} conversations in Pol.is openData format",
        "(comments.csv, participants-votes.csv, summary.csv; participants are anonymous",
        "numbers), for the tools that read Pol.is exports.",
        "",
        f"pabulib/ID.pb holds each of the {budgets} participatory budgets with published",
        "results in pabulib format (ID is the budget's id; ballots are anonymous and",
        "numbered as counted), for pabutools and the other tools that read pabulib files.",
        "",
        licence_text(),
    ]
    return "\n".join(lines)


def write_archive(fileobj) -> dict[str, int]:
    """Write the whole download into ``fileobj``; returns dataset name → rows written."""
    found = datasets()
    rows: dict[str, int] = {}
    built_at = timezone.now()
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for dataset in found:
            names = [name for name, _kind, _description in dataset.fields()]
            rows[dataset.name] = _write_csv(archive, dataset, names, built_at)
            _write_json(archive, dataset, built_at)
        conversations = _write_polis(archive, built_at)
        budgets = _write_pabulib(archive, built_at)
        _write_dictionary(archive, found, built_at)
        package = json.dumps(datapackage(found, rows, built_at), ensure_ascii=False, indent=2)
        archive.writestr(_member("datapackage.json", built_at), package)
        archive.writestr(_member("LICENCE.txt", built_at), licence_text())
        archive.writestr(
            _member("README.txt", built_at), _readme(found, rows, built_at, conversations, budgets)
        )
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

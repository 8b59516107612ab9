"""Rebuild the site search index (after loading data that bypassed model saves)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from community.search.indexing import reindex
from community.search.registry import providers


class Command(BaseCommand):
    help = "Rebuild the site search index for every kind, or only the kinds named."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kinds", nargs="*", help=f"Kinds: {', '.join(providers())}")

    def handle(self, *args: Any, **options: Any) -> None:
        kinds = options["kinds"] or None
        unknown = set(kinds or []) - set(providers())
        if unknown:
            self.stderr.write(f"unknown kinds: {', '.join(sorted(unknown))}")
            return
        for kind, count in reindex(kinds).items():
            self.stdout.write(f"search: {count} {kind} entr{'y' if count == 1 else 'ies'}")

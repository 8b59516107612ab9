"""``manage.py verify_integrity``: every registered counter and the ledger agree with their rows.

Runs each check registered in :mod:`community.integrity` (idea support and comment counts,
the time-credit ledger, …), prints a report, and exits 1 if any check finds a problem.
Read-only; safe on production (e.g. nightly from cron, or after an incident).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from community import integrity


class Command(BaseCommand):
    help = "Check denormalised counters and the ledger against the rows. Exits 1 on mismatch."

    def add_arguments(self, parser):
        parser.add_argument("--only", nargs="*", help="run only these checks")

    def handle(self, *args, only=None, **options):
        registered = integrity.checks()
        unknown = set(only or []) - set(registered)
        if unknown:
            raise CommandError(
                f"unknown check(s) {', '.join(sorted(unknown))}; known: {', '.join(registered)}"
            )
        total = 0
        for name, check in registered.items():
            if only and name not in only:
                continue
            problems = check()
            total += len(problems)
            if problems:
                self.stderr.write(f"{name}: {len(problems)} problem(s)")
                for line in problems:
                    self.stderr.write(f"  {line}")
            else:
                self.stdout.write(f"{name}: ok")
        if total:
            raise CommandError(f"integrity check failed: {total} problem(s)", returncode=1)
        self.stdout.write(self.style.SUCCESS("All integrity checks passed."))

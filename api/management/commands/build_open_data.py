"""Build the bulk open-data download now, in this process (operators; the demo)."""

from django.core.management.base import BaseCommand

from api import bulk


class Command(BaseCommand):
    help = "Build the bulk open-data download (ZIP of CSV and JSON) now."

    def handle(self, *args, **options):
        release = bulk.build_release()
        total = sum(release.rows.values())
        self.stdout.write(f"open data: {release.file} ({release.size} bytes, {total} rows)")

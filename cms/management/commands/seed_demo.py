"""``manage.py seed_demo``: the fictional City of Northvale, for trying the platform.

Each app seeds its own part in dependency order (community → cms → ideas), passing what it
made along. Running it twice changes nothing.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from cms import demo as cms_demo
from community import demo as community_demo


class Command(BaseCommand):
    help = "Load the Northvale demo content (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Do not print the sign-ins.")

    def handle(self, *args, quiet=False, **options):
        with transaction.atomic():
            context = community_demo.seed()
            context.update(cms_demo.seed(context))
        if not quiet:
            self.stdout.write(self.style.SUCCESS("Demo content is ready. Sign in with:"))
            for role, email in community_demo.sign_ins():
                self.stdout.write(f"  {role:<32} {email}")
            self.stdout.write(f"  password for every demo account: {community_demo.DEMO_PASSWORD}")

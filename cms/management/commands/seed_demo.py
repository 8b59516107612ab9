"""``manage.py seed_demo``: the fictional City of Northvale, for trying the platform.

Every installed project app may have a ``demo`` module with ``ORDER`` (lower runs first) and
``seed(context) -> dict``; each receives what earlier ones made (people, agencies, pages…).
All of it runs in one transaction, and running it twice changes nothing.
"""

import importlib
import importlib.util

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from community import demo as community_demo

PROJECT_PACKAGES = ("community", "ideas", "cms", "realtime")


def demo_modules() -> list:
    modules = []
    for config in apps.get_app_configs():
        if not config.name.startswith(PROJECT_PACKAGES):
            continue
        name = f"{config.name}.demo"
        if importlib.util.find_spec(name) is not None:
            modules.append(importlib.import_module(name))
    return sorted(modules, key=lambda m: (getattr(m, "ORDER", 100), m.__name__))


class Command(BaseCommand):
    help = "Load the Northvale demo content (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--quiet", action="store_true", help="Do not print the sign-ins.")

    def handle(self, *args, quiet=False, **options):
        context: dict = {}
        with transaction.atomic():
            for module in demo_modules():
                context.update(module.seed(context) or {})
        # Demo modules load some rows in bulk (no saves, no signals): index everything once.
        from community.search.indexing import reindex

        reindex()
        if not quiet:
            self.stdout.write(self.style.SUCCESS("Demo content is ready. Sign in with:"))
            for role, email in community_demo.sign_ins():
                self.stdout.write(f"  {role:<32} {email}")
            self.stdout.write(f"  password for every demo account: {community_demo.DEMO_PASSWORD}")

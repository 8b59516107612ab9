#!/usr/bin/env python
"""Django's command-line utility, with one-line start-up errors for unreachable services."""

import os
import sys

# Commands that do not touch the database or Redis skip the start-up check.
NO_SERVICE_COMMANDS = {
    "help",
    "version",
    "check",
    "makemigrations",
    "makemessages",
    "compilemessages",
    "collectstatic",
    "shell",
    "test",
}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.core.management import execute_from_command_line

    command = sys.argv[1] if len(sys.argv) > 1 else "help"
    if command not in NO_SERVICE_COMMANDS and not command.startswith("-"):
        django.setup()
        from config.startup import check_services

        check_services()
    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

"""Child process of the ``account_timing`` benchmark: times sign-up and password reset.

Runs the real settings (``config.settings``: the production password hasher) on a
throwaway SQLite database given by ``DATABASE_URL``, through Django's test client, with
allauth's and the site's rate limits off. Prints one JSON object: the milliseconds of
each try, per case. Known and unknown addresses alternate so drift hits both alike.
"""

from __future__ import annotations

import json
import os
import sys
import time


def main(tries: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client, override_settings
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's "testserver" host is allowed
    call_command("migrate", verbosity=0)
    from community.models import User

    password = "a-long-unusual-passphrase-42"  # noqa: S105 - a throwaway database
    known = User.objects.create_user(
        username="bench-known", email="known@example.org", password=password
    )
    known.save()
    # As sign-up leaves every account: a verified, primary email address row (allauth's own).
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(user=known, email=known.email, verified=True, primary=True)
    timings: dict[str, list[float]] = {
        "sign-up, registered address": [],
        "sign-up, new address": [],
        "reset, known address": [],
        "reset, unknown address": [],
    }

    def timed(case: str, path: str, data: dict) -> None:
        client = Client()
        started = time.perf_counter()
        response = client.post(path, data)
        timings[case].append((time.perf_counter() - started) * 1000)
        if response.status_code != 302:
            raise SystemExit(f"{case}: {response.status_code}")

    with override_settings(ACCOUNT_RATE_LIMITS=False):
        for i in range(tries + 1):  # the first round warms caches and is dropped
            for case, email in (
                ("sign-up, registered address", "known@example.org"),
                ("sign-up, new address", f"new{i}@example.org"),
            ):
                timed(
                    case,
                    "/accounts/signup/",
                    {
                        "email": email,
                        "password1": password,
                        "password2": password,
                        "display_name": f"Bench {case[9:12]} {chr(97 + i)}",
                    },
                )
            for case, email in (
                ("reset, known address", "known@example.org"),
                ("reset, unknown address", f"nobody{i}@example.org"),
            ):
                timed(case, "/accounts/password/reset/", {"email": email})
            if i == 0:
                for values in timings.values():
                    values.clear()
    print(json.dumps(timings))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20)

"""Loads benchmark data into the benchmark database and measures in-process costs.

Run by the benchmarks as ``python -m bench.prepare`` with the servers' environment (the
``civic_bench`` database): reads one JSON request on stdin, prints one JSON answer. It runs in
its own process because the benchmark runner does not set Django up.

Requests (``action``):

* ``board``: a published, open challenge with exactly ``ideas`` ideas (created once with
  ``bulk_create``; ``slug`` names it), background support on every fourth idea from a few
  supporter accounts (at most about ``RECENT_VOTES`` of it within the trending window: a
  week's support does not grow with a board's history; counters kept exact), optionally
  linked to a service page. With ``voters``: that many signed-in accounts whose earlier bench
  votes on this board are removed (so every vote of a new run publishes an event), and their
  session cookie and CSRF token. Answers the challenge id, the first ``first_ideas`` idea
  ids (newest first), the service page path and the voters' credentials. With ``poster``:
  also a fresh API token of the ``bench-poster`` account (``api_token``), to post ideas.
* ``session``: a fresh co-design session (open, notes visible) on the ``bench-codesign``
  challenge, facilitated by a service designer of the bench agency and moved to its diverge
  phase, with ``participants`` signed-in accounts joined (the previous bench sessions and
  these accounts' screening history are removed first, so the repeat-posting rule starts
  from zero). Answers the session id, its socket path, its prompt ids and each
  participant's id and session cookie.
* ``state``: a session's notes as the database has them after a run (id → prompt, group,
  text, version, x, y), for :mod:`bench.benchmarks.codesign` to compare with every client.
* ``costs``: for a prepared board, per sort order: the board page's query count rendered
  afresh (an empty cache) and served from the cache, its time rendered afresh (median of
  ``repeat``), and the snapshot's query count, size in bytes and build time (median of
  ``repeat``).

Bench data lives under slugs starting ``bench-``; the demo content is not touched.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from datetime import timedelta

BODY = (
    "Put real-time arrival screens at the busiest stops, with large text and a spoken "
    "announcement button, so people who cannot use a phone app still know when the next bus "
    "comes. Start with the stops near the hospital and the library."
)
SUPPORTERS = 10
RECENT_VOTES = 1000


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _account(username: str):
    from allauth.account.models import EmailAddress

    from community.models import Persona, User

    user, created = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@bench.invalid"}
    )
    if created:
        user.set_unusable_password()
        user.save()
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        Persona.objects.create(
            account=user,
            display_name=username.replace("-", " ").title(),
            slug=username,
            is_primary=True,
        )
    return user


def _challenge(slug: str, ideas: int):
    from django.db import connection, transaction
    from django.utils import timezone

    from community.models import Organisation
    from ideas.models import Challenge, Idea, Vote

    agency, _ = Organisation.objects.get_or_create(
        slug="bench-agency",
        defaults={"name": "Benchmark Agency", "kind": Organisation.Kind.AGENCY},
    )
    now = timezone.now()
    challenge, _ = Challenge.objects.get_or_create(
        slug=slug,
        defaults={
            "agency": agency,
            "question": f"How might we measure a board with {ideas} ideas?",
            "opens_at": now - timedelta(days=30),
            "ideas_close_at": now + timedelta(days=3650),
            "closes_at": now + timedelta(days=3660),
        },
    )
    have = Idea.objects.filter(challenge=challenge).count()
    if have < ideas:
        author = _account("bench-author").personas.get(is_primary=True)
        supporters = [_account(f"bench-supporter-{i}") for i in range(SUPPORTERS)]
        # A week's support does not grow with a board's history: about RECENT_VOTES of the
        # supports are within the trending window, whatever the board's size.
        recent_every = 4 * max(1, ideas // (4 * RECENT_VOTES))
        start = now - timedelta(days=30)
        step = timedelta(days=29) / max(ideas, 1)
        with transaction.atomic():
            for offset in range(have, ideas, 5000):
                batch = [
                    Idea(
                        challenge=challenge,
                        persona=author,
                        title=f"Idea {n}: arrival screens at stop {n}",
                        body=BODY,
                        support_count=1 if n % 4 == 0 else 0,
                        created_at=start + step * n,
                    )
                    for n in range(offset, min(ideas, offset + 5000))
                ]
                created = Idea.objects.bulk_create(batch, batch_size=1000)
                Vote.objects.bulk_create(
                    [
                        Vote(
                            idea=idea,
                            account=supporters[n % SUPPORTERS],
                            created_at=now - timedelta(days=1 if n % recent_every == 0 else 20),
                        )
                        for n, idea in zip(
                            range(offset, offset + len(created)), created, strict=True
                        )
                        if n % 4 == 0
                    ],
                    batch_size=2000,
                )
        if connection.vendor == "postgresql":  # fresh statistics, as autovacuum would
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE ideas_idea, ideas_vote")
    return challenge


def _session(user) -> dict[str, str]:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.middleware.csrf import _get_new_csrf_string

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    csrf = _get_new_csrf_string()
    return {
        "cookie": f"{settings.SESSION_COOKIE_NAME}={store.session_key}; "
        f"{settings.CSRF_COOKIE_NAME}={csrf}",
        "csrf": csrf,
    }


def board(request: dict) -> dict:
    from django.db.models import Count, OuterRef, Subquery
    from django.db.models.functions import Coalesce

    from ideas.models import Idea, Vote

    challenge = _challenge(request["slug"], request["ideas"])
    voters = [_account(f"bench-voter-{i}") for i in range(request.get("voters", 0))]
    if voters:
        votes = Vote.objects.filter(idea__challenge=challenge, account__in=voters)
        touched = list(votes.values_list("idea_id", flat=True).distinct())
        votes.delete()
        exact = Subquery(
            Vote.objects.filter(idea=OuterRef("pk"))
            .values("idea")
            .annotate(n=Count("id"))
            .values("n")
        )
        Idea.objects.filter(pk__in=touched).update(support_count=Coalesce(exact, 0))
    service_path = None
    if request.get("service_page"):
        from cms.models import ServicePage

        page = ServicePage.objects.live().order_by("pk").first()
        if page is not None:
            challenge.service_pages.add(page)
            service_path = page.url
    first = list(
        Idea.objects.filter(challenge=challenge)
        .order_by("-created_at", "-id")
        .values_list("pk", flat=True)[: request.get("first_ideas", 0)]
    )
    answer = {
        "challenge": challenge.pk,
        "ideas": first,
        "service_path": service_path,
        "voters": [_session(user) for user in voters],
    }
    if request.get("poster"):
        answer["api_token"] = _poster_token()
    return answer


def _poster_token() -> str:
    """A fresh API token of ``bench-poster``, whose screening history is cleared (the
    repeated-posting rule would hold its ideas after a few runs) and older tokens revoked."""
    from django.utils import timezone

    from api.models import ApiToken
    from api.services import token_create
    from community.moderation.models import Submission

    poster = _account("bench-poster")
    Submission.objects.filter(account=poster).delete()
    ApiToken.objects.filter(account=poster, revoked_at=None).update(revoked_at=timezone.now())
    _row, raw = token_create(user=poster, name="bench board storm")
    return raw


def costs(request: dict) -> dict:
    from django.conf import settings
    from django.test import override_settings

    # Pages render with the plain static storage: no collectstatic manifest needed here. An
    # empty in-process cache of their own, so a page is measured rendered afresh (what a
    # board costs after each change) and then served from the cache.
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    fresh = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    with override_settings(STORAGES={**settings.STORAGES, "staticfiles": static}, CACHES=fresh):
        return _costs(request)


def _costs(request: dict) -> dict:
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from ideas.consumers import BoardConsumer
    from ideas.models import Challenge

    challenge = Challenge.objects.get(slug=request["slug"])
    repeat = request.get("repeat", 5)
    client = Client(HTTP_HOST="127.0.0.1")
    out = {}
    from django.core.cache import cache

    for sort in ("trending", "top", "newest"):
        url = f"/ideas/challenges/{challenge.pk}/?sort={sort}"
        page_times = []
        for _ in range(repeat):
            cache.clear()
            began = time.perf_counter()
            client.get(url)
            page_times.append(time.perf_counter() - began)
        cache.clear()
        with CaptureQueriesContext(connection) as page_queries:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        with CaptureQueriesContext(connection) as cached_queries:
            client.get(url)
        consumer = BoardConsumer()
        consumer.scope = {"user": AnonymousUser()}
        consumer.challenge, consumer.sort, consumer.status = challenge, sort, ""
        with CaptureQueriesContext(connection) as snapshot_queries:
            data = consumer.build_snapshot()
        times = []
        for _ in range(repeat):
            began = time.perf_counter()
            data = consumer.build_snapshot()
            times.append(time.perf_counter() - began)
        out[sort] = {
            "page_queries": len(page_queries),
            "page_queries_cached": len(cached_queries),
            "page_fresh_ms": round(1000 * statistics.median(page_times), 2),
            "page_bytes": len(response.content),
            "snapshot_queries": len(snapshot_queries),
            "snapshot_bytes": len(json.dumps(data, separators=(",", ":"), default=str)),
            "snapshot_ideas": len(data["ideas"]),
            "snapshot_total": data["total"],
            "snapshot_build_ms": round(1000 * statistics.median(times), 2),
        }
    return out


CODESIGN_TITLE = "Benchmark: co-design load"
CODESIGN_PROMPTS = ["What works today?", "What gets in the way?", "What could we try?"]


def session(request: dict) -> dict:
    from django.core.cache import cache
    from django.utils import timezone

    from community.models import Membership, Role
    from community.moderation.models import Submission
    from ideas.codesign import actions
    from ideas.codesign.models import CodesignSession, Phase
    from realtime.consumers import CONNECTIONS_KEY

    challenge = _challenge("bench-codesign", 0)
    agency = challenge.agency
    facilitator = _account("bench-facilitator")
    Membership.objects.get_or_create(
        user=facilitator, organisation=agency, role=Role.SERVICE_DESIGNER
    )
    people = [_account(f"bench-codesign-{i}") for i in range(request["participants"])]
    CodesignSession.objects.filter(agency=agency, title=CODESIGN_TITLE).delete()
    Submission.objects.filter(account__in=[facilitator, *people]).delete()
    # Sockets of an earlier run whose server was stopped mid-run still count against each
    # account's connection limit until the counter expires: start every run from zero.
    cache.delete_many([CONNECTIONS_KEY.format(user_id=u.pk) for u in [facilitator, *people]])
    row = actions.session_create(
        user=facilitator,
        agency=agency,
        title=CODESIGN_TITLE,
        goal="Measure how fast a busy board applies notes.",
        scheduled_at=timezone.now(),
        prompts=CODESIGN_PROMPTS,
        challenge=challenge,
        hide_notes=False,
    )
    actions.participant_join(
        user=facilitator, session=row, persona=facilitator.personas.get(is_primary=True)
    )
    joined = [
        actions.participant_join(user=user, session=row, persona=user.personas.get(is_primary=True))
        for user in people
    ]
    for phase in (Phase.BRIEF, Phase.DIVERGE):
        row.refresh_from_db()
        row = actions.phase_set(user=facilitator, session=row, phase=phase, version=row.version)
    return {
        "session": row.pk,
        "path": f"/ws/sessions/{row.pk}/",
        "prompts": list(row.prompts.order_by("position").values_list("pk", flat=True)),
        "participants": [
            {"id": participant.pk, "cookie": _session(user)["cookie"]}
            for participant, user in zip(joined, people, strict=True)
        ],
    }


def state(request: dict) -> dict:
    from ideas.codesign.models import Note

    notes = Note.objects.filter(session_id=request["session"], is_hidden=False).values_list(
        "pk", "prompt_id", "group_id", "text", "version", "x", "y"
    )
    return {"notes": {str(pk): rest for pk, *rest in notes}}


ACTIONS = {"board": board, "costs": costs, "session": session, "state": state}


def main() -> None:
    request = json.loads(sys.stdin.readline())
    _setup()
    print(json.dumps(ACTIONS[request["action"]](request)))


if __name__ == "__main__":
    main()

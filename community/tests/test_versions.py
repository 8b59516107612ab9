"""Version stamps: they move after a change commits, never before and never on rollback."""

import pytest
from django.core.cache import cache
from django.db import transaction

from community import versions

pytestmark = pytest.mark.django_db


def test_a_stamp_moves_only_once_the_change_commits(django_capture_on_commit_callbacks):
    before = versions.current("things")
    with django_capture_on_commit_callbacks(execute=True):
        versions.bump("things")
        assert versions.current("things") == before  # readers still see the old data
    assert versions.current("things") != before


def test_a_rolled_back_change_moves_nothing(django_capture_on_commit_callbacks):
    before = versions.current("things")
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        versions.bump("things")
        raise RuntimeError
    assert versions.current("things") == before


def test_a_lost_stamp_never_comes_back_as_an_earlier_number(django_capture_on_commit_callbacks):
    seen = {versions.current("things")}
    with django_capture_on_commit_callbacks(execute=True):
        versions.bump("things")
    seen.add(versions.current("things"))
    cache.delete(versions.KEY.format(name="things"))  # evicted, or Redis restarted
    assert versions.current("things") not in seen
    cache.delete(versions.KEY.format(name="things"))
    with django_capture_on_commit_callbacks(execute=True):
        versions.bump("things")
    assert versions.current("things") not in seen


def test_read_gives_stamps_counters_and_entries_in_one_go():
    cache.set("counter:a", 7)
    stamp = versions.current("things")
    cache.set("entry:built", ((stamp, 7), "<p>built then</p>"))
    values, entries = versions.read(
        ["things"], ["counter:a", "counter:missing"], ["entry:built", "entry:missing"]
    )
    assert values == {"things": stamp, "counter:a": 7, "counter:missing": 0}
    assert versions.fresh(entries.get("entry:built"), (stamp, 7)) == "<p>built then</p>"
    assert versions.fresh(entries.get("entry:built"), (stamp, 8)) is None  # built under others
    assert versions.fresh(entries.get("entry:missing"), (stamp, 7)) is None


def test_a_change_committed_while_the_cache_is_away_is_not_lost_when_it_returns(
    django_capture_on_commit_callbacks, monkeypatch
):
    """A cached entry built before a change must not look current after the cache returns
    (FailSoftClient keeps nothing while Redis is away, so the bump itself is lost)."""
    stamp = versions.current("things")
    cache.set("entry:total", ((stamp,), 41))
    monkeypatch.setattr(versions, "_reachable", lambda: False)
    with django_capture_on_commit_callbacks(execute=True):
        versions.bump("things")  # the change commits; its stamp cannot be moved
    assert versions.current("things") == versions.UNAVAILABLE
    values, _ = versions.read(["things"])
    assert values["things"] == versions.UNAVAILABLE  # no entry is ever stored under it
    monkeypatch.setattr(versions, "_reachable", lambda: True)
    values, entries = versions.read(["things"], entries=["entry:total"])
    assert values["things"] not in (stamp, versions.UNAVAILABLE)
    assert versions.fresh(entries.get("entry:total"), (values["things"],)) is None
    assert versions.current("things") == values["things"]

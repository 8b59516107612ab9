"""The moderation demo: a queue with several kinds waiting, decided history, idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from community.models import User
from community.moderation import selectors
from community.moderation.models import Appeal, ModerationAction, ModerationCase, Report

pytestmark = pytest.mark.django_db


def _counts():
    return [m.objects.count() for m in (ModerationCase, Report, ModerationAction, Appeal)]


def test_the_demo_moderator_has_reports_and_holds_of_several_kinds_and_figures_to_show():
    call_command("seed_demo", quiet=True)
    moderator = User.objects.get(email="moderator@northvale.example")
    pending = list(selectors.queue(user=moderator))
    reported = {c.label for c in pending if c.report_count}
    assert {"ideas.idea", "ideas.comment", "exchange.post", "community.persona"} <= reported
    assert "exchange.message" in reported
    held = {c.label for c in pending if c.held}
    assert {"exchange.post", "exchange.message"} <= held
    (month,) = selectors.transparency()
    assert month["reports"] >= 10 and month["decisions"] == 4
    assert set(month["by_action"]) == {"hide", "approve", "edit", "warn"}
    assert month["median_seconds"] > 3600
    assert Appeal.objects.filter(state="open").exclude(assigned_to=moderator).exists()
    before = _counts()
    call_command("seed_demo", quiet=True)
    assert _counts() == before

"""The demo conversation: seeded through the real seed_demo, three groups on its report."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from ideas.conversations import opinion
from ideas.conversations.demo import TITLE
from ideas.conversations.models import Conversation

pytestmark = pytest.mark.django_db


def test_seed_demo_makes_a_live_conversation_whose_report_shows_three_groups(client):
    call_command("seed_demo", verbosity=0)
    conversation = Conversation.objects.get(title=TITLE)
    assert conversation.is_open and conversation.challenge is not None
    assert conversation.statements.count() == 12
    result = opinion.stored_result(conversation.pk)
    assert result is not None and result.enough
    assert len(result.groups) == 3
    assert result.consensus
    html = client.get(reverse("conversations:report", args=[conversation.pk])).content.decode()
    assert "300 participants" in html
    call_command("seed_demo", verbosity=0)
    assert Conversation.objects.filter(title=TITLE).count() == 1, "idempotent"

"""Every realtime event type has a payload schema, every publish is checked against it in
tests, and docs/realtime.md lists exactly the declared types."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from django.db import transaction

from realtime.events import EventSchemaError, declared, publish
from realtime.groups import stream

ROOT = Path(__file__).resolve().parent.parent
EVENT_MODULES = [
    "realtime.events",
    "community.events",
    "community.exchange.events",
    "ideas.events",
    "ideas.backlog.events",
    "ideas.codesign.events",
    "ideas.insight.events",
    "ideas.opinion.events",
]
EVENT_NAME = re.compile(r"^\s*\|\s*`([a-z_]+(?:\.[a-z_]+)+)`\s*\|", re.MULTILINE)


def _declared() -> dict:
    for module in EVENT_MODULES:
        importlib.import_module(module)
    return {name: event for name, event in declared().items() if not name.startswith("test.")}


def test_every_declared_event_type_has_an_object_schema():
    for name, event in _declared().items():
        assert event.schema.get("type") == "object", name
        assert event.schema.get("additionalProperties") is False, name


def test_the_protocol_document_lists_exactly_the_declared_event_types():
    documented = set(EVENT_NAME.findall((ROOT / "docs" / "realtime.md").read_text()))
    names = set(_declared())
    assert names - documented == set(), "declared but not in docs/realtime.md"
    assert documented - names == set(), "in docs/realtime.md but never declared"


@pytest.mark.django_db
def test_a_payload_that_breaks_its_schema_fails_where_it_is_published():
    from ideas.events import IDEA_VOTE_CHANGED

    board = stream("board", 1)
    with transaction.atomic():
        publish(stream=board, type=IDEA_VOTE_CHANGED, object_id=1, data={"support_count": 3})
        with pytest.raises(EventSchemaError, match="support_count"):
            publish(stream=board, type=IDEA_VOTE_CHANGED, object_id=1, data={"support_count": "3"})
        with pytest.raises(EventSchemaError, match="Additional properties"):
            publish(
                stream=board,
                type=IDEA_VOTE_CHANGED,
                object_id=1,
                data={"support_count": 3, "voter_email": "someone@example.org"},
            )
        with pytest.raises(EventSchemaError, match="required"):
            publish(stream=board, type=IDEA_VOTE_CHANGED, object_id=1, data={})

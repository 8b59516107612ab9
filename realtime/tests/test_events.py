"""publish(): serialise now, send after commit, nothing on rollback, sequence per stream."""

import pytest
from channels.layers import get_channel_layer
from django.db import transaction

from realtime.events import HEALTH_PONG, current_sequence, declare, publish
from realtime.groups import group_for, stream

pytestmark = pytest.mark.django_db(transaction=True)

TEST_EVENT = declare("test.happened", "Used by the realtime tests.")


async def _listen(stream_name):
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add(group_for(stream_name), channel)
    return layer, channel


def test_undeclared_event_type_fails_where_it_is_made():
    with pytest.raises(ValueError, match="undeclared"):
        publish(stream="health", type="nobody.declared.this", object_id=1, data={})


def test_unserialisable_payload_fails_where_it_is_made():
    with pytest.raises(TypeError):
        publish(stream="health", type=HEALTH_PONG, object_id=1, data={"x": object()})


def test_invalid_stream_names_are_refused():
    with pytest.raises(ValueError):
        stream("Board With Spaces", 1)
    with pytest.raises(ValueError):
        stream("board", "1;drop")


async def test_event_is_sent_only_after_commit_and_numbered():
    from asgiref.sync import sync_to_async

    name = stream("board", 99)
    layer, channel = await _listen(name)

    def write(rollback: bool):
        try:
            with transaction.atomic():
                publish(stream=name, type=TEST_EVENT, object_id=1, data={"n": 1})
                if rollback:
                    raise RuntimeError("roll back")
        except RuntimeError:
            pass

    await sync_to_async(write)(True)
    await sync_to_async(write)(False)
    message = await layer.receive(channel)
    assert message["seq"] == 1
    assert message["event"] == TEST_EVENT
    assert await sync_to_async(current_sequence)(name) == 1

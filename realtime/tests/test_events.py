"""publish(): serialise now, send after commit, nothing on rollback, sequence per stream."""

import json

import pytest
from channels.layers import get_channel_layer
from django.db import transaction

from realtime.events import HEALTH_PONG, current_sequence, current_sequences, declare, publish
from realtime.groups import group_for, stream
from realtime.schema import INT, obj

pytestmark = pytest.mark.django_db(transaction=True)

TEST_EVENT = declare(
    "test.happened", "Used by the realtime tests.", schema=obj({"n": INT, "i": INT})
)


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


async def test_events_published_at_once_arrive_in_sequence_order():
    import asyncio

    from realtime.events import apublish

    name = stream("board", 98)
    layer, channel = await _listen(name)
    numbers = await asyncio.gather(
        *(apublish(stream=name, type=TEST_EVENT, object_id=i, data={"i": i}) for i in range(30))
    )
    received = [await layer.receive(channel) for _ in range(30)]
    assert sorted(numbers) == list(range(1, 31))
    assert [m["seq"] for m in received] == list(range(1, 31))


def _publish_from_own_loop(name: str, count: int) -> list[int]:
    """Publishes from a fresh event loop: its own channel-layer connections, like a process."""
    import asyncio

    from realtime.events import apublish

    async def run():
        return [
            await apublish(stream=name, type=TEST_EVENT, object_id=i, data={"i": i})
            for i in range(count)
        ]

    return asyncio.run(run())


async def test_two_publishers_sharing_redis_never_deliver_out_of_order():
    """The pub/sub layer numbers and publishes in one Redis step (PostgreSQL/Redis runs)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from django.conf import settings

    if "RedisPubSubChannelLayer" not in settings.CHANNEL_LAYERS["default"]["BACKEND"]:
        pytest.skip("needs REDIS_URL (the Redis pub/sub channel layer)")
    name = stream("board", 97)
    layer, channel = await _listen(name)
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(max_workers=2) as pool:
        sent = await asyncio.gather(
            *(loop.run_in_executor(pool, _publish_from_own_loop, name, 150) for _ in range(2))
        )
    received = [(await layer.receive(channel))["seq"] for _ in range(300)]
    assert sorted(sent[0] + sent[1]) == list(range(1, 301))
    assert received == list(range(1, 301))


def _publish_from_a_service_thread(name: str, count: int) -> None:
    """What a service does: publish after its write commits, from a thread with no loop."""
    for n in range(count):
        with transaction.atomic():
            publish(
                stream=name,
                type=HEALTH_PONG,
                object_id=n,
                data={"nonce": str(n), "process": "service"},
            )


async def test_services_and_consumers_publishing_at_once_share_one_gapless_sequence():
    """Services publish straight to Redis from their thread, consumers from the loop: the same
    script numbers both, so every listener gets 1..N in order (PostgreSQL/Redis runs)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from django.conf import settings

    if "RedisPubSubChannelLayer" not in settings.CHANNEL_LAYERS["default"]["BACKEND"]:
        pytest.skip("needs REDIS_URL (the Redis pub/sub channel layer)")
    from realtime.events import _redis_path, apublish

    assert _redis_path(get_channel_layer())
    name = stream("board", 98)
    layer, channel = await _listen(name)
    loop = asyncio.get_running_loop()
    with ThreadPoolExecutor(max_workers=2) as pool:
        threads = [
            loop.run_in_executor(pool, _publish_from_a_service_thread, name, 100) for _ in range(2)
        ]
        from_loop = [
            apublish(
                stream=name,
                type=HEALTH_PONG,
                object_id=n,
                data={"nonce": str(n), "process": "loop"},
            )
            for n in range(100)
        ]
        await asyncio.gather(*threads, *from_loop)
    received = [await layer.receive(channel) for _ in range(300)]
    assert [m["seq"] for m in received] == list(range(1, 301))
    assert sum('"service"' in m["data_json"] for m in received) == 200
    assert current_sequence(name) == 300


def test_sequences_of_several_streams_are_read_together():
    busy, quiet = stream("board", 97), stream("board", 96)
    for n in range(3):
        publish(stream=busy, type=TEST_EVENT, object_id=n, data={})  # no transaction: sent now
    assert current_sequences([busy, quiet]) == {busy: 3, quiet: 0}
    assert current_sequences([busy])[busy] == current_sequence(busy)


def test_a_service_publishing_first_in_a_process_needs_no_event_loop():
    """The first publish of a process may come from a worker thread or a command, with no
    event loop anywhere: it must still be sent (PostgreSQL/Redis runs)."""
    from django.conf import settings

    if "RedisPubSubChannelLayer" not in settings.CHANNEL_LAYERS["default"]["BACKEND"]:
        pytest.skip("needs REDIS_URL (the Redis pub/sub channel layer)")
    layer = get_channel_layer()
    vars(layer).pop("_rt_atomic", None)  # as in a fresh process
    name = stream("board", 95)
    publish(stream=name, type=TEST_EVENT, object_id=1, data={})  # no transaction: sent now
    assert current_sequence(name) == 1


def test_a_frame_is_built_once_per_event_and_never_reused_for_another():
    from realtime import events

    def message(**changes):
        base = {
            "type": "realtime.event",
            "stream": "board:1",
            "seq": 7,
            "event": "idea.created",
            "id": 3,
            "at": "2026-11-22T10:00:00+00:00",
            "data_json": '{"title":"Benches"}',
        }
        return {**base, **changes}

    events._frames.clear()
    first = events.client_frame(message())
    assert json.loads(first) == {
        "type": "idea.created",
        "stream": "board:1",
        "seq": 7,
        "id": 3,
        "at": "2026-11-22T10:00:00+00:00",
        "data": {"title": "Benches"},
    }
    assert events.client_frame(message()) is first  # each socket's copy: the same text
    assert len(events._frames) == 1
    # A viewer's own version of the data, or another event with the same number (a stream
    # numbered again after Redis lost its counter), gets its own frame.
    for changed in (
        {"data_json": '{"title":"Benches","text":"mine"}'},
        {"event": "idea.updated"},
        {"id": 4},
        {"at": "2026-11-22T10:00:01+00:00"},
        {"seq": 8},
        {"stream": "board:2"},
    ):
        other = json.loads(events.client_frame(message(**changed)))
        expected = {**message(), **changed}
        assert other["type"] == expected["event"] and other["id"] == expected["id"]
        assert other["seq"] == expected["seq"] and other["stream"] == expected["stream"]
        assert other["at"] == expected["at"]
        assert other["data"] == json.loads(expected["data_json"])

"""The benchmark harness's pure parts: percentiles, sequence gaps, frames, result files.

Benchmarks themselves never run in the test suite (``make bench``); these tests only prove
that what they report is computed correctly. No timing is asserted.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from channels.layers import get_channel_layer
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.urls import path

from bench import fanout
from bench.benchmarks.codesign import differing
from bench.endpoints import DirectRelayConsumer, RelayConsumer
from bench.loadclient import (
    CodesignSink,
    FanoutSink,
    Participant,
    compare_states,
    letters,
    mask_frame,
    parse_int,
)
from bench.results import Result, format_table, write_result
from bench.stats import Gaps, add_gaps, percentile, ratio, sequence_gaps, summarize

ROOT = Path(__file__).resolve().parent.parent


# -- percentiles --------------------------------------------------------------------------


def test_percentile_interpolates_between_ranks_like_numpy():
    values = [10, 20, 30, 40]
    assert percentile(values, 0) == 10
    assert percentile(values, 50) == 25
    assert percentile(values, 100) == 40
    assert percentile(values, 95) == pytest.approx(38.5)


def test_percentile_of_one_value_is_that_value_and_of_none_is_none():
    assert percentile([7.0], 99) == 7.0
    assert percentile([], 50) is None


def test_percentile_outside_0_to_100_is_refused():
    with pytest.raises(ValueError):
        percentile([1, 2], 101)


def test_summary_scales_to_milliseconds_and_orders_unsorted_input():
    summary = summarize([0.003, 0.001, 0.002], scale=1000)
    assert summary == {"count": 3, "mean": 2.0, "p50": 2.0, "p95": 2.9, "p99": 3.0, "max": 3.0}


def test_summary_of_nothing_reports_a_zero_count_and_no_numbers():
    assert summarize([]) == {
        "count": 0,
        "mean": None,
        "p50": None,
        "p95": None,
        "p99": None,
        "max": None,
    }


def test_ratio_is_none_without_a_baseline():
    assert ratio(150, 100) == 1.5
    assert ratio(150, 0) is None
    assert ratio(None, 100) is None


# -- sequence gaps ------------------------------------------------------------------------


def test_consecutive_sequence_has_no_gaps():
    assert sequence_gaps([4, 5, 6, 7]).clean


def test_skipped_numbers_are_counted_once_each():
    assert sequence_gaps([1, 2, 5, 6, 9]) == Gaps(missing=4)


def test_late_and_repeated_events_are_reported_separately():
    gaps = sequence_gaps([1, 3, 2, 3])
    assert gaps == Gaps(missing=0, duplicates=1, out_of_order=1)


def test_numbers_lost_before_the_first_arrival_count_when_the_start_is_known():
    assert sequence_gaps([3, 4], first=1) == Gaps(missing=2)
    assert sequence_gaps([3, 4]).clean


def test_gaps_add_up_over_clients_and_count_affected_clients():
    total, affected = add_gaps([Gaps(), Gaps(missing=2), Gaps(out_of_order=1)])
    assert total == Gaps(missing=2, out_of_order=1)
    assert affected == 2


# -- the load client's frames -------------------------------------------------------------


def _unmask(frame: bytes) -> tuple[int, bytes]:
    length = frame[1] & 0x7F
    offset = 2
    if length == 126:
        length, offset = int.from_bytes(frame[2:4], "big"), 4
    key = frame[offset : offset + 4]
    body = frame[offset + 4 :]
    assert len(body) == length
    return frame[0] & 0x0F, bytes(b ^ key[i % 4] for i, b in enumerate(body))


@pytest.mark.parametrize("size", [0, 5, 125, 126, 1000])
def test_client_frames_are_masked_and_decode_to_the_text_sent(size):
    text = ("x" * size).encode()
    frame = mask_frame(0x1, text)
    assert frame[0] == 0x81 and frame[1] & 0x80  # FIN + text, MASK bit set
    assert _unmask(frame) == (0x1, text)


def test_sequence_numbers_are_sliced_out_without_decoding_json():
    payload = b'{"type":"health.pong","seq":1234,"id":"b7x3"}'
    assert parse_int(payload, payload.find(b'"seq":') + 6) == 1234


class _Client:
    def __init__(self, index):
        self.index = index


def test_event_frames_are_matched_to_their_trigger_and_others_ignored():
    sink = FanoutSink("b1x", triggers=3, clients=2)
    frame = b'{"type":"health.pong","stream":"health","seq":%d,"id":"b1x%d","data":{}}'
    sink.on_text(_Client(0), frame % (8, 1), 1.5)
    sink.on_text(_Client(1), frame % (8, 1), 1.6)
    sink.on_text(_Client(1), b'{"type":"snapshot","seq":7,"data":{}}', 1.7)
    sink.on_text(_Client(1), b'{"seq":9,"id":"other5"}', 1.8)
    assert sink.received == [[], [1.5, 1.6], []]
    assert sink.seqs == [[8], [8]]
    assert sink.foreign == 1


def test_board_events_are_matched_to_their_vote_by_the_idea_id_they_carry():
    sink = FanoutSink("b1x", triggers=2, clients=1, ids=[41, 7])
    vote = b'{"type":"idea.vote_changed","stream":"board:3","seq":%d,"id":%d,"at":"x","data":{}}'
    sink.on_text(
        _Client(0),
        b'{"type":"snapshot","stream":"board:3","seq":5,"data":{"ideas":[{"id":7}]}}',
        1.0,
    )
    sink.on_text(_Client(0), vote % (6, 7), 1.5)
    sink.on_text(_Client(0), vote % (7, 41), 1.6)
    sink.on_text(_Client(0), vote % (8, 4), 1.7)  # an idea no vote of this run was for
    assert sink.received == [[1.6], [1.5]]
    assert sink.seqs == [[6, 7]]
    assert sink.foreign == 1


# -- co-design ----------------------------------------------------------------------------


class _Socket(_Client):
    alive = True

    def __init__(self, index):
        super().__init__(index)
        self.sent = []

    def send_text(self, text):
        self.sent.append(json.loads(text))


def _note(note_id, version, author=5, x=10):
    return {
        "id": note_id,
        "prompt": 1,
        "group": None,
        "text": "A bench",
        "x": x,
        "y": 20,
        "version": version,
        "author": {"id": author},
    }


def _frame(**fields):
    return json.dumps(fields).encode()


def _codesign_sink(me=5):
    person = Participant(0, me)
    sink = CodesignSink([person])
    socket = _Socket(0)
    sink.clients[0] = socket
    sink.on_text(socket, _frame(type="snapshot", seq=3, data={"notes": [_note(9, 2)]}), 0.0)
    return sink, person, socket


def test_codesign_apply_time_runs_from_send_to_the_senders_own_event_either_side_of_the_ack():
    sink, person, socket = _codesign_sink()
    assert person.own == [9] and person.versions == {9: 2}
    with mock.patch("bench.loadclient.perf", return_value=1.0):
        sink.send(person, "note_move", {"note": 9, "version": 2, "x": 30, "y": 20}, None)
    ref = socket.sent[-1]["ref"]
    sink.on_text(socket, _frame(type="ack", ref=ref, result={"note": 9, "version": 3}), 1.02)
    updated = _frame(type="note.updated", seq=4, id=9, data=_note(9, 3, x=30))
    sink.on_text(socket, updated, 1.05)
    with mock.patch("bench.loadclient.perf", return_value=2.0):
        sink.send(person, "note_add", {"text": "A shelter"}, None)
    ref = socket.sent[-1]["ref"]
    created = _frame(type="note.created", seq=5, id=11, data=_note(11, 1))
    sink.on_text(socket, created, 2.04)  # the event can overtake the ack
    sink.on_text(socket, _frame(type="ack", ref=ref, result={"note": 11}), 2.06)
    assert sink.apply_ms["note_move"] == [pytest.approx(50)]
    assert sink.apply_ms["note_add"] == [pytest.approx(40)]
    assert person.notes[9] == [1, None, "A bench", 3, 30, 20]
    assert person.own == [9, 11] and not person.applied_wait and not person.early


def test_a_stale_move_is_resent_with_the_version_from_the_snapshot_that_follows():
    sink, person, socket = _codesign_sink()
    sink.send(person, "note_move", {"note": 9, "version": 2, "x": 1, "y": 1}, None)
    ref = socket.sent[-1]["ref"]
    sink.on_text(socket, _frame(type="error", code="stale", ref=ref), 1.0)
    snapshot = _frame(type="snapshot", seq=6, data={"notes": [_note(9, 4)]})
    sink.on_text(socket, snapshot, 1.1)
    assert sink.stale_retries == 1 and not sink.errors
    assert socket.sent[-1]["type"] == "note_move" and socket.sent[-1]["version"] == 4
    assert socket.sent[-1]["ref"] != ref


def test_a_stale_move_carrying_the_notes_present_state_is_resent_at_once_on_that_version():
    sink, person, socket = _codesign_sink()
    sink.send(person, "note_move", {"note": 9, "version": 2, "x": 1, "y": 1}, None)
    ref = socket.sent[-1]["ref"]
    current = {"kind": "note", "note": _note(9, 5)}
    sink.on_text(socket, _frame(type="error", code="stale", ref=ref, current=current), 1.0)
    assert sink.stale_retries == 1 and not sink.errors and not person.retry
    assert socket.sent[-1]["version"] == 5 and socket.sent[-1]["ref"] != ref
    # The next move of that note chains on the resent one; the board waits for the event.
    assert person.chain[9] == 6 and person.notes[9][3] == 2


def test_a_skipped_sequence_number_is_counted_and_asks_for_a_snapshot():
    sink, person, socket = _codesign_sink(me=99)
    sink.on_text(socket, _frame(type="note.updated", seq=6, id=9, data=_note(9, 3)), 1.0)
    assert sink.missing == 2 and sink.gap_resyncs == 1
    assert socket.sent == [{"type": "resync"}]
    assert person.notes[9][3] == 3


def test_codesign_states_are_compared_note_by_note_against_the_most_common_one():
    same = {1: [1, None, "a", 2, 0, 0], 2: [1, None, "b", 1, 5, 5]}
    moved = {**same, 2: [1, None, "b", 2, 6, 6]}
    assert compare_states([same, dict(same)])["identical"] is True
    result = compare_states([same, same, moved])
    assert (result["identical"], result["clients_differing"], result["notes_differing"]) == (
        False,
        1,
        1,
    )
    assert result["reference"] == {"1": same[1], "2": same[2]}
    assert differing(result["reference"], {"1": same[1]}) == 1


def test_note_texts_are_unique_letters_without_digits():
    words = [letters(n) for n in range(2000)]
    assert len(set(words)) == 2000
    assert not any(ch.isdigit() for word in words for ch in word)


def test_steady_load_keeps_offered_deliveries_near_the_budget_within_bounds():
    assert fanout.steady_load(1000, seconds=10).rate == 1.0
    assert fanout.steady_load(10, seconds=10).rate == fanout.MAX_RATE
    assert fanout.steady_load(5000, seconds=10).rate == fanout.MIN_RATE
    assert fanout.steady_load(2000, seconds=2).count >= 6


def test_a_measurement_is_clean_only_with_every_event_in_order():
    good = {"clients": 3, "connected": 3, "missed": 0, "gaps": Gaps().as_dict()}
    assert fanout.clean(good)
    assert not fanout.clean({**good, "connected": 2})
    assert not fanout.clean({**good, "missed": 1})
    assert not fanout.clean({**good, "gaps": Gaps(out_of_order=1).as_dict()})


# -- result files -------------------------------------------------------------------------


def test_result_file_and_latest_carry_the_machine_and_the_numbers(tmp_path):
    meta = {"cpu_count": 2, "commit": "abc123", "timestamp": "2026-01-01T00:00:00+00:00"}
    first = Result("alpha", "first", {"n": 1}, ["a"], rows=[{"a": 1}], summary={"ok": True})
    second = Result("beta", "second", {}, ["b"], rows=[{"b": 2.5}])
    path = write_result(first, meta, directory=tmp_path)
    write_result(second, meta, directory=tmp_path)

    written = json.loads(path.read_text())
    assert path.name == "alpha.json"
    assert written["meta"]["cpu_count"] == 2
    assert written["meta"]["commit"] == "abc123"
    assert len(written["meta"]["load_average_end"]) == 3
    assert written["rows"] == [{"a": 1}]
    assert written["parameters"] == {"n": 1}
    latest = json.loads((tmp_path / "latest.json").read_text())
    assert set(latest) == {"alpha", "beta"}
    assert not list(tmp_path.glob("*.tmp"))


def test_table_aligns_columns_and_shows_missing_values():
    table = format_table(["name", "p99 ms"], [{"name": "relay", "p99 ms": 412.34}, {"name": "x"}])
    lines = table.splitlines()
    assert lines[0] == "| name  | p99 ms |"
    assert lines[2].endswith("|    412 |")
    assert lines[3].endswith("|      - |")
    assert len({len(line) for line in lines}) == 1


# -- the baselines on the server ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
async def test_relay_sends_a_message_from_one_socket_to_every_relay_socket():
    application = URLRouter(
        [
            path("relay/", RelayConsumer.as_asgi()),
            path("direct/", DirectRelayConsumer.as_asgi()),
        ]
    )
    sender = WebsocketCommunicator(application, "/relay/")
    listener = WebsocketCommunicator(application, "/direct/")
    try:
        assert (await sender.connect())[0]
        assert (await listener.connect())[0]
        await sender.send_to(text_data='{"seq":1,"id":"t1"}')
        assert await listener.receive_from() == '{"seq":1,"id":"t1"}'
        assert await sender.receive_from() == '{"seq":1,"id":"t1"}'
    finally:
        await sender.disconnect()
        await listener.disconnect()
        await get_channel_layer().flush()


@pytest.mark.django_db
def test_benchmark_endpoints_are_not_routed_by_default(client):
    response = client.get("/bench/ping", follow=True)
    assert response.status_code == 404
    assert b"pong" not in response.content


def test_the_site_routing_never_imports_benchmark_code():
    from realtime.routing import websocket_urlpatterns

    assert not any("bench" in str(p.pattern) for p in websocket_urlpatterns)
    source = (ROOT / "realtime" / "routing.py").read_text() + (
        ROOT / "config" / "urls.py"
    ).read_text()
    assert "bench" not in source


def test_the_benchmark_entry_point_routes_the_baselines_beside_the_site():
    script = (
        "import bench.asgi as entry;"
        "from django.test import Client;"
        "print(Client().get('/bench/ping').content.decode(), Client().get('/healthz').status_code);"
        "print(sorted(str(r.pattern) for r in entry.application.application_mapping"
        "['websocket'].application.inner.inner.inner.routes))"
    )
    env = {**os.environ, "DJANGO_DEBUG": "true", "STARTUP_CHECK": "false"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    body, routes = result.stdout.splitlines()[-2:]
    assert body.startswith("pong ")
    assert "ws/bench/relay/" in routes
    assert "ws/boards/<int:challenge_id>/" in routes


def test_unknown_channel_layer_backend_stops_start_up_with_one_line():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**env, "CHANNEL_LAYER_BACKEND": "rabbit"},
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert result.stderr.strip().splitlines() == [
        "configuration error: CHANNEL_LAYER_BACKEND='rabbit' is unknown: use pubsub or core."
    ]

"""The board storm's load-client bookkeeping (``bench.loadclient.BoardStormSink``): when each
client had its snapshot and the posted idea, and gaps after its snapshot. No timing asserted."""

from types import SimpleNamespace

from bench.loadclient import BoardStormSink
from bench.stats import sequence_gaps


def _client(index):
    return SimpleNamespace(index=index)


def test_the_posted_idea_counts_in_a_snapshot_or_as_an_event_and_gaps_start_after_the_snapshot():
    sink = BoardStormSink("k1x0", clients=2)
    first, second = _client(0), _client(1)
    # The first client's snapshot already shows the idea; the second gets it as an event.
    sink.on_text(first, b'{"type":"snapshot","stream":"board:1","seq":7,"data":{"t":"k1x0"}}', 1.0)
    sink.on_text(second, b'{"type":"snapshot","stream":"board:1","seq":6,"data":{}}', 1.5)
    sink.on_text(second, b'{"type":"idea.created","seq":7,"id":3,"data":{"t":"k1x0"}}', 2.0)
    sink.on_text(second, b'{"type":"idea.vote_changed","seq":9,"id":3,"data":{}}', 2.5)
    assert sink.has_idea == [1.0, 2.0]
    assert sink.snapshot_seq == [7, 6]
    assert sink.seqs == [[], [7, 9]]
    gaps = sequence_gaps(sink.seqs[1], sink.snapshot_seq[1] + 1)
    assert gaps.missing == 1  # number 8 never came


def test_a_frame_without_the_key_is_not_the_idea():
    sink = BoardStormSink("k1x0", clients=1)
    sink.on_text(_client(0), b'{"type":"snapshot","seq":0,"data":{"t":"k2x0"}}', 1.0)
    sink.on_text(_client(0), b'{"type":"idea.created","seq":1,"data":{"t":"other"}}', 2.0)
    assert sink.has_idea == [None]
    assert sink.seqs == [[1]]

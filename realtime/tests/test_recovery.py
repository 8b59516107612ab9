"""Shared snapshots (realtime.recovery): edge cases of the build every socket awaits."""

import asyncio

from realtime import recovery


class _Consumer:
    """What ``_frame_for`` needs of a consumer: the audience's frame, built under ``seq``."""

    def __init__(self, seq: int) -> None:
        self.seq = seq
        self.builds = 0

    async def audience_frame(self) -> dict:
        self.builds += 1
        return {"type": "snapshot", "stream": "board:1", "seq": self.seq, "data": {}}


def test_a_finished_build_under_an_older_number_is_built_again_not_awaited_for_ever(monkeypatch):
    """A build finished in this loop turn, its done callback not run yet, under a number older
    than the socket read: the socket must start a new build. Waiting on the finished task
    again returns at once without yielding, so the callback never ran and the process spun
    for ever (found in the co-design benchmark: a web process stopped answering)."""

    async def scenario():
        entry = recovery._Shared()
        entry.task = asyncio.get_running_loop().create_task(_Consumer(105).audience_frame())
        await asyncio.sleep(0)  # it finishes; no callback records it, as in that turn
        assert entry.task.done() and entry.frame is None
        entry.number = 1
        waits = 0
        real_shield = asyncio.shield

        def counted_shield(awaitable):
            nonlocal waits
            waits += 1
            assert waits < 50, "waits on the finished build again and again"
            return real_shield(awaitable)

        monkeypatch.setattr(asyncio, "shield", counted_shield)
        consumer = _Consumer(192)
        frame = await recovery._frame_for(entry, consumer, 192, seen=1)
        assert frame["seq"] == 192 and consumer.builds == 1
        assert entry.number == 2

    asyncio.run(scenario())

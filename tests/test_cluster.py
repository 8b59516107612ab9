"""Two daphne processes sharing PostgreSQL and Redis behave as one site.

Runs when the suite itself runs on PostgreSQL and Redis (CI's second run): it starts the same
processes as ``make run-cluster`` against a database of its own.
"""

import asyncio
import json
import os
import socket
import urllib.request
from urllib.parse import urlsplit, urlunsplit

import pytest
import websockets

from config.cluster import Cluster

pytestmark = pytest.mark.cluster


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def cluster():
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not database_url.startswith("postgres") or not redis_url:
        pytest.skip("needs DATABASE_URL (PostgreSQL) and REDIS_URL: run by .ci/run's second pass")
    parts = urlsplit(database_url)
    own_db = urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_cluster"))
    cluster = Cluster(
        database_url=own_db,
        redis_url=redis_url,
        ports=(_free_port(), _free_port()),
        seed=False,
        extra_env={"DJANGO_DEBUG": "true"},
    )
    cluster.prepare()
    cluster.start(timeout=90)
    try:
        yield cluster
    finally:
        cluster.stop()


def test_both_processes_serve_the_site_and_report_healthy(cluster):
    names = set()
    for url in cluster.urls():
        with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:
            body = json.loads(response.read())
        assert body["status"] == "ok"
        assert body["channel_layer"]["backend"] == "RedisPubSubChannelLayer"
        assert body["database"]["vendor"] == "postgresql"
        names.add(body["process"])
    assert names == {"web-1", "web-2"}


def test_event_published_through_one_process_reaches_a_client_of_the_other(cluster):
    first, second = (url.replace("http://", "ws://") for url in cluster.urls())

    async def scenario():
        async with (
            websockets.connect(f"{first}/ws/health/", origin=cluster.urls()[0]) as a,
            websockets.connect(f"{second}/ws/health/", origin=cluster.urls()[1]) as b,
        ):
            snapshot_a = json.loads(await a.recv())
            snapshot_b = json.loads(await b.recv())
            assert snapshot_a["data"]["process"] == "web-1"
            assert snapshot_b["data"]["process"] == "web-2"
            await a.send(json.dumps({"type": "ping", "nonce": "cross-process"}))
            while True:
                frame = json.loads(await asyncio.wait_for(b.recv(), timeout=10))
                if frame["type"] == "health.pong":
                    return frame

    frame = asyncio.run(scenario())
    assert frame["data"] == {"nonce": "cross-process", "process": "web-1"}
    assert frame["seq"] >= 1

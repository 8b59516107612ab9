"""``make run-cluster``'s shipped topology: nginx on one port routes websockets (/ws/) to the
daphne processes and everything else to gunicorn, as config/nginx.conf does in compose.yml.

The first tests check what config/cluster.py would start; the last ones start it (they need
the suite on PostgreSQL and Redis, CI's second run, and nginx: ``make proxy-deps``)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import websockets

from config import cluster as cluster_module
from config.cluster import Cluster, nginx_config, production_cluster

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)


def _upstreams(conf: str) -> dict[str, list[int]]:
    return {
        name: [int(port) for port in re.findall(r"server [\d.]+:(\d+);", body)]
        for name, body in re.findall(r"upstream (\w+) \{(.*?)\}", conf, re.S)
    }


def _routes(conf: str) -> dict[str, str]:
    return dict(re.findall(r"location (\S+) \{\s*proxy_pass http://(\w+);", conf))


def test_the_proxy_sends_websockets_to_daphne_and_pages_to_gunicorn(tmp_path):
    conf = nginx_config("127.0.0.1", 8080, (8001,), (8101, 8102), tmp_path)
    assert _routes(conf) == {"/ws/": "ws_servers", "/": "http_servers"}
    assert _upstreams(conf) == {"http_servers": [8001], "ws_servers": [8101, 8102]}
    ws_block = conf[conf.index("location /ws/") : conf.index("location / ")]
    assert 'Connection "upgrade"' in ws_block and "Upgrade $http_upgrade" in ws_block
    assert "listen 127.0.0.1:8080" in conf


@pytest.mark.skipif(NGINX is None, reason="nginx is not installed (make proxy-deps)")
def test_the_written_proxy_configuration_is_valid_nginx(tmp_path):
    for folder in ("temp", "logs"):
        (tmp_path / folder).mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(nginx_config("127.0.0.1", 8080, (8001,), (8101,), tmp_path))
    checked = subprocess.run(
        [NGINX, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", "stderr"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stderr


def test_run_cluster_starts_gunicorn_and_daphne_behind_nginx_for_each_web_process():
    cluster = production_cluster(4, "/usr/sbin/nginx")
    assert cluster.http_server == "gthread" and cluster.http_workers == 4
    assert len(cluster.ws_ports) == 4
    assert cluster.proxy_port == cluster_module.FRONT_PORT
    assert cluster.front_url == f"http://127.0.0.1:{cluster_module.FRONT_PORT}"


def test_without_nginx_run_cluster_serves_daphne_peers_on_their_own_ports():
    cluster = production_cluster(3, None)
    assert cluster.http_server == "daphne" and cluster.proxy_port is None
    assert len(cluster.ports) == 3 and cluster.ws_ports == ()


@pytest.mark.parametrize("value", ["0", "many", "-2", "65"])
def test_a_wrong_number_of_web_processes_is_refused_with_a_clear_message(monkeypatch, value):
    monkeypatch.setenv("WEB_PROCESSES", value)
    with pytest.raises(SystemExit, match="WEB_PROCESSES must be a whole number"):
        cluster_module.web_processes()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def proxied():
    database_url = os.environ.get("DATABASE_URL", "")
    redis_url = os.environ.get("REDIS_URL", "")
    if not database_url.startswith("postgres") or not redis_url:
        pytest.skip("needs DATABASE_URL (PostgreSQL) and REDIS_URL: run by .ci/run's second pass")
    if NGINX is None:
        pytest.skip("nginx is not installed (make proxy-deps)")
    parts = urlsplit(database_url)
    own_db = urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_cluster"))
    cluster = Cluster(
        database_url=own_db,
        redis_url=redis_url,
        ports=(_free_port(),),
        http_server="gthread",
        http_workers=2,
        ws_ports=(_free_port(), _free_port()),
        proxy_port=_free_port(),
        nginx=NGINX,
        worker=False,
        seed=False,
        extra_env={"DJANGO_DEBUG": "true"},
        log_dir=Path(__file__).resolve().parent.parent / "var" / "test-cluster-topology",
    )
    cluster.prepare()
    cluster.start(timeout=90)
    try:
        yield cluster
    finally:
        cluster.stop()


def _server_of(url: str) -> tuple[str, dict]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers.get("Server", ""), json.loads(response.read())


@pytest.mark.cluster
def test_pages_through_the_proxy_are_served_by_gunicorn(proxied):
    _, direct = _server_of(f"{proxied.urls()[0]}/healthz")
    _, through = _server_of(f"{proxied.front_url}/healthz")
    assert direct["process"] == through["process"] == "web-1"
    with urllib.request.urlopen(f"{proxied.front_url}/", timeout=10) as response:
        assert response.status == 200
        assert b"<html" in response.read()


@pytest.mark.cluster
def test_websockets_through_the_proxy_reach_daphne_and_events_cross_processes(proxied):
    ws = proxied.front_url.replace("http://", "ws://")

    async def scenario():
        # least_conn spreads two sockets held open at once over the two daphne processes.
        async with (
            websockets.connect(f"{ws}/ws/health/", origin=proxied.front_url) as a,
            websockets.connect(f"{ws}/ws/health/", origin=proxied.front_url) as b,
        ):
            first = json.loads(await a.recv())["data"]["process"]
            second = json.loads(await b.recv())["data"]["process"]
            await a.send(json.dumps({"type": "ping", "nonce": "through-the-proxy"}))
            while True:
                frame = json.loads(await asyncio.wait_for(b.recv(), timeout=10))
                if frame["type"] == "health.pong":
                    return {first, second}, frame

    processes, frame = asyncio.run(scenario())
    assert processes == {"ws-1", "ws-2"}
    assert frame["data"]["nonce"] == "through-the-proxy"

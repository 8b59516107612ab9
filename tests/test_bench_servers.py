"""The benchmark harness's HTTP servers (bench/servers.py, config.cluster.http_command) and
the per-CPU figures the capacity model in docs/operations.md is built from."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.benchmarks import http_baseline, scale_out
from config.cluster import (
    GTHREAD_THREADS,
    GUNICORN_OPTIONS,
    LISTEN_BACKLOG,
    SHIPPED_HTTP_SERVER,
    http_command,
)

ROOT = Path(__file__).resolve().parent.parent


def test_gunicorn_runs_sync_workers_on_the_wsgi_entry_point_with_the_shipped_options():
    command = http_command("gunicorn", "127.0.0.1", 9000, workers=3)
    assert Path(command[0]).name == "gunicorn"
    assert command[-1] == "config.wsgi:application"
    assert command[command.index("--workers") + 1] == "3"
    assert command[command.index("--worker-class") + 1] == "sync"
    assert command[command.index("--backlog") + 1] == str(LISTEN_BACKLOG)
    assert " ".join(GUNICORN_OPTIONS) in " ".join(command)
    assert "--no-control-socket" in command, "two gunicorns would share ~/.gunicorn's socket"


def test_gthread_workers_run_threads_and_are_what_run_cluster_ships():
    command = http_command("gthread", "127.0.0.1", 9000, workers=2)
    assert command[command.index("--worker-class") + 1] == "gthread"
    assert command[command.index("--threads") + 1] == str(GTHREAD_THREADS)
    assert SHIPPED_HTTP_SERVER == "gthread"
    assert http_baseline.SHIPPED.name == http_baseline.PROXIED.name == SHIPPED_HTTP_SERVER


def test_uvicorn_runs_on_uvloop_and_httptools_and_daphne_as_the_cluster_starts_it():
    command = http_command("uvicorn", "127.0.0.1", 9000, asgi_application="bench.asgi:application")
    assert command[command.index("--loop") + 1] == "uvloop"
    assert command[command.index("--http") + 1] == "httptools"
    assert command[-1] == "bench.asgi:application"
    daphne = http_command("daphne", "127.0.0.1", 9000)
    assert Path(daphne[0]).name == "daphne"
    assert f"tcp:port=9000:interface=127.0.0.1:backlog={LISTEN_BACKLOG}" in daphne


def test_an_unknown_http_server_is_refused():
    with pytest.raises(ValueError, match="unknown HTTP server"):
        http_command("tornado", "127.0.0.1", 9000)


def test_per_cpu_figures_scale_a_partly_busy_server_to_one_full_core():
    assert http_baseline.per_cpu({"rps": 150.0, "server_cpu_pct": 50.0}) == 300
    assert http_baseline.per_cpu({"rps": 150.0, "server_cpu_pct": 0}) is None
    assert scale_out.per_cpu({"deliveries_per_s": 9000.0, "server_cpu_pct": 180.0}) == 5000
    assert scale_out.per_cpu({"deliveries_per_s": None, "server_cpu_pct": 180.0}) is None


def test_the_benchmark_wsgi_entry_point_serves_the_baselines_beside_the_site():
    script = (
        "import io, bench.wsgi as entry\n"
        "def get(path):\n"
        "    out = {}\n"
        "    env = {'REQUEST_METHOD': 'GET', 'PATH_INFO': path, 'SERVER_NAME': 'localhost',\n"
        "           'SERVER_PORT': '80', 'HTTP_HOST': 'localhost', 'wsgi.url_scheme': 'http',\n"
        "           'wsgi.input': io.BytesIO(), 'wsgi.errors': io.StringIO()}\n"
        "    body = b''.join(entry.application(env, lambda s, h, e=None: out.update(s=s)))\n"
        "    return out['s'], body\n"
        "print(get('/bench/ping'), get('/healthz')[0])\n"
    )
    env = {**os.environ, "DJANGO_DEBUG": "true", "STARTUP_CHECK": "false"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "('200 OK', b'pong') 200 OK"


def test_the_shipped_server_is_measured_on_every_page_and_alternatives_on_fewer():
    chosen = [
        http_baseline.TRIVIAL,
        http_baseline.Page("home page", "/"),
        http_baseline.Page("board, 10,000 ideas", "/ideas/challenges/1/"),
        http_baseline.Page("service page", "/services/x/"),
    ]
    for server in (http_baseline.DAPHNE, http_baseline.SHIPPED, http_baseline.PROXIED):
        assert http_baseline.measured_pages(server, chosen) == chosen
    by_label = {s.label: s for s in http_baseline.SERVERS}
    uvicorn = http_baseline.measured_pages(by_label["uvicorn"], chosen)
    assert [p.label for p in uvicorn] == ["trivial view", "board, 10,000 ideas"]
    sync = http_baseline.measured_pages(by_label["gunicorn sync"], chosen)
    assert sync == [http_baseline.TRIVIAL], "every server's trivial view makes the baseline"

"""The servers a benchmark needs, started on free loopback ports and always stopped.

Built on :class:`config.cluster.Cluster` (the processes ``make run-cluster`` starts), with
the production-like settings a benchmark should measure: debug off, compressed static files,
log level WARNING, served by ``bench.asgi`` (the site plus the baselines). PostgreSQL database
``civic_bench`` and Redis db 12 by default (``BENCH_DATABASE_URL`` / ``BENCH_REDIS_URL``
override them); the database is created, migrated and seeded with the demo content once per
``python -m bench`` run.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import resource
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from config.cluster import (
    BASE_DIR,
    DAPHNE_OPTIONS,
    LISTEN_BACKLOG,
    Cluster,
    daphne_command,
    http_command,
)

DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/civic_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
# A copy of the benchmark database as migrated and still empty, kept as a template: another
# benchmark's own database (``search``) is created from it in a second instead of migrating
# its own for two minutes on a fresh machine.
SCHEMA_TEMPLATE = DATABASE_URL.rsplit("/", 1)[-1] + "_schema"
LOG_DIR = BASE_DIR / "var" / "bench"

# Channel layers a benchmark can ask for: "memory" runs without Redis (one process only).
LAYERS = ("memory", "pubsub", "core")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def raise_fd_limit() -> None:
    """Children inherit the limit: 2000 sockets need more than the usual 1024 descriptors."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


def rss_kb(pid: int) -> int:
    """Resident memory of ``pid`` in KiB (VmRSS in /proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of ``pid`` so far (fields 14 and 15 of /proc/<pid>/stat)."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def children(pid: int) -> list[int]:
    """Direct child processes of ``pid`` (gunicorn's and uvicorn's workers)."""
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found.extend(int(child) for child in task.read_text().split())
        except OSError:
            continue
    return found


def tree_cpu_seconds(pid: int) -> float:
    """CPU time of ``pid`` and its living children (a server's master and its workers)."""
    total = 0.0
    for each in (pid, *children(pid)):
        try:
            total += cpu_seconds(each)
        except OSError:  # a worker that just exited
            continue
    return total


@dataclass
class BenchCluster(Cluster):
    """:class:`Cluster` whose daphne processes may be started differently from production.

    By default each process is started exactly as ``Cluster`` (and production) starts it:
    ``config.cluster.daphne_command``. ``listen_backlog`` and ``daphne_options`` replace the
    shipped listen queue and options (``listen_backlog=0``: daphne's own ``-b/-p``, backlog
    50); ``daphne_args`` are added.
    """

    daphne_args: tuple[str, ...] = ()
    listen_backlog: int | None = LISTEN_BACKLOG
    daphne_options: tuple[str, ...] = DAPHNE_OPTIONS
    application: str = "bench.asgi:application"
    # Another HTTP server (config.cluster.HTTP_SERVERS) with ``http_workers`` workers per
    # port: gunicorn on bench.wsgi, uvicorn on bench.asgi (HTTP only for gunicorn).
    http_server: str = "daphne"
    http_workers: int = 1

    def start(self, timeout: float = 60) -> None:
        if self.http_server != "daphne":
            for index, port in enumerate(self.ports, start=1):
                command = http_command(
                    self.http_server,
                    self.host,
                    port,
                    workers=self.http_workers,
                    wsgi_application="bench.wsgi:application",
                    asgi_application=self.application,
                )
                self._spawn(f"web-{index}", command)
            if self.proxy_port is not None:
                self._spawn("proxy", self._nginx_command())
            self.wait_healthy(timeout)
            return
        daphne = str(Path(sys.executable).with_name("daphne"))
        for index, port in enumerate(self.ports, start=1):
            command = daphne_command(
                daphne,
                self.host,
                port,
                backlog=self.listen_backlog,
                options=(*self.daphne_options, *self.daphne_args),
                application=self.application,
            )
            self._spawn(f"web-{index}", command)
        self.wait_healthy(timeout)


@dataclass
class Running:
    """Started daphne processes: their URLs and process ids, and probes for CPU and memory."""

    cluster: BenchCluster
    layer: str

    @property
    def urls(self) -> list[str]:
        return self.cluster.urls()

    @property
    def front_url(self) -> str:
        """The proxy's URL when one was started, else the first process's."""
        return self.cluster.front_url

    @property
    def ws_urls(self) -> list[str]:
        return [url.replace("http://", "ws://", 1) for url in self.urls]

    @property
    def pids(self) -> list[int]:
        return [process.pid for process in self.cluster.processes]

    def cpu_seconds(self) -> float:
        """CPU time of the servers so far, their worker processes included."""
        return sum(tree_cpu_seconds(pid) for pid in self.pids)

    def rss_kb(self) -> list[int]:
        return [rss_kb(pid) for pid in self.pids]

    def check_alive(self) -> None:
        for process in self.cluster.processes:
            if process.poll() is not None:
                raise RuntimeError(
                    f"{process.name} exited with {process.returncode}; see {LOG_DIR}"  # type: ignore[attr-defined]
                )

    def wait_idle(self, below: float = 0.15, settle: float = 0.5, timeout: float = 20) -> None:
        """Wait until the servers use under ``below`` of a core (closing sockets, GC)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            before = self.cpu_seconds()
            time.sleep(settle)
            if (self.cpu_seconds() - before) / settle < below * len(self.pids):
                return


@dataclass
class Servers:
    """Starts servers for one ``python -m bench`` run; prepares the database once."""

    database_url: str = DATABASE_URL
    redis_url: str = REDIS_URL
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(50))
    webhook_key: str = field(
        default_factory=lambda: base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    )
    _prepared: bool = False
    _static: bool = False

    def env(self, layer: str) -> dict[str, str]:
        env = {
            "DJANGO_DEBUG": "false",
            "SECRET_KEY": self.secret,
            "WEBHOOK_SECRET_KEYS": self.webhook_key,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "LOG_LEVEL": "WARNING",
            "LOG_FORMAT": "text",
        }
        if layer != "memory":
            env["CHANNEL_LAYER_BACKEND"] = layer
        if os.environ.get("BENCH_PROFILE"):  # profile the servers (bench/asgi.py)
            env["BENCH_PROFILE"] = os.environ["BENCH_PROFILE"]
        return env

    def cluster(self, layer: str, ports: tuple[int, ...], **options) -> BenchCluster:
        if layer not in LAYERS:
            raise ValueError(f"unknown channel layer {layer!r}; use one of {LAYERS}")
        return BenchCluster(
            database_url=self.database_url,
            redis_url="" if layer == "memory" else self.redis_url,
            ports=ports,
            worker=False,
            seed=True,
            extra_env=self.env(layer),
            log_dir=LOG_DIR,
            **options,
        )

    def prepare(self) -> None:
        """Create, migrate and seed the benchmark database (once per run)."""
        if self._prepared:
            return
        print(f"Preparing {self.database_url} (migrate, demo content) …", flush=True)
        cluster = self.cluster("pubsub", (0,))
        fresh = not _database_exists(self.database_url)
        cluster.prepare(after_migrate=_keep_schema_template if fresh else None)
        self._prepared = True

    def collectstatic(self) -> None:
        """Pages render with the compressed-manifest static storage used in production."""
        if self._static:
            return
        print("Collecting static files …", flush=True)
        cluster = self.cluster("pubsub", (0,))
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=BASE_DIR,
            env=cluster.env,
            check=True,
        )
        self._static = True

    def data(self, request: dict) -> dict:
        """Run a :mod:`bench.prepare` request against the benchmark database (prepared first)."""
        self.prepare()
        cluster = self.cluster("pubsub", (0,))
        done = subprocess.run(
            [sys.executable, "-m", "bench.prepare"],
            cwd=BASE_DIR,
            env=cluster.env,
            input=json.dumps(request) + "\n",
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"bench.prepare {request['action']} failed:\n{done.stderr[-3000:]}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    @contextlib.contextmanager
    def start(
        self,
        *,
        layer: str = "pubsub",
        processes: int = 1,
        static: bool = False,
        daphne_args: tuple[str, ...] = (),
        listen_backlog: int | None = LISTEN_BACKLOG,
        daphne_options: tuple[str, ...] = DAPHNE_OPTIONS,
        http_server: str = "daphne",
        http_workers: int = 1,
        proxy: bool = False,
        env: dict[str, str] | None = None,
    ) -> Iterator[Running]:
        """daphne processes on free ports with ``layer``; stopped on exit, whatever happens.

        ``http_server`` starts another HTTP server instead (``config.cluster.HTTP_SERVERS``),
        ``http_workers`` worker processes on each port; ``proxy``: nginx in front of it, as
        ``make run-cluster`` starts it (its CPU counted with the servers'). ``env``: environment
        settings added for this benchmark's servers only."""
        if layer == "memory" and processes != 1:
            raise ValueError("the in-memory channel layer cannot span processes")
        self.prepare()
        if static:
            self.collectstatic()
        raise_fd_limit()
        ports = tuple(free_port() for _ in range(processes))
        cluster = self.cluster(
            layer,
            ports,
            daphne_args=daphne_args,
            listen_backlog=listen_backlog,
            daphne_options=daphne_options,
            http_server=http_server,
            http_workers=http_workers,
            proxy_port=free_port() if proxy else None,
        )
        cluster.extra_env.update(env or {})
        try:
            cluster.start(timeout=120)
            running = Running(cluster, layer)
            running.wait_idle()
            yield running
        finally:
            cluster.stop()


def _admin_url(url: str) -> str:
    return url.rsplit("/", 1)[0] + "/postgres"


def _database_exists(url: str) -> bool:
    import psycopg

    if not url.startswith("postgres"):
        return True
    with psycopg.connect(_admin_url(url), autocommit=True, connect_timeout=5) as conn:
        name = url.rsplit("/", 1)[-1]
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone())


def _keep_schema_template(url: str) -> None:
    """Copy the just-migrated, still empty benchmark database to :data:`SCHEMA_TEMPLATE`."""
    import psycopg

    with psycopg.connect(_admin_url(url), autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{SCHEMA_TEMPLATE}"')
        try:
            conn.execute(f'CREATE DATABASE "{SCHEMA_TEMPLATE}" TEMPLATE "{url.rsplit("/", 1)[-1]}"')
        except psycopg.Error as exc:  # someone is connected to it: the copy is only a shortcut
            print(f"  (no schema template: {exc})", flush=True)

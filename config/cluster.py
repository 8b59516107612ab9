"""The production topology without Docker: ``make run-cluster`` / ``python -m config.cluster``.

Mirrors ``compose.yml``: HTTP on gunicorn's threaded workers (``config.wsgi``), websockets on
daphne processes (``config.asgi``), nginx in front on one port routing ``/ws/`` to daphne and
everything else to gunicorn, all sharing one PostgreSQL database and one Redis (channel layer
and cache), plus a background task worker and the daily-jobs scheduler. ``WEB_PROCESSES``
(default 2) is the number of gunicorn workers and of daphne processes. Without nginx on the
PATH (``make proxy-deps`` installs Debian's), each web process is a daphne serving both, on
its own port, as before (docs/operations.md). Tests and benchmarks use :class:`Cluster`
directly to start and stop the same processes.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/civic"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"

# How every web process is started (here, in compose.yml and in the Dockerfile): a listen
# queue of 1024 instead of Twisted's 50, and 30 s instead of 5 s for the application to accept
# a websocket, so a connect storm of 2000 sockets on one process queues instead of failing
# (measured by bench/benchmarks/connect_storm.py; docs/performance.md).
LISTEN_BACKLOG = 1024
DAPHNE_OPTIONS = ("--websocket_connect_timeout", "30")

# HTTP servers a web process can run (docs/operations.md, docs/performance.md: measured on the
# same code and settings by bench/benchmarks/http_baseline.py). daphne serves HTTP and
# websockets; gunicorn (WSGI, config.wsgi: "gunicorn" its sync workers, "gthread" its
# threaded ones) and uvicorn (ASGI on uvloop and httptools) are measured for HTTP. The
# shipped topology (SHIPPED_HTTP_SERVER): HTTP on gunicorn gthread workers, websockets on
# daphne, the proxy routing /ws/ to daphne.
HTTP_SERVERS = ("daphne", "gunicorn", "gthread", "uvicorn")
SHIPPED_HTTP_SERVER = "gthread"
# gunicorn's workers hold one request per thread; slow clients would hold them, which is
# why they sit behind the proxy (nginx buffers requests and responses). 30 s as daphne's;
# no control socket: it is one per user (~/.gunicorn), so two gunicorns would share it.
GUNICORN_OPTIONS = (
    "--timeout",
    "30",
    "--graceful-timeout",
    "10",
    "--keep-alive",
    "5",
    "--no-control-socket",
)
GTHREAD_THREADS = 4


def http_command(
    server: str,
    host: str,
    port: int,
    *,
    workers: int = 1,
    backlog: int = LISTEN_BACKLOG,
    wsgi_application: str = "config.wsgi:application",
    asgi_application: str = "config.asgi:application",
) -> list[str]:
    """The command line for an HTTP server of ``workers`` worker processes on ``port``.

    ``daphne`` is one process whatever ``workers`` says (use several ports for several)."""
    bin_dir = Path(sys.executable).parent
    if server == "daphne":
        return daphne_command(
            str(bin_dir / "daphne"), host, port, backlog=backlog, application=asgi_application
        )
    if server in ("gunicorn", "gthread"):
        kind = ["--worker-class", "sync"]
        if server == "gthread":
            kind = ["--worker-class", "gthread", "--threads", str(GTHREAD_THREADS)]
        return [
            str(bin_dir / "gunicorn"),
            "--bind",
            f"{host}:{port}",
            "--workers",
            str(workers),
            *kind,
            "--backlog",
            str(backlog),
            *GUNICORN_OPTIONS,
            wsgi_application,
        ]
    if server == "uvicorn":
        return [
            str(bin_dir / "uvicorn"),
            "--host",
            host,
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--loop",
            "uvloop",
            "--http",
            "httptools",
            "--backlog",
            str(backlog),
            "--lifespan",
            "off",
            "--no-access-log",
            asgi_application,
        ]
    raise ValueError(f"unknown HTTP server {server!r}; use one of {HTTP_SERVERS}")


def daphne_command(
    daphne: str,
    host: str,
    port: int,
    *,
    backlog: int | None = LISTEN_BACKLOG,
    options: tuple[str, ...] = DAPHNE_OPTIONS,
    application: str = "config.asgi:application",
) -> list[str]:
    """The daphne command line for one web process (``backlog=None``: daphne's -b/-p)."""
    if backlog:
        bind = ["-e", f"tcp:port={port}:interface={host}:backlog={backlog}"]
    else:
        bind = ["-b", host, "-p", str(port)]
    return [daphne, *bind, *options, application]


def ensure_postgres_database(url: str) -> None:
    """Create the database named in ``url`` if it does not exist yet."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def nginx_config(
    host: str, port: int, http_ports: tuple[int, ...], ws_ports: tuple[int, ...], root: Path
) -> str:
    """nginx in front of the cluster, as config/nginx.conf is in compose.yml: ``/ws/`` to the
    daphne processes (the least busy first: websockets stay open), the rest to the HTTP
    servers over kept-alive connections. Runs as the user who starts it, files under ``root``.
    """
    http = "\n".join(f"        server {host}:{p};" for p in http_ports)
    ws = "\n".join(f"        server {host}:{p};" for p in ws_ports)
    temp = root / "temp"
    # Started as root, nginx's workers would switch to "nobody", who cannot write the
    # temporary files under ``root``.
    user = "user root;\n" if os.geteuid() == 0 else ""
    return f"""# Written by config/cluster.py for make run-cluster; rewritten at every start.
{user}daemon off;
worker_processes 1;
pid {root}/nginx.pid;
error_log stderr warn;
events {{
    worker_connections 8192;
}}
http {{
    access_log off;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    client_max_body_size 12m;
    upstream http_servers {{
{http}
        keepalive 32;
    }}
    upstream ws_servers {{
        least_conn;
{ws}
    }}
    server {{
        listen {host}:{port} backlog={LISTEN_BACKLOG};
        location /ws/ {{
            proxy_pass http://ws_servers;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection "upgrade";
            proxy_read_timeout 3600s;
        }}
        location / {{
            proxy_pass http://http_servers;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header Connection "";
        }}
    }}
}}
"""


@dataclass
class Cluster:
    database_url: str = DEFAULT_DATABASE_URL
    redis_url: str = DEFAULT_REDIS_URL
    ports: tuple[int, ...] = (8001, 8002)
    host: str = "127.0.0.1"
    worker: bool = True
    # The daily-jobs clock (open-data rebuild); off for tests and benchmarks, on in main().
    scheduler: bool = False
    seed: bool = True
    extra_env: dict[str, str] = field(default_factory=dict)
    log_dir: Path = BASE_DIR / "var" / "cluster"
    processes: list[subprocess.Popen] = field(default_factory=list)
    # What ``ports`` serve: daphne (HTTP and websockets, one process each) or another HTTP
    # server of HTTP_SERVERS with ``http_workers`` workers on each port.
    http_server: str = "daphne"
    http_workers: int = 1
    # daphne processes for websockets only (ws-1, ws-2, …), and nginx on ``proxy_port``
    # routing /ws/ to them and the rest to ``ports``: the shipped topology.
    ws_ports: tuple[int, ...] = ()
    proxy_port: int | None = None
    nginx: str | None = None

    @property
    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "REDIS_URL": self.redis_url,
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        return env

    def urls(self) -> list[str]:
        """The web processes' own URLs (HTTP, and websockets when they are daphne)."""
        return [f"http://{self.host}:{port}" for port in self.ports]

    def ws_urls(self) -> list[str]:
        """The websocket processes' own URLs (``ws_ports``, or the web processes')."""
        return [f"http://{self.host}:{port}" for port in self.ws_ports or self.ports]

    @property
    def front_url(self) -> str:
        """Where a browser goes: the proxy when there is one, else the first web process."""
        if self.proxy_port is not None:
            return f"http://{self.host}:{self.proxy_port}"
        return self.urls()[0]

    def _manage(self, *args: str) -> None:
        subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=self.env, check=True)

    def prepare(self, after_migrate: Callable[[str], None] | None = None) -> None:
        """Create the database if needed, migrate it and load the demo content
        (``after_migrate(database_url)`` runs between the two)."""
        if urlsplit(self.database_url).scheme.startswith("postgres"):
            ensure_postgres_database(self.database_url)
        self._manage("migrate", "--noinput", "-v0")
        if after_migrate is not None:
            after_migrate(self.database_url)
        if self.seed:
            self._manage("seed_demo", "--quiet")

    def _spawn(self, name: str, command: list[str]) -> None:
        self.log_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 - owned by the process
        env = {**self.env, "PROCESS_NAME": name}
        process = subprocess.Popen(
            command, cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        process.name = name  # type: ignore[attr-defined]
        self.processes.append(process)

    def start(self, timeout: float = 60) -> None:
        daphne = str(Path(sys.executable).with_name("daphne"))
        for index, port in enumerate(self.ports, start=1):
            if self.http_server == "daphne":
                command = daphne_command(daphne, self.host, port)
            else:
                command = http_command(self.http_server, self.host, port, workers=self.http_workers)
            self._spawn(f"web-{index}", command)
        # Behind nginx, as in compose.yml: the client's address from X-Forwarded-For.
        ws_options = (*DAPHNE_OPTIONS, "--proxy-headers") if self.proxy_port else DAPHNE_OPTIONS
        for index, port in enumerate(self.ws_ports, start=1):
            self._spawn(f"ws-{index}", daphne_command(daphne, self.host, port, options=ws_options))
        if self.proxy_port is not None:
            self._spawn("proxy", self._nginx_command())
        if self.worker:
            self._spawn(
                "worker", [sys.executable, "manage.py", "task_worker", "--worker-id", "worker"]
            )
        if self.scheduler:
            self._spawn("scheduler", [sys.executable, "manage.py", "open_data_scheduler"])
        self.wait_healthy(timeout)

    def _nginx_command(self) -> list[str]:
        nginx = self.nginx or shutil.which("nginx") or "/usr/sbin/nginx"
        root = (self.log_dir / "nginx").resolve()
        for folder in ("temp", "logs"):
            (root / folder).mkdir(parents=True, exist_ok=True)
        conf = root / "nginx.conf"
        conf.write_text(
            nginx_config(
                self.host,
                self.proxy_port or 0,
                self.ports,
                self.ws_ports or self.ports,
                root,
            )
        )
        return [nginx, "-p", str(root), "-c", str(conf), "-e", "stderr"]

    def wait_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        pending = set(self.urls()) | set(self.ws_urls())
        if self.proxy_port is not None:
            pending.add(self.front_url)
        while pending:
            for process in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(
                        f"{process.name} exited with {process.returncode}; "  # type: ignore[attr-defined]
                        f"see {self.log_dir}"
                    )
            for url in list(pending):
                try:
                    with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310 - our own loopback URL
                        if response.status == 200:
                            pending.discard(url)
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    pass
            if pending:
                if time.monotonic() > deadline:
                    raise TimeoutError(f"not healthy after {timeout}s: {sorted(pending)}")
                time.sleep(0.3)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()

    def __enter__(self) -> Cluster:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


DEFAULT_WEB_PROCESSES = 2
FRONT_PORT = 8080  # the proxy's port, as compose.yml publishes it
HTTP_PORT = 8001  # gunicorn
WS_BASE_PORT = 8101  # daphne ws-1, ws-2, …
PEER_BASE_PORT = 8001  # without nginx: daphne web-1, web-2, …


def web_processes() -> int:
    value = os.environ.get("WEB_PROCESSES") or str(DEFAULT_WEB_PROCESSES)
    try:
        count = int(value)
    except ValueError:
        count = 0
    if not 1 <= count <= 64:
        raise SystemExit(f"WEB_PROCESSES must be a whole number from 1 to 64, not {value!r}.")
    return count


def production_cluster(count: int, nginx: str | None) -> Cluster:
    """What ``make run-cluster`` starts: ``count`` gunicorn workers and daphne processes
    behind nginx, or, without nginx, ``count`` daphne peers on their own ports."""
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    if nginx is None:
        return Cluster(
            database_url=database_url,
            redis_url=redis_url,
            scheduler=True,
            ports=tuple(PEER_BASE_PORT + i for i in range(count)),
        )
    return Cluster(
        database_url=database_url,
        redis_url=redis_url,
        scheduler=True,
        ports=(HTTP_PORT,),
        http_server=SHIPPED_HTTP_SERVER,
        http_workers=count,
        ws_ports=tuple(WS_BASE_PORT + i for i in range(count)),
        proxy_port=FRONT_PORT,
        nginx=nginx,
    )


def main() -> None:
    nginx = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    cluster = production_cluster(web_processes(), nginx)
    # With debug off, pages are served through the static manifest (WhiteNoise's
    # CompressedManifestStaticFilesStorage); without `collectstatic` every page answers 500
    # "Missing staticfiles manifest". Collect first, every time (it only copies what changed).
    print("Collecting static files (manage.py collectstatic) …", flush=True)
    cluster._manage("collectstatic", "--noinput", "-v0")
    print(f"Preparing {cluster.database_url} …", flush=True)
    cluster.prepare()
    cluster.start()
    print("Cluster is up (logs in var/cluster/):", flush=True)
    if cluster.proxy_port is not None:
        print(f"  {cluster.front_url}/  (nginx: /ws/ to daphne, the rest to gunicorn)", flush=True)
        print(
            f"  gunicorn, {cluster.http_workers} workers of {GTHREAD_THREADS} threads: "
            f"{cluster.urls()[0]}/",
            flush=True,
        )
        for url in cluster.ws_urls():
            print(f"  daphne (websockets): {url}/ws/", flush=True)
    else:
        print(
            "  nginx is not installed (make proxy-deps), so each daphne process serves HTTP "
            "and websockets on its own port:",
            flush=True,
        )
        for url in cluster.urls():
            print(f"  {url}/", flush=True)
    print("  worker: manage.py task_worker", flush=True)
    print("  scheduler: manage.py open_data_scheduler\nPress Ctrl-C to stop.", flush=True)
    try:
        while all(p.poll() is None for p in cluster.processes):
            time.sleep(1)
        print("A process exited; stopping the cluster.", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()

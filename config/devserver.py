"""The whole product on one machine: ``make run`` / ``python -m config.devserver``.

Starts the web process (daphne: HTTP and websockets) and the background task worker
(``manage.py task_worker``: emails, text messages, search indexing, webhooks, exports) side by
side, prints where the site is served, and stops both together on Ctrl-C or SIGTERM — or as
soon as either exits, so a half-running product is never left behind.

Both processes write to this terminal: the console email backend (debug) prints every email,
with links to the address actually served (``SITE_URL`` follows ``HOST``/``PORT`` unless set).
The browser journeys (``tests/e2e/conftest.py``) start the site through :class:`DevServer` so
they test what ``make run`` serves.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from config import env

BASE_DIR = Path(__file__).resolve().parent.parent
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
WORKER_ID = "devserver"


@dataclass
class DevServer:
    """daphne plus the task worker, started and stopped together."""

    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    worker: bool = True
    extra_env: dict[str, str] = field(default_factory=dict)
    # Where both processes write; None: this process's own stdout (the terminal).
    output: IO | None = None
    processes: list[subprocess.Popen] = field(default_factory=list)

    @property
    def url(self) -> str:
        return env.site_url(self.host, str(self.port))

    @property
    def environ(self) -> dict[str, str]:
        # HOST/PORT reach both processes, so SITE_URL (unless set) follows them in settings.
        return {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            **self.extra_env,
            "HOST": self.host,
            "PORT": str(self.port),
        }

    def commands(self) -> list[tuple[str, list[str]]]:
        from config.cluster import daphne_command

        daphne = str(Path(sys.executable).with_name("daphne"))
        if not Path(daphne).exists():
            daphne_cmd = [sys.executable, "-m", "daphne", "-b", self.host, "-p", str(self.port)]
            web = [*daphne_cmd, "config.asgi:application"]
        else:
            web = daphne_command(daphne, self.host, self.port, backlog=None)
        commands = [("web", web)]
        if self.worker:
            # A stable id: a task left RUNNING by a worker stopped mid-task is queued again
            # when the next `make run` starts (community/management/commands/task_worker.py).
            worker = [sys.executable, "manage.py", "task_worker", "--worker-id", WORKER_ID]
            commands.append(("worker", worker))
        return commands

    def start(self) -> None:
        environ = self.environ
        for name, command in self.commands():
            process = subprocess.Popen(  # noqa: S603 - our own fixed command lines
                command,
                cwd=BASE_DIR,
                env={**environ, "PROCESS_NAME": name},
                stdout=self.output,
                stderr=subprocess.STDOUT if self.output is not None else None,
            )
            process.name = name  # type: ignore[attr-defined]
            self.processes.append(process)

    def running(self) -> bool:
        return bool(self.processes) and all(p.poll() is None for p in self.processes)

    def exited(self) -> list[str]:
        return [
            f"{p.name} exited with {p.returncode}"  # type: ignore[attr-defined]
            for p in self.processes
            if p.poll() is not None
        ]

    def stop(self, timeout: float = 10) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()

    def __enter__(self) -> DevServer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def main() -> None:
    host = os.environ.get("HOST") or DEFAULT_HOST
    port = int(os.environ.get("PORT") or DEFAULT_PORT)
    server = DevServer(host=host, port=port)
    print(
        f"Serving on {server.url}/ (HTTP and websockets: daphne; Wagtail admin: /admin/, "
        "health: /healthz)\n"
        "Background tasks (emails, texts, search indexing, webhooks): manage.py task_worker; "
        "emails print here.\nPress Ctrl-C to stop both.",
        flush=True,
    )

    def _terminate(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    server.start()
    try:
        while server.running():
            time.sleep(0.5)
        print(f"{'; '.join(server.exited())}: stopping.", file=sys.stderr, flush=True)
        code = 1
    except KeyboardInterrupt:
        code = 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        server.stop()
    sys.exit(code)


if __name__ == "__main__":
    main()

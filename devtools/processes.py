"""Start servers on free ports, wait on their health checks (not a fixed sleep), stop them."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHATBOT = ROOT / "chatbot"
PORTAL_VENV = ROOT / ".venv"
RASA_VENV = ROOT / ".venv-rasa"
RASA_MODEL = CHATBOT / "models" / "assistant.tar.gz"

# Rasa and TensorFlow: no telemetry, less noise.
RASA_ENV = {
    "RASA_TELEMETRY_ENABLED": "false",
    "TF_CPP_MIN_LOG_LEVEL": "2",
    "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
    "PYTHONWARNINGS": "ignore",
}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StartupError(RuntimeError):
    """A server did not become healthy in time or exited early."""


def _healthy(url: str) -> bool:
    """An HTTP health URL answers 200, or a `tcp://host:port` accepts a connection."""
    try:
        if url.startswith("tcp://"):
            host, port = url.removeprefix("tcp://").rsplit(":", 1)
            with socket.create_connection((host, int(port)), timeout=2):
                return True
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


@dataclass
class ManagedProcess:
    """A child process in its own process group, with a log file and a health URL."""

    name: str
    args: Sequence[str]
    health_url: str | None = None
    env: dict[str, str] = field(default_factory=dict)
    cwd: Path = ROOT
    log_path: Path | None = None
    process: subprocess.Popen | None = None

    def start(self, stream_output: bool = False) -> ManagedProcess:
        env = {**os.environ, **self.env}
        if stream_output:
            out = None
        else:
            if self.log_path is None:
                handle, path = tempfile.mkstemp(prefix=f"{self.name}-", suffix=".log")
                os.close(handle)
                self.log_path = Path(path)
            out = self.log_path.open("ab")
        self.process = subprocess.Popen(
            list(self.args),
            cwd=self.cwd,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT if out else None,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        return self

    def wait_healthy(self, timeout: float) -> None:
        if self.health_url is None:
            return
        deadline = time.monotonic() + timeout
        delay = 0.1
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise StartupError(
                    f"{self.name} exited with {self.process.returncode}{self._tail()}"
                )
            if _healthy(self.health_url):
                return
            time.sleep(delay)
            delay = min(delay * 1.5, 1.0)
        raise StartupError(f"{self.name} not healthy after {timeout:.0f}s{self._tail()}")

    def _tail(self, lines: int = 40) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        text = self.log_path.read_text(errors="replace").splitlines()[-lines:]
        return "\n--- last lines of " + str(self.log_path) + " ---\n" + "\n".join(text)

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 15) -> None:
        """SIGTERM the whole process group, then SIGKILL what is left."""
        if self.process is None:
            return
        if self.process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
        else:
            # The leader exited; make sure no child of it lingers.
            with suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)


def run_until_one_exits(processes: Sequence[ManagedProcess], logs: Path) -> int:
    """Keep running until one of the processes exits (or Ctrl-C); say which, return 1."""
    while all(process.running for process in processes):
        time.sleep(1)
    failed = [process.name for process in processes if not process.running]
    print(f"Stopped because {', '.join(failed)} exited; see the logs in {logs}.")
    return 1


def rasa_server(
    port: int,
    action_port: int,
    model: Path = RASA_MODEL,
    endpoints: str = "endpoints.yml",
    env: dict[str, str] | None = None,
    name: str = "rasa",
) -> ManagedProcess:
    """`endpoints.yml`: in-memory tracker store; `endpoints.prod.yml`: the SQL tracker store and
    the Redis lock store, whose addresses come from `env` (TRACKER_DB_*, LOCK_STORE_*)."""
    return ManagedProcess(
        name=name,
        args=[
            str(RASA_VENV / "bin" / "rasa"),
            "run",
            "--model",
            str(model),
            "--endpoints",
            endpoints,
            "--credentials",
            "credentials.yml",
            "--interface",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        health_url=f"http://127.0.0.1:{port}/webhooks/rest/",
        env={
            **RASA_ENV,
            "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook",
            **(env or {}),
        },
        cwd=CHATBOT,
    )


def action_server(port: int, portal_url: str, service_token: str) -> ManagedProcess:
    return ManagedProcess(
        name="actions",
        args=[
            str(RASA_VENV / "bin" / "rasa"),
            "run",
            "actions",
            "--actions",
            "actions",
            "--port",
            str(port),
        ],
        health_url=f"http://127.0.0.1:{port}/health",
        env={**RASA_ENV, "PORTAL_API_URL": portal_url, "PORTAL_SERVICE_TOKEN": service_token},
        cwd=CHATBOT,
    )


def portal_server(port: int, env: dict[str, str]) -> ManagedProcess:
    return ManagedProcess(
        name="portal",
        args=[
            sys.executable,
            "-m",
            "flask",
            "--app",
            "portal",
            "run",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-reload",
            "--with-threads",
        ],
        health_url=f"http://127.0.0.1:{port}/healthz",
        env=env,
    )


def _postgres_bin(name: str) -> str:
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if candidates:
        return str(candidates[-1])
    found = shutil.which(name)
    if found:
        return found
    raise StartupError(f"PostgreSQL's {name} not found; run the setup (scripts/dev.sh setup)")


class PostgresServer:
    """Debian's PostgreSQL binaries running a cluster of our own on a free port (user `portal`,
    trust authentication on loopback). `workdir` None: a throw-away cluster, removed by `remove`;
    a path: kept there, so `scripts/dev.sh prod-local` keeps its data between runs."""

    def __init__(self, workdir: Path | None = None, port: int | None = None, fast: bool = False):
        self.temporary = workdir is None
        self.workdir = Path(tempfile.mkdtemp(prefix="portal-pg-")) if workdir is None else workdir
        self.data = self.workdir / "data"
        self.port = port or free_port()
        # fsync off is for throw-away test clusters only; a kept cluster must survive a crash
        self.fast = fast
        self._as_postgres: list[str] = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            self._as_postgres = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*self._as_postgres, *args],
            check=check,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def init(self) -> None:
        if (self.data / "PG_VERSION").exists():
            return
        self.workdir.mkdir(parents=True, exist_ok=True)
        if self._as_postgres:
            shutil.chown(self.workdir, "postgres", "postgres")
        self.workdir.chmod(0o700)
        self._run(
            _postgres_bin("initdb"),
            "-D",
            str(self.data),
            "-U",
            "portal",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.workdir} -c listen_addresses=127.0.0.1 -c max_connections=200"
        )
        if self.fast:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        result = self._run(
            _postgres_bin("pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.workdir / "server.log"),
            "-w",
            "-t",
            "60",
            "-o",
            options,
            "start",
            check=False,
        )
        if result.returncode != 0:
            raise StartupError(f"PostgreSQL did not start: {result.stdout.strip()}")

    @property
    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def stop(self, mode: str = "fast") -> None:
        if self.running:
            self._run(
                _postgres_bin("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop", check=False
            )

    def restart(self) -> None:
        self.stop()
        self.start()

    def create_database(self, name: str) -> None:
        """Create the database unless it exists."""
        result = self._run(
            _postgres_bin("createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            "portal",
            name,
            check=False,
        )
        if result.returncode != 0 and "already exists" not in result.stdout:
            raise StartupError(f"createdb {name}: {result.stdout.strip()}")

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://portal@127.0.0.1:{self.port}/{database}"

    def remove(self) -> None:
        self.stop(mode="immediate" if self.temporary else "fast")
        if self.temporary:
            shutil.rmtree(self.workdir, ignore_errors=True)


@contextmanager
def postgres_cluster() -> Iterator[str]:
    """A throw-away PostgreSQL cluster on a free port; yields a SQLAlchemy URL. Always removed."""
    server = PostgresServer(fast=True)
    try:
        server.init()
        server.start()
        server.create_database("portal_test")
        yield server.url("portal_test")
    finally:
        server.remove()


def redis_server(port: int, workdir: Path) -> ManagedProcess:
    """Debian's redis-server on loopback, without persistence: it holds the rate-limit counters
    and Rasa's conversation locks, both of which may be lost on a restart."""
    return ManagedProcess(
        name="redis",
        args=[
            _which("redis-server"),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(workdir),
        ],
        health_url=f"tcp://127.0.0.1:{port}",
    )


def gunicorn_server(
    port: int,
    env: dict[str, str],
    workers: int = 4,
    app: str = "portal.wsgi:app",
    health_path: str = "/healthz",
    name: str = "gunicorn",
) -> ManagedProcess:
    """An app under gunicorn with the settings of deploy/gunicorn.conf.py (the portal as in
    production by default)."""
    return ManagedProcess(
        name=name,
        args=[
            str(PORTAL_VENV / "bin" / "gunicorn"),
            "--config",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            app,
        ],
        health_url=f"http://127.0.0.1:{port}{health_path}",
        env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers)},
    )


def _which(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise StartupError(f"{name} not found; run the setup (scripts/dev.sh setup)")
    return found

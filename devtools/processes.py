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
            try:
                with urllib.request.urlopen(self.health_url, timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
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


def rasa_server(port: int, action_port: int, model: Path = RASA_MODEL) -> ManagedProcess:
    return ManagedProcess(
        name="rasa",
        args=[
            str(RASA_VENV / "bin" / "rasa"),
            "run",
            "--model",
            str(model),
            "--endpoints",
            "endpoints.yml",
            "--credentials",
            "credentials.yml",
            "--interface",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        health_url=f"http://127.0.0.1:{port}/webhooks/rest/",
        env={**RASA_ENV, "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{action_port}/webhook"},
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


@contextmanager
def postgres_cluster() -> Iterator[str]:
    """A throw-away PostgreSQL cluster on a free port; yields a SQLAlchemy URL. Always removed."""
    workdir = Path(tempfile.mkdtemp(prefix="portal-pg-"))
    data = workdir / "data"
    port = free_port()
    as_postgres: list[str] = []
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        shutil.chown(workdir, "postgres", "postgres")
        workdir.chmod(0o700)
        as_postgres = ["runuser", "-u", "postgres", "--"]
    log = workdir / "server.log"

    def run(*args: str) -> None:
        subprocess.run(
            [*as_postgres, *args], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
        )

    try:
        run(
            _postgres_bin("initdb"),
            "-D",
            str(data),
            "-U",
            "portal",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        )
        run(
            _postgres_bin("pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(log),
            "-w",
            "-t",
            "60",
            "-o",
            f"-p {port} -k {workdir} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200",
            "start",
        )
        run(
            _postgres_bin("createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            "portal",
            "portal_test",
        )
        yield f"postgresql+psycopg://portal@127.0.0.1:{port}/portal_test"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                [
                    *as_postgres,
                    _postgres_bin("pg_ctl"),
                    "-D",
                    str(data),
                    "-m",
                    "fast",
                    "-w",
                    "stop",
                ],
                check=False,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.STDOUT,
            )
        shutil.rmtree(workdir, ignore_errors=True)

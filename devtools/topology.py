"""The production topology of docker-compose.yml, started from local processes.

PostgreSQL (Debian's binaries, a cluster of our own), Redis, a migration step, the portal under
gunicorn with several workers, one or more Rasa processes with the SQL tracker store in PostgreSQL
and the Redis lock store (`chatbot/endpoints.prod.yml`, as in the container), the action server
and the reminder job on a schedule. Every port is free-picked unless given; every process is
waited on through its health check and stopped again by `stop` (also after a failed start).

Used by `scripts/dev.sh prod-local` (kept state under `.state/prod-local`), by the tests in
`tests/prod` and by the benchmarks in `bench/` (throw-away state).
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from devtools.processes import (
    PORTAL_VENV,
    ROOT,
    ManagedProcess,
    PostgresServer,
    StartupError,
    action_server,
    free_port,
    gunicorn_server,
    rasa_server,
    redis_server,
)

PORTAL_DB = "portal"
TRACKER_DB = "rasa_tracker"


@dataclass
class TopologyOptions:
    state_dir: Path | None = None  # None: throw-away, removed on stop
    portal_port: int | None = None
    portal_workers: int = 4
    rasa_processes: int = 1
    demo_data: bool = True
    reminder_interval: int = 3600  # seconds between runs of the reminder job; 0: no job
    env: dict[str, str] = field(default_factory=dict)  # extra settings for the portal
    startup_timeout: float = 240


class Topology:
    """Start with `start()` (or `with Topology(...) as stack:`), stop with `stop()`."""

    def __init__(self, options: TopologyOptions | None = None):
        self.options = options or TopologyOptions()
        self.temporary = self.options.state_dir is None
        self.state_dir = (
            Path(tempfile.mkdtemp(prefix="portal-topology-"))
            if self.options.state_dir is None
            else self.options.state_dir
        )
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self.state_dir.chmod(0o711)  # PostgreSQL runs as its own user and must reach its folder
        self.logs = self.state_dir / "logs"
        self.logs.mkdir(exist_ok=True)
        self.postgres = PostgresServer(self.state_dir / "postgres")
        self.redis_port = free_port()
        self.portal_port = self.options.portal_port or free_port()
        self.actions_port = free_port()
        self.rasa_ports = [free_port() for _ in range(self.options.rasa_processes)]
        self.secrets = self._secrets()
        self.processes: dict[str, ManagedProcess] = {}

    # Addresses and settings -----------------------------------------------------------------

    @property
    def portal_url(self) -> str:
        return f"http://127.0.0.1:{self.portal_port}"

    @property
    def rasa_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.rasa_ports]

    @property
    def database_url(self) -> str:
        return self.postgres.url(PORTAL_DB)

    @property
    def redis_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}"

    def _secrets(self) -> dict[str, str]:
        """Generated once per state folder (kept in a file only this user can read)."""
        path = self.state_dir / "secrets.env"
        if path.exists():
            pairs = (line.split("=", 1) for line in path.read_text().splitlines() if "=" in line)
            return {key: value for key, value in pairs}
        values = {
            "SECRET_KEY": secrets.token_urlsafe(48),
            "PORTAL_SERVICE_TOKEN": secrets.token_urlsafe(32),
        }
        path.touch(mode=0o600)  # readable by this user only, before anything is in it
        path.write_text("".join(f"{key}={value}\n" for key, value in values.items()))
        return values

    def portal_env(self) -> dict[str, str]:
        """The portal's environment, as docker-compose.yml sets it (plain HTTP on loopback, so
        the session cookie cannot be Secure here)."""
        return {
            "PORTAL_ENV": "production",
            "DATABASE_URL": self.database_url,
            "RATELIMIT_STORAGE_URI": f"{self.redis_url}/1",
            "RASA_URL": ",".join(self.rasa_urls),
            "SESSION_COOKIE_SECURE": "false",
            "PORTAL_BASE_URL": self.portal_url,
            **self.secrets,
            **self.options.env,
        }

    def rasa_env(self) -> dict[str, str]:
        return {
            "TRACKER_DB_HOST": "127.0.0.1",
            "TRACKER_DB_PORT": str(self.postgres.port),
            "TRACKER_DB_NAME": TRACKER_DB,
            "TRACKER_DB_USER": "portal",
            "TRACKER_DB_PASSWORD": "portal",  # trust authentication on loopback; Rasa wants one
            "LOCK_STORE_HOST": "127.0.0.1",
            "LOCK_STORE_PORT": str(self.redis_port),
        }

    def flask(self, *args: str, env: dict[str, str] | None = None) -> str:
        """Run a `flask --app portal` command against this stack's database; return its output."""
        result = subprocess.run(
            [str(PORTAL_VENV / "bin" / "flask"), "--app", "portal", *args],
            cwd=ROOT,
            env={**os.environ, **self.portal_env(), **(env or {})},
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise StartupError(f"flask {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        return result.stdout

    # Processes --------------------------------------------------------------------------------

    def _process(self, process: ManagedProcess) -> ManagedProcess:
        process.log_path = self.logs / f"{process.name}.log"
        self.processes[process.name] = process
        return process

    def rasa(self, index: int) -> ManagedProcess:
        name = "rasa" if index == 0 else f"rasa-{index + 1}"
        if name not in self.processes:
            self._process(
                rasa_server(
                    self.rasa_ports[index],
                    self.actions_port,
                    endpoints="endpoints.prod.yml",
                    env=self.rasa_env(),
                    name=name,
                )
            )
        return self.processes[name]

    def start(self) -> Topology:
        try:
            self._start()
        except BaseException:
            self.stop()
            raise
        return self

    def _start(self) -> None:
        timeout = self.options.startup_timeout
        self.postgres.init()
        self.postgres.start()
        self.postgres.create_database(PORTAL_DB)
        self.postgres.create_database(TRACKER_DB)
        redis = self._process(redis_server(self.redis_port, self.state_dir))
        redis.start()
        # The migration step, before any portal worker starts (the `migrate` service).
        self.flask("db", "upgrade")
        self.flask("seed-reference")
        if self.options.demo_data:
            # seed-demo is refused in production on purpose; this stack is a local one
            self.flask("seed-demo", env={"PORTAL_ENV": "development"})
        if self.options.rasa_processes:  # 0: the portal alone (bench/portal_load)
            actions = self._process(
                action_server(
                    self.actions_port, self.portal_url, self.secrets["PORTAL_SERVICE_TOKEN"]
                )
            )
            actions.start()
        for index in range(self.options.rasa_processes):
            self.rasa(index).start()
        portal = self._process(
            gunicorn_server(self.portal_port, self.portal_env(), self.options.portal_workers)
        )
        portal.start()
        if self.options.reminder_interval > 0:
            self._process(self.reminder_job()).start()
        for process in self.processes.values():
            process.wait_healthy(timeout=timeout)

    def reminder_job(self) -> ManagedProcess:
        """The `reminders` service: the job, then a pause, for ever."""
        flask = PORTAL_VENV / "bin" / "flask"
        loop = (
            f"while true; do '{flask}' --app portal reminders; "
            f"sleep {self.options.reminder_interval}; done"
        )
        return ManagedProcess(
            name="reminders", args=["sh", "-c", loop], env=self.portal_env(), cwd=ROOT
        )

    def stop(self) -> None:
        for process in reversed(list(self.processes.values())):
            process.stop()
        self.postgres.stop()
        if self.temporary:
            shutil.rmtree(self.state_dir, ignore_errors=True)

    def __enter__(self) -> Topology:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()

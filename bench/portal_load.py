"""The portal under load: locust drives the production-like stack (PostgreSQL, Redis, gunicorn with
4 workers) from loopback, and the bare Flask "hello" app under the same gunicorn settings in the
same run, so the ratio of the two can be compared between machines.

Run: `bench/portal_load [--users 10 50 200] [--seconds 30]`. Users: workers (log-in, dashboard,
saving evaluation answers, log-out and in) and a contact person whose caseload has 200 extra
workers. Prints requests/s, p50/p95/p99 and errors per user count, per request kind and for the
hello app; exits 1 when any request failed. The load generator shares the machine's cores with
the servers, so the figures are for this machine with its core count, printed first.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devtools.processes import PORTAL_VENV, ROOT, free_port, gunicorn_server  # noqa: E402
from devtools.topology import Topology, TopologyOptions  # noqa: E402

LOCUSTFILE = ROOT / "bench" / "locust_portal.py"


@dataclass
class Figures:
    name: str
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    p99: float


def run_locust(host: str, classes: list[str], users: int, seconds: int, env: dict) -> list[Figures]:
    """One headless locust run; the figures per request name, 'Aggregated' last."""
    with tempfile.TemporaryDirectory() as tmp:
        prefix = Path(tmp) / "run"
        command = [
            str(PORTAL_VENV / "bin" / "locust"),
            "-f",
            str(LOCUSTFILE),
            "--headless",
            "--host",
            host,
            "--users",
            str(users),
            "--spawn-rate",
            str(min(users, 25)),
            "--run-time",
            f"{seconds}s",
            "--reset-stats",  # measure from when every user has started
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "ERROR",
            *classes,
        ]
        # locust's own exit code is 1 when a request failed; the figures say so below
        subprocess.run(
            command, cwd=ROOT, env={**os.environ, **env}, capture_output=True, check=False
        )
        with open(f"{prefix}_stats.csv", newline="") as handle:
            return [
                Figures(
                    name=row["Name"],
                    requests=int(row["Request Count"]),
                    failures=int(row["Failure Count"]),
                    rps=float(row["Requests/s"]),
                    p50=float(row["50%"]),
                    p95=float(row["95%"]),
                    p99=float(row["99%"]),
                )
                for row in csv.DictReader(handle)
            ]


def line(figures: Figures) -> str:
    return (
        f"  {figures.name:<34} {figures.requests:>7} req {figures.rps:>8.1f}/s   "
        f"p50 {figures.p50:>6.0f} ms  p95 {figures.p95:>6.0f} ms  p99 {figures.p99:>6.0f} ms  "
        f"errors {figures.failures}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[10, 50, 200])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--caseload", type=int, default=200)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # figures appear as they come, also in a file

    print(
        f"machine: {os.cpu_count()} cores; gunicorn {args.workers} sync workers; "
        f"locust on the same machine; {args.seconds} s per run after ramp-up"
    )
    options = TopologyOptions(rasa_processes=0, reminder_interval=0, portal_workers=args.workers)
    failed = False
    with Topology(options) as stack:
        stack.flask(
            "seed-caseload", "--workers", str(args.caseload), env={"PORTAL_ENV": "development"}
        )
        hello_port = free_port()
        hello = gunicorn_server(
            hello_port, {}, args.workers, app="bench.hello_app:app", health_path="/", name="hello"
        )
        hello.start()
        try:
            hello.wait_healthy(timeout=60)
            env = {"BENCH_CASELOAD": str(args.caseload)}
            for users in args.users:
                portal = run_locust(
                    stack.portal_url, ["Worker", "ContactPerson"], users, args.seconds, env
                )
                baseline = run_locust(
                    f"http://127.0.0.1:{hello_port}", ["Hello"], users, args.seconds, env
                )
                total, hello_total = portal[-1], baseline[-1]
                print(f"\nN = {users} concurrent users")
                print(" portal:")
                for figures in portal:
                    print(line(figures))
                print(" hello app (same gunicorn settings):")
                print(line(hello_total))
                ratio = total.rps / hello_total.rps if hello_total.rps else 0.0
                print(f" ratio portal/hello requests/s: {ratio:.3f}")
                failed = failed or total.failures > 0 or hello_total.failures > 0
        finally:
            hello.stop()
    print("\nerrors: " + ("some requests failed (see above)" if failed else "none"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""The production topology from local processes, until Ctrl-C: PostgreSQL, Redis, the migration
step, the portal under gunicorn (4 workers), Rasa with the SQL tracker store and the Redis lock
store, the action server and the reminder job. The same services as docker-compose.yml.

Called by `scripts/dev.sh prod-local` after the setup. Data stays in `.state/prod-local`.
Environment: PORTAL_PORT (default 8000), RASA_PROCESSES (default 1), WEB_CONCURRENCY (default 4).
"""

from __future__ import annotations

import os
import signal
import sys

from devtools.processes import ROOT, StartupError, run_until_one_exits
from devtools.topology import Topology, TopologyOptions


def main() -> int:
    options = TopologyOptions(
        state_dir=ROOT / ".state" / "prod-local",
        portal_port=int(os.environ.get("PORTAL_PORT", "8000")),
        portal_workers=int(os.environ.get("WEB_CONCURRENCY", "4")),
        rasa_processes=int(os.environ.get("RASA_PROCESSES", "1")),
    )
    stack = Topology(options)

    def interrupted(*_args) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, interrupted)
    signal.signal(signal.SIGTERM, interrupted)
    try:
        print(f"Starting the production topology (logs in {stack.logs}) ...", flush=True)
        stack.start()
        print(f"\nPortal (gunicorn, {options.portal_workers} workers): {stack.portal_url}/")
        print(f"Health:    {stack.portal_url}/healthz")
        print(f"Rasa:      {', '.join(stack.rasa_urls)} (SQL tracker store, Redis lock store)")
        print(f"Database:  {stack.database_url}")
        print(f"Redis:     {stack.redis_url}")
        print("Demo log-ins as with scripts/dev.sh run (password demo-wachtwoord-2026).")
        print("\nPress Ctrl-C to stop everything.", flush=True)
        return run_until_one_exits(list(stack.processes.values()), stack.logs)
    except StartupError as exc:
        print(f"Could not start: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up
        print("\nStopping ...", flush=True)
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())

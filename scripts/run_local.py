"""Run the portal, the Rasa server and the action server on localhost until Ctrl-C.

Called by `scripts/dev.sh run` after the setup. Prints the URL and the demo log-ins.
"""

from __future__ import annotations

import os
import signal
import sys

from devtools.processes import (
    ROOT,
    StartupError,
    action_server,
    portal_server,
    rasa_server,
    run_until_one_exits,
)

PORTAL_PORT = int(os.environ.get("PORTAL_PORT", "5000"))
RASA_PORT = int(os.environ.get("RASA_PORT", "5005"))
# Generated workers on top of the cast, so the regional figures show real shapes.
REGION_SIZE = int(os.environ.get("DEMO_REGION_SIZE", "600"))
ACTIONS_PORT = int(os.environ.get("ACTIONS_PORT", "5055"))


def main() -> int:
    from datetime import date

    from portal import create_app
    from portal.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, seed_demo
    from portal.demo_region import DEFAULT_SEED, seed_region
    from portal.extensions import db

    app = create_app("development")
    token = app.config["PORTAL_SERVICE_TOKEN"]
    with app.app_context():
        cast = seed_demo(db.session)
        db.session.commit()
        if REGION_SIZE:
            seed_region(db.session, date.today(), REGION_SIZE, DEFAULT_SEED)
            db.session.commit()
        logins = [(role, u.email, u.full_name) for role, users in cast.items() for u in users]

    portal_url = f"http://127.0.0.1:{PORTAL_PORT}"
    env = {
        "RASA_URL": f"http://127.0.0.1:{RASA_PORT}",
        "PORTAL_SERVICE_TOKEN": token,
        "SECRET_KEY": app.config["SECRET_KEY"],
    }
    logs = ROOT / ".state" / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    processes = [
        action_server(ACTIONS_PORT, portal_url, token),
        rasa_server(RASA_PORT, ACTIONS_PORT),
        portal_server(PORTAL_PORT, env),
    ]
    for process in processes:
        process.log_path = logs / f"{process.name}.log"

    stopping = False

    def stop_all(*_args) -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the clean-up
        print("\nStopping portal, assistant and action server ...", flush=True)
        for process in reversed(processes):
            process.stop()

    def interrupted(*_args) -> None:
        raise KeyboardInterrupt

    # Set both explicitly: a shell that starts us in the background may have SIGINT ignored.
    signal.signal(signal.SIGINT, interrupted)
    signal.signal(signal.SIGTERM, interrupted)
    try:
        for process in processes:
            print(f"Starting {process.name} (log: {process.log_path}) ...", flush=True)
            process.start()
        for process in processes:
            process.wait_healthy(timeout=180)
        print()
        print(f"Portal:    {portal_url}/")
        print(
            f"Assistant: {portal_url}/assistent  (Rasa REST: http://127.0.0.1:{RASA_PORT}"
            "/webhooks/rest/webhook)"
        )
        print(f"\nDemo log-ins, password for all: {DEMO_PASSWORD}")
        for role, email, name in logins:
            print(f"  {role:<15} {email:<32} {name}")
        print(
            "Staff log in with a second step: add the key "
            f"{DEMO_TOTP_SECRET} to an authenticator app, or run\n"
            "  .venv/bin/flask --app portal demo-code EMAIL   for the current code."
        )
        print("\nPress Ctrl-C to stop all three.", flush=True)
        return run_until_one_exits(processes, logs)
    except StartupError as exc:
        print(f"Could not start: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        stop_all()


if __name__ == "__main__":
    sys.exit(main())

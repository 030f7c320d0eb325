"""How long "Wachtwoord vergeten" takes for an address with an account and one without.

Run with the portal virtualenv: `.venv/bin/python bench/reset_timing.py [--rounds N]`. An in-process
portal on a fresh SQLite database with the demo data, rate limits off and no mail server (the
e-mail is sent after the answer in any case). The two kinds of request alternate, so drift of the
machine hits both alike; it prints the median and p90 of each and the difference of the medians.
The request itself only queues the work (look-up, link, e-mail), so both should take the same time;
the limits (3 per hour per address, 20 per IP) leave few tries to measure anything from outside.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from flask_migrate import upgrade  # noqa: E402

from portal import create_app  # noqa: E402
from portal.blueprints.auth.passwords import wait_for_background_work  # noqa: E402
from portal.demo import seed_demo  # noqa: E402
from portal.extensions import db  # noqa: E402

KNOWN = "sanne@werknemer-demo.nl"
UNKNOWN = "niemand@voorbeeld.nl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            "testing",
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.db",
                "RATELIMIT_ENABLED": False,
            },
        )
        with app.app_context():
            upgrade()
            seed_demo(db.session)
            db.session.commit()
        client = app.test_client()
        times: dict[str, list[float]] = {KNOWN: [], UNKNOWN: []}
        for _ in range(args.rounds):
            for email in (KNOWN, UNKNOWN):
                start = time.perf_counter()
                answer = client.post("/wachtwoord-vergeten", data={"email": email})
                times[email].append((time.perf_counter() - start) * 1000)
                assert answer.status_code == 200
        print(f"forgotten password, {args.rounds} requests each, in milliseconds")
        for email, label in ((KNOWN, "address with an account"), (UNKNOWN, "unknown address")):
            values = sorted(times[email])
            p90 = values[int(len(values) * 0.9) - 1]
            print(f"  {label:<24} median {statistics.median(values):6.2f}   p90 {p90:6.2f}")
        difference = statistics.median(times[KNOWN]) - statistics.median(times[UNKNOWN])
        print(f"  difference of the medians: {difference:+.2f}")
        wait_for_background_work()


if __name__ == "__main__":
    main()

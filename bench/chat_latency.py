"""Latency of one conversation through the portal's chat endpoint, with the real stack.

Run with the portal virtualenv: `.venv/bin/python bench/chat_latency.py [--model M] [--messages N]`.
Starts a seeded portal, the action server and Rasa on free ports (waiting on their health checks),
logs in as a demo worker, sends the messages one after another as the page's JavaScript does and
prints p50, p95 and the slowest, then stops everything it started.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devtools.processes import (  # noqa: E402
    RASA_MODEL,
    action_server,
    free_port,
    portal_server,
    rasa_server,
)
from tests.support.stack import Browserless, seeded_portal  # noqa: E402

MESSAGES = [
    "hoi",
    "wat is de no-riskpolis",
    "hoeveel uur jobcoaching krijg ik per jaar",
    "wie is mijn contactpersoon",
    "wanneer loopt mijn contract af",
    "ik ben ziek wat moet ik doen",
    "mag mijn baas vragen wat ik heb",
    "loonwaarde 60 procent hoeveel subsidie",
    "wat is een proefplaatsing",
    "bedankt",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=RASA_MODEL)
    parser.add_argument("--messages", type=int, default=60)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = seeded_portal(Path(tmp))
        portal_port, rasa_port, actions_port = free_port(), free_port(), free_port()
        portal_url = f"http://127.0.0.1:{portal_port}"
        processes = [
            action_server(actions_port, portal_url, settings.service_token),
            rasa_server(rasa_port, actions_port, args.model),
            # the chat limit protects production; here it would only cut the measurement short
            portal_server(
                portal_port,
                {**settings.env(f"http://127.0.0.1:{rasa_port}"), "CHAT_LIMIT": "10000 per minute"},
            ),
        ]
        try:
            for process in processes:
                process.start()
            for process in processes:
                process.wait_healthy(timeout=240)
            timings = measure(portal_url, args.messages)
        finally:
            for process in reversed(processes):
                process.stop()
    timings.sort()
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    print(f"chat latency through the portal, one conversation, {len(timings)} messages:")
    print(
        f"  p50 {statistics.median(timings) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms "
        f"(target < 500 ms), slowest {timings[-1] * 1000:.0f} ms"
    )
    return 0


def measure(portal_url: str, count: int) -> list[float]:
    browser = Browserless(portal_url)
    browser.login("sanne@werknemer-demo.nl")
    page = browser.get("/assistent").text
    token = re.search(r'<meta name="csrf-token" content="([^"]+)">', page).group(1)
    # one warm-up message: the first parse loads the model's graph
    browser.session.post(
        portal_url + "/assistent",
        data={"message": "hallo", "csrf_token": token},
        headers={"Accept": "application/json"},
        timeout=60,
    )
    timings = []
    for index in range(count):
        message = MESSAGES[index % len(MESSAGES)]
        start = time.perf_counter()
        response = browser.session.post(
            portal_url + "/assistent",
            data={"message": message, "csrf_token": token},
            headers={"Accept": "application/json"},
            timeout=60,
        )
        timings.append(time.perf_counter() - start)
        if response.status_code != 200 or not response.json().get("available"):
            raise SystemExit(
                f"the assistant did not answer {message!r}: {response.status_code} "
                f"{response.text[:300]}"
            )
    return timings


if __name__ == "__main__":
    sys.exit(main())

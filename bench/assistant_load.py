"""Many conversations at once through the portal's chat endpoint, against two Rasa processes that
share the SQL tracker store (PostgreSQL) and the Redis lock store.

Run: `bench/assistant_load [--conversations 50] [--messages 6]`. Starts the production-like stack
(devtools/topology.py: gunicorn with 4 workers, 2 Rasa processes, the action server), opens the
conversations as anonymous visitors (each its own session and Rasa sender id), and has each send
its messages one after the other, as the chat page's JavaScript does, and then two at once (a
double send), which only the lock store keeps in order. Prints p50/p95/max latency per message
and the machine's core count; then reads every conversation back from the tracker store and
checks that no message was lost and that each was answered before the next one was handled.
Exits 1 when a message failed, was lost or was handled out of order.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devtools.topology import TRACKER_DB, Topology, TopologyOptions  # noqa: E402
from tests.support.stack import CSRF_PATTERN as CSRF  # noqa: E402

MESSAGES = [
    "hoi",
    "wat is de no-riskpolis",
    "hoeveel uur jobcoaching krijg je per jaar",
    "wat moet ik doen als ik ziek ben",
    "mag mijn baas vragen wat ik heb",
    "wat is een proefplaatsing",
    "loonwaarde 60 procent hoeveel subsidie",
    "wie betaalt de jobcoach",
]
BURST = ["wat is de praktijkroute", "bedankt"]  # sent at the same moment, as by a double send


class Conversation:
    def __init__(self, portal_url: str):
        self.url = portal_url
        self.session = requests.Session()
        page = self.session.get(f"{portal_url}/assistent", timeout=30)  # fixes the sender id
        self.token = CSRF.search(page.text).group(1)
        self.latencies: list[float] = []
        self.failures: list[str] = []
        self.lock = threading.Lock()

    def send(self, message: str) -> None:
        started = time.monotonic()
        try:
            response = self.session.post(
                f"{self.url}/assistent",
                data={"message": message, "csrf_token": self.token},
                headers={"Accept": "application/json"},
                timeout=60,
            )
            ok = response.status_code == 200 and response.json().get("replies")
        except (requests.RequestException, ValueError) as exc:
            ok, response = False, exc
        with self.lock:
            if ok:
                self.latencies.append(time.monotonic() - started)
            else:
                self.failures.append(f"{message!r}: {response}")


def run_conversation(portal_url: str, messages: int) -> Conversation:
    conversation = Conversation(portal_url)
    for message in MESSAGES[:messages]:
        conversation.send(message)
    burst = [threading.Thread(target=conversation.send, args=(m,)) for m in BURST]
    for thread in burst:
        thread.start()
    for thread in burst:
        thread.join()
    return conversation


def check_trackers(stack: Topology, expected_users: int) -> tuple[int, list[str]]:
    """Every anonymous conversation in the tracker store: all its user messages are there, and
    none was handled before the previous one was answered. Returns (conversations, problems)."""
    engine = create_engine(stack.postgres.url(TRACKER_DB))
    problems = []
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT sender_id, type_name, data FROM events "
                "WHERE sender_id LIKE 'anon-%' ORDER BY id"
            )
        ).all()
    engine.dispose()
    events: dict[str, list[str]] = {}
    for sender, kind, _data in rows:
        if kind in ("user", "bot"):
            events.setdefault(sender, []).append(kind)
    for sender, kinds in events.items():
        users = kinds.count("user")
        if users != expected_users:
            problems.append(f"{sender}: {users} of {expected_users} messages in the tracker")
        # handled in order: an answer between every two user messages
        if any(a == b == "user" for a, b in zip(kinds, kinds[1:], strict=False)):
            problems.append(f"{sender}: a message was handled before the previous was answered")
    return len(events), problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=50)
    parser.add_argument("--messages", type=int, default=6, help=f"at most {len(MESSAGES)}")
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # figures appear as they come, also in a file
    messages = min(args.messages, len(MESSAGES))
    options = TopologyOptions(
        rasa_processes=2,
        reminder_interval=0,
        demo_data=False,
        env={"CHAT_LIMIT": "100000 per minute", "ASSISTANT_READ_TIMEOUT": "60"},
    )
    print(
        f"machine: {os.cpu_count()} cores; 2 Rasa processes (SQL tracker store, Redis lock store),"
        f" gunicorn 4 workers; {args.conversations} conversations x {messages} messages one after"
        f" the other + {len(BURST)} at once"
    )
    with Topology(options) as stack:
        started = time.monotonic()
        with ThreadPoolExecutor(args.conversations) as pool:
            conversations = list(
                pool.map(
                    lambda _n: run_conversation(stack.portal_url, messages),
                    range(args.conversations),
                )
            )
        elapsed = time.monotonic() - started
        conversations_found, problems = check_trackers(stack, messages + len(BURST))

    latencies = sorted(s * 1000 for c in conversations for s in c.latencies)
    failures = [f for c in conversations for f in c.failures]
    sent = args.conversations * (messages + len(BURST))
    print(
        f"messages: {sent} sent, {len(latencies)} answered, {len(failures)} failed, "
        f"in {elapsed:.1f} s ({len(latencies) / elapsed:.1f} messages/s)"
    )
    if latencies:
        p95 = latencies[max(0, round(0.95 * len(latencies)) - 1)]
        print(
            f"latency per message: p50 {statistics.median(latencies):.0f} ms, "
            f"p95 {p95:.0f} ms, max {latencies[-1]:.0f} ms"
        )
    print(f"tracker check: {conversations_found} conversations read back, {len(problems)} problems")
    for problem in (failures + problems)[:20]:
        print(f"  {problem}")
    ok = not failures and not problems and conversations_found == args.conversations
    print("result: " + ("no message lost or out of order" if ok else "FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

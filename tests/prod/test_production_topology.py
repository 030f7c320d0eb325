"""The production topology started from local processes (devtools/topology.py): PostgreSQL, Redis,
gunicorn with 4 workers, Rasa with the SQL tracker store and the Redis lock store, the action
server. Then the faults of DESIGN §6: Rasa killed in a conversation, a gunicorn worker killed under
load, PostgreSQL restarted while forms are sent, the reminder job killed half-way.

One stack for the module; the tests run in file order and each leaves it running and healthy.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import subprocess
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
import redis
import requests
from aiosmtpd.controller import Controller
from sqlalchemy import create_engine, text

from devtools.processes import PORTAL_VENV, RASA_MODEL, ROOT, free_port
from devtools.topology import TRACKER_DB, Topology, TopologyOptions
from portal.demo_load import caseload_email
from portal.services.schedule import add_months
from tests.support.stack import CSRF_PATTERN, Browserless

pytestmark = pytest.mark.prod

WORKER = "sanne@werknemer-demo.nl"
CONTACT = "f.elamrani@wsp-demo.nl"
ADMIN = "beheer@wsp-demo.nl"
REFERENCE = re.compile(r"HV-\d{4}-\d{6}")


@pytest.fixture(scope="module")
def stack():
    assert RASA_MODEL.exists(), "no trained model: run scripts/dev.sh setup"
    options = TopologyOptions(
        reminder_interval=0,  # the reminder job is run by its own test below
        env={"CHAT_LIMIT": "600 per minute", "ASSISTANT_READ_TIMEOUT": "30"},
    )
    with Topology(options) as topology:
        topology.engine = create_engine(topology.database_url, pool_pre_ping=True)
        yield topology
        topology.engine.dispose()


def _errors_in_log(stack) -> str:
    """The portal's logged errors with their tracebacks, to say why a request failed."""
    lines = [
        line
        for path in sorted(stack.logs.glob("gunicorn*.log"))
        for line in path.read_text(errors="replace").splitlines()
    ]
    starts = [n for n, line in enumerate(lines) if "ERROR" in line or "Traceback" in line]
    return "\n".join(lines[starts[-1] - 5 : starts[-1] + 60]) if starts else "no error logged"


def scalar(stack, sql: str, **params):
    with stack.engine.connect() as connection:
        return connection.execute(text(sql), params).scalar()


def column(stack, sql: str, **params) -> list:
    with stack.engine.connect() as connection:
        return list(connection.execute(text(sql), params).scalars())


def children(pid: int) -> list[int]:
    """The child processes of `pid`, from /proc."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def gunicorn_workers(stack) -> list[int]:
    return children(stack.processes["gunicorn"].process.pid)


def wait_for(condition, timeout: float = 60, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def transcript(page: str) -> str:
    return page.split('id="transcript"', 1)[1].split("</ol>", 1)[0]


# The topology ---------------------------------------------------------------------------------


def test_the_stack_runs_as_in_production(stack):
    health = requests.get(f"{stack.portal_url}/healthz", timeout=5)
    assert health.status_code == 200 and health.json() == {"status": "ok", "database": "ok"}
    assert len(gunicorn_workers(stack)) == 4
    assert scalar(stack, "SELECT count(*) FROM alembic_version") == 1

    # production settings: CSRF on every form, rate-limit counters in Redis
    anonymous = requests.post(f"{stack.portal_url}/inloggen", data={"email": WORKER}, timeout=5)
    assert anonymous.status_code == 400  # no CSRF token
    admin = Browserless(stack.portal_url)
    wrong = admin.submit("/inloggen", {"email": ADMIN, "password": "niet-het-wachtwoord"})
    assert wrong.status_code == 200 and "/dashboard" not in wrong.url
    assert redis.Redis.from_url(f"{stack.redis_url}/1").dbsize() > 0  # the failed log-in counts
    admin.login(ADMIN)
    status = " ".join(admin.get("/dashboard").text.split())
    assert "Assistent:</strong> werkt (1 van 1 Rasa-processen antwoorden, Rasa 3.6.21" in status


# Rasa killed in the middle of a conversation ----------------------------------------------------


def test_a_conversation_goes_on_after_rasa_is_killed_and_restarted(stack):
    worker = Browserless(stack.portal_url)
    worker.login(WORKER)
    asked = worker.submit("/assistent", {"message": "ik wil iemand spreken"})
    # the assistant asks before it creates a help request: that question is in the tracker
    assert "Fatima el Amrani" in transcript(asked.text)
    assert not REFERENCE.search(transcript(asked.text))
    sender = scalar(stack, "SELECT chat_id FROM user_account WHERE email = :e", e=WORKER)
    tracker = create_engine(stack.postgres.url(TRACKER_DB))
    with tracker.connect() as connection:
        stored = connection.execute(
            text("SELECT count(*) FROM events WHERE sender_id = :s"), {"s": sender}
        ).scalar()
    tracker.dispose()
    assert stored > 0, "the conversation is in the SQL tracker store"

    rasa = stack.rasa(0)
    os.killpg(rasa.process.pid, signal.SIGKILL)
    rasa.process.wait(timeout=10)
    offline = worker.submit("/assistent", {"message": "ja"})
    assert offline.status_code == 200
    assert 'id="assistant-offline"' in offline.text  # the fallback: contact details and the form
    assert "Fatima el Amrani" in offline.text

    rasa.start()
    rasa.wait_healthy(timeout=240)
    answered = worker.submit("/assistent", {"message": "ja"})
    reference = REFERENCE.search(transcript(answered.text))
    assert reference, "after the restart the pending confirmation was still known"
    assert (
        scalar(
            stack, "SELECT count(*) FROM help_request WHERE reference = :r", r=reference.group(0)
        )
        == 1
    )


# A gunicorn worker killed under load ----------------------------------------------------------


def test_killing_a_gunicorn_worker_under_load_loses_no_confirmed_request(stack):
    category = scalar(stack, "SELECT id FROM problem_category WHERE code = 'workload'")
    stop = threading.Event()
    outcomes: list[tuple[str, str]] = []  # (outcome, text)
    lock = threading.Lock()

    def client(number: int) -> None:
        browser = Browserless(stack.portal_url)
        browser.login(WORKER)
        page = browser.get("/meldingen/nieuw").text
        token = CSRF_PATTERN.search(page).group(1)
        sent = 0
        while not stop.is_set():
            sent += 1
            body = f"belasting-{number}-{sent}"
            try:
                response = browser.session.post(
                    f"{stack.portal_url}/meldingen/nieuw",
                    data={
                        "category": category,
                        "urgency": "can_wait",
                        "text": body,
                        "csrf_token": token,
                    },
                    allow_redirects=False,
                    timeout=30,
                )
                kind = (
                    "ok"
                    if response.status_code == 302
                    and "/meldingen/ML-" in response.headers["Location"]
                    else f"status {response.status_code}"
                )
            except requests.ConnectionError:
                kind = "connection"
            with lock:
                outcomes.append((kind, body))

    clients = 8
    with ThreadPoolExecutor(clients) as pool:
        futures = [pool.submit(client, number) for number in range(clients)]
        wait_for(lambda: len(outcomes) >= 40, what="load to build up")
        victim = gunicorn_workers(stack)[0]
        os.kill(victim, signal.SIGKILL)
        seen = len(outcomes)
        wait_for(lambda: len(outcomes) >= seen + 80, what="load after the kill")
        stop.set()
        for future in futures:
            future.result()

    kinds = Counter(kind for kind, _ in outcomes)
    confirmed = [body for kind, body in outcomes if kind == "ok"]
    stored = scalar(stack, "SELECT count(*) FROM problem_report WHERE text LIKE 'belasting-%'")
    stored_confirmed = scalar(
        stack,
        "SELECT count(*) FROM problem_report WHERE text = ANY(:bodies)",
        bodies=confirmed,
    )
    assert stored_confirmed == len(confirmed), "a request the client saw succeed was lost"
    # the only failures are the killed worker's in-flight request(s): one per client at most
    failures = sum(count for kind, count in kinds.items() if kind != "ok")
    assert failures <= clients, kinds
    assert not any(kind.startswith("status 5") for kind in kinds), kinds
    assert stored >= len(confirmed)
    wait_for(lambda: len(gunicorn_workers(stack)) == 4, what="gunicorn to replace the worker")
    assert victim not in gunicorn_workers(stack)


# PostgreSQL restarted while a user sends a form -----------------------------------------------


def test_a_form_sent_while_postgresql_restarts_is_not_saved_and_can_be_sent_again(stack):
    category = scalar(stack, "SELECT id FROM problem_category WHERE code = 'workload'")
    worker = Browserless(stack.portal_url)
    worker.login(WORKER)
    page = worker.get("/meldingen/nieuw").text
    token = CSRF_PATTERN.search(page).group(1)
    typed = "Tijdens de herstart: mijn rooster is weer veranderd."
    form = {"category": category, "urgency": "this_week", "text": typed, "csrf_token": token}

    stack.postgres.stop()
    try:
        down = worker.session.post(f"{stack.portal_url}/meldingen/nieuw", data=form, timeout=30)
    finally:
        stack.postgres.start()
    assert down.status_code == 503
    assert "Niet opgeslagen" in down.text and typed in down.text
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', down.text))
    assert hidden["text"] == typed and hidden["urgency"] == "this_week"
    assert scalar(stack, "SELECT count(*) FROM problem_report WHERE text = :t", t=typed) == 0

    again = worker.session.post(f"{stack.portal_url}/meldingen/nieuw", data=hidden, timeout=30)
    assert again.status_code == 200 and "/meldingen/ML-" in again.url
    assert scalar(stack, "SELECT count(*) FROM problem_report WHERE text = :t", t=typed) == 1


def test_restarts_during_a_stream_of_forms_leave_nothing_half_written(stack):
    category = scalar(stack, "SELECT id FROM problem_category WHERE code = 'workload'")
    worker = Browserless(stack.portal_url)
    worker.login(WORKER)
    token = CSRF_PATTERN.search(worker.get("/meldingen/nieuw").text).group(1)
    results: list[tuple[int, str, str, str]] = []
    stop = threading.Event()

    def restart_twice() -> None:
        for _ in range(2):
            time.sleep(0.5)
            stack.postgres.stop()
            time.sleep(1.0)  # long enough for several forms to meet the database down
            stack.postgres.start()
        time.sleep(0.5)
        stop.set()

    def send(typed: str, key: str) -> requests.Response:
        return worker.session.post(
            f"{stack.portal_url}/meldingen/nieuw",
            data={
                "category": category,
                "urgency": "can_wait",
                "text": typed,
                "submission": key,  # the one-off key the form carries
                "csrf_token": token,
            },
            allow_redirects=False,
            timeout=30,
        )

    restarter = threading.Thread(target=restart_twice)
    restarter.start()
    number = 0
    while not stop.is_set():
        number += 1
        typed, key = f"herstart-{number}", secrets.token_hex(16)
        response = send(typed, key)
        results.append((response.status_code, typed, key, response.text))
    restarter.join()

    saved = {typed for status, typed, _key, _page in results if status == 302}
    refused = [(status, typed, key, page) for status, typed, key, page in results if status != 302]
    assert refused, "the restarts fell between the requests; nothing was tested"
    for status, typed, _key, page in refused:
        # told it was not saved, with the input kept (the 503 page, or the form with its error)
        if status not in (200, 503):
            pytest.fail(f"{status} for {typed}:\n{_errors_in_log(stack)}", pytrace=False)
        assert typed in page
    stored = set(column(stack, "SELECT text FROM problem_report WHERE text LIKE 'herstart-%'"))
    assert saved <= stored  # a commit can happen just before the connection is cut: see below
    # the user sends each refused form again, as the 'not saved' page offers
    for _status, typed, key, _page in refused:
        again = send(typed, key)
        assert again.status_code == 302, again.status_code
    counts = column(
        stack,
        "SELECT count(*) FROM problem_report WHERE text LIKE 'herstart-%' GROUP BY text",
    )
    assert len(counts) == number and set(counts) == {1}, "each form stored exactly once"
    # each melding and the message to the contact person are one transaction
    orphans = scalar(
        stack,
        "SELECT count(*) FROM problem_report p WHERE p.text LIKE 'herstart-%' AND NOT EXISTS "
        "(SELECT 1 FROM inbox_message m WHERE position(p.reference in m.body) > 0)",
    )
    assert orphans == 0


# The reminder job killed half-way ---------------------------------------------------------------


# Enough reminders that the job is still busy when the test kills it after the first 60.
WORKERS_WITH_REMINDERS = 300


class Mailbox:
    def __init__(self):
        self.recipients: list[str] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.recipients.extend(envelope.rcpt_tos)
        return "250 Message accepted for delivery"


def test_the_reminder_job_killed_half_way_and_run_again_sends_each_reminder_once(stack):
    day = date.today()
    stack.flask(
        "seed-caseload",
        "--workers",
        str(WORKERS_WITH_REMINDERS),
        "--contract-end",
        add_months(day, 3).isoformat(),  # a contract-end reminder for each, due `day`
        env={"PORTAL_ENV": "development"},
    )
    mailbox = Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    env = {
        **os.environ,
        **stack.portal_env(),
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": str(smtp.port),
    }
    command = [str(PORTAL_VENV / "bin" / "flask"), "--app", "portal", "reminders", "--today"]
    command.append(day.isoformat())
    sent = "SELECT count(*) FROM sent_reminder"
    inbox = "SELECT count(*) FROM inbox_message"
    try:
        before, inbox_before = scalar(stack, sent), scalar(stack, inbox)
        job = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
        wait_for(lambda: scalar(stack, sent) >= before + 60, timeout=120, what="reminders")
        job.send_signal(signal.SIGKILL)
        job.wait(timeout=10)
        halfway = scalar(stack, sent)
        again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        assert again.returncode == 0, again.stdout + again.stderr
        second_sent = int(re.search(r"(\d+) sent", again.stdout).group(1))
        skipped = int(re.search(r"(\d+) skipped", again.stdout).group(1))
    finally:
        smtp.stop()

    total = scalar(stack, sent)
    assert total > halfway > before
    # what the killed run stored is skipped, the rest is sent, nothing twice; the killed run's
    # last commit may become visible just after `halfway` was read, hence at least
    assert skipped >= halfway - before
    assert skipped + second_sent == total - before
    caseload = [caseload_email(number) for number in range(1, WORKERS_WITH_REMINDERS + 1)]
    per_key = scalar(
        stack, "SELECT max(n) FROM (SELECT count(*) AS n FROM sent_reminder GROUP BY key) k"
    )
    assert per_key == 1
    # every reminder is one message in the portal inbox (stored with its key), none twice
    assert scalar(stack, inbox) - inbox_before == total - before
    contract_reminders = scalar(
        stack,
        "SELECT count(*) FROM sent_reminder WHERE key LIKE 'contract-end:%:3m:%'",
    )
    assert contract_reminders >= len(caseload)  # at least the contact person's, per worker
    # e-mail copies: at most one per reminder; only the one in flight at the kill may be missing
    mails = Counter(mailbox.recipients)
    assert sum(mails.values()) >= total - before - 1
    assert sum(mails.values()) <= total - before

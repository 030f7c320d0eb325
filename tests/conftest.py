"""Fixtures in the flaskr style: `app`, `client`, `auth`; the database is SQLite by default and a
real PostgreSQL server (started here, on a free port) with PORTAL_TEST_DB=postgres."""

from __future__ import annotations

import logging
import os
from contextlib import nullcontext

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from sqlalchemy import select, text

from devtools.processes import postgres_cluster
from portal import create_app
from portal.blueprints.auth.passwords import wait_for_background_work
from portal.demo import DEMO_PASSWORD, seed_demo
from portal.extensions import db, limiter
from portal.models import HelpRequest, HelpRequestChannel, User
from portal.services.help_requests import HelpRequestDraft, create_help_request
from tests.support import figures
from tests.support.personal_data_logs import LogCapture, leaks, personal_data_terms
from tests.support.two_factor import SECOND_STEP_PATH, code_for_user

pytest_plugins = ["tests.fixtures.contracts", "tests.fixtures.mail"]

_LOG_CAPTURE = LogCapture()


def pytest_sessionstart(session):
    """Capture every log line of the run, the portal's own loggers down to DEBUG."""
    logging.getLogger().addHandler(_LOG_CAPTURE)
    logging.getLogger("portal").setLevel(logging.DEBUG)


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests are not part of a SQLite run: deselected, so no skip hides a check."""
    if os.environ.get("PORTAL_TEST_DB") == "postgres":
        return
    kept = [item for item in items if item.get_closest_marker("postgres") is None]
    if len(kept) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept


def pytest_terminal_summary(terminalreporter):
    lines = figures.summary_lines()
    if lines:
        terminalreporter.write_sep("-", "what the trust checks covered")
        for line in lines:
            terminalreporter.write_line(line)


def pytest_sessionfinish(session, exitstatus):
    """Fail the run when a log line holds a demo worker's name, e-mail address or phone."""
    logging.getLogger().removeHandler(_LOG_CAPTURE)
    found = leaks(_LOG_CAPTURE.lines, personal_data_terms())
    if found:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(
                f"personal data in {len(found)} log lines (AVG), for example:", red=True
            )
            for line in found[:10]:
                reporter.write_line(f"  {line[:300]}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    if os.environ.get("PORTAL_TEST_DB") == "postgres":
        with postgres_cluster() as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'portal-test.db'}"


class IsolatedClient(FlaskClient):
    """A test client whose requests do not share per-request caches through `g`.

    Tests keep an app context pushed (for database checks), and Flask reuses it for the client's
    requests; in production every request has its own. Clearing the caches keeps them apart.
    """

    def open(self, *args, **kwargs):
        if has_app_context():
            for key in ("_login_user", "_flask_babel"):
                g.pop(key, None)
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(database_url):
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url})
    app.test_client_class = IsolatedClient
    with app.app_context():
        upgrade()  # the real migrations, so they are tested on SQLite and PostgreSQL alike
    return app


@pytest.fixture(autouse=True)
def _clean_state(request):
    """Every test starts with empty tables and fresh rate-limit counters."""
    yield
    if "app" not in request.fixturenames:
        return
    wait_for_background_work()  # "forgotten password" stores its link after the answer
    app = request.getfixturevalue("app")
    with app.app_context():
        db.session.remove()
        with db.engine.begin() as connection:
            _count_audit_rows(connection)
            for table in reversed(db.metadata.sorted_tables):
                if table.name == "audit_event" and connection.dialect.name == "postgresql":
                    # append-only: a trigger refuses DELETE; TRUNCATE is the owner's purge
                    connection.execute(text("TRUNCATE audit_event"))
                    continue
                connection.execute(table.delete())
    limiter.reset()


def _count_audit_rows(connection) -> None:
    """The audit rows this test wrote (every test starts with an empty log), for the figures."""
    counts = dict(
        connection.execute(text("SELECT action, count(*) FROM audit_event GROUP BY action")).all()
    )
    figures.add("audit_rows", sum(counts.values()))
    figures.add("audit_reads", counts.get("read", 0))


@pytest.fixture
def app_ctx(app):
    with app.app_context():
        yield app


@pytest.fixture
def demo(app_ctx):
    """The demo cast (Midden-Utrecht reference data, users, placements), committed."""
    cast = seed_demo(db.session)
    db.session.commit()
    return cast


@pytest.fixture
def client(app):
    return app.test_client()


def log_in(client, email: str, password: str = DEMO_PASSWORD, **kwargs):
    """Log in with the password and, when the account asks for it, a code from the "app"."""
    answer = client.post("/inloggen", data={"email": email, "password": password}, **kwargs)
    if answer.status_code == 302 and answer.location.endswith(SECOND_STEP_PATH):
        with client.application.app_context() if not has_app_context() else nullcontext():
            code = code_for_user(user_by_email(email.strip().lower()), db.session)
        answer = client.post(SECOND_STEP_PATH, data={"code": code}, **kwargs)
    return answer


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, email: str, password: str = DEMO_PASSWORD):
        return log_in(self._client, email, password)

    def logout(self):
        return self._client.post("/uitloggen")


@pytest.fixture
def auth(client):
    return AuthActions(client)


def make_help_request(requester: User | None = None, **fields) -> HelpRequest:
    """A committed help request; without a requester it is an anonymous one for the queue."""
    fields.setdefault("subject", "Vraag")
    fields.setdefault("text", "Tekst")
    if requester is None:
        fields.setdefault("requester_name", "Piet")
        fields.setdefault("requester_phone", "0612345678")
    draft = HelpRequestDraft(
        channel=fields.pop("channel", HelpRequestChannel.FORM), requester=requester, **fields
    )
    help_request = create_help_request(db.session, draft)
    db.session.commit()
    return help_request


def user_by_email(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


WORKER = "sanne@werknemer-demo.nl"
OTHER_WORKER = "daan@werknemer-demo.nl"
EMPLOYER = "hr@korenschoof-demo.nl"
CONTACT = "f.elamrani@wsp-demo.nl"
OTHER_CONTACT = "j.devries@wsp-demo.nl"
JOBCOACH = "p.hendriks@jobcoach-demo.nl"
ADMIN = "beheer@wsp-demo.nl"
MANAGER = "teamleider@wsp-demo.nl"

"""Fixtures of the browser tests: a seeded portal subprocess per test module (without Rasa: the
pages must work whether or not the assistant runs), one headless Chromium, fresh contexts."""

from __future__ import annotations

import pytest

from devtools.processes import free_port, portal_server
from tests.browser.helpers import CHROMIUM_ARGS, ROLES, chromium
from tests.support.stack import seeded_portal


def _add_help_requests(settings) -> None:
    """One assigned and one queued help request, so the detail pages are crawled too."""
    from sqlalchemy import select

    from portal.extensions import db
    from portal.models import HelpRequestChannel, User
    from portal.services.help_requests import HelpRequestDraft, create_help_request

    with settings.app().app_context():
        sanne = db.session.scalar(select(User).where(User.email == ROLES["worker"]))
        transcript = [{"author": "user", "text": "ik wil iemand spreken", "timestamp": 1.0}]
        for draft in (
            HelpRequestDraft(
                subject="Gesprek",
                text="ik wil iemand spreken",
                requester=sanne,
                channel=HelpRequestChannel.ASSISTANT,
                transcript=transcript,
            ),
            HelpRequestDraft(
                subject="No-riskpolis",
                text="Hoe werkt het?",
                requester_name="Piet",
                requester_phone="0612345678",
                channel=HelpRequestChannel.FORM,
            ),
        ):
            create_help_request(db.session, draft)
        db.session.commit()
        db.engine.dispose()


@pytest.fixture(scope="module")
def portal_url(tmp_path_factory):
    """A portal of its own for each test module, so one module's changes do not affect another."""
    settings = seeded_portal(tmp_path_factory.mktemp("browser"))
    _add_help_requests(settings)
    port = free_port()
    # No Rasa: the pages must be accessible whether or not the assistant runs.
    server = portal_server(port, settings.env(f"http://127.0.0.1:{free_port()}"))
    server.start()
    try:
        server.wait_healthy(timeout=60)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser):
    """Open a page in a new browser context; every context is closed after the test."""
    contexts = []

    def factory(**context_options):
        contexts.append(browser.new_context(**context_options))
        return contexts[-1].new_page()

    yield factory
    for context in contexts:
        context.close()

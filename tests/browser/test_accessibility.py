"""axe-core (from npm) in headless Chromium on every page reachable from the navigation, per role,
in Dutch and English. Fails on any WCAG 2.1 A/AA violation."""

from __future__ import annotations

import shutil
from urllib.parse import urljoin, urlsplit

import pytest

from devtools.processes import ROOT, free_port, portal_server
from portal.demo import DEMO_PASSWORD
from tests.support.stack import seeded_portal

pytestmark = pytest.mark.browser

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROLES = {
    "anonymous": None,
    "worker": "sanne@werknemer-demo.nl",
    "employer": "hr@korenschoof-demo.nl",
    "contact_person": "f.elamrani@wsp-demo.nl",
    "jobcoach": "p.hendriks@jobcoach-demo.nl",
    "administrator": "beheer@wsp-demo.nl",
}
MAX_PAGES = 40


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    assert path, "Debian's chromium is not installed: run scripts/dev.sh setup"
    return path


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
    settings = seeded_portal(tmp_path_factory.mktemp("a11y"))
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


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
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


def _violations(page) -> list[str]:
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:5])
        for v in result["violations"]
    ]


def _log_in(page, email: str) -> None:
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_url("**/dashboard")


def _nav_links(page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "header a[href], main a[href], footer a[href]",
        "els => els.map(e => e.getAttribute('href'))",
    )
    links = []
    for href in hrefs:
        url = urljoin(page.url, href)
        parts = urlsplit(url)
        if url.startswith(base) and not parts.path.startswith("/static"):
            links.append(url.split("#", 1)[0])
    return links


def _crawl(page, base: str, start: str) -> dict[str, list[str]]:
    """Visit every page reachable by links from the start page; return the violations per URL."""
    queue, seen, found = [start], set(), {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = page.goto(url)
        assert response is not None and response.status < 400, f"{url} answered {response.status}"
        found[url] = _violations(page)
        queue.extend(link for link in _nav_links(page, base) if link not in seen)
    return found


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_has_no_wcag_violations(open_page, portal_url, role, language):
    page = open_page(bypass_csp=True)
    page.goto(portal_url + "/inloggen")
    if language == "en":
        page.get_by_role("button", name="English").click()
    email = ROLES[role]
    if email:
        _log_in(page, email)
    assert page.locator("html").get_attribute("lang") == language
    results = _crawl(page, portal_url, page.url if email else portal_url + "/")
    assert len(results) >= 3
    if role in ("worker", "contact_person"):
        assert any("/hulpvraag/HV-" in url for url in results), "help request pages not crawled"
    problems = {url: v for url, v in results.items() if v}
    assert problems == {}


def test_form_errors_are_accessible(open_page, portal_url):
    page = open_page(bypass_csp=True)
    page.goto(portal_url + "/hulpvraag/nieuw")
    page.locator("main form [type=submit]").click()
    page.wait_for_selector("#error-summary")
    assert _violations(page) == []
    page.goto(portal_url + "/inloggen")
    page.locator("main form [type=submit]").click()
    page.wait_for_selector("#error-summary")
    assert _violations(page) == []


def test_error_and_confirmation_pages_are_accessible(open_page, portal_url):
    page = open_page(bypass_csp=True)
    assert page.goto(portal_url + "/bestaat-niet").status == 404
    assert _violations(page) == []
    page.goto(portal_url + "/hulpvraag/nieuw")
    page.fill("#requester_name", "Piet Jansen")
    page.fill("#requester_phone", "0612345678")
    page.fill("#subject", "Vraag over jobcoaching")
    page.fill("#text", "Hoeveel uur jobcoaching krijgt mijn werknemer?")
    page.locator("main form [type=submit]").click()
    page.wait_for_url("**/hulpvraag/verstuurd")
    assert "HV-" in page.inner_text("main")
    assert _violations(page) == []


def test_axe_finds_a_real_violation(open_page, portal_url):
    """The harness itself must be able to fail: an image without alt text is reported."""
    page = open_page(bypass_csp=True)
    page.goto(portal_url + "/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', "
        "'<img src=\"/static/css/portal.css\">')"
    )
    assert any(v.startswith("image-alt") for v in _violations(page))


def test_chat_page_is_usable_with_the_keyboard_alone(open_page, portal_url):
    page = open_page()
    page.goto(portal_url + "/assistent")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() in ("Naar de inhoud", "Skip to content")
    page.keyboard.press("Enter")
    page.focus("#message")
    page.keyboard.type("hallo")
    assert page.input_value("#message") == "hallo"


def test_pages_do_not_need_javascript(open_page, portal_url):
    page = open_page(java_script_enabled=False)
    page.goto(portal_url + "/inloggen")
    _log_in(page, ROLES["worker"])
    assert "Fatima el Amrani" in page.content()


def test_chat_script_falls_back_to_the_offline_page(open_page, portal_url):
    """With JavaScript the form posts in the background; when the assistant is down (no Rasa runs
    for this portal) the script reloads into the page with the contact details and the form."""
    page = open_page()
    page.goto(portal_url + "/assistent")
    page.fill("#message", "wat is de no-riskpolis")
    page.keyboard.press("Enter")
    page.wait_for_selector("#assistant-offline")
    assert "wat is de no-riskpolis" in page.inner_text("#transcript")
    assert page.locator("a[href^='/hulpvraag/nieuw?']").count() == 1

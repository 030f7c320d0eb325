"""axe-core (from npm) in headless Chromium on every page reachable from the navigation, per role,
in Dutch and English. Fails on any WCAG 2.1 A/AA violation."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit

import pytest

from portal.demo import DEMO_PASSWORD
from portal.services.two_factor import RECOVERY_CODES, code_at, step_of
from tests.browser.helpers import ROLES, log_in, nav_links, violations
from tests.support import figures

pytestmark = pytest.mark.browser

MAX_PAGES = 150  # more than any role has (the administrator about 90): the crawl must finish


def _kind(url: str) -> str:
    """Administration pages of one kind share a template (one user, organisation or employer is
    like the next), and so do the pages of a paged list: each kind is checked once."""
    parts = urlsplit(url)
    keys = sorted(key for key, _value in parse_qsl(parts.query) if key != "pagina")
    if parts.path.startswith("/beheer/"):
        return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)
    return url if "pagina=" not in parts.query else parts.path + "?" + "&".join(keys)


def _crawl(page, base: str, start: str) -> dict[str, list[str]]:
    """Visit every page reachable by links from the start page; return the violations per URL."""
    queue, seen, found = [start], set(), {}
    while queue:
        url = queue.pop(0)
        if _kind(url) in seen:
            continue
        assert len(seen) < MAX_PAGES, "the crawl did not finish: raise MAX_PAGES"
        seen.add(_kind(url))
        response = page.goto(url)
        assert response is not None and response.status < 400, f"{url} answered {response.status}"
        found[url] = violations(page)
        figures.add("axe_pages")
        figures.add("axe_violations", len(found[url]))
        queue.extend(link for link in nav_links(page, base) if _kind(link) not in seen)
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
        log_in(page, email)
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
    assert violations(page) == []
    page.goto(portal_url + "/inloggen")
    page.locator("main form [type=submit]").click()
    page.wait_for_selector("#error-summary")
    assert violations(page) == []


def test_error_and_confirmation_pages_are_accessible(open_page, portal_url):
    page = open_page(bypass_csp=True)
    assert page.goto(portal_url + "/bestaat-niet").status == 404
    assert violations(page) == []
    page.goto(portal_url + "/hulpvraag/nieuw")
    page.fill("#requester_name", "Piet Jansen")
    page.fill("#requester_phone", "0612345678")
    page.fill("#subject", "Vraag over jobcoaching")
    page.fill("#text", "Hoeveel uur jobcoaching krijgt mijn werknemer?")
    page.locator("main form [type=submit]").click()
    page.wait_for_url("**/hulpvraag/verstuurd")
    assert "HV-" in page.inner_text("main")
    assert violations(page) == []


def test_axe_finds_a_real_violation(open_page, portal_url):
    """The harness itself must be able to fail: an image without alt text is reported."""
    page = open_page(bypass_csp=True)
    page.goto(portal_url + "/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', "
        "'<img src=\"/static/css/portal.css\">')"
    )
    assert any(v.startswith("image-alt") for v in violations(page))


def test_pages_do_not_need_javascript(open_page, portal_url):
    page = open_page(java_script_enabled=False)
    page.goto(portal_url + "/inloggen")
    log_in(page, ROLES["worker"])
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


def test_two_step_pages_are_accessible(open_page, portal_url):
    """The code page of a staff log-in, and a worker switching two-step verification on: the page
    with the QR code and the key as text, and the page with the recovery codes."""
    page = open_page()
    page.goto(portal_url + "/inloggen")
    page.fill("#email", ROLES["contact_person"])
    page.fill("#password", DEMO_PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_url("**/inloggen/code")
    assert violations(page) == []
    page.fill("#code", "000000")
    page.locator("main form [type=submit]").click()
    page.wait_for_selector("#error-summary")
    assert violations(page) == []

    page = open_page()
    page.goto(portal_url + "/inloggen")
    log_in(page, ROLES["worker"])
    page.goto(portal_url + "/tweestapsverificatie")
    assert page.locator("svg[role=img][aria-label]").count() == 1
    assert violations(page) == []
    secret = page.inner_text(".totp-secret").replace(" ", "")
    page.fill("#code", code_at(secret, step_of(datetime.now(UTC))))
    page.locator("main form [type=submit]").first.click()
    page.wait_for_selector(".recovery-codes")
    assert page.locator(".recovery-codes li").count() == RECOVERY_CODES
    assert violations(page) == []
    # off again, so the worker logs in with the password alone in the other tests
    page.goto(portal_url + "/tweestapsverificatie")
    page.fill("#off-code", code_at(secret, step_of(datetime.now(UTC)) + 1))
    page.locator("form[action$='/uitzetten'] [type=submit]").click()
    page.wait_for_selector("form[action$='/instellen']")

"""Keyboard-only use (WCAG 2.1.1, 2.1.2, 2.4.1, 2.4.3, 2.4.7) in headless Chromium: the main tasks
are done with Tab, Shift+Tab, Enter, Space, the arrow keys and typing alone; no mouse, no
`click()`, no `fill()`. Every element reached with Tab must show a visible focus indicator (the
helpers check the computed outline or box-shadow), the skip link comes first and moves the focus to
the main content, and Tab moves on through the whole page and back to the start (no trap)."""

from __future__ import annotations

import re

import pytest

from tests.browser.helpers import (
    ROLES,
    SKIP_LINK_TEXTS,
    assert_skip_link_first,
    keyboard_log_in,
    press,
    tab_to,
    type_into,
)

pytestmark = pytest.mark.browser

MAX_STEPS = 12  # more than the questionnaire has sections


def _tabbable(page) -> dict[str, int]:
    """How many elements Tab should stop at (visible, enabled, not tabindex=-1; one per radio
    group, four for a date field), to bound the walk through the page."""
    return page.evaluate(
        """() => {
          const candidates = document.querySelectorAll(
            "a[href], button, input, select, textarea, [tabindex]");
          const groups = new Set();
          let stops = 0, elements = 0;
          for (const e of candidates) {
            if (e.tabIndex < 0 || e.disabled || e.type === "hidden") continue;
            if (!e.getClientRects().length || getComputedStyle(e).visibility === "hidden") continue;
            if (e.type === "radio") { if (groups.has(e.name)) continue; groups.add(e.name); }
            stops += e.type === "date" ? 4 : 1;  // day, month, year and the calendar button
            elements++;
          }
          return {stops, elements};
        }"""
    )


def _assert_no_keyboard_trap(page) -> None:
    """Tab from the skip link through every element: the focus moves on each time and comes back
    to the skip link; Shift+Tab goes back the same way."""
    tabbable = _tabbable(page)
    page.goto(page.url.split("#", 1)[0])  # nothing has the focus: the walk starts at the top
    skip_link = press(page, "Tab")
    assert skip_link["text"] in SKIP_LINK_TEXTS
    seen, previous = [skip_link["path"]], skip_link["path"]
    for _ in range(tabbable["stops"] + 3):
        element = press(page, "Tab")
        if element is not None and element["text"] in SKIP_LINK_TEXTS:
            break
        if element is not None:
            if element["type"] != "date":  # Tab moves through the parts of a date field
                assert element["path"] != previous, f"Tab did not move on from {element}"
            seen.append(element["path"])
            previous = element["path"]
    else:
        raise AssertionError(f"Tab never came back to the skip link; stuck after {seen[-3:]}")
    reached = len(set(seen))
    assert reached == tabbable["elements"], f"Tab reached {reached} of {tabbable} elements"
    # And backwards: Shift+Tab from the skip link leaves the page or wraps to the end.
    backwards = [press(page, "Shift+Tab") for _ in range(3)]
    assert len({element["path"] for element in backwards if element}) >= 2


def test_log_in_with_the_keyboard(open_page, portal_url):
    page = open_page()
    keyboard_log_in(page, portal_url, ROLES["worker"])
    assert "Fatima el Amrani" in page.inner_text("main")


def test_log_in_errors_with_the_keyboard(open_page, portal_url):
    """An empty form sent with Enter shows the error summary; its first link, followed with the
    keyboard, puts the focus on the field."""
    page = open_page()
    page.goto(portal_url + "/inloggen")
    assert_skip_link_first(page)
    tab_to(page, "main form [type=submit]")
    with page.expect_navigation():
        press(page, "Enter")
    tab_to(page, "#error-summary a[href='#email']")
    press(page, "Enter")
    assert page.evaluate("document.activeElement.id") == "email"
    page.keyboard.type(ROLES["worker"])
    assert page.input_value("#email") == ROLES["worker"]


def _answer_step(page) -> None:
    """Answer every radio group of this step that has no answer yet, and type into the first
    empty open question, all with the keyboard."""
    groups = page.eval_on_selector_all(
        "form.evaluation-form fieldset.question",
        """sets => sets.map(set => {
          const radios = [...set.querySelectorAll("input[type=radio]")];
          const textOnly = !radios.length && !set.querySelector("input[type=checkbox]");
          return {
            radio: radios.length ? radios[0].name : null,
            answered: radios.some(r => r.checked),
            text: textOnly ? set.querySelector("textarea").id : null,
            empty: textOnly ? !set.querySelector("textarea").value : false,
          };
        })""",
    )
    typed = False
    for group in groups:
        if group["radio"] and not group["answered"]:
            tab_to(page, f"input[name='{group['radio']}']")
            press(page, "Space")  # checks the focused option
            press(page, "ArrowRight")  # and the arrow keys move the choice along
            assert page.evaluate("document.activeElement.checked")
        elif group["text"] and group["empty"] and not typed:
            type_into(page, f"#{group['text']}", "Het gaat goed met mijn werk.")
            typed = True


def test_worker_fills_in_and_sends_an_evaluation_with_the_keyboard(open_page, portal_url):
    page = open_page()
    keyboard_log_in(page, portal_url, ROLES["worker"])
    tab_to(page, "header nav a[href='/evaluaties/']")
    with page.expect_navigation():
        press(page, "Enter")
    assert_skip_link_first(page)
    tab_to(page, "main a[href$='/invullen']")  # Sanne's open evaluation moment
    with page.expect_navigation():
        press(page, "Enter")
    for _ in range(MAX_STEPS):
        if page.locator("button[value='submit']").count():
            break
        assert_skip_link_first(page)
        _answer_step(page)
        tab_to(page, "button[value='next']")
        with page.expect_navigation():
            press(page, "Enter")
    else:
        raise AssertionError("the check-and-send step was not reached")
    assert page.locator("#error-summary").count() == 0
    tab_to(page, "#share_with_employer")
    press(page, "Space")
    assert page.is_checked("#share_with_employer")
    tab_to(page, "button[value='submit']")
    with page.expect_navigation():
        press(page, "Space")  # a button works with Space as well as Enter
    page.wait_for_url(re.compile(r".*/evaluaties/\d+/werknemer$"))
    assert "Bedankt" in page.inner_text("main") or "Thank you" in page.inner_text("main")


def _send_sick_report(page) -> None:
    """Tab to the send button and press Enter: the report is stored and shown."""
    tab_to(page, "main form [type=submit]")
    with page.expect_navigation():
        press(page, "Enter")
    page.wait_for_url(re.compile(r".*/ziekmelding/\d+$"))
    assert page.locator("#error-summary").count() == 0


def test_worker_reports_sick_with_the_keyboard(open_page, portal_url):
    page = open_page()
    keyboard_log_in(page, portal_url, ROLES["worker"])
    tab_to(page, "main a[href='/ziekmelding/nieuw']")
    with page.expect_navigation():
        press(page, "Enter")
    assert_skip_link_first(page)
    # The first sick day is today already; the expected duration is chosen with the arrow keys.
    tab_to(page, "input[name='expected_duration']")
    press(page, "ArrowDown")
    chosen = page.evaluate("document.activeElement.value")
    assert page.is_checked(f"input[name='expected_duration'][value='{chosen}']")
    type_into(page, "#remark", "Ik ben vanaf vandaag thuis.")
    _send_sick_report(page)


def test_employer_reports_a_worker_sick_with_the_keyboard(open_page, portal_url):
    page = open_page()
    # Another company than the worker test's, so the two tests do not meet.
    keyboard_log_in(page, portal_url, "leiding@heuvelrug-demo.nl")
    page.goto(portal_url + "/ziekmelding/nieuw")  # typing the address is keyboard use too
    assert_skip_link_first(page)
    tab_to(page, "#worker")
    press(page, "ArrowDown")  # from "Choose a worker" to the first worker
    chosen = page.evaluate("document.activeElement.selectedOptions[0]")
    assert page.evaluate("document.activeElement.value") != "0", chosen
    tab_to(page, "input[name='partially_working']")
    press(page, "ArrowDown")  # "Yes, partially"
    assert page.is_checked("input[name='partially_working'][value='yes']")
    type_into(page, "#working_percent", "50")
    _send_sick_report(page)


def test_chat_with_the_keyboard_when_the_assistant_is_down(open_page, portal_url):
    """No Rasa runs for this portal: the message is sent with Enter, the page with the contact
    details appears, and the keyboard can go on from the top: to the input and to the form."""
    page = open_page()
    page.goto(portal_url + "/assistent")
    assert_skip_link_first(page)
    type_into(page, "#message", "wat is de no-riskpolis")
    with page.expect_navigation():
        press(page, "Enter")
    page.wait_for_selector("#assistant-offline")
    assert "wat is de no-riskpolis" in page.inner_text("#transcript")
    assert_skip_link_first(page)
    tab_to(page, "#message")
    page.keyboard.type("hallo")
    assert page.input_value("#message") == "hallo"
    tab_to(page, "a[href^='/hulpvraag/nieuw?']", backwards=True)
    with page.expect_navigation():
        press(page, "Enter")
    assert page.input_value("#text") == "wat is de no-riskpolis"


def test_chat_empty_message_with_the_keyboard(open_page, portal_url):
    """Enter on an empty input: the server's message and error summary; the link in the summary
    brings the focus back to the input."""
    page = open_page()
    page.goto(portal_url + "/assistent")
    tab_to(page, "#message")
    with page.expect_navigation():
        press(page, "Enter")
    tab_to(page, "#error-summary a[href='#message']")
    press(page, "Enter")
    assert page.evaluate("document.activeElement.id") == "message"


PAGES = [
    ("anonymous", "/inloggen"),
    ("anonymous", "/assistent"),
    ("anonymous", "/hulpvraag/nieuw"),
    ("anonymous", "/toegankelijkheid"),
    ("worker", "/dashboard"),
    ("worker", "/evaluaties/"),
    ("employer", "/ziekmelding/nieuw"),
    ("contact_person", "/dashboard"),
    ("jobcoach", "/dashboard"),
    ("administrator", "/dashboard"),
]


@pytest.mark.parametrize(("role", "path"), PAGES)
def test_tab_goes_through_the_whole_page_without_a_trap(open_page, portal_url, role, path):
    page = open_page()
    if ROLES[role]:
        keyboard_log_in(page, portal_url, ROLES[role])
    page.goto(portal_url + path)
    assert_skip_link_first(page)
    _assert_no_keyboard_trap(page)

"""Shared by the browser tests: how Chromium is started, axe-core, logging in, following links,
and moving through a page with the keyboard alone."""

from __future__ import annotations

import shutil
from urllib.parse import urljoin, urlsplit

from devtools.processes import ROOT
from portal.demo import DEMO_PASSWORD
from tests.support.two_factor import SECOND_STEP_PATH, demo_codes

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
    "manager": "teamleider@wsp-demo.nl",
}
SKIP_LINK_TEXTS = ("Naar de inhoud", "Skip to content")
DOWNLOADS = (".csv", ".xlsx", ".pdf", ".json", ".zip")  # links to files, not pages: not crawled


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    assert path, "Debian's chromium is not installed: run scripts/dev.sh setup"
    return path


def violations(page) -> list[str]:
    page.evaluate(AXE.read_text())
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_TAGS
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(node["target"][0] if node["target"] else "?" for node in v["nodes"][:5])
        for v in result["violations"]
    ]


def log_in(page, email: str) -> None:
    """Log in by filling the fields directly (for the tests that are not about the keyboard)."""
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_url(lambda url: _path(url) != "/inloggen")
    if _path(page.url) == SECOND_STEP_PATH:
        page.fill("#code", demo_codes.code(_origin(page.url), email))
        page.locator("main form [type=submit]").click()
    # The dashboard, or where it sends the role (the manager: the regional figures).
    page.wait_for_url(lambda url: not _path(url).startswith("/inloggen"))


def _path(url: str) -> str:
    return urlsplit(url).path


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def nav_links(page, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "header a[href], main a[href], footer a[href]",
        "els => els.map(e => e.getAttribute('href'))",
    )
    links = []
    for href in hrefs:
        url = urljoin(page.url, href)
        parts = urlsplit(url)
        download = parts.path.rsplit("/", 1)[-1].endswith(DOWNLOADS)
        if url.startswith(base) and not parts.path.startswith("/static") and not download:
            links.append(url.split("#", 1)[0])
    return links


# The keyboard ------------------------------------------------------------------------------

_FOCUSED = """() => {
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return null;
  const style = getComputedStyle(e);
  return {
    tag: e.tagName.toLowerCase(),
    id: e.id,
    name: e.getAttribute("name"),
    type: e.getAttribute("type"),
    href: e.getAttribute("href"),
    text: (e.innerText || e.value || "").trim().slice(0, 80),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
    shadow: style.boxShadow !== "none",
    // The date field's calendar button lives in the browser's own shadow tree: it has the focus
    // while the field itself does not match :focus, and Chromium draws its focus ring itself.
    native: /^(date|time|datetime-local|month|week)$/.test(e.type) && !e.matches(":focus"),
    path: (function path(n) {
      return n && n.parentElement
        ? path(n.parentElement) + ">" + n.tagName + ":" +
          Array.prototype.indexOf.call(n.parentElement.children, n)
        : "";
    })(e),
  };
}"""


def focused(page) -> dict | None:
    """What has the keyboard focus (None when nothing, i.e. the body), with its focus style."""
    return page.evaluate(_FOCUSED)


def assert_focus_visible(page) -> None:
    element = focused(page)
    if element is None:
        return
    visible = element["outline"] or element["shadow"] or element["native"]
    assert visible, f"no visible focus indicator on {element}"


def press(page, key: str) -> dict | None:
    """Press a key. After Tab or Shift+Tab the newly focused element must show its focus, and is
    returned; other keys may navigate (Enter, Space on a button), so nothing is asked then."""
    page.keyboard.press(key)
    if key not in ("Tab", "Shift+Tab"):
        return None
    assert_focus_visible(page)
    return focused(page)


def tab_to(page, selector: str, *, backwards: bool = False, limit: int = 200) -> dict:
    """Press Tab (or Shift+Tab) until the element matching `selector` has the focus."""
    key = "Shift+Tab" if backwards else "Tab"
    matches = "s => !!document.activeElement && document.activeElement.matches(s)"
    for _ in range(limit):
        if page.evaluate(matches, selector):
            return focused(page)
        press(page, key)
    raise AssertionError(f"{selector} not reached with {limit} x {key}")


def type_into(page, selector: str, text: str) -> None:
    """Tab to a field and type, as a keyboard user does."""
    tab_to(page, selector)
    page.keyboard.type(text)


def assert_skip_link_first(page) -> None:
    """From the top of a freshly loaded page, the first Tab lands on the skip link, and Enter on
    it moves the focus to the main content."""
    assert focused(page) is None, "something has the focus before the first Tab"
    element = press(page, "Tab")
    assert element and element["text"] in SKIP_LINK_TEXTS, f"first Tab reached {element}"
    assert element["href"] == "#main"
    press(page, "Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def keyboard_log_in(page, base: str, email: str) -> None:
    page.goto(base + "/inloggen")
    assert_skip_link_first(page)
    type_into(page, "#email", email)
    type_into(page, "#password", DEMO_PASSWORD)
    tab_to(page, "main form [type=submit]")
    with page.expect_navigation():
        press(page, "Enter")
    if _path(page.url) == SECOND_STEP_PATH:
        type_into(page, "#code", demo_codes.code(base, email))
        tab_to(page, "main form [type=submit]")
        with page.expect_navigation():
            press(page, "Enter")
    # The dashboard, or where it sends the role (the manager: the regional figures).
    page.wait_for_url(lambda url: not _path(url).startswith("/inloggen"))

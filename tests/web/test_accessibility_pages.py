"""WCAG checks that need no browser, on every page each role can reach by links (Flask test client):
a unique <title> (2.4.2), <html lang> in the current language (3.1.1), autocomplete on fields for
one's own personal data (1.3.5), and an error summary whose links land on the fields (3.3.1).
Also the accessibility statement (toegankelijkheidsverklaring) and its link in the footer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest

from tests.conftest import ADMIN, CONTACT, EMPLOYER, JOBCOACH, WORKER, make_help_request
from tests.conftest import user_by_email as _user

ROLES = {
    "anonymous": None,
    "worker": WORKER,
    "employer": EMPLOYER,
    "contact_person": CONTACT,
    "jobcoach": JOBCOACH,
    "administrator": ADMIN,
}
MAX_PAGES = 400  # a bound against endless link chains; every role has fewer pages
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

# Fields for the user's own data and the autocomplete tokens that suit them (WCAG 1.3.5).
PERSONAL_FIELDS = {
    "email": {"username", "email"},
    "password": {"current-password"},
    "current_password": {"current-password"},
    "new_password": {"new-password"},
    "repeat_password": {"new-password"},
    "requester_name": {"name"},
    "requester_phone": {"tel"},
    "requester_email": {"email"},
}
PERSONAL_TYPES = {
    "email": {"email", "username"},
    "tel": {"tel"},
    "password": {"current-password", "new-password"},
}


# A small DOM, enough for these checks (the standard library has no HTML tree builder) --------


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    text: str = ""

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()

    def find_all(self, tag: str | None = None, **attrs) -> list[Node]:
        return [
            node
            for node in self.iter()
            if (tag is None or node.tag == tag)
            and all(node.attrs.get(key) == value for key, value in attrs.items())
        ]

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def inside(self, tag: str) -> bool:
        return any(node.tag == tag for node in self.ancestors())

    def all_text(self) -> str:
        return self.text + "".join(child.all_text() for child in self.children)


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {})
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, {key: value or "" for key, value in attrs}, parent=self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(
            Node(tag, {key: value or "" for key, value in attrs}, parent=self.current)
        )

    def handle_endtag(self, tag):
        for node in [self.current, *self.current.ancestors()]:
            if node.tag == tag:
                self.current = node.parent or self.root
                return

    def handle_data(self, data):
        self.current.text += data


def parse(html: str) -> Node:
    builder = _Builder()
    builder.feed(html)
    return builder.root


# Crawling ----------------------------------------------------------------------------------


def _log_in(client, auth, email: str | None, language: str) -> None:
    if email:
        response = auth.login(email)
        assert response.status_code == 302, f"log-in of {email} failed"
    client.post("/taal", data={"lang": language, "next": "/"})


def _links(page: Node, url: str) -> list[str]:
    found = []
    for anchor in page.find_all("a"):
        if not any(anchor.inside(area) for area in ("header", "main", "footer")):
            continue
        href = urljoin("http://localhost" + url, anchor.attrs.get("href", ""))
        parts = urlsplit(href)
        if parts.netloc != "localhost" or parts.path.startswith("/static"):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def crawl(client, start: str) -> dict[str, Node]:
    """Every page reachable by links from `start` (GET only), parsed."""
    queue, pages = [start], {}
    while queue and len(pages) < MAX_PAGES:
        url = queue.pop(0)
        if url in pages:
            continue
        response = client.get(url)
        if response.status_code == 302:  # e.g. the home page to the dashboard once logged in
            location = urlsplit(urljoin("http://localhost" + url, response.location))
            assert location.netloc == "localhost", f"{url} redirects away"
            queue.append(location.path + (f"?{location.query}" if location.query else ""))
            continue
        assert response.status_code == 200, f"{url} answered {response.status_code}"
        if response.mimetype != "text/html":  # a download (CSV, ...) is not a page
            continue
        pages[url] = parse(response.get_data(as_text=True))
        queue.extend(link for link in _links(pages[url], url) if link not in pages)
    return pages


@pytest.fixture
def seeded(demo):
    """The demo cast plus one assigned and one queued help request (their pages are crawled)."""
    make_help_request(_user(WORKER), subject="Gesprek", text="ik wil iemand spreken")
    make_help_request(subject="No-riskpolis", text="Hoe werkt het?")
    return demo


def _title(page: Node) -> str:
    titles = [node for node in page.find_all("title") if node.parent.tag == "head"]
    assert len(titles) == 1
    return " ".join(titles[0].all_text().split())


# The checks --------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("role", list(ROLES))
def test_every_page_has_a_unique_title_and_the_current_language(
    client, auth, seeded, role, language
):
    _log_in(client, auth, ROLES[role], language)
    pages = crawl(client, "/dashboard" if ROLES[role] else "/")
    assert len(pages) >= 3
    by_title: dict[str, set[str]] = {}
    for url, page in pages.items():
        (html,) = page.find_all("html")
        assert html.attrs.get("lang") == language, f"{url}: lang={html.attrs.get('lang')!r}"
        title = _title(page)
        assert title and not title.startswith("|"), f"{url} has no page title of its own"
        by_title.setdefault(title, set()).add(urlsplit(url).path)  # a query shows the same page
        footer = page.find_all("footer")[0]
        assert footer.find_all("a", href="/toegankelijkheid"), f"{url}: no statement link"
    duplicates = {title: urls for title, urls in by_title.items() if len(urls) > 1}
    assert duplicates == {}, "\n".join(f"{t}: {sorted(u)}" for t, u in duplicates.items())


@pytest.mark.parametrize("role", list(ROLES))
def test_fields_for_personal_data_have_autocomplete(client, auth, seeded, role):
    _log_in(client, auth, ROLES[role], "nl")
    pages = crawl(client, "/dashboard" if ROLES[role] else "/")
    if not ROLES[role]:
        pages["/inloggen"] = parse(client.get("/inloggen").get_data(as_text=True))
    checked = 0
    for url, page in pages.items():
        for node in page.find_all("input"):
            name, kind = node.attrs.get("name", ""), node.attrs.get("type", "text")
            expected = PERSONAL_FIELDS.get(name)
            if expected is None and kind in PERSONAL_TYPES:
                # Someone else's e-mail or phone (a search filter, a colleague's address): the
                # browser must not offer the user's own, so "off" suits as well.
                expected = PERSONAL_TYPES[kind] | {"off"}
            if expected is None:
                continue
            checked += 1
            token = node.attrs.get("autocomplete")
            assert token in expected, f"{url}: {name} has autocomplete={token!r}, not {expected}"
    if role == "anonymous":
        assert checked >= 5  # the log-in form and the help-request form


def test_personal_fields_of_the_log_in_and_help_forms(client, seeded):
    login = parse(client.get("/inloggen").get_data(as_text=True))
    assert login.find_all("input", id="email")[0].attrs["autocomplete"] in {"username", "email"}
    assert login.find_all("input", id="password")[0].attrs["autocomplete"] == "current-password"
    form = parse(client.get("/hulpvraag/nieuw").get_data(as_text=True))
    tokens = {node.attrs.get("id"): node.attrs.get("autocomplete") for node in form.iter()}
    assert tokens["requester_name"] == "name"
    assert tokens["requester_phone"] == "tel"
    assert tokens["requester_email"] == "email"


def _post_forms(page: Node, url: str) -> list[tuple[str, dict[str, str]]]:
    """The page's POST forms in main that have a field to fill in, with their hidden values."""
    forms = []
    for form in page.find_all("form"):
        if form.attrs.get("method", "get").lower() != "post" or not form.inside("main"):
            continue
        fields = [
            node
            for node in form.iter()
            if node.tag in ("textarea", "select")
            or (node.tag == "input" and node.attrs.get("type") not in ("hidden", "submit"))
        ]
        if not fields:
            continue
        hidden = {
            node.attrs["name"]: node.attrs.get("value", "")
            for node in form.find_all("input", type="hidden")
            if node.attrs.get("name") and node.attrs["name"] != "csrf_token"
        }
        forms.append((urljoin(url, form.attrs.get("action") or url), hidden))
    return forms


@pytest.mark.parametrize("role", list(ROLES))
def test_forms_with_errors_show_a_summary_that_links_to_the_fields(client, auth, seeded, role):
    """Every form is sent empty; where the answer shows field errors, an error summary comes
    first and each of its links points to an element with that id, which the user can reach."""
    _log_in(client, auth, ROLES[role], "nl")
    pages = crawl(client, "/dashboard" if ROLES[role] else "/")
    forms = {
        action: hidden for url, page in pages.items() for action, hidden in _post_forms(page, url)
    }
    with_errors = 0
    for action, hidden in forms.items():
        response = client.post(action, data=hidden)
        if response.status_code != 200:
            continue
        page = parse(response.get_data(as_text=True))
        messages = [
            node
            for node in page.iter()
            if "utrecht-form-field-error-message" in node.attrs.get("class", "").split()
        ]
        if not messages:
            continue
        with_errors += 1
        summaries = page.find_all(id="error-summary")
        assert summaries, f"{action}: field errors but no error summary"
        links = [a.attrs["href"] for a in summaries[0].find_all("a")]
        assert links, f"{action}: the error summary has no links to the fields"
        ids = {node.attrs["id"]: node for node in page.iter() if "id" in node.attrs}
        for href in links:
            assert href.startswith("#"), f"{action}: {href}"
            target = ids.get(href[1:])
            assert target is not None, f"{action}: {href} points to no element"
            focusable = target.tag in ("input", "select", "textarea") or "tabindex" in target.attrs
            assert focusable, f"{action}: {href} points to a <{target.tag}> without tabindex"
        for message in messages:  # every field error is linked from the summary
            field_id = message.attrs.get("id", "").removesuffix("-error")
            assert f"#{field_id}" in links, f"{action}: {field_id} is not in the summary"
    if role != "administrator":
        assert with_errors >= 1


def test_accessibility_statement_is_public_and_complete(client, app):
    response = client.get("/toegankelijkheid")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    tested_on = date.fromisoformat(app.config["ACCESSIBILITY_TESTED_ON"])
    assert f'datetime="{tested_on.isoformat()}"' in html
    for needed in (
        "WCAG 2.1",
        "EN 301 549",
        "axe-core",
        "Nationale ombudsman",
        "https://www.nationaleombudsman.nl/",
        f"mailto:{app.config['ACCESSIBILITY_EMAIL']}",
        'href="/hulpvraag/nieuw?onderwerp=',
        app.config["WSP_NAME"],
    ):
        assert needed in html, needed
    assert 'aria-current="page"' in html  # the footer link marks the current page


def test_accessibility_statement_in_english(client, app):
    client.post("/taal", data={"lang": "en", "next": "/toegankelijkheid"})
    html = client.get("/toegankelijkheid").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "<title>Accessibility statement |" in html
    assert "Known limitations" in html
    assert "November 24, 2026" in html or "24 November 2026" in html


def test_the_statement_date_is_set_in_one_place(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "ACCESSIBILITY_TESTED_ON", "2027-03-01")
    html = client.get("/toegankelijkheid").get_data(as_text=True)
    assert 'datetime="2027-03-01"' in html
    assert "1 maart 2027" in html


def test_staff_get_the_e_mail_address_but_not_the_help_form(client, auth, demo):
    auth.login(CONTACT)
    html = client.get("/toegankelijkheid").get_data(as_text=True)
    assert "/hulpvraag/nieuw" not in html  # staff cannot send help requests
    assert "mailto:" in html

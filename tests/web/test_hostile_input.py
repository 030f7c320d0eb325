"""Property-based tests (hypothesis) on every form and on the internal API.

Every page each role may open is fetched; every POST form on it is submitted with values drawn
from hostile strategies: random text, HTML/script, SQL, very long text, control characters,
wrong numbers, impossible dates and unknown choices. For every submission:

- the portal never answers 500 (nor a bare 400: a person gets a page that says what is wrong);
- the markup that was sent never comes back unescaped, neither on the answer nor on the page it
  leads to (where a stored value is shown);
- when the form comes back with an error, the value the user typed in another text field is
  still there.
"""

from __future__ import annotations

import html
import string
from collections import defaultdict
from urllib.parse import quote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from portal.extensions import limiter
from tests.conftest import user_by_email
from tests.support import figures
from tests.support.access import (
    ANONYMOUS,
    USERS,
    build_targets,
    is_allowed,
    logged_in_clients,
    routes_with_targets,
)
from tests.support.html_forms import Field, Form, post_forms

SCRIPT = '<script>alert("xss-7")</script>'
IMG = '"><img src=x onerror=alert(7)>'
RAW_MARKERS = ['<script>alert("xss-7")', "<img src=x onerror=alert(7)>"]
HOSTILE = [
    SCRIPT,
    IMG,
    "'; DROP TABLE user_account; --",
    "' OR '1'='1",
    "\x00\x01\x02\x1b[31m",
    "\u202e\u200b\ufeff",
    "x" * 20000,
    "Zoë 🙂 𝕏",
    "{{ 7*7 }}",
    "%s %n %(x)s",
    "../../etc/passwd",
    "-1",
    "99999999999999999999",
    "1e309",
    "NaN",
    "2026-02-30",
    "31-12-2026",
    "",
    "   ",
]
KEPT = "Bewaard tekst 4711"  # an ordinary value in one text field, which must survive an error
TEXT_KINDS = {"text", "textarea", "email", "tel", "search", "url"}
NOT_FUZZED = {"/uitloggen"}  # logs the client out; tested in test_auth
EXAMPLES_PER_FORM = 12

hostile = st.sampled_from(HOSTILE)
random_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=300
)
printable = st.text(alphabet=string.printable, max_size=80)


def value_strategy(field: Field, choices: list[str]):
    if field.kind == "hidden":
        return st.one_of(st.just(field.value), st.just(field.value), hostile)
    if field.kind in ("checkbox", "radio"):
        return st.one_of(st.sampled_from(choices), st.none(), hostile)
    if field.kind == "select":
        return st.one_of(st.sampled_from(field.options or [""]), hostile, printable)
    if field.kind == "date":
        return st.one_of(st.dates().map(lambda day: day.isoformat()), hostile, printable)
    if field.kind == "number":
        return st.one_of(st.integers(-(10**12), 10**12).map(str), hostile)
    return st.one_of(random_text, hostile, printable)


def grouped(form: Form) -> dict[str, list[Field]]:
    groups: dict[str, list[Field]] = defaultdict(list)
    for field in form.fields:
        groups[field.name].append(field)
    return groups


def forms_per_user(app, clients) -> list[tuple[str, str, Form]]:
    """(user, page, form) for every POST form on every page each user may open."""
    users = {email: (None if email == ANONYMOUS else user_by_email(email)) for email in USERS}
    seen, found = set(), []
    for url_rule, rule, kind, target, path in routes_with_targets(app, build_targets()):
        if "GET" not in url_rule.methods or rule == "service":
            continue
        for email in USERS:
            if not is_allowed(url_rule.endpoint, rule, email, users[email], kind, target):
                continue
            response = clients[email].get(path)
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            for form in post_forms(response.get_data(as_text=True), path):
                key = (email, form.action, tuple(form.field_names()))
                if form.action not in NOT_FUZZED and key not in seen:
                    seen.add(key)
                    found.append((email, path, form))
    return found


def assert_escaped(body: str, where: str) -> None:
    for marker in RAW_MARKERS:
        assert marker not in body, f"{where}: markup sent in a form came back unescaped"


@pytest.fixture
def clients(app, demo):
    return logged_in_clients(app)


@pytest.fixture
def no_rate_limits():
    """Many submissions from one address: without lifting the limits most would only be 429s
    (the limits themselves are tested in test_auth, test_help_requests and test_chat)."""
    limiter.enabled = False
    yield
    limiter.enabled = True


def hypothesis_submitter(client, form: Form, label: str, runs: dict):
    """A hypothesis test that submits this form with hostile values and checks the answer."""
    groups = grouped(form)
    text_fields = [name for name, fields in groups.items() if fields[0].kind in TEXT_KINDS]

    @settings(
        max_examples=EXAMPLES_PER_FORM,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def submit(data):
        kept = data.draw(st.sampled_from(text_fields)) if text_fields else None
        values = MultiDict()
        for name, fields in groups.items():
            if name == kept:
                values.add(name, KEPT)
                continue
            value = data.draw(value_strategy(fields[0], [f.value for f in fields]), label=name)
            if value is not None:
                values.add(name, value)
        response = client.post(form.action, data=values)
        runs[label] += 1
        body = response.get_data(as_text=True)
        assert response.status_code < 500, f"{label}: {response.status_code}"
        assert response.status_code != 400, f"{label}: a bare 400 for {dict(values)!r:.300}"
        assert_escaped(body, label)
        re_rendered = response.status_code == 200 and response.mimetype == "text/html"
        if re_rendered and kept is not None:
            assert html.escape(KEPT) in body, f"{label}: {kept!r} lost after an error"
        if response.status_code in (302, 303) and response.location:
            target = urlsplit(response.location)
            if not target.netloc:
                follow = client.get(target.path + (f"?{target.query}" if target.query else ""))
                assert follow.status_code < 500, f"{label}: the next page failed"
                assert_escaped(follow.get_data(as_text=True), f"{label} -> {target.path}")

    return submit


def test_every_form_survives_hostile_input(app, clients, no_rate_limits):
    cases = forms_per_user(app, clients)
    assert len(cases) > 30, "the crawl found the forms of every role"
    runs: dict[str, int] = defaultdict(int)
    for email, page, form in cases:
        label = f"{form.action} as {email} (form on {page})"
        hypothesis_submitter(clients[email], form, label, runs)()
    figures.add("hostile_forms", len(cases))
    figures.add("hypothesis_examples", sum(runs.values()))


service = {"Authorization": "Bearer test-service-token"}
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | random_text | hostile,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(printable, children, max_size=4)
    ),
    max_leaves=12,
)
help_request_keys = st.sampled_from(
    [
        "sender_id",
        "subject",
        "text",
        "transcript",
        "requester_name",
        "requester_phone",
        "requester_email",
        "preferred_contact_way",
        "preferred_contact_time",
    ]
)


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(payload=st.dictionaries(help_request_keys | printable, json_values, max_size=9))
def test_the_assistant_api_refuses_bad_json_with_a_clear_error(app, payload):
    figures.add("hypothesis_examples")
    with app.test_client() as client:
        response = client.post("/api/v1/help-requests", json=payload, headers=service)
        assert response.status_code in (201, 400, 404, 422), response.status_code
        assert response.is_json
        if response.status_code != 201:
            assert response.get_json().get("error")


@settings(
    max_examples=100,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
# Chat ids are URL-safe tokens; a "/" cannot be part of one (the router would not find the route).
@given(
    sender=st.one_of(printable, random_text, hostile).filter(lambda s: s.strip() and "/" not in s)
)
def test_the_context_api_never_fails_on_a_strange_sender_id(app, sender):
    figures.add("hypothesis_examples")
    with app.test_client() as client:
        path = f"/api/v1/conversations/{quote(sender, safe='')}/context"
        response = client.get(path, headers=service)
        assert response.status_code in (200, 400, 404), response.status_code

"""Every route x every role x real objects the user may and may not reach.

The test walks `app.url_map`, so a new route is covered the moment it exists. For each rule it
fills the URL arguments with ids of real demo records (this worker's placement, another company's
worker, another contact person's caseload, another worker's evaluation, ...) and requests it as
every role and as an anonymous visitor. Who may reach a record is stated here from the demo
data's relations (worker, employer, current contact person, jobcoach), not taken from
`portal.policy`, so the policy is checked against an independent statement.

- A combination that is not allowed must answer 403 or 404, or send an anonymous visitor to the
  log-in page (401 for the service API). Forbidden POSTs are sent too: they must not get past
  the check, even with an empty form.
- An allowed GET must not be refused, so the test would notice when the oracle and the routes
  drift apart (allowed POSTs are not sent: they would change the data under the other checks).
- A route with a URL argument the test has no records for fails the test, so adding one forces
  a decision here.
"""

from __future__ import annotations

import pytest

from portal.security import SERVICE, access_rule_of
from tests.conftest import user_by_email
from tests.support import figures
from tests.support.access import (
    ANONYMOUS,
    USERS,
    build_targets,
    is_allowed,
    is_refusal,
    logged_in_clients,
    routes_with_targets,
)


@pytest.fixture
def clients(app, demo):
    return logged_in_clients(app)


def test_every_route_refuses_every_role_and_record_it_should(app, clients):
    users = {email: (None if email == ANONYMOUS else user_by_email(email)) for email in USERS}
    problems: list[str] = []
    checked = refused_checked = allowed_checked = 0
    endpoints = set()
    for url_rule, rule, kind, target, path in routes_with_targets(app, build_targets()):
        if access_rule_of(url_rule.endpoint) is None:
            problems.append(f"{url_rule.rule}: no access rule declared")
            continue
        endpoints.add(url_rule.endpoint)
        for email in USERS:
            allowed = is_allowed(url_rule.endpoint, rule, email, users[email], kind, target)
            for method in sorted(url_rule.methods - {"HEAD", "OPTIONS"}):
                if allowed and method != "GET":
                    continue  # would change the data under the other checks
                response = clients[email].open(path, method=method, data={})
                checked += 1
                refused = is_refusal(response, email == ANONYMOUS, rule == SERVICE)
                if allowed:
                    allowed_checked += 1
                    if refused:
                        problems.append(
                            f"{method} {path} ({target.label}) as {email}: allowed, "
                            f"but answered {response.status_code}"
                        )
                else:
                    refused_checked += 1
                    if not refused:
                        problems.append(
                            f"{method} {path} ({target.label}) as {email}: must be refused, "
                            f"answered {response.status_code} {response.location or ''}"
                        )
    figures.add("matrix_endpoints", len(endpoints))
    figures.add("matrix_requests", checked)
    figures.add("matrix_refused", refused_checked)
    figures.add("matrix_allowed", allowed_checked)
    assert problems == [], "\n".join(problems)
    assert refused_checked > 800 and allowed_checked > 150  # the walk did reach the routes

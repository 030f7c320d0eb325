"""Security headers on every response, and the deny-by-default access rules."""

import pytest

from portal import create_app
from portal.security import access_rule_of


@pytest.mark.parametrize("path", ["/", "/inloggen", "/assistent", "/healthz", "/bestaat-niet"])
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_api_error_also_has_headers(client):
    response = client.get("/api/v1/conversations/x/context")
    assert response.status_code == 401
    assert "Content-Security-Policy" in response.headers


def test_every_route_declares_an_access_rule(app):
    with app.test_request_context():
        missing = [
            rule.endpoint
            for rule in app.url_map.iter_rules()
            if rule.endpoint != "static" and access_rule_of(rule.endpoint) is None
        ]
    assert missing == []


def test_a_route_without_a_rule_is_refused(database_url):
    fresh = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url})

    @fresh.route("/zonder-regel-test")
    def without_rule():
        return "should never be served"

    assert fresh.test_client().get("/zonder-regel-test").status_code == 403


def test_no_inline_scripts_or_styles_in_pages(client, auth, demo):
    auth.login("sanne@werknemer-demo.nl")
    for path in ["/dashboard", "/assistent", "/hulpvraag/nieuw"]:
        html = client.get(path).data.decode()
        assert "<script>" not in html
        assert " style=" not in html
        assert " onclick=" not in html

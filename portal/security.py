"""Route access rules (deny by default), security headers and password hashing.

Every view declares who may call it with one of the decorators below. A view without a declared
rule is refused with 403 by `enforce_access_rules`, so a forgotten rule fails closed.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, abort, current_app, request
from flask_login import current_user

from portal.extensions import login_manager
from portal.models import Role

# The key in Flask's signed session cookie that holds the server-side session's token.
SESSION_TOKEN_KEY = "session_token"  # noqa: S105 - a key name, not a secret

PUBLIC = "public"
AUTHENTICATED = "authenticated"
SERVICE = "service"

_hasher = PasswordHasher()
# Verified against when the account does not exist, so both paths cost the same time.
_DUMMY_HASH = _hasher.hash("no-such-account-dummy-password")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def _declare(rule: str | tuple[Role, ...]) -> Callable:
    def decorator(view: Callable) -> Callable:
        view.access_rule = rule
        return view

    return decorator


def public(view: Callable) -> Callable:
    """Anyone, logged in or not."""
    return _declare(PUBLIC)(view)


def login_required(view: Callable) -> Callable:
    """Any logged-in user, whatever the role."""
    return _declare(AUTHENTICATED)(view)


def roles_required(*roles: Role) -> Callable:
    """Only logged-in users with one of these roles; others get 403."""
    return _declare(tuple(roles))


def service_token_required(view: Callable) -> Callable:
    """Only callers with the shared service token (the assistant's action server)."""
    return _declare(SERVICE)(view)


def access_rule_of(endpoint: str | None) -> str | tuple[Role, ...] | None:
    view = current_app.view_functions.get(endpoint) if endpoint else None
    if view is None:
        return None
    return getattr(view, "access_rule", None)


def _service_token_ok() -> bool:
    expected = current_app.config.get("PORTAL_SERVICE_TOKEN")
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    return bool(expected) and scheme == "Bearer" and hmac.compare_digest(token, expected)


def enforce_access_rules():
    """before_request hook: apply the view's declared rule; no rule means no access."""
    if "\x00" in request.path or any("\x00" in value for value in request.args.values()):
        abort(404)  # no address of the portal holds a NUL; PostgreSQL could not even look it up
    if request.endpoint == "static" or request.endpoint is None:
        return None
    rule = access_rule_of(request.endpoint)
    if rule is None:
        abort(403)
    if rule == PUBLIC:
        return None
    if rule == SERVICE:
        if not _service_token_ok():
            abort(401)
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if rule != AUTHENTICATED and current_user.role not in rule:
        abort(403)
    return None


def _content_security_policy() -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def set_security_headers(response):
    response.headers.setdefault("Content-Security-Policy", _content_security_policy())
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    response.headers.setdefault(
        "Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"
    )
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config.get("HSTS"):
        response.headers.setdefault(
            "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
        )
    return response


def init_security(app: Flask) -> None:
    app.before_request(enforce_access_rules)
    app.after_request(set_security_headers)

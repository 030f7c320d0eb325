"""Log-in, log-out, the language switch, and setting a password by a single-use link."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from portal.blueprints.auth import passwords, routes, sessions, two_factor  # noqa: E402, F401

"""Log-in, log-out and the language switch."""

from flask import Blueprint

bp = Blueprint("auth", __name__)

from portal.blueprints.auth import routes  # noqa: E402, F401

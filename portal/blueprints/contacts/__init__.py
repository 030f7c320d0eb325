"""Contact persons: who serves which worker and employer, the history, and explicit hand-overs."""

from flask import Blueprint

bp = Blueprint("contacts", __name__, url_prefix="/contactpersonen")

from portal.blueprints.contacts import accounts, routes  # noqa: E402, F401

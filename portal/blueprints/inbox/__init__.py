"""The in-portal inbox: reminders and messages for the logged-in user."""

from flask import Blueprint

bp = Blueprint("inbox", __name__)

from portal.blueprints.inbox import routes  # noqa: E402, F401

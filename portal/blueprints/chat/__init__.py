"""The assistant's chat page: a form and a transcript without JavaScript, no reload with it."""

from flask import Blueprint

bp = Blueprint("chat", __name__)

from portal.blueprints.chat import routes  # noqa: E402, F401

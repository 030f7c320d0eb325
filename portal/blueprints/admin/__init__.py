"""Administration (functioneel beheer). For now: the evaluation schedule and reminder settings."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/beheer")

from portal.blueprints.admin import routes  # noqa: E402, F401

"""The worker's work profile, in their own words, and what the employer may see of it."""

from flask import Blueprint

bp = Blueprint("profile", __name__, url_prefix="/mijn-profiel")

from portal.blueprints.profile import routes  # noqa: E402, F401

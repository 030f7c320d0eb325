"""A worker's own data: who at the WSP looked at it, and a download of all of it (AVG)."""

from flask import Blueprint

bp = Blueprint("privacy", __name__, url_prefix="/mijn-gegevens")

from portal.blueprints.privacy import routes  # noqa: E402, F401

"""Internal API for the assistant's action server. Bearer service token only (docs/internal-api.md)."""

from flask import Blueprint

bp = Blueprint("api", __name__)

from portal.blueprints.api import routes  # noqa: E402, F401

"""Internal API for the assistant's action server; bearer service token only.

The contract is in docs/internal-api.md.
"""

from flask import Blueprint

bp = Blueprint("api", __name__)

from portal.blueprints.api import routes  # noqa: E402, F401

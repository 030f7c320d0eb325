"""Landing page, role dashboards, the accessibility statement and the health check."""

from flask import Blueprint

bp = Blueprint("home", __name__)

from portal.blueprints.home import routes  # noqa: E402, F401

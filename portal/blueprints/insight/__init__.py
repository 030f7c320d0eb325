"""Regional insight for the contact persons' managers and the administrator: why and when jobs
end, retention, pending decisions and self-found jobs, as aggregates only."""

from flask import Blueprint

bp = Blueprint("insight", __name__, url_prefix="/regio")

from portal.blueprints.insight import routes  # noqa: E402, F401

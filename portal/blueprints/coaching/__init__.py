"""Jobcoaching: the jobcoach's workers, hours and activities, periodic reports, refusals."""

from flask import Blueprint

bp = Blueprint("coaching", __name__, url_prefix="/jobcoaching")

from portal.blueprints.coaching import routes  # noqa: E402, F401

"""Meldingen: a worker or an employer tells the contact person early that something goes wrong."""

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/meldingen")

from portal.blueprints.reports import routes  # noqa: E402, F401

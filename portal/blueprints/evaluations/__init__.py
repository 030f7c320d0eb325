"""Evaluations from two sides: filling in, drafts, corrections, the comparison and follow-up."""

from flask import Blueprint

bp = Blueprint("evaluations", __name__, url_prefix="/evaluaties")

from portal.blueprints.evaluations import routes  # noqa: E402, F401

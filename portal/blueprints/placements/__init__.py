"""Placements: the contact person creates and changes them, the employer updates its own, the
worker reads; plus the contact person's caseload risk view."""

from flask import Blueprint

bp = Blueprint("placements", __name__)

from portal.blueprints.placements import routes, self_found  # noqa: E402, F401

"""Ziekmeldingen: report sickness and recovery, the sick-leave guidance, the sick workers list."""

from flask import Blueprint

bp = Blueprint("sickness", __name__, url_prefix="/ziekmelding")

from portal.blueprints.sickness import routes  # noqa: E402, F401

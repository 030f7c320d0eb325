"""Administration (functioneel beheer): settings, questionnaires, jobcoach report frequency."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/beheer")

from portal.blueprints.admin import (  # noqa: E402, F401
    audit,
    coaching,
    questionnaires,
    reference,
    routes,
    two_factor,
    users,
)

"""Help requests (hulpvragen): the form, the confirmation, and the contact person's view."""

from flask import Blueprint

bp = Blueprint("help", __name__)

from portal.blueprints.help import routes  # noqa: E402, F401

"""Help requests (hulpvragen): the form, the detail page, the contact person's work, the list."""

from flask import Blueprint

bp = Blueprint("help", __name__)

from portal.blueprints.help import routes  # noqa: E402, F401

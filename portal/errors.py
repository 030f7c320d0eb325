"""Error pages in plain Dutch (or English), and JSON errors for the internal API."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from portal.extensions import db


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _page(status: int, title: str, message: str):
    if _wants_json():
        return jsonify({"error": title}), status
    return render_template("errors/error.html", title=title, message=message, status=status), status


def register(app: Flask) -> None:
    @app.errorhandler(400)
    def bad_request(_error):
        return _page(400, _("Bad request"), _("The request could not be processed."))

    @app.errorhandler(CSRFError)
    def csrf_error(_error):
        return _page(
            400,
            _("Form expired"),
            _("The form was open too long or was sent from elsewhere. Please try again."),
        )

    @app.errorhandler(401)
    def unauthorized(_error):
        if _wants_json():
            return jsonify({"error": "unauthorized"}), 401
        return _page(401, _("Not logged in"), _("Please log in to see this page."))

    @app.errorhandler(403)
    def forbidden(_error):
        return _page(403, _("No access"), _("You do not have access to this page."))

    @app.errorhandler(404)
    def not_found(_error):
        return _page(404, _("Page not found"), _("This page does not exist (any more)."))

    @app.errorhandler(409)
    def conflict(_error):
        return _page(409, _("Not possible now"), _("This is not possible in the current phase."))

    @app.errorhandler(429)
    def too_many_requests(_error):
        return _page(
            429,
            _("Too many attempts"),
            _("You have tried this too often. Please wait a few minutes and try again."),
        )

    @app.errorhandler(500)
    def server_error(_error):
        db.session.rollback()
        return _page(
            500,
            _("Something went wrong"),
            _(
                "Something went wrong on our side. What you sent may not have been saved. "
                "Please try again in a moment."
            ),
        )

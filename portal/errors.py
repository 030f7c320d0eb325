"""Error pages in plain Dutch (or English), and JSON errors for the internal API."""

from __future__ import annotations

import re
from contextlib import suppress

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from portal.extensions import db, login_manager

RETRY_AFTER_SECONDS = 30
# A connection the database closed while in use reaches the driver as an InterfaceError rather
# than an OperationalError; both mean the database cannot be reached.
DATABASE_UNAVAILABLE = (InterfaceError, OperationalError)
# Values of choices, ids and keys: not shown back as "what was filled in" (the text is).
CODE = re.compile(r"^[0-9a-z_\-]*$")


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _page(status: int, title: str, message: str):
    if _wants_json():
        return jsonify({"error": title}), status
    return render_template("errors/error.html", title=title, message=message, status=status), status


def database_unavailable(error: DBAPIError):
    """The database cannot be reached (a restart, a failover): 503, nothing was saved (the
    transaction is rolled back as a whole), and a form's input comes back to send again."""
    with suppress(Exception):
        db.session.rollback()
    # Render as a visitor: the header must not query the database for the user's inbox.
    g._login_user = login_manager.anonymous_user()
    # Only the kind of error: the statement's parameters can hold personal data.
    current_app.logger.warning(
        "database unavailable on %s %s: %s",
        request.method,
        request.endpoint,
        type(error.orig).__name__,
    )
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if _wants_json():
        return jsonify({"error": "database unavailable"}), 503, headers
    if request.method == "POST" and request.form:
        fields = list(request.form.items(multi=True))
        resendable = not any("password" in name for name, _value in fields)
        page = render_template(
            "errors/not_saved.html",
            action=request.full_path if request.query_string else request.path,
            fields=fields if resendable else [],
            typed=[value for _name, value in fields if not CODE.match(value)] if resendable else [],
        )
        return page, 503, headers
    page, status = _page(
        503,
        _("Temporarily unavailable"),
        _("The portal cannot reach its data for a moment. Please try again in a minute."),
    )
    return page, status, headers


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

    # Registered after Flask-SQLAlchemy's, so it runs before it (teardowns run in reverse order).
    @app.teardown_appcontext
    def end_database_session(_error):
        """End the request's database session without failing the response: a database that
        shuts down after the last query makes the closing rollback of a read fail, yet the answer
        stands (what was committed is committed, nothing else was written)."""
        try:
            db.session.remove()
        except DBAPIError as error:
            current_app.logger.warning(
                "database connection lost while ending a session: %s", type(error.orig).__name__
            )
            # The connection is invalidated now; the second close releases the session.
            with suppress(DBAPIError):
                db.session.remove()

    for error_class in DATABASE_UNAVAILABLE:
        app.register_error_handler(error_class, database_unavailable)

    @app.errorhandler(500)
    def server_error(_error):
        with suppress(Exception):
            db.session.rollback()
        return _page(
            500,
            _("Something went wrong"),
            _(
                "Something went wrong on our side. What you sent may not have been saved. "
                "Please try again in a moment."
            ),
        )

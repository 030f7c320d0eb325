"""Banenafspraak portaal: the application factory."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from flask import Flask, flash, redirect, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_url
from sqlalchemy import event
from sqlalchemy.engine import Engine

from portal.config import CONFIGS, Config
from portal.extensions import babel, csrf, db, limiter, login_manager, migrate

MIGRATIONS_DIR = str(Path(__file__).resolve().parent / "migrations")
# Set on the request whose session the loader ended for inactivity.
IDLE_LOGOUT_KEY = "portal.idle_logout"


def create_app(config: str | type[Config] | None = None, overrides: dict | None = None) -> Flask:
    """Build the portal. `config` is a name from `CONFIGS` or a config class (default: the
    `PORTAL_ENV` environment variable, else development); `overrides` are applied on top."""
    app = Flask(__name__, instance_relative_config=False)
    env_name = config if isinstance(config, str) else os.environ.get("PORTAL_ENV", "development")
    config_cls = config if isinstance(config, type) else CONFIGS[env_name]
    app.config.from_object(config_cls)
    app.config.update(overrides or {})
    app.config["ENV_NAME"] = env_name
    _ensure_secrets(app, env_name)

    _init_extensions(app)
    _register_blueprints(app)
    _register_hooks(app)

    from portal.cli import register_cli

    register_cli(app)
    return app


def _ensure_secrets(app: Flask, env_name: str) -> None:
    """Secrets come from the environment. Outside production a per-install default is generated
    once into the (git-ignored) instance folder; production refuses to start without them."""
    missing = [key for key in ("SECRET_KEY", "PORTAL_SERVICE_TOKEN") if not app.config.get(key)]
    if not missing:
        return
    if env_name == "production":
        raise RuntimeError(f"missing required settings in the environment: {', '.join(missing)}")
    path = Path(app.instance_path) / "dev-secrets.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    stored = json.loads(path.read_text()) if path.exists() else {}
    for key in missing:
        stored.setdefault(key, secrets.token_urlsafe(32))
        app.config[key] = stored[key]
    path.write_text(json.dumps(stored))
    path.chmod(0o600)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    """SQLite: enforce foreign keys, WAL for concurrent readers, wait for locks, not fail."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()


def select_locale() -> str:
    languages = ("nl", "en")
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return "nl"


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    migrate.init_app(app, db, directory=MIGRATIONS_DIR, render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    from portal.models import User
    from portal.security import SESSION_TOKEN_KEY
    from portal.services.sessions import check_session, idle_limit

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        """The user of a session that has not ended (log-out and password changes end them) nor
        gone idle (ended now, with a message on the next page)."""
        if not user_id.isdigit():
            return None
        user = db.session.get(User, int(user_id))
        if user is None or not user.active:
            return None
        check = check_session(
            db.session,
            user.id,
            session.get(SESSION_TOKEN_KEY),
            limit=idle_limit(user.role, app.config),
        )
        if check.written:
            db.session.commit()  # the loader runs before the view: nothing else is pending
        if check.idle:
            request.environ[IDLE_LOGOUT_KEY] = True
            flash(str(_l("You were logged out because you were inactive for a while.")), "info")
        return user if check.found is not None else None

    @login_manager.unauthorized_handler
    def send_to_log_in():
        """Flask-Login's own handling, without "please log in" after the idle message."""
        if not request.environ.get(IDLE_LOGOUT_KEY):
            flash(str(login_manager.login_message), login_manager.login_message_category)
        return redirect(login_url(login_manager.login_view, next_url=request.url))


def _register_blueprints(app: Flask) -> None:
    from portal.blueprints.admin import bp as admin_bp
    from portal.blueprints.api import bp as api_bp
    from portal.blueprints.auth import bp as auth_bp
    from portal.blueprints.chat import bp as chat_bp
    from portal.blueprints.coaching import bp as coaching_bp
    from portal.blueprints.contacts import bp as contacts_bp
    from portal.blueprints.evaluations import bp as evaluations_bp
    from portal.blueprints.help import bp as help_bp
    from portal.blueprints.home import bp as home_bp
    from portal.blueprints.inbox import bp as inbox_bp
    from portal.blueprints.insight import bp as insight_bp
    from portal.blueprints.placements import bp as placements_bp
    from portal.blueprints.privacy import bp as privacy_bp
    from portal.blueprints.profile import bp as profile_bp
    from portal.blueprints.reports import bp as reports_bp
    from portal.blueprints.sickness import bp as sickness_bp

    app.register_blueprint(home_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(chat_bp)
    app.register_blueprint(help_bp)
    app.register_blueprint(placements_bp)
    app.register_blueprint(inbox_bp)
    app.register_blueprint(evaluations_bp)
    app.register_blueprint(coaching_bp)
    app.register_blueprint(reports_bp)
    app.register_blueprint(sickness_bp)
    app.register_blueprint(contacts_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(insight_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(profile_bp)
    app.register_blueprint(api_bp, url_prefix="/api/v1")
    csrf.exempt(api_bp)  # the internal API authenticates with a bearer token, not a cookie


def _register_hooks(app: Flask) -> None:
    from portal import audit_hooks, errors
    from portal.security import init_security

    init_security(app)
    errors.register(app)
    audit_hooks.init_app(app)

    from flask_babel import format_date, format_datetime, format_decimal

    from portal.labels import label

    app.add_template_filter(label, "label")
    app.add_template_filter(format_date, "format_date")
    app.add_template_filter(format_datetime, "format_datetime")
    app.add_template_filter(format_decimal, "format_decimal")

    @app.context_processor
    def inject_layout():
        from flask_babel import get_locale

        return {
            "current_locale": str(get_locale()),
            "languages": app.config["LANGUAGES"],
            "wsp": {
                "name": app.config["WSP_NAME"],
                "phone": app.config["WSP_PHONE"],
                "email": app.config["WSP_EMAIL"],
            },
        }

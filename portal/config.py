"""Configuration classes. Secrets and endpoints come from the environment, never from the repo."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Settings shared by every environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY")
    PORTAL_SERVICE_TOKEN = os.environ.get("PORTAL_SERVICE_TOKEN")

    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{PROJECT_ROOT / 'instance' / 'portal.db'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}

    BABEL_DEFAULT_LOCALE = "nl"
    BABEL_DEFAULT_TIMEZONE = "Europe/Amsterdam"
    BABEL_TRANSLATION_DIRECTORIES = str(PROJECT_ROOT / "translations")
    LANGUAGES = ("nl", "en")

    SESSION_COOKIE_NAME = "portal_session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    PERMANENT_SESSION_LIFETIME = 8 * 3600
    # Minutes without a request after which a log-in session ends (a warning comes 2 minutes
    # before): staff (contact persons, jobcoaches, administrators, managers) and the others.
    IDLE_MINUTES_STAFF = int(os.environ.get("IDLE_MINUTES_STAFF", "30"))
    IDLE_MINUTES_OTHERS = int(os.environ.get("IDLE_MINUTES_OTHERS", "480"))

    WTF_CSRF_TIME_LIMIT = 8 * 3600

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Years after the last placement ended before a worker is anonymised (`flask retention`).
    RETENTION_YEARS = int(os.environ.get("RETENTION_YEARS", "5"))
    RATELIMIT_HEADERS_ENABLED = True
    # Failed log-ins only; a successful log-in never counts against the limit.
    LOGIN_LIMIT_PER_ACCOUNT = os.environ.get("LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes")
    LOGIN_LIMIT_PER_IP = os.environ.get("LOGIN_LIMIT_PER_IP", "30 per 15 minutes")
    # Wrong codes of the second step (and of the two-step settings), per account.
    TWO_FACTOR_LIMIT_PER_ACCOUNT = os.environ.get(
        "TWO_FACTOR_LIMIT_PER_ACCOUNT", "5 per 15 minutes"
    )
    HELP_REQUEST_LIMIT = os.environ.get("HELP_REQUEST_LIMIT", "10 per hour")
    # "Forgotten password": every request counts (it sends an e-mail), per address and per IP.
    RESET_LIMIT_PER_ACCOUNT = os.environ.get("RESET_LIMIT_PER_ACCOUNT", "3 per hour")
    RESET_LIMIT_PER_IP = os.environ.get("RESET_LIMIT_PER_IP", "20 per hour")
    CHAT_LIMIT = os.environ.get("CHAT_LIMIT", "60 per minute")

    RASA_URL = os.environ.get("RASA_URL", "http://127.0.0.1:5005")
    ASSISTANT_CONNECT_TIMEOUT = float(os.environ.get("ASSISTANT_CONNECT_TIMEOUT", "2"))
    ASSISTANT_READ_TIMEOUT = float(os.environ.get("ASSISTANT_READ_TIMEOUT", "8"))

    # The WSP's general contact details, shown to anonymous visitors.
    WSP_NAME = os.environ.get("WSP_NAME", "Werkgeversservicepunt Midden-Utrecht")
    WSP_PHONE = os.environ.get("WSP_PHONE", "030 123 45 67")
    WSP_EMAIL = os.environ.get("WSP_EMAIL", "info@wsp-midden-utrecht.example")

    # The accessibility statement (/toegankelijkheid): the date of the last full test run (axe-core
    # in Chromium on every page of every role in nl and en, and the keyboard-only tests). Change it
    # here, and only here, after running `pytest tests/browser` on the released version.
    ACCESSIBILITY_TESTED_ON = os.environ.get("ACCESSIBILITY_TESTED_ON", "2026-11-24")
    # Where reports of accessibility problems go; the WSP's general address unless set.
    ACCESSIBILITY_EMAIL = os.environ.get("ACCESSIBILITY_EMAIL") or WSP_EMAIL
    # Within how many working days the WSP answers such a report.
    ACCESSIBILITY_RESPONSE_DAYS = int(os.environ.get("ACCESSIBILITY_RESPONSE_DAYS", "5"))

    # Outgoing e-mail (reminders, start messages). No MAIL_SERVER: messages go to the portal
    # inbox only and the e-mail copy is skipped (logged).
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)  # STARTTLS after connecting
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_FROM = os.environ.get("MAIL_FROM", "no-reply@wsp-midden-utrecht.example")
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "10"))
    # Where the portal is reachable, for the links in e-mails; without it e-mails carry no link.
    PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL") or None

    HSTS = False


class DevelopmentConfig(Config):
    """Local development: SQLite by default, debug tooling allowed."""

    DEBUG = False


class TestingConfig(Config):
    """The test suite: fixed secrets, no CSRF unless a test asks for it."""

    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105
    PORTAL_SERVICE_TOKEN = "test-service-token"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    ASSISTANT_CONNECT_TIMEOUT = 0.5
    ASSISTANT_READ_TIMEOUT = 1.0
    MAIL_SERVER = None  # a test that wants e-mail starts its own SMTP server


class ProductionConfig(Config):
    """Production: PostgreSQL, secure cookies, HSTS; refuses to start without secrets."""

    # Secure cookies unless explicitly turned off: only for the local production topology, which
    # serves plain HTTP on loopback (scripts/dev.sh prod-local); never behind a real address.
    SESSION_COOKIE_SECURE = _env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    HSTS = True


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}

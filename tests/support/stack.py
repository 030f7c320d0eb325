"""A seeded portal database and the environment for running the real portal as a subprocess."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from pathlib import Path

import requests

from portal import create_app
from portal.demo import DEMO_PASSWORD, seed_demo
from portal.extensions import db
from tests.support.two_factor import SECOND_STEP_PATH, demo_codes


@dataclass
class PortalSettings:
    database_url: str
    secret_key: str
    service_token: str

    def env(self, rasa_url: str) -> dict[str, str]:
        return {
            "PORTAL_ENV": "development",
            "DATABASE_URL": self.database_url,
            "SECRET_KEY": self.secret_key,
            "PORTAL_SERVICE_TOKEN": self.service_token,
            "RASA_URL": rasa_url,
            "ASSISTANT_CONNECT_TIMEOUT": "2",
            "ASSISTANT_READ_TIMEOUT": "20",
        }

    def app(self):
        return create_app(
            "development",
            {
                "SQLALCHEMY_DATABASE_URI": self.database_url,
                "SECRET_KEY": self.secret_key,
                "PORTAL_SERVICE_TOKEN": self.service_token,
            },
        )


def seeded_portal(directory: Path) -> PortalSettings:
    """Migrate a fresh SQLite database in `directory` and seed the demo cast into it."""
    from flask_migrate import upgrade

    settings = PortalSettings(
        database_url=f"sqlite:///{directory / 'portal.db'}",
        secret_key=secrets.token_urlsafe(32),
        service_token=secrets.token_urlsafe(32),
    )
    app = settings.app()
    with app.app_context():
        upgrade()
        seed_demo(db.session)
        db.session.commit()
        db.engine.dispose()
    return settings


CSRF_PATTERN = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


class Browserless:
    """A `requests` session that fills in CSRF tokens like a browser without JavaScript."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.session = requests.Session()

    def get(self, path: str) -> requests.Response:
        return self.session.get(self.base_url + path, timeout=30)

    def submit(self, path: str, data: dict, form_page: str | None = None) -> requests.Response:
        page = self.get(form_page or path).text
        token = CSRF_PATTERN.search(page).group(1)
        return self.session.post(
            self.base_url + path, data={**data, "csrf_token": token}, timeout=60
        )

    def login(self, email: str, password: str = DEMO_PASSWORD) -> requests.Response:
        response = self.submit("/inloggen", {"email": email, "password": password})
        if response.url.endswith(SECOND_STEP_PATH):
            code = demo_codes.code(self.base_url, email)
            response = self.submit(SECOND_STEP_PATH, {"code": code})
        response.raise_for_status()
        assert response.url.endswith("/dashboard"), "log-in failed"
        return response

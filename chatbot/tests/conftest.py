"""Pytest setup: make the ``actions`` package in chatbot/ importable."""

import sys
from pathlib import Path

import pytest

CHATBOT_DIR = Path(__file__).resolve().parent.parent

if str(CHATBOT_DIR) not in sys.path:
    sys.path.insert(0, str(CHATBOT_DIR))


@pytest.fixture(autouse=True)
def portal_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The actions talk to a mocked portal (see PORTAL and TOKEN in test_actions)."""
    monkeypatch.setenv("PORTAL_API_URL", "http://portal.test")
    monkeypatch.setenv("PORTAL_SERVICE_TOKEN", "test-service-token")

"""The rules of log-in sessions: the inactivity limit per role, idle detection with the margin
for "last seen" being written once a minute, and the device summary of a User-Agent header."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from portal.config import Config
from portal.models import Role
from portal.services.sessions import (
    LAST_SEEN_RESOLUTION,
    browser_and_system,
    idle_limit,
    is_idle,
)

CONFIG = {"IDLE_MINUTES_STAFF": 30, "IDLE_MINUTES_OTHERS": 480}
NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def test_the_defaults_are_30_minutes_for_staff_and_8_hours_for_others():
    assert Config.IDLE_MINUTES_STAFF == 30
    assert Config.IDLE_MINUTES_OTHERS == 480


@pytest.mark.parametrize(
    "role", [Role.CONTACT_PERSON, Role.JOBCOACH, Role.ADMINISTRATOR, Role.MANAGER]
)
def test_staff_get_the_staff_limit(role):
    assert idle_limit(role, CONFIG) == timedelta(minutes=30)


@pytest.mark.parametrize("role", [Role.WORKER, Role.EMPLOYER])
def test_workers_and_employers_get_the_other_limit(role):
    assert idle_limit(role, CONFIG) == timedelta(hours=8)


def test_the_limits_come_from_the_config_and_accept_role_values():
    config = {"IDLE_MINUTES_STAFF": 5, "IDLE_MINUTES_OTHERS": 60}
    assert idle_limit("jobcoach", config) == timedelta(minutes=5)
    assert idle_limit("worker", config) == timedelta(hours=1)


def test_idle_only_after_the_limit_plus_the_last_seen_resolution():
    limit = timedelta(minutes=30)
    assert timedelta(minutes=1) == LAST_SEEN_RESOLUTION
    assert not is_idle(NOW - timedelta(minutes=29), NOW, limit)
    # The last request may have come up to a minute after the stored "last seen".
    assert not is_idle(NOW - limit, NOW, limit)
    assert not is_idle(NOW - timedelta(minutes=31) + timedelta(seconds=1), NOW, limit)
    assert is_idle(NOW - timedelta(minutes=31), NOW, limit)
    assert is_idle(NOW - timedelta(hours=3), NOW, limit)


def test_idle_detection_accepts_a_naive_utc_time_from_the_database():
    limit = timedelta(minutes=30)
    stored = (NOW - timedelta(minutes=40)).replace(tzinfo=None)
    assert is_idle(stored, NOW, limit)
    assert not is_idle(NOW.replace(tzinfo=None), NOW, limit)


FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:132.0) Gecko/20100101 Firefox/132.0"
CHROME_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)
EDGE_WINDOWS = CHROME_MAC.replace(
    "Macintosh; Intel Mac OS X 10_15_7", "Windows NT 10.0; Win64; x64"
)
EDGE_WINDOWS += " Edg/131.0.0.0"
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)
SAMSUNG_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36"
)
CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)
FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0"
SAFARI_IPAD = SAFARI_IPHONE.replace("iPhone; CPU iPhone OS", "iPad; CPU OS")
OPERA_WINDOWS = EDGE_WINDOWS.replace("Edg/131.0.0.0", "OPR/114.0.0.0")
IE_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko"


@pytest.mark.parametrize(
    ("user_agent", "expected"),
    [
        (FIREFOX_WINDOWS, ("Firefox", "Windows")),
        (CHROME_MAC, ("Chrome", "macOS")),
        (EDGE_WINDOWS, ("Edge", "Windows")),
        (OPERA_WINDOWS, ("Opera", "Windows")),
        (SAFARI_IPHONE, ("Safari", "iOS")),
        (SAFARI_IPAD, ("Safari", "iPadOS")),
        (SAMSUNG_ANDROID, ("Samsung Internet", "Android")),
        (CHROME_ANDROID, ("Chrome", "Android")),
        (FIREFOX_LINUX, ("Firefox", "Linux")),
        (IE_WINDOWS, ("Internet Explorer", "Windows")),
        ("Werkzeug/3.1.3", (None, None)),
        ("", (None, None)),
        (None, (None, None)),
    ],
)
def test_the_browser_and_system_of_a_user_agent(user_agent, expected):
    assert browser_and_system(user_agent) == expected

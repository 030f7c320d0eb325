"""Codes for the second log-in step, as the authenticator app would show them.

The portal accepts each 30-second step once per account and up to one step ahead, so a test that
logs the same account in more than twice within a step needs a later step: in-process tests move
the account's last used step back (as if time had passed); tests against a portal in another
process wait for the clock.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

from portal.demo import DEMO_TOTP_SECRET
from portal.services.two_factor import STEP_SECONDS, code_at, step_of

SECOND_STEP_PATH = "/inloggen/code"


def _now_step() -> int:
    return step_of(datetime.now(UTC))


def free_step(last_step: int | None) -> int | None:
    """The first step the portal still accepts, from the current one (not the one before: the
    clock may pass a step boundary on its way to the server)."""
    now = _now_step()
    for step in (now, now + 1):
        if last_step is None or step > last_step:
            return step
    return None


def code_for_user(user, session) -> str:
    """A code the portal accepts now for this user (of the demo key or their own secret)."""
    step = free_step(user.totp_last_step)
    if step is None:
        user.totp_last_step = _now_step() - 1
        session.commit()
        step = _now_step()
    return code_at(user.totp_secret, step)


class DemoCodes:
    """Codes of the demo key for a portal in another process; remembers the steps it used."""

    def __init__(self) -> None:
        self._used: dict[tuple[str, str], int] = {}

    def code(self, portal: str, email: str) -> str:
        key = (portal, email.lower())
        step = free_step(self._used.get(key))
        while step is None:
            # Both steps taken: wait for the clock to reach the next one.
            time.sleep(max(0.05, (self._used[key]) * STEP_SECONDS - time.time()))
            step = free_step(self._used.get(key))
        self._used[key] = step
        return code_at(DEMO_TOTP_SECRET, step)


demo_codes = DemoCodes()

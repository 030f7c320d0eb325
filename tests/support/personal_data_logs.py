"""Personal data must never reach the logs (AVG): a capture for the whole test run.

`conftest.py` attaches `LogCapture` to the root logger for the whole session (the portal's own
loggers at DEBUG, so even debug lines are checked) and fails the run at the end when any log
line holds a demo worker's name, e-mail address or phone number.
"""

from __future__ import annotations

import logging
import re

from portal.demo import WORKERS


def personal_data_terms() -> list[str]:
    """The demo workers' full names, e-mail addresses and phone numbers (also without spaces)."""
    terms = []
    for worker in WORKERS:
        user = worker.user
        terms += [f"{user.first_name} {user.last_name}", user.email]
        if user.phone:
            terms += [user.phone, user.phone.replace(" ", "")]
    return terms


class LogCapture(logging.Handler):
    """Keeps every formatted log line (message, arguments and traceback)."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.lines.append(self.format(record))
        except Exception:  # noqa: BLE001 - a broken record is not our concern here
            self.lines.append(f"{record.name} {record.levelname} {record.msg!r} {record.args!r}")


def leaks(lines: list[str], terms: list[str]) -> list[str]:
    """The log lines that contain one of the terms (case-insensitive)."""
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    return [line for line in lines if pattern.search(line)]

"""The log check of the test run finds personal data, and the portal's mail log holds none."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from portal.notify import MailSettings, OutgoingMail, send_email
from tests.support.personal_data_logs import LogCapture, leaks, personal_data_terms


@contextmanager
def captured(logger_name: str) -> Iterator[tuple[logging.Logger, LogCapture]]:
    """This logger's lines only; they do not reach the run's own check (the leaks are planted)."""
    handler, logger = LogCapture(), logging.getLogger(logger_name)
    propagate, level = logger.propagate, logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    try:
        yield logger, handler
    finally:
        logger.removeHandler(handler)
        logger.propagate, logger.level = propagate, level


def test_the_check_finds_names_e_mail_addresses_and_phone_numbers():
    with captured("portal.test-leak") as (logger, handler):
        logger.info("sent to %s", "Sanne@werknemer-demo.nl")
        logger.info("caller %s", "0612345602")
        logger.info("about %s", "Mohammed Yilmaz")
        logger.info("placement %s changed", 4)
    assert len(leaks(handler.lines, personal_data_terms())) == 3


def test_a_skipped_e_mail_is_logged_without_the_address():
    with captured("portal.notify") as (_logger, handler):
        sent = send_email(
            MailSettings(server=None),
            OutgoingMail(to="sanne@werknemer-demo.nl", subject="Herinnering", body="Tekst"),
        )
    assert sent is False
    assert handler.lines, "the skipped e-mail is logged"
    assert leaks(handler.lines, personal_data_terms()) == []

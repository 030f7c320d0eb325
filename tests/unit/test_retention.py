"""Retention: workers whose placements all ended long ago are anonymised, nothing else is."""

from __future__ import annotations

import json
from datetime import date

import sqlalchemy as sa
from sqlalchemy import select

from portal.extensions import db
from portal.models import (
    ChatMessage,
    HelpRequestChannel,
    InboxMessage,
    Placement,
    SickReport,
    User,
)
from portal.models.placements import Phase
from portal.security import verify_password
from portal.services.retention import PLAN, apply_retention, cutoff_date, due_workers
from tests.conftest import WORKER, make_help_request, user_by_email

TODAY = date(2026, 11, 24)
EVA = "eva@werknemer-demo.nl"  # the demo's ended placement
WORKER_TABLES = {
    "user_account",
    "placement",
    "evaluation_moment",
    "evaluation_response",
    "help_request",
    "problem_report",
}


def end_placements_of(email: str, on: date) -> User:
    worker = user_by_email(email)
    for placement in db.session.scalars(select(Placement).where(Placement.worker_id == worker.id)):
        placement.phase, placement.end_date = Phase.BEEINDIGD, on
    db.session.commit()
    return worker


def give_records(worker: User) -> None:
    """A sick report, a chat, an inbox message and a help request with the name in the text."""
    placement = db.session.scalar(select(Placement).where(Placement.worker_id == worker.id))
    db.session.add_all(
        [
            SickReport(
                worker_id=worker.id,
                placement_id=placement.id,
                employer_id=placement.employer_id,
                reported_by_id=worker.id,
                first_sick_day=date(2019, 3, 1),
                remark=f"{worker.full_name} belt later",
            ),
            ChatMessage(conversation_id=worker.chat_id, author="user", text="hoi ik ben Eva"),
            InboxMessage(user_id=worker.id, subject="Bericht", body=f"Beste {worker.first_name}"),
        ]
    )
    db.session.commit()
    make_help_request(worker, channel=HelpRequestChannel.FORM, text=f"Groet, {worker.full_name}")


def every_text_value() -> list[str]:
    """Every string stored in any table, the audit log's recorded changes included."""
    values = []
    for table in db.metadata.sorted_tables:
        columns = [c for c in table.columns if isinstance(c.type, sa.String | sa.Text | sa.JSON)]
        if columns:
            for row in db.session.execute(select(*columns)):
                for value in row:
                    if isinstance(value, str):
                        values.append(value)
                    elif value is not None:
                        values.append(json.dumps(value, ensure_ascii=False))
    return values


def test_every_table_about_a_worker_has_a_retention_rule():
    tables = {table.name for table in db.metadata.sorted_tables}
    pointing = {
        table.name
        for table in db.metadata.sorted_tables
        if any(fk.column.table.name in WORKER_TABLES for fk in table.foreign_keys)
    }
    assert pointing - set(PLAN) == set(), "add the new table to retention.PLAN"
    assert set(PLAN) <= tables


def test_cutoff_handles_29_february():
    assert cutoff_date(date(2028, 2, 29), 5) == date(2023, 2, 28)
    assert cutoff_date(TODAY, 5) == date(2021, 11, 24)


def test_a_worker_whose_placements_ended_long_ago_is_anonymised_everywhere(demo):
    eva = end_placements_of(EVA, date(2019, 6, 30))
    give_records(eva)
    name, email, phone, eva_id = eva.full_name, eva.email, eva.phone, eva.id
    # changes before retention: the audit log must not have kept the old values
    eva.phone = "06 12 34 56 78"
    db.session.scalar(
        select(SickReport).where(SickReport.worker_id == eva_id)
    ).remark = f"Gesproken met {name}"
    db.session.commit()
    sanne_before = user_by_email(WORKER).full_name

    result = apply_retention(db.session, TODAY, years=5)
    db.session.commit()

    assert result.workers == [eva_id]
    assert result.deleted["sick_report"] == 1 and result.deleted["help_request"] == 1
    eva = db.session.get(User, eva_id)
    assert eva.anonymised_on == TODAY and not eva.active
    assert not verify_password(eva.password_hash, "demo-wachtwoord-2026")
    stored = "\n".join(every_text_value())
    for personal in (
        name,
        email,
        phone,
        phone.replace(" ", ""),
        "06 12 34 56 78",
        "hoi ik ben Eva",
    ):
        assert personal not in stored
    placement = db.session.scalar(select(Placement).where(Placement.worker_id == eva_id))
    assert placement.end_date == date(2019, 6, 30), "statistics keep the placement's dates"
    assert user_by_email(WORKER).full_name == sanne_before


def test_recent_endings_and_current_placements_are_left_alone(demo):
    eva = end_placements_of(EVA, date(2023, 1, 31))
    assert due_workers(db.session, TODAY, years=5) == []
    assert apply_retention(db.session, TODAY, years=2).workers == [eva.id]


def test_a_dry_run_changes_nothing_and_a_second_run_finds_nobody(app, demo):
    eva = end_placements_of(EVA, date(2019, 6, 30))
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["retention", "--today", "2026-11-24", "--years", "5", "--dry-run"])
    assert "1 workers ended before 2021-11-24 would be anonymised" in dry.output
    db.session.expire_all()
    assert db.session.get(User, eva.id).anonymised_on is None

    first = runner.invoke(args=["retention", "--today", "2026-11-24", "--years", "5"])
    assert first.exit_code == 0 and "1 workers ended before 2021-11-24 anonymised" in first.output
    second = runner.invoke(args=["retention", "--today", "2026-11-24", "--years", "5"])
    assert "0 workers" in second.output

"""The audit log's rules without the web: one row per created, changed or deleted record with the
changed fields (secrets masked), the worker a record belongs to, append-only (the flush guard, the
bulk-statement guard and on PostgreSQL the trigger), filters, the safe CSV and a worker's reads."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from portal.extensions import db
from portal.models import (
    AuditAction,
    AuditEvent,
    EvaluationAnswer,
    EvaluationResponse,
    InboxMessage,
    Placement,
    ProblemCategory,
    Role,
    SickReport,
)
from portal.services import audit
from portal.services import help_requests as help_service
from portal.services.audit import (
    MASK,
    AuditContext,
    AuditFilter,
    AuditLogImmutableError,
    csv_lines,
    filtered,
    loggable,
    record_read,
    safe_cell,
    staff_reads_of,
    subject_worker_id,
)
from portal.services.sickness import create_sick_report
from tests.conftest import (
    CONTACT,
    EMPLOYER,
    JOBCOACH,
    OTHER_WORKER,
    WORKER,
    make_help_request,
    user_by_email,
)

TODAY = date.today()


@pytest.fixture(autouse=True)
def _hooks(app_ctx):
    audit.install()  # the app factory does this too; idempotent


def _events(**where) -> list[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.id)
    for key, value in where.items():
        query = query.where(getattr(AuditEvent, key) == value)
    return list(db.session.scalars(query))


def _last_id() -> int:
    return db.session.scalar(select(db.func.max(AuditEvent.id))) or 0


def _since(last: int, **where) -> list[AuditEvent]:
    return [event for event in _events(**where) if event.id > last]


def _sick_report(worker_email=WORKER, reporter_email=None) -> SickReport:
    worker = user_by_email(worker_email)
    report = create_sick_report(
        db.session,
        reporter=user_by_email(reporter_email or worker_email),
        worker=worker,
        first_sick_day=TODAY - timedelta(days=2),
        remark="Ik bel maandag",
        today=TODAY,
    )
    db.session.commit()
    return report


# Changes ---------------------------------------------------------------------------------


def test_a_created_record_writes_one_create_row_with_its_worker(demo):
    last = _last_id()
    report = _sick_report()
    [created] = _since(last, entity="sick_report")
    assert created.action == AuditAction.CREATE
    assert created.entity_id == str(report.id)
    assert created.subject_worker_id == user_by_email(WORKER).id
    assert created.actor_id is None and created.actor_role == audit.SYSTEM
    assert created.changes is None  # the record itself holds the values
    assert created.occurred_at is not None


def test_a_change_writes_the_changed_fields_old_and_new(demo):
    report = _sick_report()
    last = _last_id()
    report.remark = "Ik bel dinsdag"
    report.partially_working = True
    report.working_percent = 40
    db.session.commit()
    [changed] = _since(last)
    assert changed.action == AuditAction.UPDATE
    assert changed.entity == "sick_report" and changed.entity_id == str(report.id)
    # what someone wrote is personal: the log says it changed, not what it said
    assert changed.changes == {
        "remark": [audit.TEXT, audit.TEXT],
        "partially_working": [False, True],
        "working_percent": [None, 40],
    }
    assert "bel" not in json.dumps(changed.changes)


def test_names_and_contact_details_stay_out_of_the_log_codes_do_not(demo):
    user = user_by_email(WORKER)
    user.locale = "nl"
    db.session.commit()
    last = _last_id()
    user.first_name, user.phone, user.locale = "Sanna", None, "en"
    db.session.commit()
    [changed] = _since(last, entity="user_account")
    assert changed.changes["first_name"] == [audit.TEXT, audit.TEXT]
    assert changed.changes["phone"] == [audit.TEXT, None]  # emptied shows as emptied
    assert changed.changes["locale"] == ["nl", "en"]  # a code, kept
    assert "Sanna" not in json.dumps(changed.changes)


def test_setting_the_same_value_writes_nothing(demo):
    report = _sick_report()
    last = _last_id()
    report.remark = "Ik bel maandag"
    db.session.commit()
    assert _since(last) == []


def test_values_are_stored_as_json_dates_and_enums_as_text(demo):
    placement = db.session.scalar(
        select(Placement).where(Placement.worker_id == user_by_email(WORKER).id)
    )
    old_end = placement.contract_end
    last = _last_id()
    placement.contract_end = date(2030, 1, 31)
    db.session.commit()
    [changed] = _since(last, entity="placement")
    assert changed.changes["contract_end"] == [
        old_end.isoformat() if old_end else None,
        "2030-01-31",
    ]
    assert loggable(Role.WORKER) == "worker"
    assert loggable(datetime(2026, 1, 5, 9, 30, tzinfo=UTC)) == "2026-01-05T09:30:00+00:00"
    assert len(loggable("x" * 5000)) == audit.MAX_TEXT + 1


def test_secrets_are_masked_but_the_change_is_recorded(demo):
    user = user_by_email(WORKER)
    old_hash = user.password_hash
    last = _last_id()
    user.password_hash = "$argon2id$new-hash-value"
    db.session.commit()
    [changed] = _since(last, entity="user_account")
    assert changed.changes == {"password_hash": [MASK, MASK]}
    stored = json.dumps(changed.changes)
    assert old_hash not in stored and "new-hash-value" not in stored
    assert audit.is_secret("api_token") and audit.is_secret("chat_id")
    assert not audit.is_secret("remark")


def test_a_delete_writes_a_delete_row(demo):
    category = ProblemCategory(code="test-weg", label_nl="Weg", label_en="Gone")
    db.session.add(category)
    db.session.commit()
    category_id = category.id
    last = _last_id()
    db.session.delete(category)
    db.session.commit()
    [deleted] = _since(last)
    assert (deleted.action, deleted.entity, deleted.entity_id) == (
        AuditAction.DELETE,
        "problem_category",
        str(category_id),
    )
    assert deleted.subject_worker_id is None


def test_a_rolled_back_change_leaves_no_row(demo):
    report = _sick_report()
    last = _last_id()
    report.remark = "Toch niet"
    db.session.flush()
    db.session.rollback()
    assert _since(last) == []


def test_one_insert_statement_per_flush_whatever_the_number_of_records(demo):
    """The audit rows of a flush go in one multi-row INSERT, not one statement per record."""
    statements = []

    def record(_conn, _cursor, statement, *_args):
        if "audit_event" in statement and statement.lstrip().upper().startswith("INSERT"):
            statements.append(statement)

    db.event.listen(db.engine, "before_cursor_execute", record)
    try:
        for number in range(5):
            db.session.add(ProblemCategory(code=f"bulk-{number}", label_nl="x", label_en="x"))
        db.session.commit()
    finally:
        db.event.remove(db.engine, "before_cursor_execute", record)
    assert len(statements) == 1


def test_a_bulk_update_writes_one_row_per_matched_record(demo):
    """`take` assigns a help request with a conditional UPDATE statement, not through a flush."""
    worker = user_by_email(WORKER)
    contact = user_by_email(CONTACT)
    help_request = make_help_request(worker)
    help_request.assigned_to_id = None  # in the WSP's shared queue
    db.session.commit()
    last = _last_id()
    help_service.take(db.session, help_request, contact)
    db.session.commit()
    [taken] = _since(last, entity="help_request")
    assert taken.action == AuditAction.UPDATE
    assert taken.entity_id == str(help_request.id)
    # the old values are not copied by bulk statements (erasure stays erasure)
    assert taken.changes["assigned_to_id"] == [audit.NOT_READ, contact.id]
    assert taken.subject_worker_id == worker.id


def test_a_bulk_update_that_matches_nothing_writes_nothing(demo):
    last = _last_id()
    db.session.execute(update(InboxMessage).where(InboxMessage.id == -1).values(read_at=None))
    db.session.commit()
    assert _since(last) == []


def test_not_audited_tables_write_nothing(demo):
    from portal.services.references import next_reference

    last = _last_id()
    next_reference(db.session, "HV", 2031)
    db.session.commit()
    assert _since(last) == []


# Whose data ----------------------------------------------------------------------------------


def test_subject_mapping(demo):
    worker = user_by_email(WORKER)
    placement = db.session.scalar(select(Placement).where(Placement.worker_id == worker.id))
    assert subject_worker_id(db.session, placement) == worker.id
    assert subject_worker_id(db.session, worker) == worker.id
    assert subject_worker_id(db.session, user_by_email(CONTACT)) is None
    # evaluation answer -> response -> moment -> placement -> worker
    answer = db.session.scalar(select(EvaluationAnswer).join(EvaluationResponse).limit(1))
    response = answer.response
    assert subject_worker_id(db.session, answer) == response.moment.placement.worker_id
    assert subject_worker_id(db.session, response) == response.moment.placement.worker_id
    # a help request belongs to a worker only when a worker asked it
    assert subject_worker_id(db.session, make_help_request(worker)) == worker.id
    assert subject_worker_id(db.session, make_help_request(user_by_email(EMPLOYER))) is None
    assert subject_worker_id(db.session, make_help_request(None)) is None
    message = InboxMessage(user_id=user_by_email(CONTACT).id, subject="x", body="y")
    assert subject_worker_id(db.session, message) is None
    assert subject_worker_id(db.session, ProblemCategory(code="c")) is None


def test_every_audited_worker_record_type_has_a_rule():
    """A model with a worker_id, placement_id or moment_id column is a worker's data: it needs
    a rule (the column fallback covers new models); user_id ones are checked by hand here."""
    missing = []
    for mapper in AuditEvent.registry.mappers:
        columns = set(mapper.columns.keys())
        if mapper.local_table.name in audit.NOT_AUDITED:
            continue
        if {"worker_id", "placement_id", "moment_id", "user_id"} & columns and (
            audit.subject_rule(mapper.class_) is None
        ):
            missing.append(mapper.class_.__name__)
    assert missing == []


# Append-only -------------------------------------------------------------------------------


def _an_event() -> AuditEvent:
    _sick_report()
    return db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()


def test_the_flush_guard_refuses_changing_an_audit_row(demo):
    event = _an_event()
    event.actor_role = "administrator"
    with pytest.raises(AuditLogImmutableError):
        db.session.flush()
    db.session.rollback()


def test_the_flush_guard_refuses_deleting_an_audit_row(demo):
    event = _an_event()
    db.session.delete(event)
    with pytest.raises(AuditLogImmutableError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("statement", ["update", "delete"])
def test_bulk_statements_on_the_audit_log_are_refused(demo, statement):
    event = _an_event()
    query = (
        update(AuditEvent).values(actor_role="x") if statement == "update" else delete(AuditEvent)
    ).where(AuditEvent.id == event.id)
    with pytest.raises(AuditLogImmutableError):
        db.session.execute(query)
    db.session.rollback()
    assert db.session.get(AuditEvent, event.id).actor_role == audit.SYSTEM


@pytest.mark.postgres  # the trigger is PostgreSQL's; SQLite has the application guard
@pytest.mark.parametrize(
    "sql", ["UPDATE audit_event SET actor_role = 'x'", "DELETE FROM audit_event"]
)
def test_postgresql_refuses_update_and_delete_in_the_database(demo, sql):
    assert db.engine.dialect.name == "postgresql"
    _an_event()
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as connection:
        connection.execute(text(sql))
    assert db.session.scalar(select(db.func.count()).select_from(AuditEvent)) > 0


# Reads ---------------------------------------------------------------------------------------


def _context(email: str, ip: str = "192.0.2.10") -> AuditContext:
    user = user_by_email(email)
    return AuditContext(user.id, user.role.value, ip, "/x", "x.view")


def test_reads_are_recorded_for_staff_only(demo):
    worker = user_by_email(WORKER)
    for email, expected in (
        (CONTACT, True),
        (JOBCOACH, True),
        (WORKER, False),
        (EMPLOYER, False),
    ):
        user = user_by_email(email)
        recorded = record_read(db.session, _context(email), user.role, "placement", 7, worker.id)
        assert (recorded is not None) is expected, email
    # no worker: nothing to show anyone, nothing recorded
    assert record_read(db.session, _context(CONTACT), Role.CONTACT_PERSON, "x", 1, None) is None
    db.session.commit()
    reads = _events(action=AuditAction.READ)
    assert [(r.actor_role, r.entity_id, r.ip_address) for r in reads] == [
        ("contact_person", "7", "192.0.2.10"),
        ("jobcoach", "7", "192.0.2.10"),
    ]


def test_a_worker_sees_staff_reads_of_their_own_data_only(demo):
    sanne, daan = user_by_email(WORKER), user_by_email(OTHER_WORKER)
    contact = user_by_email(CONTACT)
    record_read(db.session, _context(CONTACT), Role.CONTACT_PERSON, "placement", 1, sanne.id)
    record_read(db.session, _context(CONTACT), Role.CONTACT_PERSON, "placement", 2, daan.id)
    _sick_report()  # a change of Sanne's data: not a read
    db.session.commit()
    rows, total = staff_reads_of(db.session, sanne.id)
    assert total == 1
    assert [(r.actor_id, r.entity_id) for r in rows] == [(contact.id, "1")]


# Filters and CSV -----------------------------------------------------------------------------


def _add(**fields) -> AuditEvent:
    fields.setdefault("actor_role", audit.SYSTEM)
    fields.setdefault("action", AuditAction.CREATE)
    fields.setdefault("entity", "placement")
    event = AuditEvent(**fields)
    db.session.add(event)
    db.session.flush()
    return event


def test_filters(app_ctx):
    audit.install()
    base = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    first = _add(occurred_at=base, action=AuditAction.READ, actor_role="contact_person")
    second = _add(occurred_at=base + timedelta(days=2), entity="sick_report")
    # 23:30 UTC on 11 March is 00:30 on 12 March in Amsterdam
    late = _add(occurred_at=datetime(2026, 3, 11, 23, 30, tzinfo=UTC))
    db.session.commit()

    def ids(**criteria) -> list[int]:
        return [e.id for e in db.session.scalars(filtered(AuditFilter(**criteria)))]

    assert ids() == [second.id, late.id, first.id]
    assert ids(action=AuditAction.READ) == [first.id]
    assert ids(actor_role="contact_person") == [first.id]
    assert ids(entity="sick_report") == [second.id]
    assert ids(date_from=date(2026, 3, 12)) == [second.id, late.id]
    assert ids(date_to=date(2026, 3, 11)) == [first.id]
    page, total = audit.page_of(db.session, AuditFilter(), page=2, per_page=2)
    assert total == 3 and [e.id for e in page] == [first.id]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+31 6", "'+31 6"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Sanne", "Sanne"),
        (None, ""),
        (12, "12"),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_csv_neutralises_formulas_and_has_a_header(app_ctx):
    audit.install()
    _add(entity_id="=cmd|' /C calc'!A0", path="/x", changes={"remark": ["a", "=1+1"]})
    db.session.commit()
    text_ = "".join(csv_lines(db.session, AuditFilter()))
    rows = list(csv.reader(io.StringIO(text_)))
    assert tuple(rows[0]) == audit.CSV_HEADER
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["entity_id"].startswith("'=")
    assert row["actor_role"] == "system"
    assert json.loads(row["changes"]) == {"remark": ["a", "=1+1"]}

"""The audit log (DESIGN section 6): every change of a record and every read by staff of a worker's
data becomes an `AuditEvent`. No Flask here; `portal.audit_hooks` tells this module who is acting.

* Changes: `install()` listens on every SQLAlchemy session. After each flush one row per created,
  changed or deleted record is inserted in the same transaction (one multi-row INSERT per flush),
  so a change and its audit row are committed or rolled back together. ORM bulk UPDATE and DELETE
  statements (`session.execute(update(Model)...)`) are caught as well, one row per matched record.
* Reads: the views call `record_read`; only staff reads of a worker's data are recorded.
* Append-only: a `before_flush` guard refuses any flush that changes or deletes an `AuditEvent`, and
  an ORM bulk UPDATE or DELETE of the table is refused before it runs. On PostgreSQL a trigger
  (migration 0006) refuses it in the database whoever sends it.
"""

from __future__ import annotations

import csv
import enum
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Enum as SAEnum
from sqlalchemy import Select, String, event, func, insert, inspect, select
from sqlalchemy.orm import ORMExecuteState, Session, aliased, joinedload
from sqlalchemy.sql.elements import BindParameter

from portal.models import (
    AccountToken,
    AuditAction,
    AuditEvent,
    CoachingActivity,
    CoachingRefusal,
    ContactAssignment,
    ContractDecision,
    EvaluationAnswer,
    EvaluationFollowUp,
    EvaluationMoment,
    EvaluationResponse,
    HelpRequest,
    HelpRequestNote,
    HoursStep,
    InboxMessage,
    JobcoachReport,
    PhaseChange,
    Placement,
    PlacementContract,
    ProblemReport,
    ProblemReportEvent,
    RecoveryCode,
    Role,
    SickReport,
    User,
    WorkerProfile,
)

SYSTEM = "system"  # no request: the CLI, scheduled jobs, migrations' seeding
ANONYMOUS = "anonymous"  # a request without a logged-in user (the public help-request form)
SERVICE = "service"  # the assistant's action server, with the service token
ACTOR_ROLES = (*(role.value for role in Role), SYSTEM, ANONYMOUS, SERVICE)

# Whose reads of a worker's data are recorded.
STAFF_ROLES = frozenset({Role.CONTACT_PERSON, Role.JOBCOACH, Role.ADMINISTRATOR})

# Not audited, besides the audit log itself:
# * reference_counter: the number generator behind HV-/ML- references; the record that gets the
#   reference is audited, a counter row says nothing more;
# * sent_reminder: the idempotency ledger of the reminder job; the inbox message that went out with
#   it is audited.
# * user_session: the log-in session store, its "last seen" written every minute of use; the
#   token hash is a secret anyway.
NOT_AUDITED = frozenset(
    {"audit_event", "form_submission", "reference_counter", "sent_reminder", "user_session"}
)

# Changed on every update by the model itself; says nothing.
IGNORED_FIELDS = frozenset({"updated_at"})

# Never copied into the log: the fact of a change is recorded, the value masked.
MASK = "[masked]"
_SECRET_FIELDS = frozenset({"password_hash", "chat_id", "code_hash"})
_SECRET_PARTS = ("password", "token", "secret")

MAX_TEXT = 2000  # longer values are cut, the log is not a second copy of long texts

# Text is where personal data lives (names, contact details, what someone wrote), so for text
# columns the log records that the value changed, not the value (AVG data minimisation: the log
# would otherwise keep old personal text after retention has erased it from the records). The
# text columns that hold codes and references keep their values.
TEXT = "[text]"
CODE_FIELDS = frozenset(
    {
        "author",
        "code",
        "end_cause",
        "end_reason",
        "end_risk_moment",
        "ended_by",
        "key",
        "kind",
        "locale",
        "prefix",
        "reference",
    }
)


class AuditLogImmutableError(Exception):
    """An attempt to change or delete an audit row."""


@dataclass(frozen=True)
class AuditContext:
    """Who is acting, and from where. Outside a request: the system."""

    actor_id: int | None = None
    actor_role: str = SYSTEM
    ip_address: str | None = None
    path: str | None = None
    endpoint: str | None = None


SYSTEM_CONTEXT = AuditContext()

_context_provider: Callable[[], AuditContext] = lambda: SYSTEM_CONTEXT  # noqa: E731


def set_context_provider(provider: Callable[[], AuditContext]) -> None:
    """Tell the hooks how to find the current actor (the web layer sets one per app)."""
    global _context_provider
    _context_provider = provider


def current_context() -> AuditContext:
    return _context_provider()


# Values ------------------------------------------------------------------------------------


def is_secret(field: str) -> bool:
    name = field.lower()
    return name in _SECRET_FIELDS or any(part in name for part in _SECRET_PARTS)


def loggable(value: Any) -> Any:
    """A JSON-safe copy of a column value: enums by value, dates as ISO text, long text cut."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, str):
        return value if len(value) <= MAX_TEXT else value[:MAX_TEXT] + "…"
    text = json.dumps(value, default=str, ensure_ascii=False)
    return json.loads(text) if len(text) <= MAX_TEXT else text[:MAX_TEXT] + "…"


def is_free_text(field: str, column_type: object) -> bool:
    """A text column that is not a code: its values stay out of the log."""
    return (
        isinstance(column_type, String)
        and not isinstance(column_type, SAEnum)
        and field not in CODE_FIELDS
    )


def _field_value(field: str, value: Any, column_type: object = None) -> Any:
    if value is None:
        return None
    if is_secret(field):
        return MASK
    if is_free_text(field, column_type):
        return TEXT
    return loggable(value)


def _column_type(mapper, key: str) -> object:
    column = mapper.columns.get(key)
    return column.type if column is not None else None


def _identity(obj: object) -> str | None:
    """The primary key as text; read from the instance, as a new record only gets its identity
    key after `after_flush`."""
    state = inspect(obj)
    key = state.mapper.primary_key_from_instance(obj)
    if all(part is None for part in key):
        return None
    return "/".join(str(part) for part in key)


def changed_fields(obj: object, session: Session | None = None) -> dict[str, list]:
    """{field: [old, new]} of the columns changed in this flush (and many-to-many links as lists
    of ids), from the attribute history. A column set while its old value was not loaded (an
    object expired by a commit) has no old value in the history; with `session` (before the
    flush) it is read from the database in one query for the object, else it shows as None."""
    state = inspect(obj)
    changes: dict[str, list] = {}
    unknown: list[str] = []
    for attr in state.mapper.column_attrs:
        if attr.key in IGNORED_FIELDS:
            continue
        history = state.attrs[attr.key].history
        if not history.added and not history.deleted:
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if history.deleted and old == new:
            continue
        if not history.deleted and not history.unchanged and state.has_identity:
            unknown.append(attr.key)
        changes[attr.key] = [old, new]
    if unknown and session is not None:
        mapper = state.mapper
        columns = [mapper.get_property(key).columns[0] for key in unknown]
        where = [
            column == value
            for column, value in zip(mapper.primary_key, state.identity, strict=True)
        ]
        with session.no_autoflush:
            stored = session.execute(select(*columns).where(*where)).first()
        if stored is not None:
            for key, old in zip(unknown, stored, strict=True):
                if old == changes[key][1]:
                    del changes[key]
                else:
                    changes[key][0] = old
    changes = {
        key: [
            _field_value(key, old, _column_type(state.mapper, key)),
            _field_value(key, new, _column_type(state.mapper, key)),
        ]
        for key, (old, new) in changes.items()
    }
    for relationship in state.mapper.relationships:
        if relationship.secondary is None:
            continue
        history = state.attrs[relationship.key].history
        if history.added or history.deleted:
            changes[relationship.key] = [
                [_identity(item) for item in history.deleted or ()],
                [_identity(item) for item in history.added or ()],
            ]
    return changes


# Whose data is it ----------------------------------------------------------------------------


class _Subjects:
    """Works out the worker a record belongs to; caches per flush, reads the identity map first,
    so a flush of many records of one placement costs at most a query per parent."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._cache: dict[tuple[type, Any], int | None] = {}

    def _get(self, model: type, ident: Any) -> Any:
        if ident is None:
            return None
        with self.session.no_autoflush:
            return self.session.get(model, ident)

    def _cached(self, model: type, ident: Any, compute: Callable[[Any], int | None]) -> int | None:
        key = (model, ident)
        if key not in self._cache:
            found = self._get(model, ident)
            self._cache[key] = compute(found) if found is not None else None
        return self._cache[key]

    def worker(self, user_id: int | None) -> int | None:
        return self._cached(
            User, user_id, lambda user: user.id if user.role == Role.WORKER else None
        )

    def placement(self, placement_id: int | None) -> int | None:
        return self._cached(Placement, placement_id, lambda placement: placement.worker_id)

    def moment(self, moment_id: int | None) -> int | None:
        return self._cached(
            EvaluationMoment, moment_id, lambda moment: self.placement(moment.placement_id)
        )

    def response(self, response_id: int | None) -> int | None:
        return self._cached(
            EvaluationResponse, response_id, lambda response: self.moment(response.moment_id)
        )

    def problem_report(self, report_id: int | None) -> int | None:
        return self._cached(ProblemReport, report_id, lambda report: report.worker_id)

    def help_request(self, help_request_id: int | None) -> int | None:
        return self._cached(HelpRequest, help_request_id, lambda hr: self.worker(hr.requester_id))

    def of(self, obj: object) -> int | None:
        rule = subject_rule(type(obj))
        return rule(self, obj) if rule is not None else None


_BY_PLACEMENT = (
    PlacementContract,
    HoursStep,
    PhaseChange,
    ContractDecision,
    EvaluationMoment,
    CoachingActivity,
    JobcoachReport,
    CoachingRefusal,
)

# The one mapping from a record to the worker whose data it is. A record that is not in it
# (reference data, employers, questionnaires, settings, staff accounts) belongs to no worker.
_SUBJECT_RULES: dict[type, Callable[[_Subjects, Any], int | None]] = {
    User: lambda s, user: user.id if user.role == Role.WORKER else None,
    WorkerProfile: lambda s, profile: profile.user_id,
    Placement: lambda s, placement: placement.worker_id,
    ProblemReport: lambda s, report: report.worker_id,
    SickReport: lambda s, report: report.worker_id,
    ContactAssignment: lambda s, assignment: assignment.worker_id,
    **{model: (lambda s, obj: s.placement(obj.placement_id)) for model in _BY_PLACEMENT},
    EvaluationResponse: lambda s, response: s.moment(response.moment_id),
    EvaluationFollowUp: lambda s, follow_up: s.moment(follow_up.moment_id),
    EvaluationAnswer: lambda s, answer: s.response(answer.response_id),
    ProblemReportEvent: lambda s, event_: s.problem_report(event_.report_id),
    HelpRequest: lambda s, help_request: s.worker(help_request.requester_id),
    HelpRequestNote: lambda s, note: s.help_request(note.help_request_id),
    InboxMessage: lambda s, message: s.worker(message.user_id),
    AccountToken: lambda s, token: s.worker(token.user_id),
    RecoveryCode: lambda s, code: s.worker(code.user_id),
}


# A record type not named above that has one of these columns belongs to that worker, so a new
# model (a consent, a workplace adaptation) is covered without an entry here.
_BY_COLUMN: tuple[tuple[str, Callable[[_Subjects, Any], int | None]], ...] = (
    ("worker_id", lambda s, obj: obj.worker_id),
    ("placement_id", lambda s, obj: s.placement(obj.placement_id)),
    ("moment_id", lambda s, obj: s.moment(obj.moment_id)),
)


def subject_rule(model: type) -> Callable[[_Subjects, Any], int | None] | None:
    """How to find the worker of a record of this type, or None for data of no worker."""
    rule = _SUBJECT_RULES.get(model)
    if rule is not None:
        return rule
    columns = inspect(model).columns.keys()
    return next((found for column, found in _BY_COLUMN if column in columns), None)


def subject_worker_id(session: Session, obj: object) -> int | None:
    """The worker whose data `obj` is, or None."""
    return _Subjects(session).of(obj)


# Writing -----------------------------------------------------------------------------------


def _row(
    context: AuditContext,
    action: AuditAction,
    entity: str,
    entity_id: str | None,
    subject: int | None,
    changes: dict | None = None,
) -> dict[str, Any]:
    return {
        "occurred_at": datetime.now(UTC),
        "actor_id": context.actor_id,
        "actor_role": context.actor_role,
        "action": action.value,
        "entity": entity,
        "entity_id": entity_id,
        "subject_worker_id": subject,
        "ip_address": context.ip_address,
        "path": (context.path or "")[:300] or None,
        "endpoint": context.endpoint,
        "changes": changes or None,
    }


def _audited_table(obj: object) -> str | None:
    mapper = inspect(obj).mapper
    name = mapper.local_table.name
    return None if name in NOT_AUDITED else name


_PENDING_CHANGES = "audit_pending_changes"


def _collect_changes(session: Session) -> None:
    """before_flush: the changed fields of every changed record, while the old values can still
    be read from the database."""
    pending = {}
    for obj in session.dirty:
        if _audited_table(obj) is None or not session.is_modified(obj):
            continue
        state = inspect(obj)
        considered = {
            attr.key
            for attr in state.mapper.column_attrs
            if state.attrs[attr.key].history.has_changes()
        }
        pending[id(obj)] = (changed_fields(obj, session), considered)
    session.info[_PENDING_CHANGES] = pending


def _merged_changes(obj: object, before: tuple[dict, set[str]] | None) -> dict[str, list]:
    """The changes seen before the flush (with old values read from the database where needed),
    plus the foreign keys the flush itself filled in from relationships (`report.worker = x`)."""
    during = changed_fields(obj)
    if before is None:
        return during
    changes, considered = before
    return {**{k: v for k, v in during.items() if k not in considered}, **changes}


def events_for_flush(session: Session, context: AuditContext) -> list[dict[str, Any]]:
    """The audit rows for what the session has just flushed (call from `after_flush`, where
    `new`, `dirty` and `deleted` and the attribute history still describe the flush)."""
    pending = session.info.pop(_PENDING_CHANGES, None) or {}
    subjects = _Subjects(session)
    rows = []
    for action, objects in (
        (AuditAction.CREATE, session.new),
        (AuditAction.UPDATE, session.dirty),
        (AuditAction.DELETE, session.deleted),
    ):
        for obj in objects:
            entity = _audited_table(obj)
            if entity is None:
                continue
            changes = None
            if action == AuditAction.UPDATE:
                changes = _merged_changes(obj, pending.get(id(obj)))
                if not changes:
                    continue
            rows.append(_row(context, action, entity, _identity(obj), subjects.of(obj), changes))
    return rows


def _write(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.connection().execute(insert(AuditEvent.__table__), rows)


def _before_flush(session: Session, _flush_context, _instances) -> None:
    _collect_changes(session)


def _after_flush(session: Session, _flush_context) -> None:
    _write(session, events_for_flush(session, current_context()))


def _statement_values(statement) -> dict[str, Any]:
    raw = getattr(statement, "_values", None) or dict(
        getattr(statement, "_ordered_values", ()) or ()
    )
    values = {}
    for column, value in raw.items():
        key = column if isinstance(column, str) else getattr(column, "key", str(column))
        values[key] = value.value if isinstance(value, BindParameter) else "(expression)"
    return values


NOT_READ = "[not recorded]"


def _on_orm_execute(state: ORMExecuteState):
    """ORM bulk UPDATE and DELETE skip the flush: refuse them on the audit log, and record one
    row per matched record of any other audited table. The matched rows are read first in one
    query (their ids and whose data they are); the old values are not copied, so an erasure
    (`portal.services.retention`) does not end up in the log: an update records the new values."""
    if not (state.is_update or state.is_delete):
        return None
    mapper = state.bind_mapper
    if mapper is None:
        return None
    if mapper.class_ is AuditEvent:
        raise AuditLogImmutableError("the audit log is append-only")
    entity = mapper.local_table.name
    if entity in NOT_AUDITED:
        return None
    statement = state.statement
    attrs = list(mapper.column_attrs)
    matched = select(*(attr.columns[0] for attr in attrs))
    if statement.whereclause is not None:
        matched = matched.where(statement.whereclause)
    session = state.session
    with session.no_autoflush:
        before = [
            SimpleNamespace(**{attr.key: value for attr, value in zip(attrs, row, strict=True)})
            for row in session.execute(matched)
        ]
    if not before:
        return None
    changes = None
    if state.is_update:
        values = _statement_values(statement)
        changes = {
            key: [NOT_READ, _field_value(key, value, _column_type(mapper, key))]
            for key, value in values.items()
            if key not in IGNORED_FIELDS
        }
    subjects = _Subjects(session)
    rule = subject_rule(mapper.class_)
    pk_keys = [mapper.get_property_by_column(column).key for column in mapper.primary_key]
    action = AuditAction.UPDATE if state.is_update else AuditAction.DELETE
    context = current_context()
    rows = [
        _row(
            context,
            action,
            entity,
            "/".join(str(getattr(found, key)) for key in pk_keys),
            rule(subjects, found) if rule is not None else None,
            changes,
        )
        for found in before
    ]
    result = state.invoke_statement()
    if result.rowcount:
        _write(session, rows)
    return result


def _guard_append_only(session: Session, _context, _instances) -> None:
    for obj in session.deleted:
        if isinstance(obj, AuditEvent):
            raise AuditLogImmutableError("the audit log is append-only: no deletes")
    for obj in session.dirty:
        if isinstance(obj, AuditEvent) and session.is_modified(obj):
            raise AuditLogImmutableError("the audit log is append-only: no updates")


def install() -> None:
    """Register the guard and the writers on every session (idempotent)."""
    for name, listener in (
        ("before_flush", _guard_append_only),
        ("before_flush", _before_flush),
        ("after_flush", _after_flush),
        ("do_orm_execute", _on_orm_execute),
    ):
        if not event.contains(Session, name, listener):
            event.listen(Session, name, listener)


# The guard holds wherever the models are used, also without the web app.
if not event.contains(Session, "before_flush", _guard_append_only):
    event.listen(Session, "before_flush", _guard_append_only)


EXPORT_ENTITY = "audit_export"


def record_read(
    session: Session,
    context: AuditContext,
    actor_role: Role | None,
    entity: str,
    entity_id: object,
    subject_worker: int | None,
) -> AuditEvent | None:
    """A read of a worker's data, recorded when the reader is staff; added to the session, so it
    is committed with the request. Returns the event, or None when nothing is recorded."""
    if actor_role not in STAFF_ROLES or subject_worker is None:
        return None
    audit_event = AuditEvent(
        **_row(context, AuditAction.READ, entity, str(entity_id), subject_worker)
    )
    session.add(audit_event)
    return audit_event


def record_export(session: Session, context: AuditContext, criteria: AuditFilter) -> AuditEvent:
    """An export of the audit log is itself recorded: who took which part of it. The filter is
    the row's `entity_id`; a worker filter makes it a read of that worker's data."""
    parts = [
        f"{name}={value.value if isinstance(value, enum.Enum) else value}"
        for name, value in vars(criteria).items()
        if value is not None
    ]
    audit_event = AuditEvent(
        **_row(
            context,
            AuditAction.READ,
            EXPORT_ENTITY,
            (" ".join(parts) or "all")[:100],
            criteria.worker_id,
        )
    )
    session.add(audit_event)
    return audit_event


# Reading the log -------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilter:
    date_from: date | None = None  # local dates, both inclusive
    date_to: date | None = None
    actor_id: int | None = None
    actor_role: str | None = None
    action: AuditAction | None = None
    entity: str | None = None
    worker_id: int | None = None
    # only events before this one (an export leaves out the row that records it)
    before_id: int | None = None


def _local_midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def filtered(criteria: AuditFilter, timezone: str = "Europe/Amsterdam") -> Select:
    """The events that match, newest first."""
    zone = ZoneInfo(timezone)
    query = select(AuditEvent)
    if criteria.date_from is not None:
        query = query.where(AuditEvent.occurred_at >= _local_midnight(criteria.date_from, zone))
    if criteria.date_to is not None:
        end = _local_midnight(criteria.date_to + timedelta(days=1), zone)
        query = query.where(AuditEvent.occurred_at < end)
    if criteria.before_id is not None:
        query = query.where(AuditEvent.id < criteria.before_id)
    if criteria.actor_id is not None:
        query = query.where(AuditEvent.actor_id == criteria.actor_id)
    if criteria.actor_role:
        query = query.where(AuditEvent.actor_role == criteria.actor_role)
    if criteria.action is not None:
        query = query.where(AuditEvent.action == criteria.action)
    if criteria.entity:
        query = query.where(AuditEvent.entity == criteria.entity)
    if criteria.worker_id is not None:
        query = query.where(AuditEvent.subject_worker_id == criteria.worker_id)
    return query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())


def page_of(
    session: Session, criteria: AuditFilter, page: int, per_page: int = 50, **kwargs
) -> tuple[list[AuditEvent], int]:
    """One page of matching events (with actor and worker loaded) and the total count."""
    return _paged(
        session,
        filtered(criteria, **kwargs),
        page,
        per_page,
        joinedload(AuditEvent.actor),
        joinedload(AuditEvent.subject_worker),
    )


def _paged(
    session: Session, query: Select, page: int, per_page: int, *options
) -> tuple[list[AuditEvent], int]:
    """One page of the query's events (loaded with `options`) and the total count of them."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = session.scalars(
        query.options(*options).limit(per_page).offset(max(page - 1, 0) * per_page)
    ).all()
    return list(rows), total or 0


def audited_entities() -> list[str]:
    """The table names that can appear in the log, for the filter."""
    return sorted(
        mapper.local_table.name
        for mapper in AuditEvent.registry.mappers
        if mapper.local_table.name not in NOT_AUDITED
    )


# CSV -----------------------------------------------------------------------------------------

CSV_HEADER = (
    "id",
    "occurred_at_utc",
    "actor_id",
    "actor_name",
    "actor_email",
    "actor_role",
    "action",
    "entity",
    "entity_id",
    "worker_id",
    "worker_name",
    "ip_address",
    "path",
    "endpoint",
    "changes",
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_lines(session: Session, criteria: AuditFilter, **kwargs) -> Iterator[str]:
    """The matching events as CSV text, header first, streamed in chunks of rows."""
    actor = aliased(User)
    worker = aliased(User)
    query = (
        filtered(criteria, **kwargs)
        .add_columns(
            actor.first_name, actor.last_name, actor.email, worker.first_name, worker.last_name
        )
        .outerjoin(actor, actor.id == AuditEvent.actor_id)
        .outerjoin(worker, worker.id == AuditEvent.subject_worker_id)
        .execution_options(yield_per=500)
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for audit_event, a_first, a_last, a_email, w_first, w_last in session.execute(query):
        writer.writerow(
            safe_cell(value)
            for value in (
                audit_event.id,
                audit_event.occurred_at.astimezone(UTC).isoformat()
                if audit_event.occurred_at.tzinfo
                else audit_event.occurred_at.replace(tzinfo=UTC).isoformat(),
                audit_event.actor_id,
                f"{a_first} {a_last}" if a_first else "",
                a_email,
                audit_event.actor_role,
                audit_event.action.value,
                audit_event.entity,
                audit_event.entity_id,
                audit_event.subject_worker_id,
                f"{w_first} {w_last}" if w_first else "",
                audit_event.ip_address,
                audit_event.path,
                audit_event.endpoint,
                json.dumps(audit_event.changes, ensure_ascii=False) if audit_event.changes else "",
            )
        )
        if buffer.tell() > 32_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


# What a worker sees ------------------------------------------------------------------------


def staff_reads_of(
    session: Session, worker_id: int, page: int = 1, per_page: int = 50
) -> tuple[list[AuditEvent], int]:
    """Reads of this worker's data by staff (never by the worker), newest first, and the total."""
    query = select(AuditEvent).where(
        AuditEvent.subject_worker_id == worker_id,
        AuditEvent.action == AuditAction.READ,
        AuditEvent.actor_role.in_([role.value for role in STAFF_ROLES]),
        AuditEvent.actor_id != worker_id,
    )
    return _paged(
        session,
        query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc()),
        page,
        per_page,
        joinedload(AuditEvent.actor),
    )

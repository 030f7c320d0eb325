"""The web side of the audit log: who is acting in this request, and the reads by staff.

`init_app` installs the session hooks of `portal.services.audit` and tells them how to find the
actor: the logged-in user, or "anonymous" / "service" in a request without one, or "system"
outside a request. The IP address is `request.remote_addr`; behind a reverse proxy, wrap the app in
werkzeug's ProxyFix so that it is the client's address and not the proxy's.
"""

from __future__ import annotations

from flask import Flask, g, has_request_context, make_response, request
from flask_login import current_user

from portal.errors import DATABASE_UNAVAILABLE, database_unavailable
from portal.extensions import db
from portal.services import audit
from portal.services.audit import ANONYMOUS, SERVICE, SYSTEM_CONTEXT, AuditContext


def request_context() -> AuditContext:
    if not has_request_context():
        return SYSTEM_CONTEXT
    from portal.security import SERVICE as SERVICE_RULE
    from portal.security import access_rule_of

    if current_user.is_authenticated:
        actor_id, role = current_user.id, current_user.role.value
    elif access_rule_of(request.endpoint) == SERVICE_RULE:
        actor_id, role = None, SERVICE
    else:
        actor_id, role = None, ANONYMOUS
    return AuditContext(
        actor_id=actor_id,
        actor_role=role,
        ip_address=request.remote_addr,
        path=request.path,
        endpoint=request.endpoint,
    )


def record_read(entity: str, entity_id: object, subject_worker_id: int | None) -> None:
    """Record that the current user read this record of a worker's data, when they are staff
    (contact person, jobcoach, administrator). Committed at the end of the request."""
    recorded = audit.record_read(
        db.session,
        request_context(),
        current_user.role if current_user.is_authenticated else None,
        entity,
        entity_id,
        subject_worker_id,
    )
    if recorded is not None:
        g.audit_reads_pending = True


def _commit_reads(response):
    """A GET view does not commit; the read it recorded is committed here. When that fails the
    request fails: a read that cannot be recorded is not shown (a database that went away gives
    the same 503 as in a view, not a 500)."""
    if g.pop("audit_reads_pending", False):
        try:
            db.session.commit()
        except DATABASE_UNAVAILABLE as error:
            return make_response(database_unavailable(error))
    return response


def init_app(app: Flask) -> None:
    audit.install()
    audit.set_context_provider(request_context)
    app.after_request(_commit_reads)

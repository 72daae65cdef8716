"""The append-only audit log."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from schemas.tables import AuditEvent


def record_event(
    session: Session,
    actor: str,
    action: str,
    record_id: int | None = None,
    **detail: Any,
) -> AuditEvent:
    """Append one audit event in the caller's transaction."""
    event = AuditEvent(actor=actor, action=action, record_id=record_id, detail=detail)
    session.add(event)
    return event


def events_for(session: Session, record_id: int) -> list[AuditEvent]:
    """A record's audit trail, oldest first."""
    query = select(AuditEvent).where(AuditEvent.record_id == record_id).order_by(AuditEvent.id)
    return list(session.scalars(query))

from datetime import datetime
from typing import Any

from django.db import models

from .chain import chain_after_commit, sign
from .models import Action, AuditCheckpoint, AuditEvent


def audit_label(obj: models.Model) -> str:
    """How the log names an object: its type and its reference (or id), never a person's name or free text,
    so that nobody finds a victim or a suspect by searching the audit log."""
    reference = getattr(obj, "audit_reference", None) or getattr(obj, "reference", None) or f"#{obj.pk}"
    return f"{obj._meta.model_name} {reference}"[:100]


def _storable(value: Any) -> Any:
    """Details as every database stores them: PostgreSQL's JSON holds no NUL character, and an address someone typed
    may have one (/api/v1/reports/%00). It is written as U+FFFD, so the event is kept rather than lost."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(v) for v in value]
    return value


def audit_record(*, action: Action, actor: Any = None, obj: models.Model | None = None, **details: Any) -> AuditEvent:
    """The one way to write to the audit log: records `action` by `actor` on `obj` with `details`."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent.objects.create(
        actor=user,
        actor_name=user.get_username() if user else "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=audit_label(obj) if obj is not None else "",
        details=_storable(details),
    )
    chain_after_commit(event.pk)
    return event


def audit_expire(before: datetime) -> int:
    """Removes audit events older than `before`: the retention term is the only way events leave the log. The chain
    keeps its start: a checkpoint holds the hash of the last event removed, signed when the audit key is set, and
    the oldest events go as one stretch from the start of the chain. An event without a place in the chain is left
    for `audit_verify` to report."""
    last = AuditEvent.objects.filter(created_at__lt=before, sequence__isnull=False).order_by("-sequence").first()
    if last is None or last.sequence is None:
        return 0
    AuditCheckpoint.objects.create(sequence=last.sequence, hash=last.hash,
                                   signature=sign(last.sequence, last.hash, "retention"))  # fmt: skip
    # QuerySet.delete itself, past AuditEventQuerySet's refusal: this is the one sanctioned deletion.
    deleted, _ = models.QuerySet.delete(AuditEvent.objects.filter(sequence__lte=last.sequence))
    return deleted

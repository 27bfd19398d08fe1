from datetime import datetime
from typing import Any

from django.db import models

from .models import Action, AuditEvent


def audit_record(*, action: Action, actor: Any = None, obj: models.Model | None = None, **details: Any) -> AuditEvent:
    """The one way to write to the audit log: records `action` by `actor` on `obj` with `details`."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=user,
        actor_name=user.get_username() if user else "",
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=str(obj)[:100] if obj is not None else "",
        details=details,
    )


def audit_expire(before: datetime) -> int:
    """Removes audit events older than `before`: the retention term is the only way events leave the log."""
    expired = AuditEvent.objects.filter(created_at__lt=before)
    # QuerySet.delete itself, past AuditEventQuerySet's refusal: this is the one sanctioned deletion.
    deleted, _ = models.QuerySet.delete(expired)
    return deleted

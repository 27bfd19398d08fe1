from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.choices import CallableChoiceIterator


class ThrottleEvent(models.Model):
    """One counted attempt (a failed login, a failed receipt look-up) inside a rate-limit scope.

    `key` is a keyed hash, never an IP address: the platform keeps nothing that identifies a visitor.
    """

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "created_at"])]

    def __str__(self) -> str:
        return f"{self.scope} {self.created_at:%Y-%m-%d %H:%M}"


def choice_labels(choices: Any, values: list[str]) -> list[str]:
    """The labels of `values` (a JSON list of choice codes), in their order; an unknown code stays as it is."""
    labels = dict(choices)
    return [str(labels.get(value, value)) for value in values]


_LABELS: dict[models.Field[Any, Any], dict[Any, Any]] = {}


class ChoiceLabelsModel(models.Model):
    """`get_<field>_display()` from a dictionary built once per field.

    Django's own version rebuilds a dictionary of every choice on each call and translates every
    label while doing so; a list of 25 reports paid for that hundreds of times per page.
    """

    class Meta:
        abstract = True

    def _get_FIELD_display(self, field: models.Field[Any, Any]) -> str:  # noqa: N802 (Django's name)
        if isinstance(field.choices, CallableChoiceIterator):
            # Choices from a function (the region's forms of exploitation) are names in the current language.
            return str(dict(field.flatchoices).get(getattr(self, field.attname), getattr(self, field.attname)))
        labels = _LABELS.get(field)
        if labels is None:
            labels = _LABELS[field] = dict(field.flatchoices)
        value = getattr(self, field.attname)
        return str(labels.get(value, value))


def row_lock(obj: Any) -> Any:
    """Locks `obj`'s row for the rest of the transaction and reloads it, so a guard judges the state as it is now:
    of two workers taking a step at once, the second waits and then sees the first's step (PostgreSQL row lock;
    SQLite serialises writing transactions, settings: IMMEDIATE). Call within a transaction."""
    type(obj).objects.select_for_update().filter(pk=obj.pk).values_list("pk", flat=True).first()
    obj.refresh_from_db()
    return obj


class HistoryRow(ChoiceLabelsModel):
    """One row per step of a workflow (lib/workflow.py): which step, by whom, why and when. A concrete history adds
    the foreign key to its subject, named as the workflow's `subject`, and `from_status`/`to_status` with its states."""

    transition = models.CharField(max_length=30)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]


class StoredFile(models.Model):
    """One stored file (lib/storage.py): its name as FileFields hold it, and its content as a Fernet token."""

    CIPHER_FIELD = "content"

    name = models.CharField(max_length=300, unique=True)
    content = models.BinaryField()
    size = models.BigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name


class KeyCanary(models.Model):
    """Known text encrypted with DATA_KEYS when the platform first ran: if it does not decrypt, the keys are wrong
    and the platform does not start (startup.py)."""

    CIPHER_FIELD = "token"

    token = models.BinaryField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"key check of {self.created_at:%Y-%m-%d}"

"""The audit log as a hash chain: each event carries the SHA-256 of its predecessor's hash and its own canonical form,
so a row edited, deleted or moved with raw SQL breaks the chain where it happened (`manage.py audit_verify`).

An event is written in the transaction of what it records, unchained; right after that transaction commits, a short
transaction of its own takes the chain's lock (a PostgreSQL advisory lock) and chains every unchained event in the
order it was written. The lock is never held across the work being audited, so two requests cannot deadlock on it,
and concurrent writers still make one unbroken chain. An event is unchained for milliseconds, or until the next
write if the process died in between; `audit_verify` chains those first and counts them.

Retention deletes the oldest events; before it does, a checkpoint keeps the hash the remaining chain starts from,
signed when a key is set (docs/security.md). A daily anchor (`manage.py audit_anchor`) signs the head of the chain
with an Ed25519 key from the environment, to be kept outside the system.
"""

import base64
import hashlib
import json
import os
import threading
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction

GENESIS = "0" * 64
# Any constant: the key of the advisory lock that serialises chaining on PostgreSQL.
LOCK_KEY = 7_301_164_153
# SQLite serialises writes itself; within one process the chaining threads take turns here.
_local_lock = threading.Lock()
SIGNING_KEY_ENV = "AUDIT_SIGNING_KEY"


def canonical(event: Any) -> bytes:
    """The fields an event's hash covers, in one fixed form: sorted keys, no spaces, UTF-8."""
    return json.dumps(
        {
            "sequence": event.sequence,
            # Milliseconds, as Django's JSON keeps them: a backup restored (upkeep/backup.py) still verifies.
            "created_at": event.created_at.isoformat(timespec="milliseconds"),
            "actor_id": event.actor_id,
            "actor_name": event.actor_name,
            "action": event.action,
            "object_type": event.object_type,
            "object_id": event.object_id,
            "object_label": event.object_label,
            "details": event.details,
        },
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    ).encode("utf-8")


def event_hash(event: Any, previous: str) -> str:
    return hashlib.sha256(previous.encode("ascii") + canonical(event)).hexdigest()


def chain_head() -> tuple[int, str]:
    """The last chained sequence and its hash; after retention, the checkpoint's."""
    from .models import AuditCheckpoint, AuditEvent

    last = AuditEvent.objects.filter(sequence__isnull=False).order_by("-sequence").values_list("sequence", "hash")
    for sequence, hash_ in last[:1]:
        return int(sequence or 0), str(hash_)
    checkpoint = AuditCheckpoint.objects.order_by("-sequence").values("sequence", "hash").first()
    if checkpoint is not None:
        return int(checkpoint["sequence"]), str(checkpoint["hash"])
    return 0, GENESIS


def chain_pending() -> int:
    """Chains every event not chained yet, in the order they were written. Returns how many."""
    from .models import AuditEvent

    with _local_lock, transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        pending = list(AuditEvent.objects.filter(sequence__isnull=True).order_by("id"))
        if not pending:
            return 0
        sequence, previous = chain_head()
        for event in pending:
            sequence += 1
            event.sequence = sequence
            event.previous_hash = previous
            event.hash = previous = event_hash(event, previous)
            # The one sanctioned change of an audit row: adding its place in the chain.
            models.QuerySet.update(
                AuditEvent.objects.filter(pk=event.pk, sequence__isnull=True),
                sequence=event.sequence,
                previous_hash=event.previous_hash,
                hash=event.hash,
            )
        return len(pending)


def chain_after_commit() -> None:
    """Chains after the transaction that wrote an event commits (at once when there is none); once per transaction,
    however many events it writes: one chaining takes them all."""
    if connection.in_atomic_block and any(entry[1] is chain_pending for entry in connection.run_on_commit):
        return
    transaction.on_commit(chain_pending)


@dataclass
class Verdict:
    checked: int
    pending: int
    broken_at: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify() -> Verdict:
    """Walks the chain from its start (or the last retention checkpoint) and names the first broken link: a row whose
    hash is not its content's, whose predecessor's hash is not the one it carries, or a sequence with a gap."""
    from .models import AuditCheckpoint, AuditEvent

    pending = chain_pending()
    events = AuditEvent.objects.filter(sequence__isnull=False).order_by("sequence")
    first = events.values_list("sequence", flat=True).first()
    start = AuditCheckpoint.objects.filter(sequence__lt=first or 1).order_by("-sequence").first()
    expected_sequence, previous = (start.sequence, start.hash) if start else (0, GENESIS)
    if start is not None and not checkpoint_signature_valid(start):
        return Verdict(0, pending, start.sequence, "the retention checkpoint's signature does not match")
    checked = 0
    for event in events.iterator(chunk_size=2000):
        expected_sequence += 1
        if event.sequence != expected_sequence:
            return Verdict(checked, pending, expected_sequence, f"event {expected_sequence} is missing")
        if event.previous_hash != previous:
            return Verdict(checked, pending, event.sequence, "it does not follow the event before it")
        if event_hash(event, previous) != event.hash:
            return Verdict(checked, pending, event.sequence, "its content was changed")
        previous = event.hash
        checked += 1
    return Verdict(checked, pending)


# Signing --------------------------------------------------------------------------------------------------------


def signing_key() -> Any:
    """The Ed25519 private key from AUDIT_SIGNING_KEY (32 bytes, base64), or None when not set."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    raw = os.environ.get(SIGNING_KEY_ENV, "").strip()
    if not raw:
        return None
    try:
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(raw, validate=True))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{SIGNING_KEY_ENV} is not a base64 Ed25519 private key of 32 bytes.") from exc


def statement(sequence: int, head: str, at: str) -> bytes:
    return f"kenniscentrum audit head {sequence} {head} {at}".encode("ascii")


def sign(sequence: int, head: str, at: str) -> str:
    key = signing_key()
    return base64.b64encode(key.sign(statement(sequence, head, at))).decode("ascii") if key is not None else ""


def checkpoint_signature_valid(checkpoint: Any) -> bool:
    """An unsigned checkpoint (no key set when it was made) passes; a signed one must match the key's public half."""
    if not checkpoint.signature:
        return True
    from cryptography.exceptions import InvalidSignature

    key = signing_key()
    if key is None:
        return True  # cannot be checked here; audit_anchor's output can be checked outside
    try:
        key.public_key().verify(
            base64.b64decode(checkpoint.signature), statement(checkpoint.sequence, checkpoint.hash, "retention")
        )
    except InvalidSignature:
        return False
    return True

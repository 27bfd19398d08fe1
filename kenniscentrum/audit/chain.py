"""The audit log as a hash chain: each event carries the SHA-256 of its predecessor's hash and its own canonical form,
so a row edited, deleted or moved with raw SQL breaks the chain where it happened (`manage.py audit_verify`).

An event is written in the transaction of what it records, unchained; right after that transaction commits, a short
transaction of its own takes the chain's lock (a PostgreSQL advisory lock) and chains the events that transaction
wrote, in the order they were written. The lock is never held across the work being audited, so two requests cannot
deadlock on it, and concurrent writers still make one unbroken chain. Only a writer chains, and only its own events:
a row put into the table any other way never gets a place, and once it is a few minutes old the check names it.

Retention deletes the oldest events; before it does, a checkpoint keeps the hash the remaining chain starts from,
signed when a key is set; with a key known, an unsigned checkpoint is an error. A daily anchor (`manage.py
audit_anchor`) signs the head of the chain with an Ed25519 key from the environment, to be kept outside the system;
`audit_verify --anchors FILE` checks that the chain still holds every anchored head, so deleting the newest events
or rebuilding the chain is found too (docs/security.md)."""

import base64
import hashlib
import json
import os
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models, transaction
from django.utils import timezone

GENESIS = "0" * 64
# Any constant: the key of the advisory lock that serialises chaining on PostgreSQL.
LOCK_KEY = 7_301_164_153
# SQLite serialises writes itself; within one process the chaining threads take turns here.
_local_lock = threading.Lock()
SIGNING_KEY_ENV = "AUDIT_SIGNING_KEY"
# How long an event may wait for its writer to chain it (the writer does so as soon as its transaction commits): an
# older one without a place was written outside the application, or its writer died, and the check says so.
PENDING_GRACE = timedelta(minutes=5)
# Events are chained in the order their transactions commit, so an event may be dated a little before the one it
# follows (written early in a long transaction). One dated more than this before any event ahead of it was back-dated.
BACKDATE_TOLERANCE = timedelta(hours=1)
# How many such events the check names one by one.
STALE_NAMED = 10


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


class _ChainOnCommit:
    """The on-commit callback of one transaction: it chains the events that transaction wrote, and only those."""

    def __init__(self) -> None:
        self.pks: list[int] = []
        self.ran = False

    def __call__(self) -> None:
        self.ran = True
        chain_events(self.pks)


def chain_after_commit(event_pk: int) -> None:
    """Chains the event after the transaction that wrote it commits (at once when there is none); one chaining per
    transaction, however many events it writes."""
    if connection.in_atomic_block:
        for entry in connection.run_on_commit:
            if isinstance(entry[1], _ChainOnCommit) and not entry[1].ran:
                entry[1].pks.append(event_pk)
                return
    callback = _ChainOnCommit()
    callback.pks.append(event_pk)
    transaction.on_commit(callback)


def chain_events(pks: list[int]) -> int:
    """Chains the given events, if not chained yet, in the order they were written. Returns how many. Only a writer
    chains, and only what it wrote: a row put in the table by someone else is never given a place (finding 9)."""
    from .models import AuditEvent

    with _local_lock, transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])
        pending = list(AuditEvent.objects.filter(pk__in=pks, sequence__isnull=True).order_by("id"))
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


@dataclass
class Anchor:
    """One line of `audit_anchor`'s output, its signature checked: the chain had `head` at `sequence` then."""

    where: str
    sequence: int
    head: str
    at: str


@dataclass
class Anchors:
    """The anchors kept outside the system, read from their file: the lines whose signature holds, the public key
    they were signed with, and what is wrong with the others."""

    lines: list[Anchor] = field(default_factory=list)
    public_key: bytes | None = None
    problems: list[str] = field(default_factory=list)


@dataclass
class Verdict:
    checked: int
    pending: int
    broken_at: int | None = None
    reason: str = ""
    anchors: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def verify(anchors: Anchors | None = None) -> Verdict:
    """Checks the audit log and says everything wrong with it; changes nothing. The chain is walked from its start (or
    the last retention checkpoint, which must be signed when a key is known) and the first broken link is named: a
    row whose hash is not its content's, whose predecessor's hash is not the one it carries, or a sequence with a gap.
    Rows without a place older than a few minutes are named; with `anchors`, every anchored head must still be in the
    chain at its sequence with its hash."""
    from .models import AuditCheckpoint, AuditEvent

    problems = [*anchors.problems] if anchors else []
    unchained = AuditEvent.objects.filter(sequence__isnull=True)
    stale = unchained.filter(created_at__lt=timezone.now() - PENDING_GRACE)
    stale_count = stale.count()
    pending = unchained.count() - stale_count
    for pk, created_at in stale.order_by("id").values_list("id", "created_at")[:STALE_NAMED]:
        problems.append(
            f"Event #{pk} of {created_at.isoformat(timespec='seconds')} has no place in the chain: it was written "
            "outside the application, or the process that wrote it stopped before chaining it"
        )
    if stale_count > STALE_NAMED:
        problems.append(f"{stale_count - STALE_NAMED} more events have no place in the chain")

    events = AuditEvent.objects.filter(sequence__isnull=False).order_by("sequence")
    first = events.values_list("sequence", flat=True).first()
    checkpoints = AuditCheckpoint.objects.order_by("-sequence")
    start = (checkpoints.filter(sequence__lt=first) if first is not None else checkpoints).first()
    public_key = _public_key(anchors)
    if start is not None:
        problems += _checkpoint_problems(start, public_key)
    expected_sequence, previous = (start.sequence, start.hash) if start else (0, GENESIS)
    checked, broken_at, reason = 0, None, ""
    back_dated: list[str] = []
    back_dated_count = 0  # all of them; only the first STALE_NAMED are named, as for unchained events
    latest_at = None
    for event in events.iterator(chunk_size=2000):
        expected_sequence += 1
        if event.sequence != expected_sequence:
            broken_at, reason = expected_sequence, f"event {expected_sequence} is missing"
        elif event.previous_hash != previous:
            broken_at, reason = event.sequence, "it does not follow the event before it"
        elif event_hash(event, previous) != event.hash:
            broken_at, reason = event.sequence, "its content was changed"
        if broken_at is not None:
            problems.append(f"The audit chain is broken at event {broken_at}: {reason}; {checked} events before it "
                            "are intact")  # fmt: skip
            break
        # Against the latest date so far, not only the event before: a staircase of rows each a little older than
        # the last would otherwise walk back any distance.
        if latest_at is not None and event.created_at < latest_at - BACKDATE_TOLERANCE:
            back_dated_count += 1
            if back_dated_count <= STALE_NAMED:
                back_dated.append(f"Event {event.sequence} is dated {event.created_at.isoformat(timespec='seconds')}, "
                                  f"before events chained ahead of it ({latest_at.isoformat(timespec='seconds')}): "
                                  "it was back-dated")  # fmt: skip
        previous = event.hash
        latest_at = event.created_at if latest_at is None else max(latest_at, event.created_at)
        checked += 1
    problems += back_dated
    if back_dated_count > STALE_NAMED:
        problems.append(f"{back_dated_count - STALE_NAMED} more events were back-dated")
    if anchors is not None:
        problems += _anchor_problems(anchors.lines, start)
        problems += _dated_before_anchor(anchors.lines)
    return Verdict(checked, pending, broken_at, reason, len(anchors.lines) if anchors else 0, problems)


def _checkpoint_problems(checkpoint: Any, public_key: Any) -> list[str]:
    """With a key to check against, the checkpoint the chain starts from must be signed with it: an unsigned one
    could be anyone's, made to hide the events deleted before it."""
    if public_key is None:
        return []
    if not checkpoint.signature:
        return [f"The retention checkpoint at event {checkpoint.sequence} is not signed, though the audit key is "
                "known: events before it may have been deleted"]  # fmt: skip
    from cryptography.exceptions import InvalidSignature

    try:
        public_key.verify(base64.b64decode(checkpoint.signature),
                          statement(checkpoint.sequence, checkpoint.hash, "retention"))  # fmt: skip
    except (InvalidSignature, ValueError):
        return [f"The retention checkpoint at event {checkpoint.sequence} has a signature that does not match"]
    return []


def _dated_before_anchor(lines: list[Anchor]) -> list[str]:
    """An event chained after an anchored head but dated before that anchor was signed (less the moments an event
    waits for its writer's commit) was written afterwards with an old date: a forged entry appended to the chain."""
    from .models import AuditEvent

    newest = max(lines, key=lambda anchor: anchor.sequence, default=None)
    if newest is None:
        return []
    signed_at = datetime.fromisoformat(newest.at)
    late = AuditEvent.objects.filter(sequence__gt=newest.sequence, created_at__lt=signed_at - PENDING_GRACE)
    return [
        f"Event {sequence} is dated {created_at.isoformat(timespec='seconds')}, before the head anchored at "
        f"{newest.at}, yet it comes after that head: it was added later with an old date"
        for sequence, created_at in late.order_by("sequence").values_list("sequence", "created_at")[:STALE_NAMED]
    ]


def _anchor_problems(lines: list[Anchor], start: Any) -> list[str]:
    """Every anchored head must still be the chain's event at its sequence; one before the retention checkpoint is
    gone on purpose (the checkpoint, checked above, says where the chain starts)."""
    from .models import AuditEvent

    wanted = {anchor.sequence for anchor in lines}
    hashes = dict(AuditEvent.objects.filter(sequence__in=wanted).values_list("sequence", "hash"))
    problems = []
    for anchor in lines:
        if anchor.sequence in hashes:
            found: str | None = hashes[anchor.sequence]
        elif start is not None and anchor.sequence == start.sequence:
            found = start.hash
        elif anchor.sequence == 0 or (start is not None and anchor.sequence < start.sequence):
            continue
        else:
            problems.append(f"Event {anchor.sequence}, the head anchored at {anchor.at}, is not in the chain: "
                            "events were deleted from its end")  # fmt: skip
            continue
        if found != anchor.head:
            problems.append(f"Event {anchor.sequence} no longer has the hash anchored at {anchor.at}: the chain was "
                            "changed or rebuilt since")  # fmt: skip
    return problems


def read_anchors(files: dict[str, str]) -> Anchors:
    """The anchors, from files of `audit_anchor` lines (name: text). A line whose signature does not hold, or signed
    with another key than AUDIT_SIGNING_KEY's (or than the lines before it), is a problem, not an anchor."""
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    key = signing_key()
    read = Anchors(public_key=key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw) if key else None)
    for name, text in files.items():
        for number, line in enumerate(text.splitlines(), start=1):
            if line.strip():
                _read_line(read, f"Line {number} of {name}", line, by_server_key=key is not None)
    if not read.lines and not read.problems:
        read.problems.append("The anchors files hold no anchors")
    return read


def _read_line(read: Anchors, where: str, line: str, *, by_server_key: bool) -> None:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        data = json.loads(line)
        anchor = Anchor(where, int(data["sequence"]), str(data["head"]), str(data["at"]))
        public = base64.b64decode(data["public_key"], validate=True)
        signature = base64.b64decode(data["signature"], validate=True)
        Ed25519PublicKey.from_public_bytes(public).verify(signature, statement(anchor.sequence, anchor.head, anchor.at))
    except InvalidSignature:
        read.problems.append(f"{where} has a signature that does not match it")
        return
    except (ValueError, KeyError, TypeError):
        read.problems.append(f"{where} is not an anchor written by audit_anchor")
        return
    if read.public_key is not None and public != read.public_key:
        other = "AUDIT_SIGNING_KEY's" if by_server_key else "the lines before it"
        read.problems.append(f"{where} is signed with another key than {other}")
        return
    read.public_key = public
    read.lines.append(anchor)


def _public_key(anchors: Anchors | None) -> Any:
    """The key checkpoints must be signed with: AUDIT_SIGNING_KEY's, else the anchors'; None when neither is known."""
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    key = signing_key()
    if key is not None:
        return key.public_key()
    if anchors is not None and anchors.public_key is not None:
        return Ed25519PublicKey.from_public_bytes(anchors.public_key)
    return None


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

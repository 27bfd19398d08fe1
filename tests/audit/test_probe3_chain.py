"""Security probe 3, finding 9: the audit chain cannot be cut without notice. A stretch deleted from the start behind
an unsigned checkpoint, the newest events deleted, a rebuilt chain and a back-dated row written with raw SQL are all
found; the check itself never chains anything."""

import base64
import json
import threading
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.core.management import call_command
from django.db import connection, connections, models, transaction
from django.utils import timezone

from kenniscentrum.audit.chain import GENESIS, event_hash, verify
from kenniscentrum.audit.models import Action, AuditCheckpoint, AuditEvent
from kenniscentrum.audit.services import audit_expire, audit_record


def key_value(key: Ed25519PrivateKey) -> str:
    return base64.b64encode(key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())).decode()


@pytest.fixture
def audit_key(monkeypatch) -> Ed25519PrivateKey:
    key = Ed25519PrivateKey.generate()
    monkeypatch.setenv("AUDIT_SIGNING_KEY", key_value(key))
    return key


@pytest.fixture
def write(django_capture_on_commit_callbacks):
    """Writes `count` events the way a request does: in a transaction, chained right after it commits."""

    def written(count: int) -> list[AuditEvent]:
        with django_capture_on_commit_callbacks(execute=True):
            return [audit_record(action=Action.LOGIN, n=n) for n in range(count)]

    return written


def anchor(path: Path) -> None:
    call_command("audit_anchor", out=str(path), stdout=StringIO())


def check(*args: str) -> tuple[bool, str]:
    """Runs `audit_verify` as cron would: whether it passed, and all it said."""
    out, err = StringIO(), StringIO()
    try:
        call_command("audit_verify", *args, stdout=out, stderr=err)
    except SystemExit as exit_:
        assert exit_.code == 1
        return False, out.getvalue() + err.getvalue()
    return True, out.getvalue() + err.getvalue()


def raw(sql: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_the_oldest_events_cut_behind_an_unsigned_checkpoint_are_found_when_a_key_is_set(audit_key, write) -> None:
    write(6)
    cut = AuditEvent.objects.get(sequence=4).previous_hash  # what an unsigned checkpoint needs: the chain shows it
    raw("DELETE FROM audit_auditevent WHERE sequence <= 3")
    raw("INSERT INTO audit_auditcheckpoint (sequence, hash, signature, created_at) VALUES (3, %s, '', %s)",
        cut, timezone.now())  # fmt: skip
    passed, said = check()
    assert not passed and "checkpoint at event 3 is not signed" in said


@pytest.mark.django_db
def test_an_unsigned_checkpoint_is_found_with_the_anchors_key_where_the_server_has_none(
    audit_key, write, tmp_path, monkeypatch
) -> None:
    write(6)
    anchors = tmp_path / "anchors.jsonl"
    anchor(anchors)
    monkeypatch.delenv("AUDIT_SIGNING_KEY")  # a checking machine without the private key
    cut = AuditEvent.objects.get(sequence=4).previous_hash
    raw("DELETE FROM audit_auditevent WHERE sequence <= 3")
    AuditCheckpoint.objects.create(sequence=3, hash=cut)
    passed, said = check("--anchors", str(anchors))
    assert not passed and "checkpoint at event 3 is not signed" in said


@pytest.mark.django_db
def test_the_newest_events_deleted_are_found_against_the_anchors(audit_key, write, tmp_path) -> None:
    write(5)
    anchors = tmp_path / "anchors.jsonl"
    anchor(anchors)
    assert check("--anchors", str(anchors))[0]
    raw("DELETE FROM audit_auditevent WHERE sequence >= 4")
    assert check()[0]  # the chain alone cannot tell that its end is gone: that is what the anchors are for
    passed, said = check("--anchors", str(anchors))
    assert not passed and "Event 5" in said and "is not in the chain" in said


@pytest.mark.django_db
def test_events_deleted_from_the_end_and_written_over_are_found_against_the_anchors(audit_key, write, tmp_path) -> None:
    write(5)
    anchors = tmp_path / "anchors.jsonl"
    anchor(anchors)
    raw("DELETE FROM audit_auditevent WHERE sequence >= 4")
    write(3)  # the chain goes on from event 3: a new event 5 in the place of the anchored one
    assert check()[0]
    passed, said = check("--anchors", str(anchors))
    assert not passed and "Event 5" in said and "no longer" in said


@pytest.mark.django_db
def test_a_chain_rebuilt_with_raw_sql_is_found_against_the_anchors(audit_key, write, tmp_path) -> None:
    write(4)
    anchors = tmp_path / "anchors.jsonl"
    anchor(anchors)
    raw("UPDATE audit_auditevent SET actor_name = 'someone else' WHERE sequence = 2")
    previous = AuditEvent.objects.get(sequence=1).hash
    for event in AuditEvent.objects.filter(sequence__gte=2).order_by("sequence"):
        new = event_hash(event, previous)
        raw("UPDATE audit_auditevent SET previous_hash = %s, hash = %s WHERE id = %s", previous, new, event.pk)
        previous = new
    assert check()[0]  # consistent in itself
    passed, said = check("--anchors", str(anchors))
    assert not passed and "Event 4" in said and "no longer" in said


@pytest.mark.django_db
def test_an_anchor_line_changed_or_signed_with_another_key_is_refused(audit_key, write, tmp_path) -> None:
    write(3)
    anchors = tmp_path / "anchors.jsonl"
    anchor(anchors)
    line = json.loads(anchors.read_text())
    forged = tmp_path / "forged.jsonl"
    forged.write_text(json.dumps({**line, "sequence": 2}) + "\n")
    passed, said = check("--anchors", str(forged))
    assert not passed and "Line 1" in said and "signature" in said

    other = Ed25519PrivateKey.generate()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AUDIT_SIGNING_KEY", key_value(other))
        anchor(tmp_path / "other.jsonl")
    passed, said = check("--anchors", str(tmp_path / "other.jsonl"))
    assert not passed and "another key" in said

    (tmp_path / "empty.jsonl").write_text("")
    passed, said = check("--anchors", str(tmp_path / "empty.jsonl"))
    assert not passed and "no anchors" in said


@pytest.mark.django_db
def test_retention_after_anchoring_still_verifies_against_the_anchors(audit_key, write, tmp_path) -> None:
    anchors = tmp_path / "anchors.jsonl"
    events = write(2)
    anchor(anchors)
    events += write(4)
    anchor(anchors)
    old = timezone.now() - timedelta(days=4000)
    models.QuerySet.update(AuditEvent.objects.filter(pk__in=[e.pk for e in events[:4]]), created_at=old)
    assert audit_expire(timezone.now() - timedelta(days=3000)) == 4
    passed, said = check("--anchors", str(anchors))
    assert passed, said
    assert "2 anchors" in said


@pytest.mark.django_db
def test_a_back_dated_row_without_a_place_in_the_chain_is_reported_and_never_chained(write) -> None:
    write(3)
    raw("INSERT INTO audit_auditevent (created_at, actor_name, action, object_type, object_id, object_label, details,"
        " previous_hash, hash) VALUES (%s, 'director', 'case.viewed', 'cases.case', '7', 'case Z-2026-00007', '{}',"
        " '', '')", timezone.now() - timedelta(days=2))  # fmt: skip
    forged = AuditEvent.objects.get(sequence__isnull=True)
    passed, said = check()
    assert not passed and f"#{forged.pk}" in said and "no place in the chain" in said
    write(1)  # the next writer chains its own event, not the forged one
    forged.refresh_from_db()
    assert forged.sequence is None
    assert not check()[0]
    assert AuditEvent.objects.filter(sequence__isnull=False).count() == 4


@pytest.mark.django_db
def test_an_event_whose_writer_has_not_chained_it_yet_is_left_alone_by_the_check(write) -> None:
    write(2)
    young = audit_record(action=Action.LOGOUT)  # its transaction has not committed: not chained yet
    verdict = verify()
    assert verdict.intact and verdict.pending == 1 and verdict.checked == 2
    young.refresh_from_db()
    assert young.sequence is None


@pytest.mark.django_db(transaction=True)
def test_the_check_running_beside_parallel_writers_on_postgresql_finds_nothing_wrong() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are tested on PostgreSQL")
    errors: list[BaseException] = []
    verdicts = []
    done = threading.Event()

    def writer(n: int) -> None:
        try:
            for i in range(20):
                with transaction.atomic():
                    audit_record(action=Action.LOGIN, writer=n, i=i)
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    def checker() -> None:
        try:
            while not done.is_set():
                verdicts.append(verify())
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    writers = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    watching = threading.Thread(target=checker)
    watching.start()
    for thread in writers:
        thread.start()
    for thread in writers:
        thread.join()
    done.set()
    watching.join()
    assert errors == []
    assert verdicts and all(v.intact for v in verdicts), [v.problems for v in verdicts if not v.intact]
    assert verify().checked == 80 and AuditEvent.objects.filter(sequence__isnull=True).count() == 0


@pytest.mark.django_db
def test_events_from_before_the_chain_are_chained_once_by_the_migration(write) -> None:
    """An installation that comes from before audit 0010 has only events without a place; the migration chains
    them in the order written, and events written after it follow them."""
    from django.apps import apps

    legacy = [AuditEvent.objects.create(action=Action.LOGOUT) for _ in range(3)]  # as before audit 0010: no place
    models.QuerySet.update(AuditEvent.objects.filter(pk__in=[e.pk for e in legacy]),
                           created_at=timezone.now() - timedelta(days=30))  # fmt: skip
    assert not verify().intact
    migration = __import__("kenniscentrum.audit.migrations.0014_chain_events_from_before_the_chain", fromlist=["x"])
    migration.chain_unchained(apps, None)
    write(2)
    assert verify().intact and verify().checked == 5


def append_forged(created_at) -> None:
    """The re-test's forgery: a row put after the chain's head with raw SQL, hashed as the chain hashes (the chain
    itself has no key), dated in the past to pass as an old event."""
    head = AuditEvent.objects.filter(sequence__isnull=False).order_by("-sequence").first()
    forged = AuditEvent(sequence=head.sequence + 1, created_at=created_at, actor_name="privacy",
                        action=Action.CASE_VIEWED, object_type="cases.case", object_id="7",
                        object_label="case Z-2026-00007", details={}, previous_hash=head.hash)  # fmt: skip
    forged.hash = event_hash(forged, head.hash)
    raw("INSERT INTO audit_auditevent (sequence, created_at, actor_name, action, object_type, object_id, object_label,"
        " details, previous_hash, hash) VALUES (%s, %s, %s, %s, %s, %s, %s, '{}', %s, %s)", forged.sequence,
        forged.created_at, forged.actor_name, forged.action, forged.object_type, forged.object_id, forged.object_label,
        forged.previous_hash, forged.hash)  # fmt: skip


@pytest.mark.django_db
def test_an_event_appended_with_a_date_months_before_the_one_it_follows_is_found(write) -> None:
    write(3)
    append_forged(timezone.now() - timedelta(days=280))
    passed, said = check()
    assert not passed and "Event 4" in said and "back-dated" in said


@pytest.mark.django_db
def test_an_event_appended_after_the_anchor_but_dated_before_it_is_found_against_the_anchors(
    audit_key, write, tmp_path
) -> None:
    write(3)
    # The three were written fifty minutes ago: dated so, and hashed with that date, as their writer would have.
    previous = GENESIS
    for event in AuditEvent.objects.order_by("sequence"):
        event.created_at = timezone.now() - timedelta(minutes=50)
        event.hash = event_hash(event, previous)
        raw("UPDATE audit_auditevent SET created_at = %s, previous_hash = %s, hash = %s WHERE id = %s",
            event.created_at, previous, event.hash, event.pk)  # fmt: skip
        previous = event.hash
    anchors = tmp_path / "anchors.jsonl"
    anchor(anchors)
    assert check("--anchors", str(anchors))[0]
    # Forty minutes ago: after its predecessor, so the chain alone sees nothing wrong; but the anchor signed a moment
    # ago had event 3 as its head, so an event from forty minutes ago cannot come after it.
    append_forged(timezone.now() - timedelta(minutes=40))
    assert check()[0]
    passed, said = check("--anchors", str(anchors))
    assert not passed and "Event 4" in said and "old date" in said


@pytest.mark.django_db
def test_a_staircase_of_rows_each_a_little_older_than_the_last_is_found(write) -> None:
    """The re-test: 75 forged rows, each 59 minutes before the one before it, walked back three days while every
    step stayed inside the tolerance against its predecessor."""
    write(3)
    when = timezone.now()
    for _ in range(3):
        when -= timedelta(minutes=59)
        append_forged(when)
    passed, said = check()
    assert not passed and "Event 5" in said and "back-dated" in said

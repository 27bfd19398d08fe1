"""The audit log's hash chain: intact as written, also by parallel writers on PostgreSQL; an edit, a deletion or a
reordering with raw SQL is found and named; retention keeps it verifiable; the daily anchor is signed (what else the
check finds: test_probe3_chain.py)."""

import base64
import json
import threading
from datetime import timedelta
from io import StringIO

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections, models
from django.utils import timezone

from kenniscentrum.audit.chain import chain_events, statement, verify
from kenniscentrum.audit.models import Action, AuditCheckpoint, AuditEvent
from kenniscentrum.audit.services import audit_expire, audit_record


def written(count: int) -> list[AuditEvent]:
    events = [audit_record(action=Action.LOGIN, n=n, note="één") for n in range(count)]
    chain_events([e.pk for e in events])  # what the writer does after its transaction commits
    return events


def raw(sql: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_the_chain_as_written_is_intact_and_the_command_says_so() -> None:
    written(5)
    assert list(AuditEvent.objects.order_by("sequence").values_list("sequence", flat=True)) == [1, 2, 3, 4, 5]
    out = StringIO()
    call_command("audit_verify", stdout=out)
    assert "intact: 5 events checked" in out.getvalue()
    more = audit_record(action=Action.LOGOUT)  # not chained yet: its writer chains it, never the check
    assert verify().intact and verify().pending == 1 and AuditEvent.objects.get(pk=more.pk).sequence is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        ("UPDATE audit_auditevent SET object_label = 'report M-1' WHERE sequence = 3", "its content was changed"),
        ("UPDATE audit_auditevent SET actor_name = 'someone' WHERE sequence = 3", "its content was changed"),
        ("DELETE FROM audit_auditevent WHERE sequence = 3", "event 3 is missing"),
    ],
)
def test_an_edit_or_a_deletion_with_raw_sql_is_found_where_it_happened(tamper, reason) -> None:
    written(6)
    raw(tamper)
    verdict = verify()
    assert not verdict.intact and verdict.broken_at == 3 and verdict.reason == reason and verdict.checked == 2
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command("audit_verify", stdout=StringIO(), stderr=err)
    assert "broken at event 3" in err.getvalue()


@pytest.mark.django_db
def test_two_events_swapped_with_raw_sql_are_found() -> None:
    written(6)
    raw("UPDATE audit_auditevent SET sequence = -4 WHERE sequence = 4")
    raw("UPDATE audit_auditevent SET sequence = 4 WHERE sequence = 5")
    raw("UPDATE audit_auditevent SET sequence = 5 WHERE sequence = -4")
    verdict = verify()
    assert not verdict.intact and verdict.broken_at == 4


@pytest.mark.django_db
def test_retention_leaves_a_signed_checkpoint_and_the_chain_verifiable(monkeypatch) -> None:
    key = Ed25519PrivateKey.generate()
    raw_key = key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    monkeypatch.setenv("AUDIT_SIGNING_KEY", base64.b64encode(raw_key).decode())
    events = written(6)
    old = timezone.now() - timedelta(days=4000)
    models.QuerySet.update(AuditEvent.objects.filter(pk__in=[e.pk for e in events[:4]]), created_at=old)
    assert audit_expire(timezone.now() - timedelta(days=3000)) == 4
    checkpoint = AuditCheckpoint.objects.get()
    assert checkpoint.sequence == 4 and checkpoint.signature
    key.public_key().verify(base64.b64decode(checkpoint.signature), statement(4, checkpoint.hash, "retention"))
    assert verify().intact and verify().checked == 2
    written(1)
    assert verify().intact and verify().checked == 3
    models.QuerySet.update(AuditCheckpoint.objects.all(), hash="f" * 64)  # a forged start of the chain
    assert not verify().intact


@pytest.mark.django_db
def test_the_daily_anchor_is_signed_and_refuses_to_run_without_a_key(monkeypatch) -> None:
    written(3)
    monkeypatch.delenv("AUDIT_SIGNING_KEY", raising=False)
    with pytest.raises(CommandError, match="AUDIT_SIGNING_KEY"):
        call_command("audit_anchor", stdout=StringIO())
    monkeypatch.setenv("AUDIT_SIGNING_KEY", "not a key")
    with pytest.raises(Exception, match="base64 Ed25519"):
        call_command("audit_anchor", stdout=StringIO())
    key = Ed25519PrivateKey.generate()
    monkeypatch.setenv("AUDIT_SIGNING_KEY", base64.b64encode(key.private_bytes(Encoding.Raw, PrivateFormat.Raw,
                                                                                 NoEncryption())).decode())  # fmt: skip
    out = StringIO()
    call_command("audit_anchor", stdout=out)
    line = json.loads(out.getvalue())
    assert line["sequence"] == 3 and line["head"] == AuditEvent.objects.get(sequence=3).hash
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(line["public_key"]))
    public.verify(base64.b64decode(line["signature"]), statement(3, line["head"], line["at"]))


@pytest.mark.django_db(transaction=True)
def test_parallel_writers_on_postgresql_keep_one_unbroken_chain() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers are tested on PostgreSQL")
    from django.db import transaction

    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(25):
                with transaction.atomic():  # each event in a request's own transaction, chained after commit
                    audit_record(action=Action.LOGIN, writer=n, i=i)
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    verdict = verify()
    assert verdict.intact and verdict.checked == 200 and verdict.pending == 0
    assert AuditEvent.objects.filter(sequence__isnull=True).count() == 0


def test_an_address_with_a_nul_character_is_audited_not_lost(db) -> None:
    event = audit_record(action=Action.ACCESS_DENIED, path="/beheer/\x00x")
    event.refresh_from_db()
    assert event.details["path"] == "/beheer/\ufffdx"
    assert verify().intact

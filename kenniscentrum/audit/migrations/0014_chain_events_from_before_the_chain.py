from django.db import migrations, models


def chain_unchained(apps, schema_editor):
    """Events written before the chain existed (audit 0010) are chained here, once, in the order they were written:
    since finding 9 only the writer of an event chains it, and the check chains nothing."""
    from kenniscentrum.audit.chain import GENESIS, event_hash

    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditCheckpoint = apps.get_model("audit", "AuditCheckpoint")
    pending = AuditEvent.objects.filter(sequence__isnull=True).order_by("id")
    if not pending.exists():
        return
    last = AuditEvent.objects.filter(sequence__isnull=False).order_by("-sequence").first()
    checkpoint = AuditCheckpoint.objects.order_by("-sequence").first()
    sequence, previous = (
        (last.sequence, last.hash) if last else (checkpoint.sequence, checkpoint.hash) if checkpoint else (0, GENESIS)
    )
    for event in pending.iterator():
        sequence += 1
        event.sequence = sequence
        event.previous_hash = previous
        event.hash = previous = event_hash(event, previous)
        # QuerySet.update itself: the live model's manager refuses updates (the test runs this with it).
        models.QuerySet.update(AuditEvent.objects.filter(pk=event.pk), sequence=sequence,
                               previous_hash=event.previous_hash, hash=event.hash)  # fmt: skip


class Migration(migrations.Migration):
    dependencies = [("audit", "0013_partner_api")]

    operations = [migrations.RunPython(chain_unchained, migrations.RunPython.noop)]

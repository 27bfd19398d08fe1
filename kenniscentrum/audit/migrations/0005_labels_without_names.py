"""Audit labels used to be `str(obj)`, which for a person is their full name, and two kinds of details held
free text. Existing events are rewritten to the new form (type and reference or id) so that the audit log
search finds no victim or suspect by name. The append-only rule is the model's; this one migration
rewrites rows through the plain QuerySet, as the retention term does for deletion."""

from django.db import migrations, models

# Labels that stay meaningful and hold no personal name: reports and cases are named by reference.
REFERENCE_TYPES = {"reports.report": "report", "cases.case": "case"}


def forward(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    events = AuditEvent.objects.exclude(object_label="")
    for event in events.iterator(chunk_size=2000):
        model = event.object_type.split(".")[-1]
        if event.object_type in REFERENCE_TYPES and event.object_label.startswith(("M-", "C-")):
            label = f"{REFERENCE_TYPES[event.object_type]} {event.object_label}"
        else:
            label = f"{model} #{event.object_id}"
        details = dict(event.details or {})
        details.pop("purpose", None)
        changed = details.get("changed")
        if isinstance(changed, dict) and "place" in changed:
            changed["place"] = "(changed)"
        models.QuerySet.update(AuditEvent.objects.filter(pk=event.pk), object_label=label[:100], details=details)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_enrolment_actions")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]

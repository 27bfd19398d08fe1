"""A full-text index for the queue's search on PostgreSQL (Dutch configuration); SQLite searches without one.

The expression is the one Report.objects.search() builds (SearchVector("description", "place", config="dutch")),
so the planner can use the index.
"""

from django.db import migrations

INDEX = (
    "CREATE INDEX IF NOT EXISTS reports_report_search ON reports_report USING gin "
    "(to_tsvector('dutch'::regconfig, COALESCE(description, '') || ' ' || COALESCE(place, '')))"
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS reports_report_search")


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_report_case")]
    operations = [migrations.RunPython(create, drop)]

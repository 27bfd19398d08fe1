from django.core.management import call_command
from django.db import migrations

# The table of the database cache (settings.CACHES, CACHE_TABLE), where the API counts each client's calls. Made
# here so that `migrate` is the one step of an installation, a restore and the tests; createcachetable skips a table
# that exists. The name is written out: a migration must not change with the settings.
TABLE = "kenniscentrum_cache"


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop_cache_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):

    dependencies = [
        ('api', '0002_idempotency_keys'),
    ]

    operations = [
        migrations.RunPython(create_cache_table, drop_cache_table),
    ]

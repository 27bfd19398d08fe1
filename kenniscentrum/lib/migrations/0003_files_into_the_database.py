"""Files that an earlier version stored on disk (MEDIA_ROOT) move into the database, encrypted (lib/storage.py).
The files on disk are left where they are: remove them once the move has been checked (docs/deploy.md)."""

from pathlib import Path

from django.conf import settings
from django.db import migrations

# The rows that name files: only those files move (nothing else under MEDIA_ROOT is taken in).
FILE_FIELDS = (("reports", "Attachment", "file"), ("cases", "Document", "file"), ("organisations", "Covenant", "document"))


def files_into_the_database(apps, schema_editor):
    from kenniscentrum.lib.encryption import encrypt

    StoredFile = apps.get_model("lib", "StoredFile")
    media = Path(settings.MEDIA_ROOT)
    for app, model, field in FILE_FIELDS:
        names = apps.get_model(app, model).objects.exclude(**{field: ""}).values_list(field, flat=True)
        for name in names.iterator():
            path = media / name
            if path.is_file() and not StoredFile.objects.filter(name=name).exists():
                data = path.read_bytes()
                StoredFile.objects.create(name=name, content=encrypt(data), size=len(data))


class Migration(migrations.Migration):
    dependencies = [
        ("lib", "0002_stored_files"),
        ("reports", "0016_encrypted_reporter"),
        ("cases", "0014_covenants"),
        ("organisations", "0003_covenants"),
    ]

    operations = [migrations.RunPython(files_into_the_database, migrations.RunPython.noop)]

"""Adding a database invariant to a table that already holds rows: check the rows first, and say which break it.

Without this, a migration adding a CheckConstraint to an installation with an old inconsistent row fails with the
database's bare error; with it, the message names the constraint and the first rows to look at.
"""

from typing import Any

from django.db import migrations
from django.db.models import Q


def rows_checked_first(app_label: str, model_name: str, condition: Q, name: str) -> migrations.RunPython:
    def check(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        breaking = list(model.objects.exclude(condition).values_list("pk", flat=True)[:10])
        if breaking:
            raise RuntimeError(
                f"{app_label}.{model_name}: rows {breaking} break the new rule '{name}'. Correct them (they were "
                "made before the rule existed) and run the migration again."
            )

    return migrations.RunPython(check, migrations.RunPython.noop)

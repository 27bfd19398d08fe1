"""Moves everything encrypted at rest to the first key of DATA_KEYS (lib/encryption.py).

Rotation, with every server given the same keys at each step (docs/deploy.md):
1. `manage.py rotate_keys --new-key` prints a new key;
2. put it first in DATA_KEYS, keep the old key after it, and restart: new data goes under the new key, old data
   still decrypts;
3. `manage.py rotate_keys` re-encrypts the encrypted fields, the stored files and the key check, in batches, and
   checks that each of them now decrypts with the first key alone;
4. remove the old key from DATA_KEYS and restart.
"""

from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from kenniscentrum.lib.encryption import EncryptedTextField, fernet, first_key_only
from kenniscentrum.lib.models import KeyCanary, StoredFile

BATCH = 500


def encrypted_columns() -> list[tuple[str, list[str]]]:
    """Every table with encrypted text, with those columns."""
    found = []
    for model in apps.get_models():
        columns = [f.column for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        if columns:
            found.append((model._meta.db_table, columns))
    return found


def rotate_text(table: str, columns: list[str]) -> int:
    """Re-encrypts the columns of `table` under the first key, with raw SQL (the field would decrypt them)."""
    quote = connection.ops.quote_name
    rotated, last = 0, 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            # Table and column names come from the models; values go as parameters.
            select = f"SELECT id, {', '.join(quote(c) for c in columns)} FROM {quote(table)}"  # noqa: S608
            cursor.execute(f"{select} WHERE id > %s ORDER BY id LIMIT {BATCH}", [last])
            rows = cursor.fetchall()
            for pk, *values in rows:
                new = [fernet().rotate(v.encode("ascii")).decode("ascii") if v else v for v in values]
                assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
                cursor.execute(f"UPDATE {quote(table)} SET {assignments} WHERE id = %s", [*new, pk])  # noqa: S608
                rotated += sum(1 for v in values if v)
        if len(rows) < BATCH:
            return rotated
        last = rows[-1][0]


def rotate_binary(model: Any) -> int:
    rotated = 0
    for pk in model.objects.order_by("id").values_list("id", flat=True).iterator():
        with transaction.atomic():
            row = model.objects.select_for_update().only("id", model.CIPHER_FIELD).get(pk=pk)
            setattr(row, model.CIPHER_FIELD, fernet().rotate(bytes(getattr(row, model.CIPHER_FIELD))))
            row.save(update_fields=[model.CIPHER_FIELD])
            rotated += 1
    return rotated


def left_under_old_keys() -> int:
    """How many stored tokens the first key alone cannot decrypt."""
    first = first_key_only()
    left = 0
    quote = connection.ops.quote_name
    for table, columns in encrypted_columns():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)}")  # noqa: S608
            for values in cursor.fetchall():
                left += sum(1 for v in values if v and not _decrypts(first, v.encode("ascii")))
    for model in (StoredFile, KeyCanary):
        for token in model.objects.values_list(model.CIPHER_FIELD, flat=True).iterator():
            left += not _decrypts(first, bytes(token))
    return left


def _decrypts(key: Any, token: bytes) -> bool:
    try:
        key.decrypt(token)
    except InvalidToken:
        return False
    return True


class Command(BaseCommand):
    help = "Re-encrypts everything encrypted at rest under the first key of DATA_KEYS; --new-key prints a new key."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--new-key", action="store_true", help="Print a new key to put first in DATA_KEYS.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["new_key"]:
            self.stdout.write(Fernet.generate_key().decode())
            return
        try:
            texts = sum(rotate_text(table, columns) for table, columns in encrypted_columns())
            files = rotate_binary(StoredFile)
            rotate_binary(KeyCanary)
        except InvalidToken as error:
            raise CommandError(
                "A stored value decrypts with none of DATA_KEYS: add the key that encrypted it and run again."
            ) from error
        left = left_under_old_keys()
        if left:
            raise CommandError(f"{left} values still need an older key: run rotate_keys again.")
        self.stdout.write(
            f"{texts} encrypted values and {files} files are now under the first key; "
            "the other keys can be removed from DATA_KEYS."
        )

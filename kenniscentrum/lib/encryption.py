"""Encryption at rest: the reporter's identity and contact details, and every stored file (issue 16); the staff's
second-factor keys and the names of stored files (finding 17). docs/security.md lists what is encrypted and what not.

The keys come from the environment, `DATA_KEYS`: Fernet keys (AES-128-CBC with HMAC-SHA256, from `cryptography`),
separated by commas. The first encrypts; every one of them decrypts, so a new key can be put first while the data is
still under the old one, and `manage.py rotate_keys` then moves all of it to the first key. A raw dump of the
database, or a stolen disk, shows tokens, not names or numbers or files.

A wrong or missing key stops the start (`startup.py`): a row of known text, encrypted when the platform first ran
(`KeyCanary`), must decrypt with the keys given.
"""

from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

CANARY_TEXT = b"kenniscentrum: the data keys fit"


class WrongKey(ImproperlyConfigured):
    """Stored data does not decrypt with DATA_KEYS."""


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except (ValueError, TypeError) as error:
        raise ImproperlyConfigured(
            "DATA_KEYS holds a value that is not a Fernet key (32 bytes in URL-safe base64; make one with "
            "`manage.py rotate_keys --new-key`)."
        ) from error


def fernet() -> MultiFernet:
    if not settings.DATA_KEYS:
        raise ImproperlyConfigured("DATA_KEYS is empty: set it to one or more Fernet keys, separated by commas.")
    return _fernet(tuple(settings.DATA_KEYS))


def encrypt(data: bytes) -> bytes:
    return fernet().encrypt(data)


def decrypt(token: bytes) -> bytes:
    try:
        return fernet().decrypt(token)
    except InvalidToken as error:
        raise WrongKey(
            "Stored data does not decrypt with DATA_KEYS: the key is wrong, or the key that encrypted it is not in "
            "the list. Put that key back (after the new one) and run `manage.py rotate_keys`."
        ) from error


def first_key_only() -> MultiFernet:
    """Decrypts only with the key that encrypts: to check that rotation has left nothing under an older key."""
    return MultiFernet([Fernet(settings.DATA_KEYS[0])])


class EncryptedTextField(models.TextField):
    """Text stored as a Fernet token and read back as text. The database cannot search, sort or compare it; an
    empty value stays empty (whether someone left contact details is already in `contact_preference`)."""

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value).encode("utf-8")).decode("ascii")

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return decrypt(value.encode("ascii")).decode("utf-8")


def encrypt_columns_in_place(connection: Any, table: str, columns: list[str]) -> int:
    """For a migration that makes plain columns encrypted: encrypts what is stored in the clear, with raw SQL (the
    field itself would try to decrypt it). A value that is already a token is left alone, so running it twice changes
    nothing. Returns how many rows changed."""
    quote = connection.ops.quote_name
    changed = 0
    with connection.cursor() as cursor:
        # Table and column names come from the migration; values go as parameters.
        cursor.execute(f"SELECT id, {', '.join(quote(c) for c in columns)} FROM {quote(table)}")  # noqa: S608
        for pk, *values in cursor.fetchall():
            new = [v if not v or v.startswith("gAAAAA") else encrypt(v.encode()).decode("ascii") for v in values]
            if new != list(values):
                assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
                cursor.execute(f"UPDATE {quote(table)} SET {assignments} WHERE id = %s", [*new, pk])  # noqa: S608
                changed += 1
    return changed


def keys_fit() -> None:
    """Raises ImproperlyConfigured when DATA_KEYS cannot be used or does not decrypt what is stored here. The first
    time the platform runs, it stores known text under the first key for the next start to check."""
    from .models import KeyCanary

    fernet()
    canary = KeyCanary.objects.order_by("id").first()
    if canary is None:
        KeyCanary.objects.create(token=encrypt(CANARY_TEXT))
    elif decrypt(bytes(canary.token)) != CANARY_TEXT:
        raise WrongKey("The key check decrypted to the wrong text.")

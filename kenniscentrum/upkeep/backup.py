"""Backup and restore: one encrypted archive with the database, the stored files and a manifest with their hashes.

The database is written as Django's own JSON (`dumpdata`), so an archive made on SQLite restores on PostgreSQL and
the other way round, into an empty database of the same schema. The archive is encrypted with Fernet (AES-128-CBC
with HMAC-SHA256, from `cryptography`) under the key in BACKUP_KEY; without the key it is unreadable, and a wrong key
or a changed byte is refused before anything is restored. Every file and the database dump are checked against the
manifest's SHA-256 before anything is written, and the counts per table after. Nothing decrypted is written to
disk but the restored database and files themselves.
"""

import hashlib
import io
import json
import os
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from .retention import stored_files

KEY_ENV = "BACKUP_KEY"
FORMAT = 1
# Rows Django makes itself at migrate, and sessions (they end anyway): not in the archive. The stored files go in as
# files (decrypted, in the archive that is itself encrypted); the key check belongs to the installation's own keys.
# Encrypted fields are dumped as text, so an archive restores under whatever DATA_KEYS the new installation has.
LEFT_OUT = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "lib.storedfile", "lib.keycanary"]


class BackupError(Exception):
    """What stops a backup or a restore, said so a person can act on it."""


def backup_fernet() -> Any:
    from cryptography.fernet import Fernet

    key = os.environ.get(KEY_ENV, "").strip()
    if not key:
        raise ImproperlyConfigured(
            f"Set {KEY_ENV} to a Fernet key (python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())') and keep it apart from the backups."
        )
    try:
        return Fernet(key.encode("ascii"))
    except ValueError as exc:
        raise ImproperlyConfigured(f"{KEY_ENV} is not a Fernet key (32 bytes, URL-safe base64).") from exc


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def counts() -> dict[str, int]:
    """Rows per model of the project's apps (what a restore must bring back)."""
    return {
        model._meta.label_lower: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in ("contenttypes", "sessions", "admin")
        and model._meta.label_lower not in ("auth.permission", "lib.keycanary")
    }


def _migrations() -> dict[str, str]:
    """The last migration applied per app: a restore needs the same schema."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        latest: dict[str, str] = {}
        for app, name in cursor.fetchall():
            latest[app] = max(latest.get(app, ""), name)
    return latest


def backup(out: Path) -> dict[str, Any]:
    """Writes the encrypted archive to `out`; returns its manifest."""
    fernet = backup_fernet()
    dump = io.StringIO()
    call_command("dumpdata", exclude=LEFT_OUT, natural_foreign=True, format="json", indent=None, stdout=dump)
    database = dump.getvalue().encode("utf-8")
    files = {}
    for name in stored_files():
        with default_storage.open(name, "rb") as stored:
            files[name] = stored.read()
    manifest = {
        "format": FORMAT,
        "made_at": timezone.now().isoformat(),
        "database": {"sha256": _sha256(database), "vendor": connection.vendor},
        "migrations": _migrations(),
        "counts": counts(),
        "files": {name: _sha256(data) for name, data in files.items()},
    }
    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w:gz") as tar:
        for name, data in [("manifest.json", json.dumps(manifest, indent=1).encode()), ("database.json", database)]:
            _add(tar, name, data)
        for name, data in files.items():
            _add(tar, f"files/{name}", data)
    out.write_bytes(fernet.encrypt(archive.getvalue()))
    return manifest


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


@dataclass
class Restored:
    manifest: dict[str, Any]
    counts: dict[str, int]
    files: int


def _opened(path: Path) -> dict[str, bytes]:
    from cryptography.fernet import InvalidToken

    try:
        plain = backup_fernet().decrypt(path.read_bytes())
    except InvalidToken as exc:
        raise BackupError(
            "The archive cannot be read with this BACKUP_KEY: a wrong key, or the file was changed."
        ) from exc
    members: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(plain), mode="r:gz") as tar:
        for member in tar.getmembers():
            if not member.isfile() or member.name.startswith("/") or ".." in Path(member.name).parts:
                raise BackupError(f"The archive holds an unexpected entry: {member.name[:100]}")
            extracted = tar.extractfile(member)
            members[member.name] = extracted.read() if extracted is not None else b""
    return members


def _load(dump: bytes) -> None:
    """Loads the dump with `loaddata` from memory: it holds every reporter's details in plain text, and a temporary
    file of it would outlive the restore on the disk (finding 18). `loaddata -` reads `sys.stdin`, so that is the
    dump for the moment; a restore is a command run on its own, never in a serving process."""
    stdin = sys.stdin
    sys.stdin = io.TextIOWrapper(io.BytesIO(dump), encoding="utf-8")
    try:
        call_command("loaddata", "-", format="json", verbosity=0)
    finally:
        sys.stdin = stdin


def restore(path: Path) -> Restored:
    """Brings an archive back into an empty database (migrated to the same schema) and the file storage."""
    members = _opened(path)
    manifest = json.loads(members["manifest.json"])
    if manifest.get("format") != FORMAT:
        raise BackupError(f"This archive has format {manifest.get('format')}; this version restores format {FORMAT}.")
    if _sha256(members["database.json"]) != manifest["database"]["sha256"]:
        raise BackupError("The database dump does not match its hash in the manifest.")
    for name, digest in manifest["files"].items():
        if _sha256(members.get(f"files/{name}", b"")) != digest:
            raise BackupError(f"The file {name} does not match its hash in the manifest.")
    if manifest["migrations"] != _migrations():
        raise BackupError("The database's schema is not the archive's: migrate to the same version first.")
    occupied = {label: n for label, n in counts().items() if n and label != "auth.group"}
    if occupied:
        raise BackupError(f"Restore goes into an empty database; this one holds rows ({', '.join(sorted(occupied))}).")
    _load(members["database.json"])
    for name in manifest["files"]:
        if default_storage.exists(name):
            default_storage.delete(name)
        saved = default_storage.save(name, ContentFile(members[f"files/{name}"]))
        if saved != name:
            raise BackupError(f"The file {name} was stored as {saved}.")
    found = counts()
    if found != manifest["counts"]:
        wrong = sorted(k for k in manifest["counts"] if manifest["counts"][k] != found.get(k))
        raise BackupError(f"After the restore the counts differ from the archive's: {', '.join(wrong)}.")
    return Restored(manifest, found, len(manifest["files"]))

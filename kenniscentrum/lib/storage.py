"""Files in the database, encrypted: every application server reaches them, a report and its files are stored in
one transaction (a crash leaves no file without its report, nor a report without its files), and a copy of the
database shows only tokens (issue 16). Django's storage API, so FileField and the rest work unchanged; another
backend (an object store) can take its place in STORAGES."""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import Storage
from django.utils.deconstruct import deconstructible

from .encryption import decrypt, encrypt


def _stored() -> Any:
    from .models import StoredFile  # the storage is built when settings load, before the models

    return StoredFile.objects


@deconstructible
class EncryptedDatabaseStorage(Storage):
    def _open(self, name: str, mode: str = "rb") -> File:
        content = _stored().filter(name=name).values_list("content", flat=True).first()
        if content is None:
            raise FileNotFoundError(name)
        return ContentFile(decrypt(bytes(content)), name=name)

    def _save(self, name: str, content: File) -> str:
        data = b"".join(content.chunks())
        _stored().create(name=name, content=encrypt(data), size=len(data))
        return name

    def delete(self, name: str) -> None:
        _stored().filter(name=name).delete()

    def exists(self, name: str) -> bool:
        prefix = name.rstrip("/") + "/"
        return bool(_stored().filter(name=name).exists() or _stored().filter(name__startswith=prefix).exists())

    def size(self, name: str) -> int:
        size = _stored().filter(name=name).values_list("size", flat=True).first()
        if size is None:
            raise FileNotFoundError(name)
        return int(size)

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        prefix = path.rstrip("/") + "/" if path else ""
        directories, files = set(), []
        for name in _stored().filter(name__startswith=prefix).values_list("name", flat=True):
            rest = name[len(prefix) :]
            if "/" in rest:
                directories.add(rest.split("/", 1)[0])
            else:
                files.append(rest)
        return sorted(directories), sorted(files)

    def url(self, name: str | None) -> str:
        # Never served from here (MEDIA_URL leads nowhere): staff download files through views that check access.
        return f"{settings.MEDIA_URL}{name or ''}"

    def get_modified_time(self, name: str) -> datetime:
        created = _stored().filter(name=name).values_list("created_at", flat=True).first()
        if created is None:
            raise FileNotFoundError(name)
        return created

    get_created_time = get_accessed_time = get_modified_time

"""Uploads are capped while they stream in, not after the whole body has been received and stored.

Django writes an upload to memory or a temporary file in full before any form sees it. The one handler
here writes to a temporary file and, once a file passes ATTACHMENT_MAX_BYTES, drops the rest of it as it
arrives; the form gets an empty file that says how large it was, so it can answer "too large" while
keeping everything else the visitor typed. A body past REQUEST_MAX_BYTES is refused by
`RequestSizeMiddleware` before a byte of it is read. (A reverse proxy should hold the same ceiling.)
"""

from collections.abc import Callable
from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class TooLargeUpload(InMemoryUploadedFile):
    """An upload of which only the size is known: its content was dropped while it streamed in."""

    def __init__(self, field_name: str, name: str, content_type: str, size: int):
        super().__init__(BytesIO(b""), field_name, name, content_type, size, None)


class CappedUploadHandler(TemporaryFileUploadHandler):
    """Django's temporary-file handler, which stops writing a file once it passes ATTACHMENT_MAX_BYTES."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.received += len(raw_data)
        if self.received <= settings.ATTACHMENT_MAX_BYTES:
            self.file.write(raw_data)

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.received > settings.ATTACHMENT_MAX_BYTES:
            self.file.close()  # the temporary file is removed with it
            return TooLargeUpload(self.field_name, self.file_name or "file", self.content_type or "", self.received)
        return super().file_complete(file_size)


class RequestSizeMiddleware:
    """Refuses a request body larger than anything a form here takes, before reading it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BYTES:
            return render(
                request,
                "413.html",
                {"max_mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024), "count": settings.ATTACHMENT_MAX_COUNT},
                status=413,
            )
        return self.get_response(request)

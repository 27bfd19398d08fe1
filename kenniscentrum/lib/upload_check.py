"""Checks an uploaded file by its content and removes what it says about its maker before anything is stored.

Photos are decoded and encoded again, which leaves EXIF (with GPS), XMP, ICC profiles and comments behind.
A PDF is accepted only when pypdf parses it, it carries no active content (JavaScript, launch actions,
embedded files, forms that send data) and it is not encrypted; it is then written anew page by page,
which leaves the document information (author, creator, dates) and XMP metadata behind. Anything else is
refused, whatever its name says. Stored files get a name and extension from the detected type only.

A PDF is checked in a process of its own (`pdf_sandbox.py`) with a budget of inflated bytes, memory and CPU time,
per file and per submission: a small PDF can inflate to gigabytes (finding 3 of probe 3), and that must cost
neither the worker's memory nor more than a few seconds of a core.
"""

import json
import math
import subprocess
import sys
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

# A phone photo has 12 to 24 million pixels; decoding a larger image costs time and memory for nothing.
MAX_PIXELS = 25_000_000
# What one submission may make the server decode in all: two full-size phone photos, or more smaller ones.
MAX_PIXELS_PER_SUBMISSION = 50_000_000
# What checking a PDF may cost. An ordinary PDF of 10 MB inflates a few MB of object and cross-reference streams
# here (page contents and images are copied as they are, not decoded) and takes well under a second.
PDF_MAX_INFLATED_BYTES = 50 * 1024 * 1024
PDF_MAX_INFLATED_BYTES_PER_SUBMISSION = 100 * 1024 * 1024
PDF_MAX_CPU_SECONDS = 5
PDF_MAX_CPU_SECONDS_PER_SUBMISSION = 10
# The checking process's address space (Python and pypdf take some 40 MB of it before reading a byte).
PDF_MAX_MEMORY = 512 * 1024 * 1024
PDF_SANDBOX = Path(__file__).with_name("pdf_sandbox.py")
IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "WEBP": ("image/webp", ".webp"),
}
PDF = ("application/pdf", ".pdf")


@dataclass
class CleanFile:
    content: bytes
    content_type: str
    extension: str
    original_name: str  # what the sender called it: for messages only, never stored


@dataclass
class PdfBudget:
    """What checking PDFs may still cost in one submission; each check takes what it used."""

    inflated: int = field(default_factory=lambda: PDF_MAX_INFLATED_BYTES_PER_SUBMISSION)
    cpu_seconds: float = field(default_factory=lambda: PDF_MAX_CPU_SECONDS_PER_SUBMISSION)


@dataclass
class PdfCheck:
    """What the checking process answered: "ok" with the rewritten PDF, "refused" or "over_budget"; and what it
    cost (the cost is not known when the process was stopped: then the whole budget it had counts as used)."""

    status: str
    content: bytes = b""
    inflated: int = 0
    cpu_seconds: float = 0.0
    peak_memory: int = 0


class NotAcceptable(Exception):
    """The file is not a photo or PDF we accept."""


class OverBudget(Exception):
    """Checking the file would cost more than its share of the submission's budget."""


def _refuse(name: str) -> ValidationError:
    return ValidationError(
        _("%(name)s is not a photo (JPEG, PNG, WebP) or PDF that we can accept. Choose another file.") % {"name": name}
    )


def _refuse_not_pdf(name: str) -> ValidationError:
    return ValidationError(_("%(name)s is not a PDF that we can accept. Choose another file.") % {"name": name})


def _too_much_work(name: str) -> ValidationError:
    return ValidationError(
        _("%(name)s takes too much work to check. Send a smaller PDF, fewer PDFs, or photos of the pages.")
        % {"name": name}
    )


def _too_large(name: str, max_bytes: int) -> ValidationError:
    return ValidationError(
        _("%(name)s is too large. A file may be at most %(max)d MB.")
        % {"name": name, "max": max_bytes // (1024 * 1024)}
    )


def pdf_check(data: bytes, budget: PdfBudget) -> PdfCheck:
    """Checks and rewrites a PDF in the sandbox process, within what is left of `budget`, and takes its cost from it."""
    inflated = min(PDF_MAX_INFLATED_BYTES, budget.inflated)
    cpu_seconds = min(PDF_MAX_CPU_SECONDS, math.floor(budget.cpu_seconds))
    if inflated <= 0 or cpu_seconds < 1:
        return PdfCheck("over_budget")
    try:
        done = subprocess.run(  # noqa: S603 (our own script and numbers; the file goes in on stdin)
            # -I: no environment variables, user site or current directory; env={}: none of the worker's secrets.
            [sys.executable, "-I", str(PDF_SANDBOX), str(inflated), str(cpu_seconds), str(PDF_MAX_MEMORY)],
            input=data,
            capture_output=True,
            env={},
            cwd="/",
            # CPU time is limited inside; this only ends a process that waits on nothing for far too long.
            timeout=10 * cpu_seconds,
            check=False,
        )
        head, _newline, content = done.stdout.partition(b"\n")
        report = json.loads(head) if done.returncode == 0 else {}
    except (subprocess.TimeoutExpired, ValueError):
        report = {}
    if "status" not in report:  # stopped by its limits (SIGXCPU, SIGKILL) or the timeout: all it had is used
        budget.inflated -= inflated
        budget.cpu_seconds -= cpu_seconds
        return PdfCheck("over_budget", inflated=inflated, cpu_seconds=cpu_seconds)
    check = PdfCheck(report["status"], content, report["inflated"], report["cpu_seconds"], report["peak_memory"])
    budget.inflated -= check.inflated
    budget.cpu_seconds -= check.cpu_seconds
    return check


def _clean_pdf(data: bytes, budget: PdfBudget) -> bytes:
    check = pdf_check(data, budget)
    if check.status == "ok":
        return check.content
    if check.status == "over_budget":
        raise OverBudget
    raise NotAcceptable


def image_pixels(data: bytes) -> int:
    """The pixel count an image's header declares, read without decoding; 0 when it is no image we take."""
    try:
        with Image.open(BytesIO(data)) as image:
            return image.width * image.height if image.format in IMAGE_FORMATS else 0
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        return 0


def _clean_image(data: bytes) -> tuple[bytes, str]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(BytesIO(data))
            # The header gives the size: a huge image is refused before a single pixel is decoded.
            if image.format not in IMAGE_FORMATS or image.width * image.height > MAX_PIXELS:
                raise NotAcceptable
            fmt = str(image.format)
            image.load()
            image = ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise NotAcceptable from exc
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    # Pillow writes what `info` holds (a JPEG comment, an ICC profile, PNG text) back into the file.
    image.info = {}
    out = BytesIO()
    image.save(out, format=fmt)
    return out.getvalue(), fmt


def _read(upload: UploadedFile, max_bytes: int) -> tuple[str, bytes]:
    """The upload's name (for messages) and content; ValidationError when it is larger than `max_bytes`."""
    name = (upload.name or "file")[-100:]
    if upload.size is None or upload.size > max_bytes:
        raise _too_large(name, max_bytes)
    data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise _too_large(name, max_bytes)
    return name, data


def _clean(name: str, data: bytes, budget: PdfBudget, *, pdf_only: bool = False) -> CleanFile:
    try:
        if data.startswith(b"%PDF-"):
            content_type, extension = PDF
            return CleanFile(_clean_pdf(data, budget), content_type, extension, name)
        if pdf_only:
            raise NotAcceptable
        content, fmt = _clean_image(data)
    except OverBudget as exc:
        raise _too_much_work(name) from exc
    except NotAcceptable as exc:
        raise (_refuse_not_pdf(name) if pdf_only else _refuse(name)) from exc
    content_type, extension = IMAGE_FORMATS[fmt]
    return CleanFile(content, content_type, extension, name)


def clean_upload(upload: UploadedFile, max_bytes: int, *, pdf_only: bool = False) -> CleanFile:
    """Returns the file ready to store, or raises ValidationError with a message for the sender. With `pdf_only`,
    only a PDF is taken (a covenant's signed document)."""
    return _clean(*_read(upload, max_bytes), PdfBudget(), pdf_only=pdf_only)


def clean_uploads(uploads: Iterable[UploadedFile], max_bytes: int) -> list[CleanFile]:
    """Every file of one submission, within one budget of pixels to decode and one of PDF checking; all messages at
    once.

    Each file is read once; the pixel budget is checked from the image headers before anything is decoded."""
    errors, read = [], []
    for upload in uploads:
        try:
            read.append(_read(upload, max_bytes))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if sum(image_pixels(data) for _name, data in read) > MAX_PIXELS_PER_SUBMISSION:
        raise ValidationError(
            _(
                "Together these photos are too large to process. Send fewer photos, or smaller ones "
                "(at most %(mp)d megapixels in all)."
            )
            % {"mp": MAX_PIXELS_PER_SUBMISSION // 1_000_000}
        )
    clean, budget = [], PdfBudget()
    for name, data in read:
        try:
            clean.append(_clean(name, data, budget))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return clean

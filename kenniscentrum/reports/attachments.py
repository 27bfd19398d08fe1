"""Checks an uploaded file by its content and removes what it says about its maker before anything is stored.

Photos are decoded and encoded again, which leaves EXIF (with GPS), XMP, ICC profiles and comments behind.
A PDF is accepted only when pypdf parses it, it carries no active content (JavaScript, launch actions,
embedded files, forms that send data) and it is not encrypted; it is then written anew page by page,
which leaves the document information (author, creator, dates) and XMP metadata behind. Anything else is
refused, whatever its name says. Stored files get a name and extension from the detected type only.
"""

import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

# A phone photo has 12 to 24 million pixels; decoding a larger image costs time and memory for nothing.
MAX_PIXELS = 25_000_000
# What one submission may make the server decode in all: two full-size phone photos, or more smaller ones.
MAX_PIXELS_PER_SUBMISSION = 50_000_000
# A PDF with more objects than this is refused rather than walked.
MAX_PDF_OBJECTS = 100_000
IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "WEBP": ("image/webp", ".webp"),
}
PDF = ("application/pdf", ".pdf")

# Keys and action types that make a PDF do something when it is opened or clicked.
ACTIVE_KEYS = {"/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/XFA", "/RichMedia"}
ACTIVE_ACTIONS = {
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/GoToE",
    "/GoToR",
    "/Rendition",
    "/RichMediaExecute",
    "/Sound",
    "/Movie",
}
ACTIVE_SUBTYPES = {"/RichMedia", "/Screen", "/Movie", "/Sound", "/3D", "/FileAttachment"}


@dataclass
class CleanFile:
    content: bytes
    content_type: str
    extension: str
    original_name: str  # what the sender called it: for messages only, never stored


class NotAcceptable(Exception):
    """The file is not a photo or PDF we accept."""


def _refuse(name: str) -> ValidationError:
    return ValidationError(
        _("%(name)s is not a photo (JPEG, PNG, WebP) or PDF that we can accept. Choose another file.") % {"name": name}
    )


def _too_large(name: str, max_bytes: int) -> ValidationError:
    return ValidationError(
        _("%(name)s is too large. A file may be at most %(max)d MB.")
        % {"name": name, "max": max_bytes // (1024 * 1024)}
    )


def _pdf_is_active(root: Any) -> bool:
    """Walks every object reachable from the trailer and looks for active content."""
    seen: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            if len(seen) > MAX_PDF_OBJECTS:
                return True
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            if ACTIVE_KEYS & set(item.keys()):
                return True
            if item.get("/S") in ACTIVE_ACTIONS or item.get("/Subtype") in ACTIVE_SUBTYPES:
                return True
            if item.get("/Type") == "/EmbeddedFile":
                return True
            stack.extend(item.values())
        elif isinstance(item, ArrayObject):
            stack.extend(item)
    return False


def _clean_pdf(data: bytes) -> bytes:
    """The PDF written anew without its metadata; NotAcceptable when it does not parse, is encrypted or active."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(BytesIO(data), strict=False)
            if reader.is_encrypted or _pdf_is_active(reader.trailer):
                raise NotAcceptable
            writer = PdfWriter()
            for page in reader.pages:
                copy = writer.add_page(page)
                for key in ("/Metadata", "/PieceInfo", "/AA"):
                    copy.pop(NameObject(key), None)
            if not writer.pages:
                raise NotAcceptable
            writer._info = None  # no document information dictionary: pypdf would add itself as producer
            out = BytesIO()
            writer.write(out)
    except NotAcceptable:
        raise
    except Exception as exc:  # a hostile file can make any parser raise anything; it is then simply refused
        raise NotAcceptable from exc
    return out.getvalue()


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


def _clean(name: str, data: bytes) -> CleanFile:
    try:
        if data.startswith(b"%PDF-"):
            content_type, extension = PDF
            return CleanFile(_clean_pdf(data), content_type, extension, name)
        content, fmt = _clean_image(data)
    except NotAcceptable as exc:
        raise _refuse(name) from exc
    content_type, extension = IMAGE_FORMATS[fmt]
    return CleanFile(content, content_type, extension, name)


def clean_upload(upload: UploadedFile, max_bytes: int) -> CleanFile:
    """Returns the file ready to store, or raises ValidationError with a message for the visitor."""
    return _clean(*_read(upload, max_bytes))


def clean_uploads(uploads: Iterable[UploadedFile], max_bytes: int) -> list[CleanFile]:
    """Every file of one submission, within one budget of pixels to decode; all messages at once.

    Each file is read once; the budget is checked from the image headers before anything is decoded."""
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
    clean = []
    for name, data in read:
        try:
            clean.append(_clean(name, data))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return clean

"""Checks an uploaded file by its content and removes image metadata before anything is stored."""

import warnings
from dataclasses import dataclass
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

# Decoding a huge image takes memory and time; reporters' photos are far below this.
MAX_PIXELS = 40_000_000
IMAGE_FORMATS = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "WEBP": ("image/webp", ".webp"),
}


@dataclass
class CleanFile:
    content: bytes
    content_type: str
    extension: str
    original_name: str


def clean_upload(upload: UploadedFile, max_bytes: int) -> CleanFile:
    """Returns the file ready to store, or raises ValidationError with a message for the visitor.

    Images are decoded and encoded again, which drops EXIF (with GPS), XMP and text chunks;
    PDFs are recognised by their header. Anything else is refused, whatever its name says.
    """
    name = (upload.name or "file")[-200:]
    if upload.size is None or upload.size > max_bytes:
        raise ValidationError(
            _("%(name)s is too large. A file may be at most %(max)d MB.")
            % {"name": name, "max": max_bytes // (1024 * 1024)}
        )
    data = upload.read()
    if data.startswith(b"%PDF-"):
        return CleanFile(data, "application/pdf", ".pdf", name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image: Image.Image = Image.open(BytesIO(data))
            if image.format not in IMAGE_FORMATS or image.width * image.height > MAX_PIXELS:
                raise ValueError(image.format)
            fmt = str(image.format)
            image.load()
            image = ImageOps.exif_transpose(image)
    except (
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ) as exc:
        raise ValidationError(
            _("%(name)s is not a photo (JPEG, PNG, WebP) or PDF. Choose another file.") % {"name": name}
        ) from exc
    content_type, extension = IMAGE_FORMATS[fmt]
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    out = BytesIO()
    image.save(out, format=fmt)  # no exif=, no pnginfo=: the metadata stays behind
    return CleanFile(out.getvalue(), content_type, extension, name)

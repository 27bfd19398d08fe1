"""Probe 3, finding 3: one anonymous PDF must not be able to take a worker's CPU and memory.

A PDF is checked in a process of its own, with a budget of inflated bytes, memory and CPU per file and per
submission (lib/upload_check.py, lib/pdf_sandbox.py). The bombs here are built by hand: small valid PDFs whose
object streams inflate to far more than the budget.
"""

import struct
import tracemalloc
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from kenniscentrum.reports.models import Attachment, Report
from tests.conftest import pdf_bytes
from tests.reports.test_public_form import valid

pytestmark = pytest.mark.django_db
MB = 1024 * 1024


def pdf_bomb(*, streams: int = 6, inflated: int = 60 * MB) -> bytes:
    """A valid one-page PDF whose catalogue points at objects kept in `streams` object streams, each of which
    inflates to `inflated` bytes (mostly spaces after the one small object it holds)."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets: dict[int, int] = {}

    def write(num: int, body: bytes) -> None:
        offsets[num] = len(out)
        out.extend(b"%d 0 obj\n" % num + body + b"\nendobj\n")

    hidden = list(range(10, 10 + streams))
    write(1, b"<< /Type /Catalog /Pages 2 0 R /Extra [" + b" ".join(b"%d 0 R" % n for n in hidden) + b"] >>")
    write(2, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
    write(3, b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>")
    where = {}
    for i, num in enumerate(hidden):
        header, small = b"%d 0 " % num, b"<< /Hello 1 >>"
        packed = zlib.compress(header + small + b" " * (inflated - len(header) - len(small)), 9)
        stream = 100 + i
        where[num] = stream
        write(
            stream,
            b"<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (len(header), len(packed))
            + packed
            + b"\nendstream",
        )
    # A cross-reference stream: the only kind that can point into object streams.
    xref = 200
    offsets[xref] = len(out)
    entries = {
        0: (0, 0, 65535),
        **{n: (1, at, 0) for n, at in offsets.items()},
        **{n: (2, s, 0) for n, s in where.items()},
    }
    rows = b"".join(struct.pack(">BIH", *entries.get(n, (0, 0, 0))) for n in range(xref + 1))
    out.extend(
        b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n"
        % (xref, xref + 1, len(rows))
        + rows
        + b"\nendstream\nendobj\n"
    )
    out.extend(b"startxref\n%d\n%%%%EOF\n" % offsets[xref])
    return bytes(out)


def send(client, *files: tuple[str, bytes], language: str = ""):
    uploads = [SimpleUploadedFile(name, content, content_type="application/pdf") for name, content in files]
    prefix = f"/{language}" if language else ""
    return client.post(f"{prefix}/melden/", valid(client, attachments=uploads))


@pytest.mark.parametrize(
    ("language", "says"),
    [
        ("", "kost te veel werk om te controleren"),
        ("en", "takes too much work to check"),
        ("pl", "zbyt skomplikowany do sprawdzenia"),
        ("ro", "prea complicat de verificat"),
        ("bg", "изисква твърде много работа"),
        ("uk", "надто складно перевірити"),
    ],
)
def test_a_pdf_bomb_is_refused_in_the_visitors_language_and_the_text_is_kept(client, region, language, says) -> None:
    bomb = pdf_bomb()
    assert len(bomb) < 500_000  # small to send, 360 MB once inflated
    response = send(client, ("loonstrook.pdf", bomb), language=language)
    assert response.status_code == 200
    errors = " ".join(response.context["form"].errors["attachments"])
    assert "loonstrook.pdf" in errors and says in errors
    page = response.content.decode()
    assert "Enschede-Zuid" in page and "zeven dagen per week" in page  # what was typed stays on the page
    assert not Report.objects.exists() and not Attachment.objects.exists()


def test_checking_a_pdf_bomb_stays_within_the_memory_budget(client, region, monkeypatch) -> None:
    send(client, ("gewoon.pdf", pdf_bytes()))  # the first request loads templates and translations: not measured
    bomb = pdf_bomb()
    tracemalloc.start()
    try:
        response = send(client, ("bom.pdf", bomb))
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "bom.pdf" in str(response.context["form"].errors["attachments"])
    # The worker itself holds no more than the request and its files (the bomb inflates to 360 MB).
    assert peak < 32 * MB, f"the worker allocated {peak // MB} MB"


def test_the_check_runs_apart_and_stops_at_its_budget() -> None:
    from kenniscentrum.lib import upload_check

    check = upload_check.pdf_check(pdf_bomb(), upload_check.PdfBudget())
    assert check.status == "over_budget"
    # Six streams of 60 MB each: it stops at the first one past the file's budget and never holds them all.
    assert check.inflated <= upload_check.PDF_MAX_INFLATED_BYTES
    # Its memory: Python and pypdf (some 40 MB) and one stream inflated up to the budget, while zlib grows its buffer.
    assert 0 < check.peak_memory <= 3 * upload_check.PDF_MAX_INFLATED_BYTES <= upload_check.PDF_MAX_MEMORY
    assert check.cpu_seconds <= upload_check.PDF_MAX_CPU_SECONDS


def test_several_pdfs_in_one_submission_share_one_budget(client, region, monkeypatch) -> None:
    from kenniscentrum.lib import upload_check

    monkeypatch.setattr(upload_check, "PDF_MAX_INFLATED_BYTES", 8 * MB)
    monkeypatch.setattr(upload_check, "PDF_MAX_INFLATED_BYTES_PER_SUBMISSION", 20 * MB)
    each = pdf_bomb(streams=1, inflated=7 * MB)  # within one file's budget
    alone = send(client, ("een.pdf", each))
    assert alone.status_code == 200 and Report.objects.count() == 1  # one such PDF is accepted
    response = send(client, *[(f"{n}.pdf", each) for n in ("een", "twee", "drie")])
    errors = " ".join(response.context["form"].errors["attachments"])
    assert "drie.pdf" in errors and "een.pdf" not in errors  # the third is past what the submission may cost
    assert Report.objects.count() == 1


def test_an_ordinary_pdf_is_still_accepted_and_rewritten(client, region) -> None:
    send(client, ("brief.pdf", pdf_bytes(author="Jan Jansen")))
    with Attachment.objects.get().file.open("rb") as stored:
        content = stored.read()
    assert content.startswith(b"%PDF-") and b"Jan Jansen" not in content


def test_a_pdf_that_takes_longer_than_its_cpu_budget_is_stopped_and_counted(monkeypatch) -> None:
    from kenniscentrum.lib import upload_check

    monkeypatch.setattr(upload_check, "PDF_MAX_CPU_SECONDS", 1)
    budget = upload_check.PdfBudget()
    # Within the bytes budget, but reading 40 MB of an object stream takes pypdf seconds.
    check = upload_check.pdf_check(pdf_bomb(streams=1, inflated=40 * MB), budget)
    assert check.status == "over_budget"
    assert budget.cpu_seconds <= upload_check.PDF_MAX_CPU_SECONDS_PER_SUBMISSION - 1
    # What is left of the submission's time is what the next PDF may use; with none left, none is checked.
    budget.cpu_seconds = 0.5
    assert upload_check.pdf_check(pdf_bytes(), budget).status == "over_budget"

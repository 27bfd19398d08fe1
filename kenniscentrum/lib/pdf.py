"""A page as PDF, with WeasyPrint and Debian's Pango (docs/dependencies.md): the municipality report and a person's
data on request. Everything is in the page (styles, charts): nothing is fetched while the PDF is made."""

from typing import Any


def _nothing_fetched(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise ValueError(f"A PDF of this platform fetches nothing: {url[:80]}")


def pdf_from_html(html: str) -> bytes:
    from weasyprint import HTML  # loaded here: only a PDF needs Pango

    pdf = HTML(string=html, url_fetcher=_nothing_fetched).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def warm_up() -> None:
    """Makes a small PDF now, at start: the first one loads WeasyPrint and Pango and reads the system's fonts, over a
    second, which would otherwise fall on the first person to download a PDF (issue 27, finding 21)."""
    from django.template.loader import render_to_string

    pdf_from_html(render_to_string("includes/pdf_warm_up.html"))

"""Knowledge pages for the public: what trafficking is, the forms, the signals, help, privacy and contact."""

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from kenniscentrum.indicators.check import catalogue_steps
from kenniscentrum.lib.decorators import public
from kenniscentrum.lib.region import centre_contact, channels
from kenniscentrum.lib.vocabulary import exploitation_forms
from kenniscentrum.reports.readers import who_reads_report

from .pages import Page, page_get, page_list
from .privacy import privacy_facts


def signals_by_theme() -> dict[str, Any]:
    """Every public signal once, by theme, and the forms of exploitation for which we have no list yet."""
    steps = catalogue_steps()
    covered = {form for step in steps for signal in step.signals for form in signal.forms}
    labels = dict(exploitation_forms(unsure=False))
    for step in steps:
        for signal in step.signals:
            signal.form_labels = [str(labels[form]) for form in signal.forms if form in labels]  # type: ignore[attr-defined]
    uncovered = [name for code, name in exploitation_forms(unsure=False) if code not in covered]
    return {"steps": steps, "uncovered": uncovered}


def _block(name: str) -> dict[str, Any]:
    if name == "signals":
        return signals_by_theme()
    if name == "channels":
        return {"channels": channels()}
    if name == "contact":
        return {"channels": channels(), "contact": centre_contact()}
    if name == "privacy":
        return privacy_facts()
    return {}


# Marks a page file may hold, each as a paragraph of its own. `[block]` places the page's block of data (without
# it the block follows the text); `[who-reads]` the one statement on who reads a report (reports/readers.py), so a
# page file cannot word it differently.
BLOCK_MARK = "<p>[block]</p>"
WHO_READS_MARK = "<p>[who-reads]</p>"


def page_html(request: HttpRequest, found: Page) -> SafeString:
    """The page's text with its marks filled in: the block of data (channels, signals, privacy facts) and the
    statement on who reads a report."""
    html = str(found.html).replace(WHO_READS_MARK, who_reads_report())
    if found.block:
        data = _block(found.block)
        block = render_to_string(f"knowledge/block_{found.block}.html", data, request=request)
        html = html.replace(BLOCK_MARK, block) if BLOCK_MARK in html else html + block
        if found.block == "privacy":
            # What the controller has yet to confirm is said once, above everything, not at every item it touches.
            html = render_to_string("knowledge/privacy_to_confirm.html", data, request=request) + html
    return mark_safe(html)  # noqa: S308 - the page is cleaned by nh3, the inserted parts are rendered templates


@public
def home(request: HttpRequest) -> HttpResponse:
    """The front door: report, check the signals, follow up, and where the knowledge pages begin."""
    return render(request, "public/home.html")


@public
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "knowledge/index.html", {"pages": page_list()})


@public
def page(request: HttpRequest, slug: str) -> HttpResponse:
    found = page_get(slug)
    if found is None:
        raise Http404
    context = {"page": found, "pages": page_list(), "html": page_html(request, found)}
    return render(request, "knowledge/page.html", context)

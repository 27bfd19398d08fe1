"""A person's data on request (AVG art. 15), for the centre's privacy officer and case directors: one printable page
(subject_access.py)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string

from kenniscentrum.accounts.models import User
from kenniscentrum.cases.models import Person
from kenniscentrum.lib.decorators import allowed_when
from kenniscentrum.lib.pdf import pdf_from_html
from kenniscentrum.reports.access import answers_for_reporter
from kenniscentrum.reports.models import Report

from . import subject_access
from .forms import ReporterRequestForm


def handles_requests(user: Any) -> bool:
    return bool(user.answers_data_requests)


@allowed_when(handles_requests)
def requests(request: HttpRequest) -> HttpResponse:
    """Where a data request starts: the report a reporter asks about, found by the reference they were given (the
    privacy officer reads no queue)."""
    form = ReporterRequestForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("upkeep:reporter_request", form.cleaned_data["referentie"].pk)
    return render(request, "upkeep/requests.html", {"form": form})


@allowed_when(handles_requests)
def person_request(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=pk)
    subject_access.audit(request.user, person, pdf=_as_pdf(request))
    return _answer(request, str(person), subject_access.person_parts(person), f"persoon-{person.pk}")


@allowed_when(handles_requests)
def reporter_request(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    report = get_object_or_404(Report.objects.select_related("case", "forwarded_to"), pk=pk)
    shown = answers_for_reporter(user, report)
    subject_access.audit(user, report, pdf=_as_pdf(request), identity=shown)
    subject = (shown and report.reporter_name) or report.reference
    parts = subject_access.reporter_parts(report, identity_shown=shown)
    return _answer(request, subject, parts, f"melder-{report.reference}")


def _as_pdf(request: HttpRequest) -> bool:
    return request.GET.get("formaat") == "pdf"


def _answer(request: HttpRequest, subject: str, parts: list[subject_access.Part], name: str) -> HttpResponse:
    """The page, or the same as a PDF to give to the person once the privacy officer has decided."""
    context = {"subject": subject, "parts": parts, "pdf": _as_pdf(request)}
    if not context["pdf"]:
        return render(request, "upkeep/subject_access.html", context)
    html = render_to_string("upkeep/subject_access_pdf.html", context, request=request)
    response = HttpResponse(pdf_from_html(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="inzage-{name}.pdf"'
    return response


def request_panel(request: HttpRequest, obj: Any) -> str:
    """On the person and report pages, for those who answer data requests: the way to the AVG art. 15 page."""
    user = request.user
    if not isinstance(user, User) or not handles_requests(user):
        return ""
    return render_to_string("upkeep/subject_access_panel.html", {"obj": obj, "is_report": isinstance(obj, Report)},
                            request=request)  # fmt: skip

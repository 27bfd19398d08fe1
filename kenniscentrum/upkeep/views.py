"""A person's data on request (AVG art. 15), for the centre's privacy officer and case directors: one printable page
(subject_access.py)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string

from kenniscentrum.accounts.models import Role, User
from kenniscentrum.cases.models import Person
from kenniscentrum.lib.decorators import allowed_when
from kenniscentrum.lib.pdf import pdf_from_html
from kenniscentrum.reports.access import answers_for_reporter
from kenniscentrum.reports.models import Report

from . import subject_access
from .forms import PersonSearchForm, ReporterRequestForm


def handles_requests(user: Any) -> bool:
    return bool(user.answers_data_requests)


@allowed_when(handles_requests)
def requests(request: HttpRequest) -> HttpResponse:
    """Where a data request starts: the report a reporter asks about, found by the reference they were given (the
    privacy officer reads no queue)."""
    form = ReporterRequestForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return redirect("upkeep:reporter_request", form.cleaned_data["referentie"].pk)
    return render(request, "upkeep/requests.html", _start(request.user, form=form))


def searches_persons(user: Any) -> bool:
    """Only the privacy officer finds a person by name here: they may open no case or person page, and answer for
    anyone. Case directors reach a person from the case, as for any other work (probe 3 re-test)."""
    return bool(user.answers_data_requests and user.has_role(Role.PRIVACY_OFFICER))


def _start(user: Any, **context: Any) -> dict[str, Any]:
    context.setdefault("form", ReporterRequestForm())
    context.setdefault("person_form", PersonSearchForm() if searches_persons(user) else None)
    context.setdefault("persons", None)
    return context


@allowed_when(searches_persons)
def person_search(request: HttpRequest) -> HttpResponse:
    """The persons in the case file a data request may be about, by name and date of birth, told apart by case,
    role and year of birth; each with the way to its request page."""
    form = PersonSearchForm(request.GET)
    context: dict[str, Any] = {"person_form": form}
    if form.is_valid():
        birthdate = form.cleaned_data["geboortedatum"]
        persons, more = subject_access.persons_named(form.cleaned_data["naam"], birthdate)
        subject_access.audit_search(request.user, persons, birthdate_given=birthdate is not None, more=more)
        context.update(persons=persons, more=more, limit=subject_access.SEARCH_LIMIT)
    return render(request, "upkeep/requests.html", _start(request.user, **context))


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

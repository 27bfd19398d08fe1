"""The monitor's pages: the dashboard (exact counts inside the centre, or as published), the municipality report
for a mayor (printable and as PDF), and exports of every table (always as published). Aggregates only: no record,
name or free text is shown or exported here."""

import csv
import io
import re
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from kenniscentrum.accounts.models import User
from kenniscentrum.audit.models import Action
from kenniscentrum.audit.services import audit_record
from kenniscentrum.lib.decorators import allowed_when, post_only
from kenniscentrum.lib.pdf import pdf_from_html
from kenniscentrum.lib.region import region
from kenniscentrum.lib.spreadsheets import inert, inert_row
from kenniscentrum.organisations.models import Municipality
from kenniscentrum.reports.access import report_handler_required

from . import charts, figures, publication, records, tables
from .forms import PeriodForm
from .models import Release

EXPORT_FORMATS = ("csv", "xlsx")


# The monitor: analysts, and the centre's desk (User.sees_monitor); others get 403, audited.
monitor_required = allowed_when(lambda user: user.sees_monitor)
# Counting again and record-level exports, even de-identified: inside the centre only (User.sees_exact_figures).
inside_required = allowed_when(lambda user: user.sees_exact_figures)


def _with_chart(shown: tables.Shown, *, vertical: bool = False) -> dict[str, Any]:
    return {"table": shown, "chart": charts.chart_for(shown.rows, shown.title, vertical=vertical)}


def _sections() -> list[tuple[str, str, list[str]]]:
    """The dashboard's sections below the key figures: (anchor, title, tables)."""
    return [
        ("slachtoffers", _("Possible victims and perpetrators"),
         ["victims.gender", "victims.form", *figures.TRAJECTORY, "suspects.role"]),
        ("meldingen", _("Reports"), ["reports.channel", "reports.reporter_role", "reports.form", "reports.residence"]),
        ("adviesvragen", _("Advice contacts"), ["consultations.asker", "consultations.field", "consultations.topic"]),
        ("doorverwijzingen", _("Referrals"), ["referrals.partner_type", "referrals.outcome"]),
    ]  # fmt: skip


@monitor_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """The monitor: for everyone, the releases of completed years as published; inside the centre also the exact
    counts of any period, marked as not for publication."""
    user = request.user
    assert isinstance(user, User)
    form = PeriodForm(request.GET or None, initial=PeriodForm.defaults())
    exact = request.GET.get("view", "exact") != "published" and user.sees_exact_figures
    if not user.sees_exact_figures:
        del form.fields["view"]
    if exact:
        del form.fields["year"]
    else:  # a release is a year: no months to choose (two periods that overlap differ by one)
        del form.fields["start"], form.fields["end"]
    chosen = form.period()
    if exact:
        return _exact_dashboard(request, user, form, chosen)
    return _published_dashboard(request, user, form, chosen)


def _exact_dashboard(request: HttpRequest, user: User, form: PeriodForm, chosen: dict[str, Any]) -> HttpResponse:
    start, end, place = chosen["start"], chosen["end"], chosen["municipality"] or None
    audit_record(action=Action.FIGURES_VIEWED, actor=user, page="dashboard", start=f"{start:%Y-%m}",
                 end=f"{end:%Y-%m}", municipality=place or "", exact=True)  # fmt: skip
    months = tables.by_month(start, end, municipality=place)
    funnel = tables.funnel(start, end, municipality=place)
    victims = [tables.table(code, start, end, municipality=place)
               for code in ("victims.age_band", "victims.minor", "victims.nationality")]  # fmt: skip
    sections = [(anchor, title, [_with_chart(t) for t in (victims if anchor == "slachtoffers" else [])]
                 + [_with_chart(tables.table(code, start, end, municipality=place)) for code in codes])
                for anchor, title, codes in _sections()]  # fmt: skip
    context = {
        "form": form,
        "chosen": chosen,
        "exact": True,
        "inside": True,
        "place": Municipality.objects.filter(cbs_code=place).first() if place else None,
        "counted_at": figures.figures_counted_at(),
        "months": months,
        "months_chart": charts.chart_for(months, _("Reports by month"), vertical=True),
        "months_total": sum(m["count"] for m in months),
        "municipalities": tables.by_municipality(start, end) if place is None else [],
        "sections": sections,
        "funnel": funnel,
        "funnel_chart": charts.chart_for(funnel["rows"], _("From report to closed case")),
        "lead_times": tables.lead_times(start, end, municipality=place),
        "checks": tables.checks(start, end),
        "workload": tables.workload(),
        "releasable": publication.next_releasable(),
        "releases": publication.releases(),
        "query": request.GET.urlencode(),
    }
    return render(request, "insights/dashboard.html", context)


def _published_dashboard(request: HttpRequest, user: User, form: PeriodForm, chosen: dict[str, Any]) -> HttpResponse:
    # A year asked for that has no release shows no other year's figures in its place: the form says why.
    asked_wrong = form.is_bound and "year" in form.errors
    release = (
        None if asked_wrong else publication.released(chosen["year"]) if chosen.get("year") else publication.latest()
    )
    place = chosen["municipality"] or None
    audit_record(action=Action.FIGURES_VIEWED, actor=user, page="dashboard", year=release.year if release else None,
                 municipality=place or "", exact=False)  # fmt: skip
    context: dict[str, Any] = {
        "form": form,
        "chosen": chosen,
        "exact": False,
        "inside": user.sees_exact_figures,
        "place": Municipality.objects.filter(cbs_code=place).first() if place else None,
        "release": release,
        "releasable": publication.next_releasable() if user.sees_exact_figures else None,
        "query": f"year={release.year}" if release else "",
        "asked_wrong": asked_wrong,
    }
    if release is not None:
        context.update(_release_context(release, place))
        context["checks"] = {"audiences": publication.checks_rows(release)}
    return render(request, "insights/published.html", context)


def _release_context(release: Any, place: str | None) -> dict[str, Any]:
    """What a release publishes, as the dashboard and the municipality report show it."""
    shown = set(release.published["tables"])
    sections = [(anchor, title, ([_with_chart(t) for t in publication.victims_tables(release)]
                                 if anchor == "slachtoffers" else [])
                 + [_with_chart(publication.shown_table(release, code)) for code in codes if code in shown])
                for anchor, title, codes in _sections()]  # fmt: skip
    funnel = publication.funnel_rows(release)
    return {
        "trend": publication.trend(release, place),
        "sections": sections,
        "funnel": funnel,
        "funnel_chart": charts.chart_for(funnel["rows"], _("From report to closed case")),
        "lead_times": publication.lead_time_rows(release),
        "min_measured": publication.MIN_MEASURED,
        "municipalities": publication.municipalities_table(release).rows,
        "window": publication.WINDOW,
    }


@inside_required
@post_only
def refresh(request: HttpRequest) -> HttpResponse:
    """Counts the figures again from the records now, instead of waiting for the night (inside the centre)."""
    rows = figures.figures_refresh()
    audit_record(action=Action.FIGURES_VIEWED, actor=request.user, page="refresh", rows=rows)
    messages.success(request, _("The figures were counted again from the records."))
    return redirect("insights:dashboard")


@inside_required
@post_only
def release(request: HttpRequest) -> HttpResponse:
    """Publishes a completed year: counted once more from the records, protected, frozen, and in the release log."""
    try:
        year = int(request.POST.get("year", ""))
    except ValueError:
        year = 0
    if year != publication.next_releasable():
        messages.error(request, _("That year cannot be published now: only the first completed year after the "
                                  "latest release can."))  # fmt: skip
        return redirect("insights:releases")
    figures.figures_refresh()
    try:
        made = publication.make_release(year, request.user)
    except publication.NotReleasable as refusal:
        messages.error(request, str(refusal))
        return redirect("insights:releases")
    audit_record(action=Action.FIGURES_RELEASED, actor=request.user, year=made.year, digest=made.digest)
    messages.success(request, _("The figures of %(year)s are published.") % {"year": made.year})
    return redirect("insights:releases")


@monitor_required
def releases(request: HttpRequest) -> HttpResponse:
    """The release log: every year published, when, by whom, and its digest."""
    user = request.user
    assert isinstance(user, User)
    audit_record(action=Action.FIGURES_VIEWED, actor=user, page="releases")
    return render(request, "insights/releases.html", {
        "releases": Release.objects.select_related("made_by").order_by("-year"),
        "releasable": publication.next_releasable() if user.sees_exact_figures else None,
        "inside": user.sees_exact_figures,
    })  # fmt: skip


def _municipality_or_404(code: str) -> Municipality | None:
    if code == "regio":
        return None
    found = Municipality.objects.filter(cbs_code=code).first()
    if found is None:
        raise Http404
    return found


def _release_or_404(year: int) -> Any:
    found = publication.released(year)
    if found is None:
        raise Http404(_("The figures of this year have not been published."))
    return found


def _report_context(municipality: Municipality | None, release: Any) -> dict[str, Any]:
    code = municipality.cbs_code if municipality else None
    return {"municipality": municipality, "place": municipality, "year": release.year, "release": release, "pdf": False,
            **_release_context(release, code)}  # fmt: skip


@monitor_required
def municipality_report(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """For a mayor: the municipality's figures of a published year and the five before it, beside the region's, with
    what they do and do not say; `regio` is the region's annual overview. Printable; the PDF is the same page."""
    municipality = _municipality_or_404(code)
    context = _report_context(municipality, _release_or_404(year))
    as_pdf = request.GET.get("formaat") == "pdf"
    action = Action.FIGURES_EXPORTED if as_pdf else Action.FIGURES_VIEWED
    audit_record(action=action, actor=request.user, page="municipality_report", municipality=code, year=year,
                 format="pdf" if as_pdf else "html")  # fmt: skip
    if not as_pdf:
        return render(request, "insights/municipality_report.html", context)
    html = render_to_string("insights/report_pdf.html", {**context, "pdf": True}, request=request)
    response = HttpResponse(pdf_from_html(html), content_type="application/pdf")
    name = municipality.name if municipality else "regio"
    response["Content-Disposition"] = f'attachment; filename="monitor-{name.lower().replace(" ", "-")}-{year}.pdf"'
    return response


@monitor_required
def export(request: HttpRequest, code: str, extension: str) -> HttpResponse:
    """One table (or `alle`: every table) of a release as CSV or XLSX: `?year=` a published year, else the latest."""
    if extension not in EXPORT_FORMATS:
        raise Http404
    year = request.GET.get("year")
    if set(request.GET) - {"year"}:  # ?jaar=, ?start=: not another year's file in place of the one asked for
        return HttpResponseBadRequest(_("Unknown parameter: only year is taken."))
    if year is None:
        release = publication.latest()
    else:  # a year that is not a number, or has no release, is not another year's file
        release = _release_or_404(int(year)) if re.fullmatch(r"[0-9]{4}", year) else None
    if release is None:
        raise Http404(_("The figures of this year have not been published."))
    every = publication.published_tables(release)
    shown = every if code == "alle" else [t for t in every if t.code == code]
    if not shown:
        raise Http404
    audit_record(action=Action.FIGURES_EXPORTED, actor=request.user, table=code, format=extension,
                 year=release.year)  # fmt: skip
    name = f"monitor-{code}-{release.year}.{extension}"
    if extension == "csv":
        content, kind = _csv(shown, release.year).encode("utf-8-sig"), "text/csv; charset=utf-8"
    else:
        content, kind = _xlsx(shown, release.year), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _lines(shown: tables.Shown, year: int) -> list[list[str]]:
    """A table as lines of text: its title and year, the header, the rows and the total, then the note."""
    return [
        [shown.title, str(year)],
        ["", *shown.columns],
        *[[("    " if row.get("level") else "") + row["label"], *[c["shown"] for c in row["cells"]]]
          for row in shown.rows],
        [_("Total"), *[c["shown"] for c in shown.total["cells"]]],
        [_("< 5: fewer than five, zero included. x: hidden so that a small number cannot be worked out. "
           ".: too few to publish.")],
    ]  # fmt: skip


def _csv(shown: list[tables.Shown], year: int) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for table in shown:
        writer.writerows([inert_row(line) for line in _lines(table, year)])
        writer.writerow([])
    return out.getvalue()


def _xlsx(shown: list[tables.Shown], year: int) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for table in shown:
        sheet = book.create_sheet(table.code[:31])
        for line in _lines(table, year):
            sheet.append([int(v) if v.isdigit() else inert(v) for v in line])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@inside_required
def dataset(request: HttpRequest) -> HttpResponse:
    """The de-identified record files of possible victims, one per released year: what each holds, k and l, and the
    downloads. Only what the releases hold, never the live records, so a file never changes once made."""
    releases = [{"release": r, "file": r.records, "steps": records.step_names(r.records.get("steps", []))}
                for r in Release.objects.order_by("-year")]  # fmt: skip
    audit_record(action=Action.FIGURES_VIEWED, actor=request.user, page="dataset",
                 years=[entry["release"].year for entry in releases])  # fmt: skip
    return render(request, "insights/dataset.html", {"releases": releases, "k_required": records.K,
                                                     "l_required": records.L})  # fmt: skip


@inside_required
def dataset_download(request: HttpRequest, year: int, layout: str, extension: str) -> HttpResponse:
    """One released year's record file as it was made with the release: the same bytes at every download."""
    if layout not in ("ctdc", "htcds") or extension not in EXPORT_FORMATS:
        raise Http404
    release = Release.objects.filter(year=year).first()
    if release is None or layout not in release.records.get("columns", {}):
        raise Http404  # a year without a release, or a release made without a record file
    found = release.records
    columns, rows = found["columns"][layout], found["rows"][layout]
    about = [
        [_("De-identified possible victims of %(centre)s") % {"centre": region()["centre"]["name"]}],
        [_("Possible victims of the cases opened in"), str(year)],
        [_("Released on"), timezone.localtime(release.made_at).date().isoformat()],
        [_("k-anonymity on every column (required: at least %(k)s)") % {"k": found["k_required"]}, found["k"] or ""],
        [_("l-diversity of the form within year, gender, age band and nationality (required: at least %(l)s)")
         % {"l": found["l_required"]}, found["l"] or ""],
        [_("Possible victims in the year"), found["total"]],
        [_("Left out to reach k and l"), found["left_out"]],
        [_("Records in the file"), len(rows)],
        [_("Generalised"), "; ".join(records.step_names(found["steps"])) or "-"],
    ]  # fmt: skip
    audit_record(action=Action.FIGURES_EXPORTED, actor=request.user, table=f"dataset-{layout}", format=extension,
                 year=year, k=found["k"], left_out=found["left_out"], records=len(rows))  # fmt: skip
    name = f"slachtoffers-{layout}-{year}.{extension}"
    if extension == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows([inert(value) for value in row] for row in rows)
        response = HttpResponse(out.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        book = Workbook()
        # The release's moment, not now, so the workbook says when the file was made.
        book.properties.created = book.properties.modified = release.made_at.replace(tzinfo=None)
        sheet = book.active
        sheet.title = "records"
        sheet.append(inert_row(columns))
        for row in rows:
            sheet.append(inert_row(row))
        statement = book.create_sheet("about")
        for line in about:
            statement.append(inert_row(line))
        content = io.BytesIO()
        book.save(content)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        response = HttpResponse(content.getvalue(), content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@report_handler_required
def case_deidentified(request: HttpRequest, pk: int) -> HttpResponse:
    """A case's text de-identified, to read before it leaves the centre (research, a party without a grant); and any
    other text pasted here. Nothing is stored or sent: the page is the result."""
    from kenniscentrum.cases.access import case_for_user

    from .deidentify import deidentified

    user = request.user
    assert isinstance(user, User)
    case, _part = case_for_user(request, pk)
    known = _names_known_to(user, case)
    parts = [(_("Summary"), case.summary), (_("Act"), case.act_note), (_("Means"), case.means_note),
             (_("Purpose"), case.purpose_note)]  # fmt: skip
    sections = [(title, *deidentified(text, known)) for title, text in parts if text.strip()]
    pasted = request.POST.get("text", "")[:20_000] if request.method == "POST" else ""
    result = deidentified(pasted, known) if pasted.strip() else None
    audit_record(action=Action.CASE_VIEWED, actor=user, obj=case, deidentified=True, pasted=bool(pasted))
    return render(request, "insights/deidentified.html",
                  {"case": case, "sections": sections, "pasted": pasted, "result": result})  # fmt: skip


def _names_known_to(user: User, case: Any) -> list[str]:
    """The names the case holds that this user may see, to take out wherever they stand. Only those: a name taken
    out of pasted text tells that the case holds it, so the reporter's name counts only for whoever sees the reporter
    (cases.access.sees_reporter); anyone else could paste guesses and watch which one goes."""
    from kenniscentrum.cases.access import sees_reporter

    known = [n for p in case.involvements.select_related("person") for n in (p.person.first_name, p.person.last_name,
             p.person.aliases) if n]  # fmt: skip
    reporters = sees_reporter(user, case)
    for report in case.reports.prefetch_related("persons"):
        known += [report.reporter_name] if reporters and report.reporter_name else []
        known += [p.description for p in report.persons.all() if p.description]
    return known


def deidentify_panel(request: HttpRequest, case: Any) -> str:
    """On the case page, for the centre's desk: the way to the case's text de-identified."""
    user = request.user
    if not isinstance(user, User) or not user.handles_reports_and_cases:
        return ""
    return render_to_string("insights/deidentify_panel.html", {"case": case}, request=request)

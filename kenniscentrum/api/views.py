"""The partner API, version 1 (docs/api.md). Each view names the scope every method needs; the client acts as an
account of its organisation, so the querysets and rules of the pages decide what it sees and may do."""

import math
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.exceptions import Throttled
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from kenniscentrum.audit.models import Action
from kenniscentrum.audit.services import audit_record
from kenniscentrum.cases.access import case_part, may_update_task
from kenniscentrum.cases.models import Task
from kenniscentrum.cases.services import task_set_status
from kenniscentrum.insights import publication
from kenniscentrum.lib.vocabulary import Channel, ContactPreference, ReporterRole
from kenniscentrum.referrals.models import Referral
from kenniscentrum.referrals.services import referral_sides, referral_step, steps_for
from kenniscentrum.reports.models import Report
from kenniscentrum.reports.services import report_submit

from .models import Scope
from .problems import PROBLEM, problem
from .serializers import (
    REPORT_REFERENCE,
    FigureOut,
    ReferralOut,
    ReportIn,
    ReportOut,
    StepIn,
    TaskIn,
    TaskOut,
    YearIn,
    page_of,
    problems,
)
from .services import KeyReused, body_digest, report_submit_once

API_VERSION = "1.0.0"
IDEMPOTENCY_HEADER = "Idempotency-Key"


PAGES = [
    OpenApiParameter("page", int, description=_("The page, from 1.")),
    OpenApiParameter("page_size", int, description=_("Rows per page, at most 200 (50 when not given).")),
]


class Pages(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class PartnerView(APIView):
    """Every call: Dutch or English after Accept-Language, the version in a header, and one audit event."""

    scopes: dict[str, str] = {}

    @property
    def allowed_methods(self) -> list[str]:
        # OPTIONS answers 405 here (no metadata), so the Allow header does not offer it.
        return [m for m in super().allowed_methods if m != "OPTIONS"]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # No language prefix and no cookie here: the client asks with Accept-Language, Dutch or English.
        asked = translation.get_language_from_request(request._request)
        translation.activate(asked if asked in settings.STAFF_LANGUAGES else settings.LANGUAGE_CODE)
        super().initial(request, *args, **kwargs)

    def throttled(self, request: Request, wait: float | None) -> None:
        """Past the client's rate (throttling.py): 429, with the seconds to wait in the message and Retry-After."""
        seconds = max(1, math.ceil(wait or 1))
        refusal = Throttled(detail=ngettext("This client made too many calls. Try again in %(seconds)d second.",
                                            "This client made too many calls. Try again in %(seconds)d seconds.",
                                            seconds) % {"seconds": seconds})  # fmt: skip
        refusal.wait = seconds  # DRF's handler turns it into Retry-After
        raise refusal

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        response["API-Version"] = API_VERSION
        response["Content-Language"] = translation.get_language()
        # Who the token made the caller (never a session's user: the API reads no session).
        user = getattr(request, "_user", None)
        token = getattr(request, "_auth", None)
        audit_record(
            action=Action.API_CALL,
            actor=user if user is not None and user.is_authenticated else None,
            method=request.method,
            path=request._request.path[:200],
            status=response.status_code,
            client=token.client_id if token is not None else None,
        )
        return response

    def paged(self, request: Request, rows: QuerySet[Any], represent: Callable[[list[Any]], Any]) -> Response:
        """One page of `rows`, each as `represent` gives the page's rows."""
        pages = Pages()
        page = pages.paginate_queryset(rows, request, view=self) or []
        return pages.get_paginated_response(represent(page))


def _submitted(request: Request) -> QuerySet[Report]:
    return Report.objects.submitted_by(request.auth.client.organisation).prefetch_related("messages")


class ReportsView(PartnerView):
    scopes = {"GET": Scope.REPORTS_READ, "POST": Scope.REPORTS_WRITE}

    @extend_schema(
        responses={200: page_of(ReportOut, "ReportPage"), **problems()},
        parameters=PAGES,
        summary="The reports this organisation submitted",
        operation_id="reports_list",
    )
    def get(self, request: Request) -> Response:
        rows = _submitted(request).order_by("-received_at", "-id")
        return self.paged(request, rows, lambda page: ReportOut(page, many=True).data)

    @extend_schema(
        request=ReportIn,
        responses={201: ReportOut, 200: ReportOut, **problems(400, 422)},
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                str,
                OpenApiParameter.HEADER,
                description=_(
                    "Any unique text of up to 64 characters: the same key sent again with the same body returns the "
                    "first report, so a retry after a lost answer does not store it twice; with another body it is "
                    "refused (422)."
                ),
            )
        ],  # fmt: skip
        summary="Submit a report or signal",
        operation_id="reports_create",
    )
    def post(self, request: Request) -> Response:
        data = ReportIn(data=request.data)
        data.is_valid(raise_exception=True)
        key = request.headers.get(IDEMPOTENCY_HEADER, "")
        if len(key) > 64 or not key.isprintable():
            return _bad_header(request, _("The Idempotency-Key is at most 64 printable characters."))
        client = request.auth.client

        def submit() -> Report:
            return _report_submit(request, data.validated_data)

        if not key:
            report, created = submit(), True
        else:
            # The key is the client's own (its own table, never a form token): a retry gets its first report back.
            try:
                report, created = report_submit_once(client=client, key=key, body=body_digest(request.data),
                                                     submit=submit)  # fmt: skip
            except KeyReused:
                detail = _("This Idempotency-Key was sent before with another report. Use a new key for a new report.")
                return _bad_header(request, detail, status_code=422, code="reused")
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        location = f"/api/v1/reports/{report.reference}"
        return Response(ReportOut(report).data, status=code, headers={"Location": location})


def _report_submit(request: Request, values: dict[str, Any]) -> Report:
    """The report as the partner's professional sent it. It has no receipt code: the partner follows it here."""
    client = request.auth.client
    professional = values["professional"] or {}
    contact = (
        ContactPreference.EMAIL
        if professional.get("email")
        else ContactPreference.PHONE
        if professional.get("phone")
        else ContactPreference.ANONYMOUS
    )
    submission = report_submit(
        data={
            "reporter_role": ReporterRole.PROFESSIONAL,
            "contact_preference": contact,
            "reporter_name": professional.get("name", ""),
            "reporter_phone": professional.get("phone", ""),
            "reporter_email": professional.get("email", ""),
            "description": values["description"],
            "municipality": values["municipality"],
            "residence_municipality": values["residence_municipality"],
            "place": values["place"],
            "when_text": values["when"],
            "ongoing": values["ongoing"],
            "acute_danger": values["acute_danger"],
        },
        forms=values["forms"],
        persons=[dict(p) for p in values["persons"]],
        files=[],
        token=None,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        channel=Channel.PARTNER,
        actor=request.user,
        partner_organisation=client.organisation,
    )
    return submission.report


def _bad_header(request: Request, detail: str, status_code: int = 400, code: str = "invalid") -> Response:
    body = problem(status_code, detail, request.path, invalidParams=[{"name": IDEMPOTENCY_HEADER, "code": code,
                                                                 "reason": detail}])  # fmt: skip
    return Response(body, status=status_code, content_type=PROBLEM)


class ReportView(PartnerView):
    scopes = {"GET": Scope.REPORTS_READ}

    @extend_schema(
        responses={200: ReportOut, **problems()}, summary="What became of one report", operation_id="report_read"
    )
    def get(self, request: Request, reference: str) -> Response:
        if not REPORT_REFERENCE.fullmatch(reference):
            raise Http404
        report = _submitted(request).filter(reference=reference).first()
        if report is None:
            raise Http404
        return Response(ReportOut(report).data)


def _referrals(request: Request) -> QuerySet[Referral]:
    return Referral.objects.addressed_to(request.user).select_related("case", "person", "covenant")


def _referral_out(request: Request, referral: Referral) -> dict[str, Any]:
    sides = referral_sides(request.user, referral, None)
    referral.steps = [t.name for t in steps_for(referral, sides)]  # type: ignore[attr-defined]
    return ReferralOut(referral).data


class ReferralsView(PartnerView):
    scopes = {"GET": Scope.REFERRALS_READ}

    @extend_schema(
        responses={200: page_of(ReferralOut, "ReferralPage"), **problems()},
        parameters=PAGES,
        summary="Referrals to this organisation",
        operation_id="referrals_list",
    )
    def get(self, request: Request) -> Response:
        rows = _referrals(request).order_by("-created_at", "-id")
        return self.paged(request, rows, lambda page: [_referral_out(request, r) for r in page])


class ReferralView(PartnerView):
    scopes = {"GET": Scope.REFERRALS_READ}

    @extend_schema(
        responses={200: ReferralOut, **problems()},
        summary="One referral to this organisation",
        operation_id="referral_read",
    )
    def get(self, request: Request, pk: int) -> Response:
        referral = _referrals(request).filter(pk=pk).first()
        if referral is None:
            raise Http404
        return Response(_referral_out(request, referral))


class ReferralStepsView(PartnerView):
    scopes = {"POST": Scope.REFERRALS_WRITE}

    @extend_schema(
        request=StepIn,
        responses={200: ReferralOut, **problems(400)},
        summary="Accept, decline or complete a referral",
        operation_id="referral_step",
    )
    def post(self, request: Request, pk: int) -> Response:
        referral = _referrals(request).filter(pk=pk).first()
        if referral is None:
            raise Http404
        data = StepIn(data=request.data)
        data.is_valid(raise_exception=True)
        sides = referral_sides(request.user, referral, None)
        referral_step(referral=referral, name=data.validated_data["step"], actor=request.user, sides=sides,
                      reason=data.validated_data["reason"])  # fmt: skip
        return Response(_referral_out(request, referral))


def _tasks(request: Request) -> QuerySet[Task]:
    return Task.objects.visible_to(request.user).owned_by(request.user).select_related("case")


class TasksView(PartnerView):
    scopes = {"GET": Scope.TASKS_READ}

    @extend_schema(
        responses={200: page_of(TaskOut, "TaskPage"), **problems()},
        parameters=PAGES,
        summary="Tasks for this organisation",
        operation_id="tasks_list",
    )
    def get(self, request: Request) -> Response:
        return self.paged(
            request, _tasks(request).order_by("due_date", "id"), lambda page: TaskOut(page, many=True).data
        )


class TaskView(PartnerView):
    scopes = {"GET": Scope.TASKS_READ, "PATCH": Scope.TASKS_WRITE}

    def _task(self, request: Request, pk: int) -> Task:
        task = _tasks(request).filter(pk=pk).first()
        if task is None:
            raise Http404
        return task

    @extend_schema(
        responses={200: TaskOut, **problems()}, summary="One task for this organisation", operation_id="task_read"
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(TaskOut(self._task(request, pk)).data)

    @extend_schema(
        request=TaskIn,
        responses={200: TaskOut, **problems(400)},
        summary="Mark a task done, cancelled or open again",
        operation_id="task_update",
    )
    def patch(self, request: Request, pk: int) -> Response:
        task = self._task(request, pk)
        data = TaskIn(data=request.data)
        data.is_valid(raise_exception=True)
        if not may_update_task(request.user, task, case_part(request.user, task.case)):
            raise Http404
        task_set_status(task=task, actor=request.user, status=data.validated_data["status"])
        return Response(TaskOut(task).data)


def _figure(table: Any, release: Any) -> dict[str, Any]:
    """One table of a release, as published: never an exact count of a hidden cell."""
    return {"code": table.code, "title": table.title, "caption": table.caption, "year": release.year,
            "columns": table.columns,
            "rows": [{"label": str(row["label"]), "level": row.get("level", 0), "value": row["shown"],
                      "values": [c["shown"] for c in row["cells"]]} for row in table.rows],
            "total": table.total["shown"], "totals": [c["shown"] for c in table.total["cells"]],
            "release_digest": release.digest}  # fmt: skip


def _release(request: Request) -> Any:
    """The release of `?year=`, else the latest; published figures are per completed calendar year only."""
    data = YearIn(data=request.query_params)
    data.is_valid(raise_exception=True)
    year = data.validated_data.get("year")
    found = publication.released(year) if year else publication.latest()
    if found is None:
        raise Http404
    return found


PERIOD = [YearIn]


class FiguresView(PartnerView):
    scopes = {"GET": Scope.FIGURES_READ}

    @extend_schema(
        parameters=PERIOD,
        responses={200: FigureOut(many=True), **problems(400)},
        summary="Every table of a published year (a release)",
        operation_id="figures_list",
    )
    def get(self, request: Request) -> Response:
        release = _release(request)
        return Response([_figure(table, release) for table in publication.published_tables(release)])


class FigureView(PartnerView):
    scopes = {"GET": Scope.FIGURES_READ}

    @extend_schema(
        parameters=PERIOD,
        responses={200: FigureOut, **problems(400)},
        summary="One table of a published year (a release)",
        operation_id="figure_read",
    )
    def get(self, request: Request, code: str) -> Response:
        release = _release(request)
        found = next((t for t in publication.published_tables(release) if t.code == code), None)
        if found is None:
            raise Http404
        return Response(_figure(found, release))

"""What the API takes and gives. The output names only what the organisation's people see on the pages."""

import re
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

from kenniscentrum.lib.vocabulary import (
    ExploitationForm,
    LegalBasis,
    ReferralStatus,
    ReportStatus,
    TaskStatus,
    YesNoUnknown,
)
from kenniscentrum.organisations.models import Municipality
from kenniscentrum.referrals.models import Consent, Referral
from kenniscentrum.reports.forms import DESCRIPTION_MAX
from kenniscentrum.reports.models import Direction, PersonRole, Report
from kenniscentrum.reports.workflow import public_status_text

CBS_CODE = re.compile(r"GM[0-9]{4}")
# A report's reference as reports/services.reference_next makes it.
REPORT_REFERENCE = re.compile(r"M-[0-9]{4}-[0-9]{5,}")


class PersonIn(serializers.Serializer):
    role = serializers.ChoiceField(choices=PersonRole.choices, default=PersonRole.OTHER)
    description = serializers.CharField(max_length=300, help_text=_("Name or description, as the reporter gave it."))
    age = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")


class ProfessionalIn(serializers.Serializer):
    """Who at the partner organisation the centre may contact about the report."""

    name = serializers.CharField(max_length=200)
    phone = serializers.RegexField(r"^\+?[0-9 ()\-]{6,20}$", max_length=40, required=False, allow_blank=True,
                                   default="")  # fmt: skip
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True, default="")


class CbsCodeField(serializers.SlugRelatedField):
    """A municipality by its CBS code. What cannot be a code is refused before the database is asked: PostgreSQL
    refuses a text with a NUL byte with an error of its own."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str) or not CBS_CODE.fullmatch(data):
            self.fail("does_not_exist", slug_name=self.slug_field, value=str(data)[:20])
        return super().to_internal_value(data)


def _municipality() -> serializers.SlugRelatedField:
    return CbsCodeField(
        slug_field="cbs_code",
        queryset=Municipality.objects.filter(active=True),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("CBS code, for example GM0153."),
    )


class ReportIn(serializers.Serializer):
    description = serializers.CharField(max_length=DESCRIPTION_MAX, help_text=_("What happened."))
    forms = serializers.ListField(
        child=serializers.ChoiceField(choices=ExploitationForm.choices), max_length=10, required=False, default=list
    )
    municipality = _municipality()
    residence_municipality = _municipality()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    when = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    ongoing = serializers.ChoiceField(choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN)
    acute_danger = serializers.ChoiceField(choices=YesNoUnknown.choices, default=YesNoUnknown.UNKNOWN)
    persons = PersonIn(many=True, required=False, default=list, max_length=20)
    professional = ProfessionalIn(required=False, default=None)


class MessageOut(serializers.Serializer):
    sent_at = serializers.DateTimeField(source="created_at")
    text = serializers.CharField(source="body")


class ReportOut(serializers.Serializer):
    reference = serializers.CharField()
    received_at = serializers.DateTimeField()
    status = serializers.ChoiceField(choices=ReportStatus.choices)
    status_text = serializers.SerializerMethodField(help_text=_("The status in plain words, as a reporter reads it."))
    messages = serializers.SerializerMethodField(help_text=_("What the centre wrote to the reporter."))

    def get_status_text(self, report: Report) -> str:
        return str(public_status_text(report.status))

    def get_messages(self, report: Report) -> list[dict[str, Any]]:
        # From the prefetched thread (the views prefetch it), not one query per report.
        to_reporter = [m for m in report.messages.all() if m.direction == Direction.TO_REPORTER]
        return MessageOut(to_reporter, many=True).data


class ReferralOut(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.CharField(source="case.reference")
    status = serializers.ChoiceField(choices=ReferralStatus.choices)
    person = serializers.CharField(allow_null=True, help_text=_("The person the referral is for, if one."))
    purpose = serializers.CharField()
    legal_basis = serializers.ChoiceField(choices=LegalBasis.choices)
    covenant = serializers.CharField(allow_null=True)
    consent = serializers.ChoiceField(choices=Consent.choices)
    created_at = serializers.DateTimeField()
    steps = serializers.ListField(
        child=serializers.CharField(), help_text=_("The steps the organisation may take now.")
    )

    def to_representation(self, referral: Referral) -> dict[str, Any]:
        data = super().to_representation(referral)
        data["person"] = str(referral.person) if referral.person else None
        data["covenant"] = referral.covenant.name if referral.covenant else None
        return data


class StepIn(serializers.Serializer):
    step = serializers.ChoiceField(choices=[("accept", "accept"), ("decline", "decline"), ("complete", "complete")])
    reason = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class TaskOut(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.CharField(source="case.reference")
    title = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=TaskStatus.choices)
    completed_at = serializers.DateTimeField(allow_null=True)


class TaskIn(serializers.Serializer):
    status = serializers.ChoiceField(choices=TaskStatus.choices)


class CellOut(serializers.Serializer):
    label = serializers.CharField()
    level = serializers.IntegerField(help_text=_("1 for a row that is part of the row above it (an age band)."))
    value = serializers.CharField(
        help_text=_("The count as published: a number, '< 5', 'x' (hidden) or '.'; with several columns, the last.")
    )
    values = serializers.ListField(child=serializers.CharField(), help_text=_("One per column."))


class FigureOut(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    caption = serializers.CharField()
    year = serializers.IntegerField()
    columns = serializers.ListField(child=serializers.CharField())
    rows = CellOut(many=True)
    total = serializers.CharField(help_text=_("The total; with several columns, of the last."))
    totals = serializers.ListField(child=serializers.CharField(), help_text=_("The totals row, one per column."))
    release_digest = serializers.CharField(help_text=_("SHA-256 of the release, as the release log shows it."))


class YearIn(serializers.Serializer):
    """?year=2025: a published year (a release); by default the latest. Published figures are per completed calendar
    year only: a period of months is not offered, since two overlapping periods differ by one nobody asked for."""

    year = serializers.IntegerField(required=False, min_value=2000, max_value=9999,
                                    help_text=_("A published year, for example 2025."))  # fmt: skip

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        given = set(self.initial_data) if hasattr(self.initial_data, "keys") else set()
        if given & {"start", "end"}:
            raise serializers.ValidationError(
                {"start": _("Published figures are per calendar year: give year=YYYY instead of start and end.")}
            )
        # Any other parameter is refused rather than ignored: a client that sends ?jaar= or ?van= must not take the
        # latest release for the year it asked for.
        unknown = sorted(given - {"year"})
        if unknown:
            raise serializers.ValidationError({unknown[0]: _("Unknown parameter: only year is taken.")})
        return data


class InvalidParamOut(serializers.Serializer):
    name = serializers.CharField()
    code = serializers.CharField()
    reason = serializers.CharField()


class ProblemOut(serializers.Serializer):
    """RFC 9457 problem details."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    instance = serializers.CharField()
    invalidParams = InvalidParamOut(many=True, required=False)  # noqa: N815 (the NL API Strategy's name)


def page_of(item: Any, name: str) -> Any:
    """A page of a list, as the list endpoints answer: count, links to the next and previous page, the results."""
    return inline_serializer(
        name=name,
        fields={
            "count": serializers.IntegerField(),
            "next": serializers.CharField(allow_null=True),
            "previous": serializers.CharField(allow_null=True),
            "results": item(many=True),
        },
    )


def problems(*codes: int) -> dict[Any, Any]:
    """The errors an endpoint can answer, as problem details."""
    # Every call may be refused for its token (401), scope (403), object (404), body size (413) or rate (429).
    return {(code, "application/problem+json"): ProblemOut for code in (401, 403, 404, 413, 429, *codes)}

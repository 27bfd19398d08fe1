import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.db.models import Count, Exists, OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kenniscentrum.lib.admin_site import ReadOnlyAdmin, site

from .models import Action, AuditEvent
from .services import audit_record

# Views of one object by one person within this time count as one visit in the audit log's list.
REPEAT_WINDOW = timedelta(minutes=5)

DIGITS = re.compile(r"\d{1,20}")
WHEN = re.compile(r"[\d\-:+. T]{1,40}")
ORDERING = re.compile(r"[\d.\-]{1,40}")
# The list's own filters, each with the values it can offer: only such a value is written into the audit event of
# reading the log. Anything typed (the search, a parameter the list does not have, a name put into a filter's
# address) is not: a search term is often a person's name, and the log must not keep the names people looked for.
LOG_FILTERS: dict[str, Callable[[str], Any]] = {
    "action__exact": lambda value: value in Action.values,
    "object_type__exact": lambda value: value in {m._meta.label_lower for m in apps.get_models()},
    "actor__id__exact": DIGITS.fullmatch,
    "herhalingen": lambda value: value == "alle",
    "o": ORDERING.fullmatch,
    "p": DIGITS.fullmatch,
    **{f"created_at__{part}": WHEN.fullmatch for part in ("gte", "lt", "year", "month", "day")},
}


def log_reading_details(query: Any) -> dict[str, Any]:
    """What the audit event of reading the log keeps of its address: whether there was a search (never its terms),
    and the filters chosen from the list's own choices."""
    filters = {name: value for name, value in query.items() if name in LOG_FILTERS and LOG_FILTERS[name](value)}
    return {"searched": bool(query.get("q", "").strip()), "filters": filters}


class RepeatsFilter(admin.SimpleListFilter):
    """By default the list shows a burst of the same action on the same object by the same person once, with how
    many times it happened; "every event" shows each row."""

    title = _("repeats")
    parameter_name = "herhalingen"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [("alle", _("Every event"))]

    def queryset(self, request: HttpRequest, queryset: Any) -> Any:
        if self.value() == "alle":
            return queryset
        same = AuditEvent.objects.filter(
            actor_id=OuterRef("actor_id"),
            action=OuterRef("action"),
            object_type=OuterRef("object_type"),
            object_id=OuterRef("object_id"),
        )
        earlier = same.filter(
            created_at__lt=OuterRef("created_at"), created_at__gte=OuterRef("created_at") - REPEAT_WINDOW
        )
        later = same.filter(
            created_at__gte=OuterRef("created_at"), created_at__lt=OuterRef("created_at") + REPEAT_WINDOW
        )
        times = later.order_by().values("action").annotate(n=Count("pk")).values("n")[:1]
        return queryset.filter(~Exists(earlier)).annotate(times=Subquery(times))


@admin.register(AuditEvent, site=site)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit log, read-only, with filters. Reading it is itself audited."""

    list_display = ["created_at", "actor_name", "action", "object_type", "object_label", "repeated", "readers"]
    list_filter = [RepeatsFilter, "action", "object_type", ("created_at", admin.DateFieldListFilter), "actor"]

    @admin.display(description=_("who has seen it"))
    def readers(self, event: AuditEvent) -> str:
        # For a report, the list of who read it (reports/views_staff.report_readers), without its content.
        if event.object_type != "reports.report" or not event.object_id.isdigit():
            return ""
        return format_html(
            '<a href="{}">{}</a>', reverse("reports:readers", args=[event.object_id]), _("Who has seen it")
        )

    @admin.display(description=_("times within five minutes"))
    def repeated(self, event: AuditEvent) -> str:
        times = getattr(event, "times", None)
        return str(times) if times and times > 1 else ""

    search_fields = ["actor_name", "object_label", "object_id"]
    date_hierarchy = "created_at"
    list_per_page = 100
    # One count per page (of what the filters show), not a second one of the whole log.
    show_full_result_count = False

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        audit_record(action=Action.AUDIT_VIEWED, actor=request.user, **log_reading_details(request.GET))
        return super().changelist_view(request, extra_context)

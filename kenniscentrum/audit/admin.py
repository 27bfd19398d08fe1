from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from kenniscentrum.lib.admin_site import is_functional_admin, site

from .models import Action, AuditEvent
from .services import audit_record


@admin.register(AuditEvent, site=site)
class AuditEventAdmin(admin.ModelAdmin):
    """The audit log, read-only, with filters. Reading it is itself audited."""

    list_display = ["created_at", "actor_name", "action", "object_type", "object_label"]
    list_filter = ["action", "object_type", ("created_at", admin.DateFieldListFilter), "actor"]
    search_fields = ["actor_name", "object_label", "object_id"]
    date_hierarchy = "created_at"
    list_per_page = 100

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_functional_admin(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_functional_admin(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        audit_record(action=Action.AUDIT_VIEWED, actor=request.user, filters=dict(request.GET.items()))
        return super().changelist_view(request, extra_context)

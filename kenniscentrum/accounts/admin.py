from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from kenniscentrum.audit.models import Action
from kenniscentrum.audit.services import audit_record
from kenniscentrum.lib.admin_site import AuditedAdmin, site

from .models import User, UserRole


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 1

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


@admin.action(description=_("Reset two-factor login (the user enrols again at the next login)"))
def reset_two_factor(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[User]) -> None:
    for user in queryset:
        TOTPDevice.objects.filter(user=user).delete()
        audit_record(action=Action.ADMIN_CHANGE, actor=request.user, obj=user, operation="reset_two_factor")


@admin.register(User, site=site)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    inlines = [UserRoleInline]
    actions = [reset_two_factor]
    list_display = ["username", "first_name", "last_name", "organisation", "is_active", "last_login"]
    list_filter = ["is_active", "organisation", "roles__role"]
    list_select_related = ["organisation"]
    search_fields = ["username", "first_name", "last_name", "email"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "email", "organisation")}),
        (_("Status"), {"fields": ("is_active", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "fields": (
                    "username",
                    "first_name",
                    "last_name",
                    "email",
                    "organisation",
                    "password1",
                    "password2",
                )
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined"]

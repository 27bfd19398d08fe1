"""The functional administrators' site: users, organisations, municipalities and the audit log.

Django's admin is used as a tool for this one role only, behind the same two-factor login as the rest.
Every change made here is written to the audit log.
"""

from functools import update_wrapper
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from kenniscentrum.audit.models import Action
from kenniscentrum.audit.services import audit_record
from kenniscentrum.lib.auth import two_factor_verified


def is_functional_admin(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and two_factor_verified(user) and user.has_role("functional_admin"))


class FunctionalAdminSite(admin.AdminSite):
    site_header = _("Functional administration")
    site_title = _("Functional administration")
    index_title = _("Users, organisations and audit log")

    def has_permission(self, request: HttpRequest) -> bool:
        return is_functional_admin(request)

    def admin_view(self, view: Any, cacheable: bool = False) -> Any:
        inner = super().admin_view(view, cacheable)

        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            # A logged-in user without the role gets a plain 403, not a second login form.
            if request.user.is_authenticated and not self.has_permission(request):
                audit_record(action=Action.ACCESS_DENIED, actor=request.user, path=request.path[:200])
                raise PermissionDenied
            return inner(request, *args, **kwargs)

        return update_wrapper(wrapper, inner)

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
        if request.user.is_authenticated:
            audit_record(action=Action.ACCESS_DENIED, actor=request.user, path=request.path[:200])
            raise PermissionDenied
        return redirect(reverse("accounts:login") + "?" + urlencode({"next": request.GET.get("next", "/beheer/")}))


site = FunctionalAdminSite(name="functional_admin")

# What the audit log keeps of a change made here: the new values, never a password (nor its hash).
SECRET_FIELDS = ("password", "key", "digest")


def _audit_value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, bool | int | None):
        return value
    if isinstance(value, list | tuple | models.QuerySet):
        return [_audit_value(v) for v in value][:50]
    return str(value)[:100]


def changed_values(form: Any) -> dict[str, Any]:
    """The new value of each changed field of an admin form, except secrets."""
    return {
        name: _audit_value(form.cleaned_data.get(name))
        for name in form.changed_data
        if not any(secret in name for secret in SECRET_FIELDS)
    }


def row_values(obj: models.Model) -> dict[str, Any]:
    """A row's own values (ids for relations), except secrets: enough to say which role was granted."""
    return {
        field.attname: _audit_value(getattr(obj, field.attname))
        for field in obj._meta.concrete_fields
        if not any(secret in field.name for secret in SECRET_FIELDS)
    }


class ReadOnlyAdmin(admin.ModelAdmin):
    """A list functional administrators read but do not change (the audit log, the notification outbox)."""

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


class AuditedInline(admin.TabularInline):
    """Rows edited inside an AuditedAdmin page (a user's roles, a covenant's rules): the page's own permission
    holds for them, and the page audits them (AuditedAdmin.save_formset)."""

    extra = 1

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_functional_admin(request)

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


class AuditedAdmin(admin.ModelAdmin):
    """Grants the functional administrator full rights on the model and audits each change."""

    # An address typed without its scheme ("www.comensha.nl") is read as https, as Django 6 will.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_functional_admin(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_functional_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_functional_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_functional_admin(request)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_functional_admin(request)

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            action=Action.ADMIN_CHANGE,
            actor=request.user,
            obj=obj,
            operation="change" if change else "add",
            fields=sorted(form.changed_data),
            values=changed_values(form),
        )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Rows edited inline (a user's roles) are audited on their parent, with what each row holds."""
        super().save_formset(request, form, formset, change)
        added = [row_values(o) for o in formset.new_objects]
        changed = [row_values(o) for o, _fields in formset.changed_objects]
        deleted = [row_values(o) for o in formset.deleted_objects]
        if added or changed or deleted:
            audit_record(
                action=Action.ADMIN_CHANGE,
                actor=request.user,
                obj=form.instance,
                operation="inline",
                model=formset.model._meta.label_lower,
                added=added,
                changed=changed,
                deleted=deleted,
            )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        audit_record(action=Action.ADMIN_CHANGE, actor=request.user, obj=obj, operation="delete")
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Any]) -> None:
        for obj in queryset:
            audit_record(action=Action.ADMIN_CHANGE, actor=request.user, obj=obj, operation="delete")
        super().delete_queryset(request, queryset)


# Texts of Django's own administration that its Dutch catalogue lacks; named here, they are in the project's
# catalogues (read before Django's), so a functional administrator reads Dutch throughout
# (tests/accounts/test_admin_in_dutch.py). The texts its scripts show are in locale/nl/LC_MESSAGES/djangojs.po.
ADMIN_TEXTS_DJANGO_LEAVES_IN_ENGLISH = [
    _("Add link"),
    _("After you’ve created a user, you’ll be able to edit more user options."),
    _("Model name"),
    _("Change or view list link"),
    _("Error:"),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "count",
    ),
]
# Texts of Django's administration whose Dutch translation says "u": the Dutch side of the platform says "je"
# (docs/glossary.md), so the project's catalogue says them again.
ADMIN_TEXTS_DJANGO_SAYS_U = [
    _("You may edit it again below."),
    _("The {name} “{obj}” was added successfully. You may add another {name} below."),
    _("The {name} “{obj}” was changed successfully. You may edit it again below."),
    _("The {name} “{obj}” was changed successfully. You may add another {name} below."),
    _("You don’t have permission to view or edit anything."),
    _(
        "Deleting the %(object_name)s '%(escaped_object)s' would result in deleting related objects, but your "
        "account doesn't have permission to delete the following types of objects:"
    ),
    _(
        'Are you sure you want to delete the %(object_name)s "%(escaped_object)s"? All of the following related '
        "items will be deleted:"
    ),
    _(
        "Deleting the selected %(objects_name)s would result in deleting related objects, but your account doesn't "
        "have permission to delete the following types of objects:"
    ),
    _(
        "Are you sure you want to delete the selected %(objects_name)s? All of the following objects and their "
        "related items will be deleted:"
    ),
    _("Your password was changed."),
    _(
        "Please enter your old password, for security’s sake, and then enter your new password twice so we can "
        "verify you typed it in correctly."
    ),
    _("Your old password was entered incorrectly. Please enter it again."),
    _("Designates whether this user should be treated as active. Unselect this instead of deleting accounts."),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
        "min_length",
    ),
    _("Your password can’t be too similar to your other personal information."),
    _("Your password can’t be a commonly used password."),
    _("Your password can’t be entirely numeric."),
]

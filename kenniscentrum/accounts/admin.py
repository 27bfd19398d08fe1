from typing import Any, cast

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from kenniscentrum.audit.models import Action
from kenniscentrum.audit.services import audit_record
from kenniscentrum.lib.admin_site import AuditedAdmin, AuditedInline, site

from .models import User, UserRole
from .services import EnrolmentCodeRefused, enrolment_code_issue, roles_granted_to_self


class UserRoleFormSet(BaseInlineFormSet):
    """A user's roles, refusing any role the administrator would be giving themself (roles_granted_to_self)."""

    actor: User | None = None

    def clean(self) -> None:
        super().clean()
        if self.actor is None:
            return
        roles = {
            form.cleaned_data["role"]
            for form in self.forms
            if form.cleaned_data.get("role") and not form.cleaned_data.get("DELETE")
        }
        own = roles_granted_to_self(actor=self.actor, user=self.instance, roles=roles)
        if own:
            # The attempt is worth knowing about even though nothing changed.
            audit_record(action=Action.ACCESS_DENIED, actor=self.actor, obj=self.instance, refused="own_role",
                         roles=sorted(own))  # fmt: skip
            raise ValidationError(
                _("You cannot give yourself a role: ask another functional administrator to do it."), code="own_role"
            )


class UserRoleInline(AuditedInline):
    model = UserRole
    formset = UserRoleFormSet

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        # A class made for this request (Django builds one per call), so the acting user stays with it.
        formset = cast(type[UserRoleFormSet], super().get_formset(request, obj, **kwargs))
        formset.actor = request.user if isinstance(request.user, User) else None
        return formset


@admin.action(description=_("Reset two-factor login: issue a one-time enrolment code"))
def issue_enrolment_code(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[User]) -> HttpResponse:
    """Removes the users' authenticators and shows each new enrolment code once, on this page only
    (not in a message, which would travel in a cookie). The accounts whose password this administrator set, and
    their own, are named instead: another administrator issues those codes (enrolment_code_same_hands)."""
    actor = request.user
    assert isinstance(actor, User)
    issued, refused = [], []
    for user in queryset:
        try:
            code, record = enrolment_code_issue(user=user, actor=actor)
        except EnrolmentCodeRefused:
            refused.append(user)
            continue
        issued.append({"user": user, "code": code, "expires_at": record.expires_at})
    context = {
        **modeladmin.admin_site.each_context(request),
        "issued": issued,
        "refused": refused,
        "title": _("Enrolment codes"),
    }
    return TemplateResponse(request, "admin/accounts/enrolment_codes.html", context)


@admin.register(User, site=site)
class UserAdmin(AuditedAdmin, DjangoUserAdmin):
    inlines = [UserRoleInline]
    actions = [issue_enrolment_code]
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

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not change:
            # The administrator chose the new account's password (enrolment_code_same_hands).
            obj.password_set_by = cast(User, request.user)
        super().save_model(request, obj, form, change)

    def user_change_password(self, request: HttpRequest, id: str, form_url: str = "") -> HttpResponse:
        """Django's password form; a password set here is audited (that it changed, never what it is), and who set
        it is kept, in the same transaction (enrolment_code_same_hands)."""
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302:
                # The account as Django's own view found it: an id such as "+11" reaches account 11 there too.
                user = self.get_object(request, unquote(id))
                if user is not None:
                    User.objects.filter(pk=user.pk).update(password_set_by=request.user)
                audit_record(action=Action.ADMIN_CHANGE, actor=request.user, obj=user, operation="set_password")
        return response

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from kenniscentrum.accounts.models import User
from kenniscentrum.lib.admin_site import AuditedAdmin, ReadOnlyAdmin, site
from kenniscentrum.organisations.models import Organisation

from .models import ApiClient, ApiToken, Scope
from .services import client_change, client_create, client_revoke, token_issue, token_revoke


class ApiClientForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(label=_("scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = ApiClient
        fields = ["name", "organisation", "scopes"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # On the change page the organisation is read-only (a client never moves to another organisation: its
        # account is that organisation's), so the form has no such field there.
        if "organisation" in self.fields:
            self.fields["organisation"].queryset = Organisation.objects.partners()  # type: ignore[attr-defined]


@admin.action(description=_("Issue a new token (shown once)"))
def issue_tokens(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[ApiClient]) -> HttpResponse:
    actor = request.user
    assert isinstance(actor, User)
    issued = []
    for client in queryset.filter(revoked_at=None):
        token, record = token_issue(client=client, actor=actor)
        issued.append({"client": client, "token": token, "expires_at": record.expires_at})
    context = {**modeladmin.admin_site.each_context(request), "issued": issued, "title": _("API tokens issued")}
    return TemplateResponse(request, "admin/api/tokens_issued.html", context)


@admin.action(description=_("Revoke the client and all its tokens"))
def revoke_clients(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[ApiClient]) -> None:
    actor = request.user
    assert isinstance(actor, User)
    for client in queryset.filter(revoked_at=None):
        client_revoke(client=client, actor=actor)


@admin.register(ApiClient, site=site)
class ApiClientAdmin(AuditedAdmin):
    """Clients are made through `client_create` (their own account with it); name and scopes change through
    `client_change`, audited."""

    form = ApiClientForm
    list_display = ["name", "organisation", "created_at", "revoked_at"]
    list_select_related = ["organisation"]
    actions = [issue_tokens, revoke_clients]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoked, not deleted: the audit log names the client

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["organisation", "revoked_at"] if obj else ["revoked_at"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        actor = request.user
        assert isinstance(actor, User)
        if change:
            client_change(client=obj, name=obj.name, scopes=obj.scopes, actor=actor)
            return
        created = client_create(name=obj.name, organisation=obj.organisation, scopes=obj.scopes, actor=actor)
        obj.pk, obj.user_id, obj.created_at = created.pk, created.user_id, created.created_at


@admin.action(description=_("Revoke the selected tokens"))
def revoke_tokens(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
    actor = request.user
    assert isinstance(actor, User)
    for token in queryset.filter(revoked_at=None):
        token_revoke(token=token, actor=actor)


@admin.register(ApiToken, site=site)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["client", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_select_related = ["client"]
    actions = [revoke_tokens]
    exclude = ["digest"]

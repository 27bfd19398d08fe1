from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404, HttpRequest
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from kenniscentrum.audit.models import Action
from kenniscentrum.audit.services import audit_record
from kenniscentrum.lib.admin_site import AuditedAdmin, AuditedInline, site
from kenniscentrum.lib.upload_check import clean_upload
from kenniscentrum.lib.vocabulary import LegalBasis

from .models import Covenant, CovenantRule, Municipality, Organisation


@admin.register(Municipality, site=site)
class MunicipalityAdmin(AuditedAdmin):
    list_display = ["name", "cbs_code", "active"]
    search_fields = ["name", "cbs_code"]


@admin.register(Organisation, site=site)
class OrganisationAdmin(AuditedAdmin):
    list_display = ["name", "type", "municipality", "other_region", "active"]
    list_filter = ["type", "active", "other_region"]
    list_select_related = ["municipality"]
    search_fields = ["name"]


class CovenantRuleInline(AuditedInline):
    model = CovenantRule


class CovenantForm(forms.ModelForm):
    legal_bases = forms.MultipleChoiceField(
        label=_("legal bases (AVG art. 6)"),
        choices=LegalBasis.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The grounds a grant or referral under this covenant may name."),
    )

    class Meta:
        model = Covenant
        fields = [
            "name",
            "parties",
            "scope",
            "purposes",
            "legal_bases",
            "special_data_basis",
            "criminal_data_basis",
            "starts_on",
            "ends_on",
            "document",
        ]
        # The stored document is offered by the download link beside it (files have no public address).
        widgets = {"document": forms.FileInput}

    def clean_document(self) -> Any:
        """Only a PDF, checked and rewritten like a reporter's (no script, no embedded file, no metadata): the
        document is opened by functional administrators and partners, and its name says nothing of its content."""
        document = self.cleaned_data.get("document")
        if not isinstance(document, UploadedFile):
            return document  # unchanged, or cleared
        clean = clean_upload(document, settings.ATTACHMENT_MAX_BYTES, pdf_only=True)
        # The name the file came with is kept encrypted; it is stored under a random one (covenant_document_path).
        self.instance.document_name = PurePath(clean.original_name).stem[:190] + clean.extension
        return ContentFile(clean.content, name="document" + clean.extension)


@admin.register(Covenant, site=site)
class CovenantAdmin(AuditedAdmin):
    """The register of covenants: every change is audited (AuditedAdmin), rules on consent included."""

    form = CovenantForm
    list_display = ["name", "starts_on", "ends_on"]
    search_fields = ["name"]
    filter_horizontal = ["parties"]
    inlines = [CovenantRuleInline]
    readonly_fields = ["document_download"]

    @admin.display(description=_("stored document"))
    def document_download(self, covenant: Covenant) -> str:
        if not covenant.pk or not covenant.document:
            return "–"
        url = reverse("functional_admin:organisations_covenant_document", args=[covenant.pk])
        return format_html('<a href="{}">{}</a>', url, covenant.document_filename)

    def get_urls(self) -> list[Any]:
        download = self.admin_site.admin_view(self.document_view)
        return [
            path("<int:pk>/document/", download, name="organisations_covenant_document"),
            *super().get_urls(),
        ]

    def document_view(self, request: HttpRequest, pk: int) -> FileResponse:
        """The signed document, as a download like every stored file: audited, never shown as a page of ours."""
        covenant = Covenant.objects.filter(pk=pk).exclude(document="").first()
        if covenant is None:
            raise Http404
        audit_record(action=Action.COVENANT_DOCUMENT_DOWNLOADED, actor=request.user, obj=covenant)
        response = FileResponse(
            covenant.document.open("rb"),
            as_attachment=True,
            filename=covenant.document_filename,
            content_type="application/pdf",
        )
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
        return response

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from kenniscentrum.lib.admin_site import AuditedAdmin, AuditedInline, site
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


@admin.register(Covenant, site=site)
class CovenantAdmin(AuditedAdmin):
    """The register of covenants: every change is audited (AuditedAdmin), rules on consent included."""

    form = CovenantForm
    list_display = ["name", "starts_on", "ends_on"]
    search_fields = ["name"]
    filter_horizontal = ["parties"]
    inlines = [CovenantRuleInline]

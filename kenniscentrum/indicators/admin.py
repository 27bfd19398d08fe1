from typing import Any

from django import forms as django_forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from kenniscentrum.lib.admin_site import AuditedAdmin, site
from kenniscentrum.lib.vocabulary import exploitation_form_name, exploitation_forms

from .models import TRANSLATED_LANGUAGES, Audience, CheckTally, Indicator, IndicatorList


class IndicatorAdminForm(django_forms.ModelForm):
    """Forms and audiences as checkboxes instead of raw JSON."""

    forms = django_forms.MultipleChoiceField(
        label=_("Forms of exploitation"), choices=exploitation_forms, widget=django_forms.CheckboxSelectMultiple
    )
    audiences = django_forms.MultipleChoiceField(
        label=_("Audiences"), choices=Audience.choices, widget=django_forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Indicator
        fields = [
            "indicator_list",
            "code",
            "text_nl",
            "text_en",
            "text_pl",
            "text_ro",
            "text_bg",
            "text_uk",
            *[f"you_{language}" for language in TRANSLATED_LANGUAGES],
            *[f"they_{language}" for language in TRANSLATED_LANGUAGES],
            "forms",
            "element",
            "audiences",
            # The public check's short set: which page asks the signal, or which question a near-duplicate joins.
            "check_step",
            "asked_as",
            "truncated",
            "active",
            "order",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.setdefault("forms", self.instance.forms)
        self.initial.setdefault("audiences", self.instance.audiences)


@admin.register(IndicatorList, site=site)
class IndicatorListAdmin(AuditedAdmin):
    # A web address typed without its scheme is read as https (Django 6's default; its old default warns).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["key", "title_nl", "truncated", "source"]


@admin.register(Indicator, site=site)
class IndicatorAdmin(AuditedAdmin):
    form = IndicatorAdminForm
    list_display = ["code", "text_nl", "element", "indicator_list", "truncated", "active"]
    list_filter = ["indicator_list", "element", "check_step", "truncated", "active"]
    list_select_related = ["indicator_list"]
    search_fields = ["code", "text_nl", "text_en"]


@admin.register(CheckTally, site=site)
class CheckTallyAdmin(AuditedAdmin):
    """Read-only: the counts are written by the check itself."""

    list_display = ["month", "audience_label", "form_label", "count"]
    list_filter = ["month", "audience", "form"]

    @admin.display(description=_("Audience"), ordering="audience")
    def audience_label(self, tally: CheckTally) -> str:
        return str(dict(Audience.choices).get(tally.audience, tally.audience))

    @admin.display(description=_("Form of exploitation"), ordering="form")
    def form_label(self, tally: CheckTally) -> str:
        # The row without a form counts the completed checks themselves.
        return exploitation_form_name(tally.form) if tally.form else str(_("All checks"))

    def has_add_permission(self, request: Any, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kenniscentrum.cases.forms import partner_organisations
from kenniscentrum.cases.models import Person
from kenniscentrum.lib.forms import ModelChoiceField
from kenniscentrum.lib.vocabulary import LegalBasis
from kenniscentrum.organisations.models import Organisation

from .models import Consent


class ReferralForm(forms.Form):
    organisation = ModelChoiceField(label=_("To organisation"), queryset=Organisation.objects.none())
    person = ModelChoiceField(label=_("For person"), queryset=Person.objects.none(), required=False)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    legal_basis = forms.ChoiceField(label=_("Legal basis"), choices=LegalBasis.choices)
    consent = forms.ChoiceField(label=_("Consent of the person"), choices=Consent.choices, widget=forms.RadioSelect)
    consent_note = forms.CharField(
        label=_("About the consent"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Required when the person was not asked: say why."),
    )
    override_reason = forms.CharField(
        label=_("Reason to involve the police without consent"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Only for a minor or in acute danger. This is recorded separately in the audit log."),
    )

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = partner_organisations()  # type: ignore[attr-defined]
        self.fields["person"].queryset = Person.objects.filter(involvements__case=case).distinct()  # type: ignore[attr-defined]


class StepForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kenniscentrum.cases.forms import covenant_field, partner_organisations
from kenniscentrum.cases.models import Person
from kenniscentrum.lib.forms import ModelChoiceField
from kenniscentrum.lib.vocabulary import LegalBasis
from kenniscentrum.organisations.models import Covenant, Organisation

from .models import Consent


class ReferralForm(forms.Form):
    organisation = ModelChoiceField(label=_("To organisation"), queryset=Organisation.objects.none())
    person = ModelChoiceField(label=_("For person"), queryset=Person.objects.none(), required=False)
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    covenant = covenant_field()
    legal_basis = forms.ChoiceField(label=_("Legal basis"), choices=LegalBasis.choices)
    consent = forms.ChoiceField(label=_("Consent of the person"), choices=Consent.choices, widget=forms.RadioSelect)
    consent_note = forms.CharField(
        label=_("About the consent"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_("Required when the person was not asked: say why."),
    )
    override_reason = forms.CharField(
        label=_("Reason to refer without consent"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=_(
            "Where the covenant allows a referral without consent only for a minor or in acute danger (the police, "
            "for example). This is recorded separately in the audit log."
        ),
    )

    def __init__(self, *args: Any, case: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = partner_organisations()  # type: ignore[attr-defined]
        self.fields["covenant"].queryset = Covenant.objects.in_force()  # type: ignore[attr-defined]
        self.fields["person"].queryset = Person.objects.filter(involvements__case=case).distinct()  # type: ignore[attr-defined]


class StepForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

"""Forms only staff see (their texts in the staff languages only)."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kenniscentrum.lib.forms import DateField
from kenniscentrum.lib.vocabulary import Channel, exploitation_forms

from .consultations import ConsultationAsker, ConsultationTopic, ProfessionalField
from .forms import municipality_field


class ConsultationForm(forms.Form):
    """An advice or consultation contact: what was asked, never who asked."""

    token = forms.CharField(widget=forms.HiddenInput)
    received_on = DateField(
        label=_("Date"),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        error_messages={"invalid": _("Enter a date, for example 2026-03-01.")},
    )
    channel = forms.ChoiceField(label=_("Through"), choices=Channel.choices)
    asker = forms.ChoiceField(label=_("Who asked"), choices=ConsultationAsker.choices, widget=forms.RadioSelect)
    field = forms.ChoiceField(
        label=_("Field of the professional"),
        choices=[("", _("Not a professional")), *ProfessionalField.choices],
        required=False,
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=ConsultationTopic.choices)
    forms = forms.MultipleChoiceField(
        label=_("Forms of exploitation it was about"),
        choices=exploitation_forms,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    municipality = municipality_field()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["municipality"].label = _("Municipality it was about")

    def clean_received_on(self) -> Any:
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise ValidationError(_("The date cannot be in the future."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("asker") == ConsultationAsker.PROFESSIONAL and not data.get("field"):
            self.add_error("field", _("Choose the professional's field."))
        if data.get("asker") not in (None, ConsultationAsker.PROFESSIONAL) and data.get("field"):
            self.add_error("field", _("Only a professional has a field; choose 'Not a professional'."))
        return data

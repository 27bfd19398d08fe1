from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kenniscentrum.lib.forms import PublicMessages
from kenniscentrum.lib.vocabulary import YesNoUnknown

from .models import active_indicator_codes

AUDIENCES = [
    ("concerned", _("I am worried about someone else")),
    ("victim", _("I am worried about myself")),
    ("professional", _("I meet this in my work")),
    ("perpetrator", _("I am involved in exploiting others and want to stop")),
]
SECTORS = [
    ("", _("Choose your field (optional)")),
    ("education", _("Education")),
    ("health", _("Health care")),
    ("social_work", _("Social work")),
    ("employer", _("Employer")),
    ("municipality", _("Municipality")),
]


class AudienceForm(PublicMessages, forms.Form):
    audience = forms.ChoiceField(
        label=_("Who are you doing this check for?"),
        choices=AUDIENCES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the options."), "invalid_choice": _("Choose one of the options.")},
    )
    sector = forms.ChoiceField(label=_("Your field of work"), choices=SECTORS, required=False)


class CheckForm(AudienceForm):
    """The answers: which signals are recognised, age and danger. Used for the result only, never stored."""

    signals = forms.MultipleChoiceField(
        label=_("What do you recognise?"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Choose signals from the list.")},
    )
    minor = forms.ChoiceField(
        label=_("Is the person concerned younger than 18?"),
        choices=YesNoUnknown.choices,
        initial=YesNoUnknown.UNKNOWN,
        widget=forms.RadioSelect,
    )
    acute = forms.ChoiceField(
        label=_("Is someone in danger right now?"),
        choices=YesNoUnknown.choices,
        # Nobody is said to be safe unless the visitor says so.
        initial=YesNoUnknown.UNKNOWN,
        widget=forms.RadioSelect,
    )

    # Which short page of signals the visitor is on (indicators.check.check_steps); past the last one come the
    # two closing questions.
    step = forms.IntegerField(required=False, min_value=0, max_value=20, widget=forms.HiddenInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["audience"].widget = forms.HiddenInput()
        self.fields["sector"].widget = forms.HiddenInput()
        self.fields["signals"].choices = [(code, code) for code in active_indicator_codes()]  # type: ignore[attr-defined]

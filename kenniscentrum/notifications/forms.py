from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import URGENT_KINDS, Kind, Mode


class PreferencesForm(forms.Form):
    """How the user wants each kind of notification; urgent kinds are not offered (always at once)."""

    def __init__(self, *args: Any, current: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in Kind:
            if kind in URGENT_KINDS or kind == Kind.REPORTER_NOTICE:
                continue
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=Mode.choices,
                initial=current.get(kind.value, Mode.AT_ONCE),
                widget=forms.RadioSelect,
            )
        self.show_optional = False


URGENT_NOTE = _("Reports about acute danger or with priority urgent always come at once; they cannot be switched off.")

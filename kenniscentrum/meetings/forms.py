from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kenniscentrum.cases.forms import TaskForm
from kenniscentrum.cases.models import Case
from kenniscentrum.lib.forms import DateTimeField, ModelMultipleChoiceField
from kenniscentrum.lib.references import reference_normalise
from kenniscentrum.organisations.models import Organisation

from .models import MeetingType


class MeetingForm(forms.Form):
    type = forms.ChoiceField(label=_("Type"), choices=MeetingType.choices, widget=forms.RadioSelect)
    held_at = DateTimeField(
        label=_("Date and time"),
        help_text=_("For example 2026-03-01 14:30."),
    )
    location = forms.CharField(label=_("Place"), max_length=200, required=False)
    organisations = ModelMultipleChoiceField(
        label=_("Organisations present"),
        queryset=Organisation.objects.filter(active=True).order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ItemForm(forms.Form):
    reference = forms.CharField(
        label=_("Case reference"), max_length=20, help_text=_("For example C-2026-00007, or in short 2026-7.")
    )

    def clean_reference(self) -> Case:
        reference = reference_normalise(self.cleaned_data["reference"], "C")
        case = Case.objects.filter(reference=reference).first() if reference else None
        if case is None:
            raise forms.ValidationError(_("There is no case with this reference."))
        return case


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class DecisionForm(TaskForm):
    """A decision, with an optional action that becomes a task of the case."""

    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)
    field_order = ["text", "title", "owner_user", "owner_organisation", "due_date", "support"]

    def __init__(self, *args: Any, meeting: Any = None, **kwargs: Any) -> None:
        # The organisations at the table can take on an action, with access to the case or not (finding 9).
        present = list(meeting.organisations.all()) if meeting is not None else []
        super().__init__(*args, present=present, **kwargs)
        self.fields.pop("goal", None)
        self.fields["title"].required = False
        self.fields["title"].label = _("Action (becomes a task)")

    def clean(self) -> dict[str, Any]:
        data = forms.Form.clean(self) or {}
        if data.get("title") and bool(data.get("owner_user")) == bool(data.get("owner_organisation")):
            raise forms.ValidationError(_("Choose either a person or an organisation as the owner."))
        # The practical support is the action's (its task's): without an action it would be lost.
        if data.get("support") and not data.get("title"):
            self.add_error("title", _("Name the action that arranges this practical support."))
        return data

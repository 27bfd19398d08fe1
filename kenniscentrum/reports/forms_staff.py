"""Forms only staff see (their texts in the staff languages only)."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kenniscentrum.lib.forms import DateField, ModelChoiceField
from kenniscentrum.lib.vocabulary import Channel, Priority, ReportStatus, exploitation_forms
from kenniscentrum.organisations.models import Municipality

from . import staff_wording
from .consultations import ConsultationAsker, ConsultationTopic, ProfessionalField
from .forms import (
    PERSONS_MAX,
    AssignForm,
    ClassifyForm,
    DetailForm,
    DetailRows,
    PersonForm,
    PersonRows,
    PriorityForm,
    municipality_field,
    report_handlers,
)
from .models import PersonRole


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


class StaffPersonForm(PersonForm):
    """Someone the reporter mentions, as a worker writes it down."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [  # type: ignore[attr-defined]
            (value, staff_wording.PERSON_ROLE_OTHER if value == PersonRole.OTHER else label)
            for value, label in PersonRole.choices
        ]


class StaffPersonRows(PersonRows):
    default_error_messages = {"too_many_forms": staff_wording.PERSONS_TOO_MANY}


StaffPersonFormSet = forms.formset_factory(
    StaffPersonForm,
    formset=StaffPersonRows,
    extra=PERSONS_MAX,
    max_num=PERSONS_MAX,
    absolute_max=PERSONS_MAX,
    validate_max=True,
)


class StaffDetailForm(DetailForm):
    """A detail the reporter knows (a phone number, an address, ...), as a worker writes it down."""

    kind_missing = staff_wording.DETAIL_KIND_MISSING

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["value"].label = staff_wording.DETAIL_VALUE
        self.fields["keep"].label = staff_wording.DETAIL_KEEP

    def not_recognised(self, kind: str) -> Any:
        return staff_wording.DETAIL_NOT_RECOGNISED


class StaffDetailRows(DetailRows):
    default_error_messages = {"too_many_forms": staff_wording.DETAILS_TOO_MANY}


StaffDetailFormSet = forms.formset_factory(
    StaffDetailForm, formset=StaffDetailRows, extra=2, max_num=20, absolute_max=20, validate_max=True
)


def staff_details_bound(data: Any) -> forms.BaseFormSet:
    """As `details_bound`, in staff wording."""
    return StaffDetailFormSet(data if "details-TOTAL_FORMS" in data else None, prefix="details")


class TriageForm(ClassifyForm, PriorityForm, AssignForm):
    """Triage in one step: the forms of exploitation, where it happens, the priority and who handles it."""

    field_order = ["suspected_forms", "municipality", "residence_municipality", "place", "priority", "assignee"]


class QueueFilterForm(forms.Form):
    """Filters of the triage queue. Invalid values are reported and that filter is left out."""

    # Every filter is optional by nature; saying so on each would only be noise.
    show_optional = False

    # One box for whatever is pasted in it (reports/search.py).
    q = forms.CharField(
        label=_("Search"),
        max_length=200,
        required=False,
        help_text=_(
            "A reference (M-2026-00042, C-2026-00004), a phone number, IBAN or licence plate, or words from what "
            "the reporter wrote or the place."
        ),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            ("", _("Open; a search looks in all")),
            ("open", _("All open")),
            ("all", _("All")),
            *ReportStatus.choices,
        ],  # fmt: skip
        required=False,
    )
    priority = forms.ChoiceField(label=_("Priority"), choices=[("", _("Any")), *Priority.choices], required=False)
    municipality = ModelChoiceField(
        label=_("Municipality"), queryset=Municipality.objects.all(), required=False, empty_label=_("Any")
    )
    form = forms.ChoiceField(label=_("Form"), choices=lambda: [("", _("Any")), *exploitation_forms()], required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=[("", _("Any")), *Channel.choices], required=False)
    assignee = forms.ChoiceField(label=_("Assigned to"), required=False)
    term = forms.ChoiceField(
        label=_("Response term"),
        choices=[("", _("Any")), ("past", _("Past its term: not triaged, or no feedback, in time"))],
        required=False,
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        choices=[
            ("urgent", _("Most urgent first")),
            ("oldest", _("Oldest first")),
            ("newest", _("Newest first")),
        ],
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [  # type: ignore[attr-defined]
            ("", _("Anyone")),
            ("me", _("Me")),
            ("none", _("Nobody")),
            *[(str(u.pk), u.display_name) for u in report_handlers()],
        ]

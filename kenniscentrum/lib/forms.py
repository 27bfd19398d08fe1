"""Form fields every app uses, so that out-of-range input gets a message instead of an error page.

A database cannot store year 1 in UTC or compare a 30-digit number with a 64-bit id; both used to end in
a server error. These fields answer such input the way they answer any other wrong choice or date.
"""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from .vocabulary import CHOOSE

# The years a date in this platform can sensibly fall in: reports, meetings, tasks, grants.
FIRST_YEAR, LAST_YEAR = 1990, 2100
# The largest id a 64-bit primary key can hold.
MAX_ID = 2**63 - 1


def sensible_year(value: date | datetime | None) -> None:
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            _("Enter a date between %(first)d and %(last)d."),
            code="out_of_range",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )


def id_in_range(value: Any) -> bool:
    """Whether a submitted value can be a primary key at all; anything else is not looked up."""
    if isinstance(value, int) and not isinstance(value, bool):
        return 0 < value <= MAX_ID
    text = str(value).strip()
    return text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID


# The only values a browser's date, date-and-time and month inputs read. Any other value (the Dutch 12-05-1994) they
# show empty and send back empty: saving the page then erased the date. Every such input in the project is one of
# the widgets below (tests/test_date_inputs.py holds it).
ISO_DATE, ISO_DATETIME, ISO_MONTH = "%Y-%m-%d", "%Y-%m-%dT%H:%M", "%Y-%m"


class DateInput(forms.DateInput):
    """A browser's date picker, given its value as an ISO date whatever the page's language."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_DATE)


class DateTimeInput(forms.DateTimeInput):
    """A browser's date-and-time picker (datetime-local), given its value in ISO."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_DATETIME)


class MonthInput(forms.DateInput):
    """A browser's month picker, given its value as year-month."""

    input_type = "month"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format=ISO_MONTH)


class DateField(forms.DateField):
    widget = DateInput
    default_validators = [sensible_year]


class DateTimeField(forms.DateTimeField):
    widget = DateTimeInput
    default_validators = [sensible_year]

    def to_python(self, value: Any) -> datetime | None:
        try:
            return super().to_python(value)
        except OverflowError as exc:  # a time zone shift past year 1 or 9999
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc


class ModelChoiceField(forms.ModelChoiceField):
    """Django's field, which also refuses an id no row can have before asking the database, and whose empty choice
    says "Choose …" (vocabulary.CHOOSE) instead of Django's dashes unless the form names its own."""

    def __init__(self, queryset: Any, *, empty_label: Any = CHOOSE, **kwargs: Any) -> None:
        super().__init__(queryset, empty_label=empty_label, **kwargs)

    def to_python(self, value: Any) -> Any:
        model = self.queryset.model if self.queryset is not None else None
        if value not in self.empty_values and not (model and isinstance(value, model)) and not id_in_range(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value: Iterable[Any]) -> Any:
        for item in value:
            if not id_in_range(item):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": str(item)[:20]}
                )
        return super()._check_values(value)  # type: ignore[misc]  # Django's, missing from the stubs


# What a public form says when an answer cannot be taken, in the project's words, instead of Django's own ("This field
# is required.", "Ensure this value has at most ..."), which say neither what to do nor in a visitor's voice. A field
# that names its own message for a case keeps it: these fill in only what Django would otherwise say.
PUBLIC_MESSAGES = {
    "required": _("Answer this question: it cannot stay empty."),
    "invalid_choice": _("Choose one of the answers shown."),
    "invalid_list": _("Choose one of the answers shown."),
    "invalid": _("This could not be read. Check what you typed."),
    "max_length": _("Make this shorter: at most %(limit_value)d characters (now %(show_value)d)."),
    "null_characters_not_allowed": _(
        "This text contains a character that cannot be stored. Type the text again instead of pasting it."
    ),
    "empty": _("This file is empty. Choose another file."),
    "missing": _("The file did not arrive. Choose it again."),
}


def djangos_default(field: forms.Field, code: str) -> bool:
    """Whether `field` would answer `code` with Django's own message (or with its validator's, when it names none)."""
    message = field.error_messages.get(code)
    return message is None or any(
        message is getattr(cls, "default_error_messages", {}).get(code) for cls in type(field).__mro__
    )


class PublicMessages:
    """For a form on the public side: every field answers bad input with a message of PUBLIC_MESSAGES, unless it has
    its own."""

    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages = {
                **field.error_messages,
                **{code: text for code, text in PUBLIC_MESSAGES.items() if djangos_default(field, code)},
            }


class PublicFormSet(forms.BaseFormSet):
    """Rows of a public form (persons, details): the formset's own problems in the project's words."""

    default_error_messages = {
        # A page left open during an update, or a crafted request: the rows' counts did not arrive.
        "missing_management_form": _("Part of this form did not arrive. Check your answers and send the form again."),
        "too_many_forms": _("You can fill in at most %(num)d rows here."),
    }


DATES_CLEARED = "dates_cleared"


class DatesKept:
    """For a form that changes a record: a date the record has is not erased by a date field that arrives empty,
    unless the user confirms it.

    A browser that cannot read a date input's value shows it empty and sends it empty; a person who empties the
    field means it. The form cannot tell the two apart, so it says which date arrived empty and keeps the record
    as it is; sent again as it is, the date is removed (the form then carries which dates were confirmed)."""

    fields: dict[str, forms.Field]
    data: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        dates = [name for name, field in self.fields.items() if isinstance(field, forms.DateField)]
        self.fields[DATES_CLEARED] = forms.MultipleChoiceField(
            choices=[(name, name) for name in dates], required=False, widget=forms.MultipleHiddenInput
        )

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}  # type: ignore[misc]
        # The confirmation is the form's own; what it cleans is the record's fields only.
        confirmed = set(data.pop(DATES_CLEARED, None) or [])
        dropped = {}
        for name, field in self.fields.items():
            had = self.get_initial_for_field(field, name)  # type: ignore[attr-defined]
            if isinstance(field, forms.DateField) and had and name in data and data[name] is None:
                dropped[name] = had
        unconfirmed = {name: had for name, had in dropped.items() if name not in confirmed}
        for name, had in unconfirmed.items():
            self.add_error(  # type: ignore[attr-defined]
                name,
                _(
                    "This date was %(date)s and arrived empty. Enter it again to keep it, or save once more "
                    "with it empty to remove it."
                )
                % {"date": formats.date_format(had, "SHORT_DATE_FORMAT")},
            )
        if unconfirmed:
            # The page shown again carries the confirmation: sent as it is, the dates are removed.
            self.data = self.data.copy()
            self.data.setlist(self.add_prefix(DATES_CLEARED), sorted(confirmed | set(unconfirmed)))  # type: ignore[attr-defined]
        return data

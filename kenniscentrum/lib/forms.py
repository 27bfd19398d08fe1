"""Form fields every app uses, so that out-of-range input gets a message instead of an error page.

A database cannot store year 1 in UTC or compare a 30-digit number with a 64-bit id; both used to end in
a server error. These fields answer such input the way they answer any other wrong choice or date.
"""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

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


class DateField(forms.DateField):
    default_validators = [sensible_year]


class DateTimeField(forms.DateTimeField):
    default_validators = [sensible_year]

    def to_python(self, value: Any) -> datetime | None:
        try:
            return super().to_python(value)
        except OverflowError as exc:  # a time zone shift past year 1 or 9999
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc


class ModelChoiceField(forms.ModelChoiceField):
    """Django's field, which also refuses an id no row can have before asking the database."""

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

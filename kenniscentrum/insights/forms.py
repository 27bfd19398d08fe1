from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kenniscentrum.lib.forms import ISO_MONTH, MonthInput
from kenniscentrum.organisations.models import Municipality

MONTH_FORMAT = ISO_MONTH
FIRST_YEAR = 2000


def month_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=[MONTH_FORMAT],
        widget=MonthInput(),
        error_messages={"invalid": _("Enter a month as year and month, for example 2026-03.")},
    )


class PeriodForm(forms.Form):
    """The monitor's period and municipality, from the address (a GET form), so a view can be bookmarked and sent."""

    start = month_field(_("From"))
    end = month_field(_("Up to and including"))
    municipality = forms.ChoiceField(label=_("Municipality where it happens"), required=False)
    year = forms.TypedChoiceField(label=_("Published year"), required=False, coerce=int, empty_value=None)
    view = forms.ChoiceField(
        label=_("Figures"),
        choices=[
            ("exact", _("Exact counts of any period (inside the centre, not for publication)")),
            ("published", _("As published: the release of a year")),
        ],  # fmt: skip
        initial="exact",
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = Municipality.objects.order_by("name").values_list("cbs_code", "name")
        field = self.fields["municipality"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("All of the region")), *names]
        from .models import Release

        years = self.fields["year"]
        assert isinstance(years, forms.ChoiceField)
        years.choices = [(y, str(y)) for y in Release.objects.order_by("-year").values_list("year", flat=True)]

    @staticmethod
    def defaults() -> dict[str, Any]:
        today = timezone.localdate()
        return {"start": date(today.year, 1, 1), "end": today.replace(day=1), "municipality": "", "view": "exact",
                "year": None}  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        for name in ("start", "end"):
            day = data.get(name)
            if day is not None and not FIRST_YEAR <= day.year <= timezone.localdate().year + 1:
                self.add_error(name, _("Choose a month between %(first)s and next year.") % {"first": FIRST_YEAR})
        if start and end and start > end:
            self.add_error("end", _("The end comes before the start."))
        return data

    def period(self) -> dict[str, Any]:
        """The valid choice, or the defaults for what is not valid (the form shows why, with what was typed)."""
        chosen = self.defaults()
        if self.is_bound and self.is_valid():
            chosen.update({k: v for k, v in self.cleaned_data.items() if v not in (None, "")})
            chosen["municipality"] = self.cleaned_data.get("municipality") or ""
        if chosen["start"] > chosen["end"]:  # only one of the two given, on the wrong side of the other's default
            chosen["start"] = chosen["end"].replace(month=1)
        return chosen

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kenniscentrum.lib.forms import DateField
from kenniscentrum.lib.references import reference_normalise
from kenniscentrum.reports.models import Report


class ReporterRequestForm(forms.Form):
    """The report a reporter's data request is about, by the reference the reporter was given."""

    referentie = forms.CharField(label=_("Reference of the report"), max_length=30)

    def clean_referentie(self) -> Report:
        reference = reference_normalise(self.cleaned_data["referentie"], "M")
        if reference is None:
            raise ValidationError(_("Enter a reference like M-2026-00042."))
        report = Report.objects.filter(reference=reference).first()
        if report is None:
            raise ValidationError(_("There is no report with this reference."))
        return report


class PersonSearchForm(forms.Form):
    """The person in the case file a data request is about, by name and, where known, date of birth."""

    naam = forms.CharField(
        label=_("Name"),
        max_length=100,
        strip=True,
        error_messages={
            "required": _("Type at least two letters of the name."),
            "max_length": _("A name here has at most 100 characters."),
        },
    )
    geboortedatum = DateField(label=_("Date of birth"), required=False)

    def clean_naam(self) -> list[str]:
        """The words of the name, each of which must be in the person's names or aliases."""
        words = self.cleaned_data["naam"].split()
        if sum(len(word) for word in words) < 2:
            raise ValidationError(_("Type at least two letters of the name."))
        return words[:5]

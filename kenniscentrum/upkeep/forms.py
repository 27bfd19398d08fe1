from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

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

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kenniscentrum.lib.forms import ModelChoiceField
from kenniscentrum.lib.identifiers import kinds
from kenniscentrum.lib.vocabulary import LegalBasis
from kenniscentrum.reports.models import ReportPerson

from .models import Business, business_kinds, place_kinds


class ValueFields(forms.Form):
    """A value of a kind, with what some kinds need besides: the issuing country of a document, or a postcode and
    house number given apart."""

    kind = forms.ChoiceField(label=_("Kind"), choices=())
    value = forms.CharField(
        label=_("Value"),
        max_length=300,
        required=False,
        help_text=_("As known: 06-12345678, NL91 ABNA 0417 1643 00, 12-ABC-3, Hoofdstraat 12, 7511 AB Enschede."),
    )
    country = forms.CharField(
        label=_("Issuing country (document number)"), max_length=2, required=False, help_text=_("For example PL.")
    )
    postcode = forms.CharField(label=_("Postcode (address)"), max_length=7, required=False)
    house_number = forms.CharField(label=_("House number (address)"), max_length=10, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("value") or "").strip() and not (data.get("postcode") or "").strip():
            self.add_error("value", _("Give a value."))
        return data


class IdentifierForm(ValueFields):
    legal_basis = forms.ChoiceField(
        label=_("Legal basis"),
        choices=[("", "–"), *LegalBasis.choices],
        required=False,
        help_text=_("Needed for a BSN: processing one needs a legal basis."),
    )
    about = ModelChoiceField(
        label=_("About"), queryset=ReportPerson.objects.none(), required=False, empty_label=_("The report itself")
    )

    def __init__(self, *args: Any, mentioned: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if mentioned is None:
            del self.fields["about"]
        else:
            self.fields["about"].queryset = mentioned  # type: ignore[attr-defined]
            self.fields["about"].label = _("About the report, or a person it mentions")


class SearchForm(ValueFields):
    pass


class BusinessForm(forms.Form):
    name = forms.CharField(label=_("Name of the business"), max_length=200)
    kvk = forms.CharField(
        label=_("KvK number (optional)"),
        max_length=20,
        required=False,
        help_text=_("Eight digits, for example 12345678."),
    )
    kind = forms.ChoiceField(label=_("Kind of business"), choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = business_kinds()  # type: ignore[attr-defined]


class PlaceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of place"), choices=())
    label = forms.CharField(
        label=_("Description"), max_length=200, required=False, help_text=_("For example: the shed behind the farm.")
    )
    postcode = forms.CharField(label=_("Postcode"), max_length=7, required=False)
    house_number = forms.CharField(label=_("House number"), max_length=10, required=False)
    business = ModelChoiceField(
        label=_("Business it belongs to (optional)"), queryset=Business.objects.none(), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = place_kinds()  # type: ignore[attr-defined]
        # Only businesses the user sees: the list must not show the register to a coordinator (probe finding 12).
        self.fields["business"].queryset = Business.objects.visible_to(user).order_by("name")  # type: ignore[attr-defined]

from typing import Any

from django import forms, template
from django.conf import settings
from django.forms import BoundField
from django.forms.widgets import Input
from django.utils.translation import get_language

register = template.Library()

# The NL Design System component each kind of widget is drawn as (the Utrecht component library's class names).
# Radio buttons and checkboxes stay the browser's own: Django puts each inside its label, which the Utrecht
# components do not expect, and the native ones are large and clear with the platform's stylesheet.
NLDS_CLASSES: list[tuple[type[forms.Widget], str]] = [
    (forms.RadioSelect, ""),
    (forms.CheckboxSelectMultiple, ""),
    (forms.CheckboxInput, ""),
    (forms.Select, "utrecht-select utrecht-select--html-select"),
    (forms.Textarea, "utrecht-textarea utrecht-textarea--html-textarea"),
    (forms.FileInput, ""),
    (Input, "utrecht-textbox utrecht-textbox--html-input"),
]


def nlds_class(widget: forms.Widget, invalid: bool) -> str:
    """The component classes for `widget`, marked invalid after a failed submit."""
    for kind, classes in NLDS_CLASSES:
        if isinstance(widget, kind):
            if classes and invalid:
                classes += f" {classes.split()[0]}--invalid"
            return classes
    return ""


def field_anchor(field: BoundField) -> str:
    """The id an error summary links to: the field itself, or the first answer of a question with options (the group
    has no id a keyboard can land on)."""
    widget = field.field.widget
    if field.field.widget.use_fieldset and isinstance(widget, forms.widgets.ChoiceWidget):
        return widget.id_for_label(field.auto_id, "0") if field.auto_id else ""
    return field.id_for_label or ""


@register.simple_tag
def error_entries(form: Any) -> list[tuple[str, str]]:
    """A form's or formset's errors for the error summary, in the order of the page: (id to link to, message). Each
    message is the sentence itself; a problem of no one field (or of a hidden one) links nowhere."""
    if not form:
        return []
    if isinstance(form, forms.BaseFormSet):
        rows = [entry for row in form for entry in error_entries(row)]
        return [("", str(error)) for error in form.non_form_errors()] + rows
    entries = [("", str(error)) for error in form.non_field_errors()]
    for field in form:
        anchor = "" if field.is_hidden else field_anchor(field)
        entries += [(anchor, str(error)) for error in field.errors]
    return entries


@register.inclusion_tag("includes/field.html")
def field_group(field: BoundField) -> dict[str, Any]:
    """One form field with its label (or legend), help text and errors, tied together for screen readers."""
    grouped = field.field.widget.use_fieldset
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_help")
    if field.errors:
        described.append(f"{field.auto_id}_error")
    attrs: dict[str, str | bool] = {}
    if described and not grouped:
        attrs["aria-describedby"] = " ".join(described)
    if field.errors and not grouped:
        attrs["aria-invalid"] = "true"
    classes = " ".join(
        filter(None, [field.field.widget.attrs.get("class", ""), nlds_class(field.field.widget, bool(field.errors))])
    )
    if classes:
        attrs["class"] = classes
    return {
        "field": field,
        "widget": field.as_widget(attrs=attrs),
        "described": " ".join(described),
        "grouped": grouped,
        # Optional questions say so (a form where every field is optional sets show_optional = False).
        "optional": not field.field.required and getattr(field.form, "show_optional", True),
    }


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """`mapping|get_item:key`, for dictionaries keyed by a variable (forms per workflow step)."""
    return mapping.get(key)


def _babel_locale() -> Any:
    from babel import Locale

    return Locale.parse(get_language() or settings.LANGUAGE_CODE)


@register.filter
def language_name(code: str) -> str:
    """An ISO 639 language code as the language's name in the reader's language ("pl" -> "Pools")."""
    return str(_babel_locale().languages.get(str(code).lower(), code)) if code else ""


@register.filter
def country_name(code: str) -> str:
    """An ISO 3166 country code as the country's name in the reader's language ("PL" -> "Polen")."""
    return str(_babel_locale().territories.get(str(code).upper(), code)) if code else ""


@register.inclusion_tag("includes/iso_datalists.html")
def iso_datalists() -> dict[str, Any]:
    """The names of countries and languages in the reader's language, which the fields of a person suggest."""
    from kenniscentrum.lib.region import iso_codes

    locale = _babel_locale()
    codes = iso_codes()
    return {
        "countries": sorted(str(locale.territories.get(code, code)) for code in codes["countries"]),
        "languages": sorted(str(locale.languages.get(code, code)) for code in codes["languages"]),
    }

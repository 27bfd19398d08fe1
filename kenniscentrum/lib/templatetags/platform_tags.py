from typing import Any

from django import template
from django.forms import BoundField

register = template.Library()


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
    return {
        "field": field,
        "widget": field.as_widget(attrs=attrs),
        "described": " ".join(described),
        "grouped": grouped,
    }


@register.filter
def get_item(mapping: dict[str, Any], key: str) -> Any:
    """`mapping|get_item:key`, for dictionaries keyed by a variable (forms per workflow step)."""
    return mapping.get(key)

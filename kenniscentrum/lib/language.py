"""Switching language in the middle of a form without losing what was typed.

On a public form page the language options are submit buttons of the page's form (`form="page-form"`),
each posting to the same page in another language with SWITCH_FIELD set. The view then shows the form
again, filled in with what was sent and without error messages: nothing was submitted yet.
"""

from typing import Any

from django import forms
from django.http import HttpRequest

SWITCH_FIELD = "_language"


def switching_language(request: HttpRequest) -> bool:
    return request.method == "POST" and SWITCH_FIELD in request.POST


def typed_values(form_class: type[forms.Form], data: Any, prefix: str | None = None, **kwargs: Any) -> dict[str, Any]:
    """What was typed into each field of `form_class`, read the way the form itself reads it."""
    bound = form_class(data, prefix=prefix, **kwargs)
    return {
        name: bound[name].data
        for name, field in bound.fields.items()
        if not isinstance(field, forms.FileField) and bound[name].data not in (None, "", [])
    }


def typed_rows(
    formset_class: Any, data: Any, prefix: str, choices: tuple[str, ...] = ("role",)
) -> list[dict[str, Any]]:
    """What was typed into each row of a formset, leaving out rows where nothing was typed (a choice alone, such
    as a person's role, is not typing)."""
    bound = formset_class(data, prefix=prefix)
    rows = [{name: row[name].data for name in row.fields if row[name].data} for row in bound.forms]
    return [row for row in rows if any(value for key, value in row.items() if key not in choices)]

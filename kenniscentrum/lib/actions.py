"""The actions of a page as one registry: each action's name, the permission it needs, its form, what it does,
and what the user is told when it is done. The page shows the forms, the view takes an action through
`action_take`; adding an action to a page touches its registry and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest

# (object, user, POST data or None, files or None) -> the form; unbound (with the object's values) without data.
FormBuilder = Callable[[Any, Any, Any, Any], forms.Form]


@dataclass(frozen=True)
class PageAction:
    name: str
    form: FormBuilder
    # (object, the form's cleaned data, user): calls the service; a ValidationError is shown on the form.
    run: Callable[[Any, dict[str, Any], Any], object]
    # (object as it is after the action, cleaned data): what the action did, in words ("Assigned to Ilse").
    said: Callable[[Any, dict[str, Any]], str]
    # The name in the page's permission table; empty when the page's own gate is all it needs.
    permission: str = ""


def registry(*actions: PageAction) -> dict[str, PageAction]:
    return {a.name: a for a in actions}


def action_forms(actions: dict[str, PageAction], obj: Any, user: Any) -> dict[str, forms.Form]:
    """Every action's form as the page first shows it."""
    return {name: action.form(obj, user, None, None) for name, action in actions.items()}


def action_take(action: PageAction, request: HttpRequest, obj: Any) -> tuple[forms.Form, str]:
    """Validates and runs `action` on `obj`: the form (with its errors when it failed) and, when it succeeded,
    what to tell the user."""
    form = action.form(obj, request.user, request.POST, request.FILES)
    if not form.is_valid():
        return form, ""
    try:
        action.run(obj, form.cleaned_data, request.user)
    except ValidationError as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return form, ""
    obj.refresh_from_db()
    return form, action.said(obj, form.cleaned_data)

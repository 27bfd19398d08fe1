"""Every date, date-and-time and month input in the project carries its value in ISO, in every language.

A browser's date input reads only ISO values (2026-03-01). Given the Dutch 12-05-1994 it shows the field empty and
sends it back empty, so saving a person on the Dutch page erased their date of birth.
"""

import importlib
import pkgutil
import re
from datetime import date, datetime
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.utils import translation

import kenniscentrum

pytestmark = pytest.mark.django_db

PICKERS = {
    "date": (date(1994, 5, 12), r"1994-05-12"),
    "datetime-local": (datetime(2026, 3, 2, 14, 30), r"2026-03-02T14:30(:00)?"),
    "month": (date(2026, 3, 1), r"2026-03"),
}


def project_forms() -> list[type[forms.BaseForm]]:
    """Every form class defined in the project's modules."""
    for module in pkgutil.walk_packages(kenniscentrum.__path__, "kenniscentrum."):
        # Not the entry points, which check the production configuration when imported.
        skipped = ("migrations", "management", "wsgi", "startup")
        if not any(part in module.name.split(".") for part in skipped):
            importlib.import_module(module.name)
    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("kenniscentrum."):
                found.append(sub)
    return found


def test_the_walk_finds_the_forms_with_dates() -> None:
    names = {cls.__name__ for cls in project_forms()}
    assert {"PersonForm", "ReflectionForm", "MeetingForm", "IntakeForm", "PeriodForm", "ConsultationForm"} <= names


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_every_date_input_of_every_form_carries_an_iso_value(language: str) -> None:
    wrong = []
    with translation.override(language):
        for cls in project_forms():
            for name, field in cls.base_fields.items():
                kind = getattr(field.widget, "input_type", "")
                if kind not in PICKERS:
                    continue
                value, iso = PICKERS[kind]
                html = field.widget.render(name, field.prepare_value(value))
                shown = re.search(r'value="([^"]*)"', html)
                if not (shown and re.fullmatch(iso, shown.group(1))):
                    wrong.append(f"{cls.__module__}.{cls.__name__}.{name}: {html}")
    assert wrong == []


def test_no_template_writes_a_date_input_with_a_local_date() -> None:
    """A date input written by hand in a template carries its value with the ISO format (Y-m-d) too."""
    templates = Path(settings.BASE_DIR) / "kenniscentrum" / "templates"
    wrong = []
    for path in templates.rglob("*.html"):
        for tag in re.findall(r'<input[^>]*type="(?:date|datetime-local|month)"[^>]*>', path.read_text()):
            value = re.search(r'value="([^"]*)"', tag)
            if value and "{{" in value.group(1) and not re.search(r'\|date:"Y-m(-d)?(\\TH:i)?"', value.group(1)):
                wrong.append(f"{path.name}: {tag}")
    assert wrong == []

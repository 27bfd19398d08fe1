"""The test suite's own check on templates: a condition on a name the view did not pass fails (tests/conftest.py)."""

from django.template.loader import get_template

from tests.conftest import UNKNOWN_IN_IF


def test_a_condition_on_an_unknown_name_is_found_and_a_declared_optional_one_is_not() -> None:
    errors = get_template("includes/form_errors.html")
    # `persons`, `details` and `files_lost` are declared optional; `form` is not, and this caller passed none.
    errors.render({"form": None})
    assert UNKNOWN_IN_IF == []
    errors.render({})
    found, UNKNOWN_IN_IF[:] = list(UNKNOWN_IN_IF), []
    assert found and all("unknown variable 'form.errors'" in line for line in found)

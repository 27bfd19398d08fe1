"""Optional questions say "(optional)", as the report form promises; a form of only optional filters does not."""

import re

import pytest

pytestmark = pytest.mark.django_db


def test_the_report_form_marks_the_optional_questions_and_only_those(client, region) -> None:
    page = client.get("/melden/").content.decode()
    marked = re.findall(
        r'<label class="utrecht-form-label" for="id_(\w+)">[^<]*<span class="meta">\(niet verplicht\)', page
    )
    assert "place" in marked and "reporter_name" in marked
    assert "description" not in marked  # a required question is not marked


def test_the_queue_filters_are_not_each_marked_optional(intake_client, region) -> None:
    assert "(niet verplicht)" not in intake_client.get("/medewerkers/meldingen/").content.decode()

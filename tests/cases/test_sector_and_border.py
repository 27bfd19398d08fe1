"""Two facts of a case the monitor counts (issue 25, item 6): the sector of labour exploitation, in the ISIC sections
of HTCDS 2.0, and whether the exploitation crossed a border. Asked with the forms of exploitation, audited like the
case's other fields, only for those who may change the case."""

import re

import pytest

from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.cases.models import Case
from kenniscentrum.lib.vocabulary import LabourSector
from tests.conftest import logged_in

pytestmark = pytest.mark.django_db


def update(client, case, **data):
    """The case's form as the page sends it: every field with what it holds now, but for `data`."""
    case.refresh_from_db()
    values = {"title": case.title, "summary": case.summary, "director": case.director_id or "",
              "municipality": case.municipality_id or "", "forms": case.forms,
              "labour_sector": case.labour_sector, "border": case.border, **data}  # fmt: skip
    return client.post(f"/medewerkers/casussen/{case.pk}/actie/update/", {f"update-{k}": v for k, v in values.items()})


def test_the_sectors_are_the_isic_sections_of_htcds() -> None:
    assert len(LabourSector.values) == 21
    assert LabourSector.values[0] == "A_AgricultureForestryAndFishing"
    assert LabourSector.values[-1] == "U_ActivitiesOfExtraterritorialOrganizations"


def test_a_sector_and_a_border_are_saved_and_audited_with_the_names_of_the_fields_only(case, director) -> None:
    client = logged_in(director)
    response = update(client, case, forms=["labour"], labour_sector="A_AgricultureForestryAndFishing",
                      border="cross_border")  # fmt: skip
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.labour_sector, case.border) == ("A_AgricultureForestryAndFishing", "cross_border")
    event = AuditEvent.objects.filter(action=Action.CASE_CHANGED, object_id=str(case.pk)).latest("id")
    assert event.actor == director
    assert sorted(event.details["changed"]) == ["border", "labour_sector"]
    page = client.get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    assert "Landbouw, bosbouw en visserij" in page and "Over een grens heen" in page
    # Back to "not known": a change like any other.
    assert update(client, case, forms=["labour"], labour_sector="", border="").status_code == 302
    case.refresh_from_db()
    assert (case.labour_sector, case.border) == ("", "")
    assert AuditEvent.objects.filter(action=Action.CASE_CHANGED, object_id=str(case.pk)).count() == 2


def test_a_value_not_in_the_list_is_refused_with_a_clear_message_and_what_was_typed_is_kept(case, director) -> None:
    client = logged_in(director)
    response = update(client, case, title="Kassen aan de rand", labour_sector="Z_Smuggling", border="domestic")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choose from the list." in page or "Kies uit de lijst." in page
    assert 'value="Kassen aan de rand"' in page
    assert re.search(r'value="domestic"[^>]*checked', page)
    wrong_border = update(client, case, labour_sector="F_Construction", border="elsewhere")
    assert wrong_border.status_code == 400
    assert '<option value="F_Construction" selected>' in wrong_border.content.decode()
    case.refresh_from_db()
    assert (case.title, case.labour_sector, case.border) == ("Werkers in een loods", "", "")
    assert not AuditEvent.objects.filter(action=Action.CASE_CHANGED, object_id=str(case.pk)).exists()


def test_the_database_refuses_a_sector_or_border_outside_the_list(case) -> None:
    from django.db import IntegrityError, transaction

    for field, value in (("labour_sector", "Z_Smuggling"), ("border", "elsewhere")):
        with pytest.raises(IntegrityError), transaction.atomic():
            Case.objects.filter(pk=case.pk).update(**{field: value})


def test_the_sector_is_shown_and_asked_where_labour_exploitation_is_among_the_forms(case, director) -> None:
    client = logged_in(director)
    update(client, case, forms=["sexual"], labour_sector="C_Manufacturing")
    case.refresh_from_db()
    # Stored as given, shown only when it matters.
    assert case.labour_sector == "C_Manufacturing"
    page = client.get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    assert "Industrie" not in page.split("<dl")[1].split("</dl>")[0]
    # The question is on the form, marked for the forms it belongs to: the page hides it until labour is ticked.
    assert 'data-asked-with="labour"' in page
    update(client, case, forms=["sexual", "labour"])
    facts = client.get(f"/medewerkers/casussen/{case.pk}/").content.decode().split("<dl")[1].split("</dl>")[0]
    assert "Industrie" in facts


@pytest.mark.parametrize("persona", ["coordinator", "granted", "ungranted", "analyst"])
def test_no_one_changes_a_case_they_may_not_change(case, request, persona) -> None:
    user = request.getfixturevalue(persona)
    response = update(logged_in(user), case, labour_sector="F_Construction", border="domestic")
    assert response.status_code in (403, 404)
    case.refresh_from_db()
    assert (case.labour_sector, case.border) == ("", "")
    assert not AuditEvent.objects.filter(action=Action.CASE_CHANGED, object_id=str(case.pk)).exists()

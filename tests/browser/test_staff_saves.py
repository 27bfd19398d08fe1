"""Issue 27, finding 1: saving a person on the Dutch page erased the date of birth. The date input carried
12-05-1994, which Chromium cannot read: it showed the field empty and sent it empty."""

from datetime import date
from typing import Any

from kenniscentrum.cases.models import Person
from kenniscentrum.cases.services import person_add
from kenniscentrum.lib.vocabulary import InvolvementRole
from tests.browser.conftest import check_page
from tests.browser.test_journeys import staff_login


def test_changing_a_persons_email_in_dutch_keeps_the_date_of_birth(page: Any, live_server, case, director) -> None:
    person = person_add(
        case=case, actor=director, person=None, role=InvolvementRole.VICTIM,
        person_data={"first_name": "Iryna", "last_name": "P.", "birthdate": date(1994, 5, 12),
                     "email": "iryna@example.test"},
    ).person  # fmt: skip

    staff_login(page, live_server, director)
    page.goto(f"/medewerkers/personen/{person.pk}/")
    check_page(page, live_server)
    birthdate = page.get_by_label("Geboortedatum")
    # Chromium shows the date it was given (an input it cannot read has the empty value).
    assert birthdate.input_value() == "1994-05-12"
    page.get_by_label("E-mail").fill("iryna.p@example.test")
    page.get_by_role("button", name="Opslaan").click()
    page.get_by_text("zijn opgeslagen").wait_for()
    check_page(page, live_server)

    person = Person.objects.get(pk=person.pk)
    assert (person.email, person.birthdate) == ("iryna.p@example.test", date(1994, 5, 12))
    assert page.get_by_label("Geboortedatum").input_value() == "1994-05-12"

"""Probe 3, finding 6: the de-identification page takes out only the names its user may see. A case director who may
not see who reported cannot learn the reporter's name by pasting guesses and watching which one is taken out."""

import pytest

from kenniscentrum.accounts.models import Role
from kenniscentrum.organisations.models import OrganisationType
from tests.conftest import logged_in, make_user

pytestmark = pytest.mark.django_db

# Written in lower case, so that only the names the case holds can take them out, not the look of a name.
GUESSES = "de melder heet misschien reporter, of toch zwartkop"


def result_for(user, case) -> str:
    page = logged_in(user).post(f"/medewerkers/casussen/{case.pk}/ontdaan/", {"text": GUESSES}).content.decode()
    return page.split("<h3>Resultaat</h3>")[1].split("</div>")[0]


def test_a_director_who_may_not_see_the_reporter_learns_nothing_from_guesses(case) -> None:
    other = make_user("saskia", Role.CASE_DIRECTOR, OrganisationType.KNOWLEDGE_CENTRE)
    result = result_for(other, case)
    # The right guess and the wrong one come back alike.
    assert "reporter" in result and "zwartkop" in result


def test_those_who_see_the_reporter_have_the_name_taken_out(case, director, intake) -> None:
    for user in (director, intake):
        result = result_for(user, case)
        assert "reporter" not in result and "zwartkop" in result

"""Finding 19 of issue 27: the review list filled with pairs of report mentions that share only a first name ("Leah"
and "Leah", at 0.20). A pair is suggested only when the two records share more than a first name: a surname, a date
of birth, a phone number or an address."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from kenniscentrum.cases.services import person_add
from kenniscentrum.lib.vocabulary import InvolvementRole
from kenniscentrum.linking.matching import more_than_a_first_name
from kenniscentrum.linking.models import PersonMatch
from kenniscentrum.linking.services import identifier_record
from kenniscentrum.reports.models import ReportPerson
from tests.conftest import submit_report


def record(**fields: str) -> dict[str, str]:
    return {"id": "x", "first_name": "", "last_name": "", "date_of_birth": "", "phone": "", "postcode": "",
            "house_number": ""} | fields  # fmt: skip


def test_a_first_name_alone_is_not_enough_to_suggest_a_pair() -> None:
    leah = record(first_name="Leah")
    assert not more_than_a_first_name(leah, leah)
    # A surname on one side only is still just a first name in common.
    assert not more_than_a_first_name(leah, record(first_name="Leah", last_name="Jansen", date_of_birth="2001-01-05"))
    jansen = record(first_name="Leah", last_name="Jansen")
    assert more_than_a_first_name(jansen, jansen | {"first_name": "Lea", "last_name": "Janssen"})
    assert more_than_a_first_name(leah | {"phone": "0612345678"}, leah | {"phone": "06 12345678"})
    assert more_than_a_first_name(leah | {"date_of_birth": "2001-01-05"}, leah | {"date_of_birth": "2001-05-01"})
    assert more_than_a_first_name(leah | {"postcode": "7511 AB", "house_number": "4"},
                                  leah | {"postcode": "7511AB", "house_number": "4"})  # fmt: skip


@pytest.mark.django_db
def test_reports_that_each_mention_only_leah_are_not_suggested_as_one_human(case, director) -> None:
    for _ in range(3):
        ReportPerson.objects.create(report=submit_report().report, role="victim", description="Leah")
    person_add(case=case, actor=director, person=None, role=InvolvementRole.VICTIM,
               person_data={"first_name": "Leah", "birthdate": date(2004, 3, 1)})  # fmt: skip

    call_command("match_persons", stdout=StringIO())

    assert not PersonMatch.objects.exists()


@pytest.mark.django_db
def test_two_mentions_of_leah_with_the_same_phone_number_are_still_suggested(region) -> None:
    for _ in range(2):
        leah = ReportPerson.objects.create(report=submit_report().report, role="victim", description="Leah")
        identifier_record(kind="phone", text="06-23456780", actor=None, source="reporter", report_person=leah)

    call_command("match_persons", stdout=StringIO())

    assert PersonMatch.objects.count() == 1


@pytest.mark.django_db
def test_the_next_run_takes_undecided_first_name_pairs_off_the_review_list_and_keeps_decided_ones(region) -> None:
    leahs = [ReportPerson.objects.create(report=submit_report().report, role="victim", description="Leah")
             for _ in range(4)]  # fmt: skip
    undecided = PersonMatch.objects.create(
        pair=f"r{leahs[0].pk}~r{leahs[1].pk}", probability=0.2, report_person_a=leahs[0], report_person_b=leahs[1]
    )
    rejected = PersonMatch.objects.create(pair=f"r{leahs[2].pk}~r{leahs[3].pk}", probability=0.2, status="rejected",
                                          report_person_a=leahs[2], report_person_b=leahs[3])  # fmt: skip
    rejected.transitions.create(from_status="suggested", to_status="rejected")

    call_command("match_persons", stdout=StringIO())

    assert not PersonMatch.objects.filter(pk=undecided.pk).exists()
    assert PersonMatch.objects.filter(pk=rejected.pk).exists()

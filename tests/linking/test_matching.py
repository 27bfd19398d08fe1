"""Person matching with Splink: quality on 10,000 labelled synthetic records, the CSV command, settings that run on
any backend, and the review list: confirm, reject, undo, a rejected pair never suggested again."""

import csv
import itertools
from collections import defaultdict
from datetime import date
from io import StringIO

import pytest
import sqlglot
from django.core.management import call_command
from django.core.management.base import CommandError

from bench.persons import records
from kenniscentrum.cases.services import person_add
from kenniscentrum.lib.vocabulary import InvolvementRole
from kenniscentrum.linking import matching
from kenniscentrum.linking.models import PersonMatch, PersonMatchTransition
from tests.conftest import logged_in


def test_pairwise_f1_and_b_cubed_on_ten_thousand_labelled_records() -> None:
    rows = list(records(10_000, seed=11))  # not the records the model was trained on (seed 7)
    truth = {r["id"]: r["truth"] for r in rows}
    found = {(a, b) for a, b, _p in matching.pairs(rows)}
    humans = defaultdict(list)
    for row in rows:
        humans[row["truth"]].append(row["id"])
    true = {
        tuple(sorted(p, key=lambda v: (len(v), v))) for ids in humans.values() for p in itertools.combinations(ids, 2)
    }
    precision, recall = len(found & true) / len(found), len(found & true) / len(true)
    assert 2 * precision * recall / (precision + recall) >= 0.95, (precision, recall)
    cluster = {r["id"]: r["cluster_id"] for r in matching.clusters(rows)}
    members = defaultdict(set)
    for record_id, cluster_id in cluster.items():
        members[cluster_id].add(record_id)
    same = {i: members[cluster[i]] & set(humans[truth[i]]) for i in cluster}
    b_precision = sum(len(same[i]) / len(members[cluster[i]]) for i in cluster) / len(cluster)
    b_recall = sum(len(same[i]) / len(humans[truth[i]]) for i in cluster) / len(cluster)
    assert 2 * b_precision * b_recall / (b_precision + b_recall) >= 0.95


def test_names_in_another_script_or_with_particles_compare_as_one() -> None:
    assert (
        matching.prepared({"id": 1, "first_name": "Олена", "last_name": "Коваленко"})["full_name"] == "olena kovalenko"
    )
    berg = matching.prepared({"id": 2, "first_name": "Jan", "last_name": "van der Berg"})
    assert (berg["last_name"], berg["particles"]) == ("berg", "van der")
    assert matching.prepared({"id": 3, "last_name": "Wiśniewska"})["last_name"] == "wisniewska"
    assert (
        matching.prepared({"id": 4, "phone": "06-12345678", "date_of_birth": "31-12-1990"})["phone"] == "+31612345678"
    )


def test_the_settings_run_on_any_backend() -> None:
    """Every SQL condition of the trained model reads as Spark SQL too: the same model file runs on Spark."""
    model = matching.model()
    levels = [level for c in model["comparisons"] for level in c["comparison_levels"]]
    conditions = [level["sql_condition"] for level in levels if level["sql_condition"] != "ELSE"]
    conditions += [rule["blocking_rule"] for rule in model["blocking_rules_to_generate_predictions"]]
    for condition in conditions:
        assert sqlglot.transpile(condition, read="duckdb", write="spark"), condition
    assert model["link_type"] == "dedupe_only" and model["unique_id_column_name"] == "id"


def test_the_csv_command_writes_a_cluster_per_record(tmp_path) -> None:
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_text(
        "id,first_name,last_name,date_of_birth,gender,nationality,phone,postcode,house_number,place\n"
        "a1,Olena,Kovalenko,1990-04-12,F,UA,0612345678,,,Almelo\n"
        "a2,Олена,Коваленко,1990-04-12,F,UA,+31 6 12345678,,,\n"
        "a3,Jan,de Vries,1971-02-03,M,NL,,7511AB,12,Enschede\n",
        encoding="utf-8",
    )
    call_command("match_persons", csv=source, out=target, stdout=StringIO())
    with target.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["id", "cluster_id", "match_probability"]
    by_id = {row["id"]: row for row in rows}
    assert by_id["a1"]["cluster_id"] == by_id["a2"]["cluster_id"] != by_id["a3"]["cluster_id"]
    assert float(by_id["a2"]["match_probability"]) > 0.9 and by_id["a3"]["match_probability"] == ""
    (tmp_path / "bad.csv").write_text("naam\nx\n", encoding="utf-8")
    with pytest.raises(CommandError, match="column id"):
        call_command("match_persons", csv=tmp_path / "bad.csv", out=target, stdout=StringIO())
    with pytest.raises(CommandError, match="both"):
        call_command("match_persons", csv=source, stdout=StringIO())


@pytest.mark.django_db
def test_a_director_confirms_rejects_and_undoes_and_a_rejected_pair_stays_away(case, director, intake) -> None:
    from kenniscentrum.cases.services import case_open_from_report
    from tests.conftest import submit_report

    other = case_open_from_report(report=submit_report().report, title="Tweede casus", actor=intake)
    one = person_add(case=case, actor=director, person=None, role=InvolvementRole.VICTIM, age_at_start=30,
                     person_data={"first_name": "Olena", "last_name": "Kovalenko", "birthdate": date(1990, 4, 12),
                                  "nationalities": ["UA"], "phone": "06-12345678"})  # fmt: skip
    two = person_add(case=other, actor=intake, person=None, role=InvolvementRole.VICTIM, age_at_start=30,
                     person_data={"first_name": "Олена", "last_name": "Коваленко", "birthdate": date(1990, 4, 12),
                                  "nationalities": ["UA"]})  # fmt: skip
    person_add(case=other, actor=intake, person=None, role=InvolvementRole.SUSPECT,
               person_data={"first_name": "Jan", "last_name": "de Vries", "birthdate": date(1971, 2, 3)})  # fmt: skip
    call_command("match_persons", stdout=StringIO())
    match = PersonMatch.objects.get()
    assert {match.person_a, match.person_b} == {one.person, two.person} and match.status == "suggested"

    client = logged_in(director)
    page = client.get("/medewerkers/koppelingen/personen/").content.decode()
    assert "Olena Kovalenko" in page and "Олена Коваленко" in page and "Jan de Vries" not in page
    no_reason = client.post("/medewerkers/koppelingen/personen/", {"match": match.pk, "step": "confirm"}, follow=True)
    assert "Leg de reden vast." in no_reason.content.decode()
    assert logged_in(intake).post("/medewerkers/koppelingen/personen/", {"match": match.pk, "step": "confirm",
                                                                         "text": "x"}).status_code == 400  # fmt: skip
    client.post("/medewerkers/koppelingen/personen/", {"match": match.pk, "step": "confirm", "text": "Zelfde paspoort"})
    match.refresh_from_db()
    assert match.status == "confirmed" and match.decided_by == director
    person_page = client.get(f"/medewerkers/personen/{one.person.pk}/").content.decode()
    assert f"/medewerkers/personen/{two.person.pk}/" in person_page.split("<h3>Dezelfde mens</h3>")[1]

    client.post("/medewerkers/koppelingen/personen/", {"match": match.pk, "step": "undo", "text": "Toch twijfel"})
    client.post("/medewerkers/koppelingen/personen/", {"match": match.pk, "step": "reject"})
    match.refresh_from_db()
    assert match.status == "rejected" and match.decided_by == director
    assert list(PersonMatchTransition.objects.values_list("transition", flat=True)) == ["confirm", "undo", "reject"]
    call_command("match_persons", stdout=StringIO())
    assert PersonMatch.objects.count() == 1 and PersonMatch.objects.get().status == "rejected"
    assert (
        client.post(
            "/medewerkers/koppelingen/personen/", {"match": "999999999999999999999", "step": "undo"}
        ).status_code
        == 400
    )


@pytest.mark.django_db
def test_a_person_named_in_a_report_without_a_case_is_matched_and_shown_only_to_the_desk(case, director, partner):
    from django.db import IntegrityError, transaction

    from kenniscentrum.linking.services import identifier_record, matching_records
    from kenniscentrum.reports.models import ReportPerson
    from tests.conftest import submit_report
    from tests.factories import AccessGrantFactory

    victim = person_add(case=case, actor=director, person=None, role=InvolvementRole.SUSPECT,
                        person_data={"first_name": "Vasyl", "last_name": "Petrenko", "phone": "06-23456780",
                                     "birthdate": date(1984, 6, 2)})  # fmt: skip
    report = submit_report().report
    named = ReportPerson.objects.create(report=report, role="suspect", description="Vasil Petrenko", age="about 40")
    identifier_record(kind="phone", text="+31 6 2345 6780", actor=None, source="reporter", report_person=named)
    # A description that is no name, without a number, is not compared at all.
    ReportPerson.objects.create(report=report, role="other", description="a tall man with a white van 2x")
    assert {r["id"] for r in matching_records()} == {f"p{victim.person.pk}", f"r{named.pk}"}

    call_command("match_persons", stdout=StringIO())
    match = PersonMatch.objects.get()
    assert {match.side_a, match.side_b} == {victim.person, named}
    client = logged_in(director)
    page = client.get("/medewerkers/koppelingen/personen/").content.decode()
    assert f"genoemd in melding {report.reference}" in page and f"/medewerkers/meldingen/{report.pk}/" in page
    client.post("/medewerkers/koppelingen/personen/", {"match": match.pk, "step": "confirm", "text": "Zelfde nummer"})
    match.refresh_from_db()
    assert match.status == "confirmed"
    # The report's page names the person in the case file; the person's page names the report, for the desk only.
    report_page = client.get(f"/medewerkers/meldingen/{report.pk}/").content.decode()
    assert f"/medewerkers/personen/{victim.person.pk}/" in report_page.split("<h3>Dezelfde mens</h3>")[1]
    person_url = f"/medewerkers/personen/{victim.person.pk}/"
    assert report.reference in client.get(person_url).content.decode().split("<h3>Dezelfde mens</h3>")[1]
    AccessGrantFactory(case=case, organisation=partner.organisation, granted_by=director)
    partner_page = logged_in(partner).get(person_url)
    assert partner_page.status_code == 200 and report.reference not in partner_page.content.decode()
    # Once a case opens from the report, its persons are persons in the case file, and the report's are left out.
    from kenniscentrum.cases.services import case_open_from_report

    case_open_from_report(report=report, title="Uit de melding", actor=director)
    assert f"r{named.pk}" not in {r["id"] for r in matching_records()}
    # Each side is one person of one kind: the database refuses a side with both or neither.
    for sides in ({"person_a": victim.person, "report_person_a": named}, {"person_a": None}):
        with pytest.raises(IntegrityError), transaction.atomic():
            PersonMatch.objects.create(pair=f"x{len(sides)}", probability=0.5, person_b=victim.person, **sides)


@pytest.mark.django_db
def test_a_persons_contact_details_in_the_case_file_are_identifiers_seen_before(case, director) -> None:
    from kenniscentrum.cases.services import person_update
    from kenniscentrum.linking.models import Sighting
    from tests.conftest import submit_report

    person = person_add(case=case, actor=director, person=None, role=InvolvementRole.VICTIM, age_at_start=30,
                        person_data={"first_name": "Ana", "phone": "06 12 34 56 78", "street": "Hoofdstraat 12a",
                                     "postal_code": "7511 ab", "email": "Ana@Example.org"})  # fmt: skip
    seen = {(s.identifier.kind, s.identifier.value) for s in Sighting.objects.filter(person=person.person)}
    assert seen == {("phone", "+31612345678"), ("address", "7511AB 12-A"), ("email", "ana@example.org")}
    person_update(person=person.person, actor=director, phone="0687654321", city="Enschede")
    assert Sighting.objects.filter(person=person.person, identifier__kind="phone").count() == 2  # the old one stays
    person_update(person=person.person, actor=director, city="Hengelo")  # no contact field: nothing new
    assert Sighting.objects.filter(person=person.person).count() == 4
    other = submit_report().report
    from kenniscentrum.linking.services import identifier_record

    identifier_record(kind="phone", text="+31687654321", actor=None, source="reporter", report=other)
    page = logged_in(director).get(f"/medewerkers/meldingen/{other.pk}/").content.decode()
    assert f"/medewerkers/personen/{person.person.pk}/" in page.split("Eerder gezien")[1]

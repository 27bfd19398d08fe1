"""The de-identified record file: k ≥ 11 on every column and l ≥ 2, checked with pycanon, on a national-sized year of
generated victims and on the demo's; no name, identifier, date or free text; for inside the centre only. The
attacker's tests are in test_probe3_records.py."""

import csv
import io
import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from kenniscentrum.accounts.models import Role
from kenniscentrum.insights import records
from kenniscentrum.lib.vocabulary import Gender
from kenniscentrum.organisations.models import OrganisationType
from tests.conftest import logged_in, make_user

COUNTRIES = ["NL", "PL", "RO", "BG", "UA", "NG", "VN", "CN", "ER", "SY", "MA", "TR", "BR", "IN", "PH", "HU", "LT"]


def generated(n: int, seed: int = 5, year: int = 2024) -> list[dict]:
    """One year's victims with a long tail of nationalities and every age, as a country's records might be."""
    rng = random.Random(seed)
    return [
        {
            "year": year,
            "gender": rng.choice([g.value for g in Gender]),
            "age": rng.choice([None, *range(6, 70)]),
            "citizenship": rng.choice(COUNTRIES[: rng.randint(1, len(COUNTRIES))] + [""]),
            "forms": rng.sample(["labour", "sexual", "criminal", "organ_removal"], rng.randint(0, 2)),
            "methods": rng.sample(list(records.MEANS), rng.randint(0, 3)),
        }
        for _ in range(n)
    ]


def test_a_national_sized_year_is_eleven_anonymous_with_two_forms_in_every_group() -> None:
    found = records.anonymised(generated(5_000), year=2024)
    assert found["k"] is not None and found["k"] >= 11 and found["l"] >= 2
    assert found["total"] == 5_000 and found["left_out"] == found["total"] - len(found["rows"]["ctdc"])
    assert found["left_out"] <= 0.25 * found["total"]
    # pycanon's own k on the file as written, not on what the function says it is.
    written = list(csv.reader(io.StringIO(as_csv(found))))
    assert (
        records.measured({"ctdc": written[0], "htcds": written[0]}, {"ctdc": written[1:], "htcds": written[1:]})[0]
        >= 11
    )


def test_a_small_set_is_generalised_further_or_left_out() -> None:
    found = records.anonymised(generated(300, seed=9), year=2024)
    assert found["k"] is None or (found["k"] >= 11 and found["steps"])
    assert found["left_out"] + len(found["rows"]["ctdc"]) == 300


def as_csv(found: records.RecordFile) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(found["columns"]["ctdc"])
    writer.writerows(found["rows"]["ctdc"])
    return out.getvalue()


@pytest.mark.django_db
def test_the_demos_file_is_eleven_anonymous_and_holds_nothing_personal(settings) -> None:
    settings.DEMO_MODE = True
    call_command("load_demo", reports=150, cases=60, stdout=StringIO())
    from kenniscentrum.cases.models import Person
    from kenniscentrum.insights.models import Release

    user = make_user("carla", Role.ANALYST, OrganisationType.KNOWLEDGE_CENTRE)
    year = timezone.localdate().year - 1
    found = Release.objects.get(year=year).records  # the demo publishes its completed years
    assert found == records.record_release(year) | {"rows": found["rows"]}  # the same file, shuffled once
    inside = logged_in(user)
    page = inside.get("/medewerkers/monitor/dataset/").content.decode()
    assert "k-anonimiteit" in page and f"Casussen geopend in {year}" in page
    text = inside.get(f"/medewerkers/monitor/dataset/{year}/ctdc.csv").content.decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == found["columns"]["ctdc"] and len(rows) == 1 + len(found["rows"]["ctdc"])
    assert found["total"] > 0 and (found["k"] is None or found["k"] >= 11)
    names = {n for p in Person.objects.all() for n in (p.first_name, p.last_name) if len(n) > 3}
    assert not any(name in text for name in names)
    assert all(row[0] == str(year) for row in rows[1:])  # the year, never a date
    htcds = inside.get(f"/medewerkers/monitor/dataset/{year}/htcds.csv").content.decode().splitlines()[0]
    assert htcds.split(",")[:3] == ["yearOfRegistration", "prs_Gender", "ageBroad"]
    book = load_workbook(io.BytesIO(inside.get(f"/medewerkers/monitor/dataset/{year}/ctdc.xlsx").content))
    about = {row[0].value: row[1].value for row in book["about"].iter_rows() if len(row) > 1}
    assert any(key.startswith("k-anonimiteit") for key in about)
    outside = logged_in(make_user("anna", Role.ANALYST, OrganisationType.MUNICIPALITY))
    assert outside.get("/medewerkers/monitor/dataset/").status_code == 403
    assert outside.get(f"/medewerkers/monitor/dataset/{year}/ctdc.csv").status_code == 403

"""The de-identified record-level export: k ≥ 11 on the quasi-identifiers, checked with pycanon, on 100,000 generated
victims and on the demo's; no name, identifier, date or free text; for inside the centre only."""

import csv
import io
import random
from io import StringIO

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from kenniscentrum.accounts.models import Role
from kenniscentrum.insights import records
from kenniscentrum.lib.vocabulary import Gender
from kenniscentrum.organisations.models import OrganisationType
from tests.conftest import logged_in, make_user

COUNTRIES = ["NL", "PL", "RO", "BG", "UA", "NG", "VN", "CN", "ER", "SY", "MA", "TR", "BR", "IN", "PH", "HU", "LT"]


def generated(n: int, seed: int = 5) -> list[dict]:
    """Victims with a long tail of nationalities and every age, as a region's records over many years might be."""
    rng = random.Random(seed)
    return [
        {
            "year": rng.randint(2016, 2026),
            "gender": rng.choice([g.value for g in Gender]),
            "age": rng.choice([None, *range(6, 70)]),
            "citizenship": rng.choice(COUNTRIES[: rng.randint(1, len(COUNTRIES))] + [""]),
            "forms": rng.sample(["labour", "sexual", "criminal", "organ_removal"], rng.randint(0, 2)),
            "methods": rng.sample(list(records.MEANS), rng.randint(0, 3)),
        }
        for _ in range(n)
    ]


def test_one_hundred_thousand_generated_victims_are_eleven_anonymous() -> None:
    found = records.anonymised(generated(100_000))
    assert found.k is not None and found.k >= 11
    assert found.total == 100_000 and found.left_out == found.total - len(found.records)
    assert found.left_out <= 0.05 * found.total
    # pycanon's own k on the file as written, not on what the function says it is.
    written = list(csv.DictReader(io.StringIO(as_csv(found.records))))
    assert records.measured(written)[0] >= 11


def test_a_small_set_is_generalised_further_or_left_out() -> None:
    found = records.anonymised(generated(300, seed=9))
    assert found.steps and (found.k is None or found.k >= 11)
    assert found.left_out + len(found.records) == 300


def as_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=records.CTDC_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


@pytest.mark.django_db
def test_the_demos_export_is_eleven_anonymous_and_holds_nothing_personal(settings) -> None:
    settings.DEMO_MODE = True
    call_command("load_demo", reports=150, cases=60, stdout=StringIO())
    from kenniscentrum.cases.models import Person

    inside = logged_in(make_user("carla", Role.ANALYST, OrganisationType.KNOWLEDGE_CENTRE))
    page = inside.get("/medewerkers/monitor/dataset/").content.decode()
    assert "k-anonimiteit" in page
    text = inside.get("/medewerkers/monitor/dataset/ctdc.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and list(rows[0]) == records.CTDC_COLUMNS
    assert records.measured(rows)[0] >= 11
    names = {n for p in Person.objects.all() for n in (p.first_name, p.last_name) if len(n) > 3}
    assert not any(name in text for name in names)
    assert all(len(r["yearOfRegistration"]) in (4, 10) for r in rows)  # a year or a period, never a date
    htcds = inside.get("/medewerkers/monitor/dataset/htcds.csv").content.decode().splitlines()[0]
    assert htcds.split(",")[:4] == ["yearOfRegistration", "prs_Gender", "ageBroad", "prs_Citizenship"]
    book = load_workbook(io.BytesIO(inside.get("/medewerkers/monitor/dataset/ctdc.xlsx").content))
    about = {row[0].value: row[1].value for row in book["about"].iter_rows() if len(row) > 1}
    assert any(key.startswith("k-anonimiteit") for key in about)
    outside = logged_in(make_user("anna", Role.ANALYST, OrganisationType.MUNICIPALITY))
    assert outside.get("/medewerkers/monitor/dataset/").status_code == 403
    assert outside.get("/medewerkers/monitor/dataset/ctdc.csv").status_code == 403

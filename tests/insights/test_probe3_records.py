"""Issue 25, item 4: the record file of possible victims, read as a trafficker or a relative would read it. They know
her year, gender, age, nationality, form of exploitation and means of control; the file must not single her out
(k ≥ 11 on every column), must not tell her form to whoever knows who she is (l ≥ 2 within year, gender, age band and
nationality), must not keep the order in which victims came, and must not change when a victim is added (frozen per
year, read from the release only)."""

import csv
import io
from collections import Counter, defaultdict
from datetime import datetime
from typing import Any

import pytest
from django.utils import timezone

from kenniscentrum.audit.models import Action, AuditEvent
from kenniscentrum.cases.models import Case, Involvement, Person
from kenniscentrum.insights import records
from kenniscentrum.insights.models import Release
from kenniscentrum.lib.vocabulary import InvolvementRole
from kenniscentrum.organisations.models import Municipality
from tests.conftest import logged_in
from tests.insights.test_pages import centre_analyst
from tests.insights.twente import twente_year

YEAR = 2024


def rows_of(found: records.RecordFile, layout: str = "ctdc") -> list[dict[str, Any]]:
    return [dict(zip(found["columns"][layout], row, strict=True)) for row in found["rows"][layout]]


def victims(n: int, gender: str, age: int | None, nationality: str, forms: list[str], methods: list[str],
            year: int = YEAR) -> list[dict[str, Any]]:  # fmt: skip
    return [{"year": year, "gender": gender, "age": age, "citizenship": nationality, "forms": forms,
             "methods": methods}] * n  # fmt: skip


def smallest_row_count(found: records.RecordFile) -> int:
    """How many records share the rarest row of the file, over every column, in either layout."""
    return min(min(Counter(map(tuple, found["rows"][layout])).values()) for layout in ("ctdc", "htcds"))


def forms_per_demographic_group(found: records.RecordFile) -> dict[tuple[str, ...], set[str]]:
    groups: defaultdict[tuple[str, ...], set[str]] = defaultdict(set)
    for row in rows_of(found):
        groups[tuple(str(row.get(c)) for c in records.DEMOGRAPHIC)].add(row[records.FORM])
    return groups


TWENTE = [twente_year(YEAR, seed) for seed in range(5)]
# A year of a region five times Twente's size (or several regions' files pooled): enough for rows to be published.
LARGER = twente_year(YEAR, 11, size=400)


@pytest.mark.parametrize("rows", [*TWENTE, LARGER], ids=[*(f"twente-{n}" for n in range(5)), "larger"])
def test_every_published_row_is_shared_by_at_least_k_records_on_every_column(rows) -> None:
    found = records.anonymised(rows, year=YEAR)
    assert found["total"] == len(rows) and found["left_out"] == len(rows) - len(found["rows"]["ctdc"])
    assert records.FORM in found["columns"]["ctdc"]
    if found["rows"]["ctdc"]:
        assert smallest_row_count(found) >= records.K
        assert found["k"] is not None and found["k"] >= records.K
    assert rows is not LARGER or len(found["rows"]["ctdc"]) >= 0.3 * len(rows)


def test_the_one_victim_with_a_rare_form_is_not_singled_out_by_her_form() -> None:
    """She is an adult Dutch woman like 60 others; the others were sexually or labour exploited, she was made to
    deal drugs. Her trafficker knows that, and must not find her row."""
    rows = [*victims(60, "Feminine", 25, "NL", ["sexual"], ["FalsePromises"]),
            *victims(60, "Feminine", 25, "NL", ["labour"], ["FalsePromises"]),
            *victims(1, "Feminine", 25, "NL", ["criminal"], ["FalsePromises"])]  # fmt: skip
    found = records.anonymised(rows, year=YEAR)
    assert "CriminalExploitation" not in {row[records.FORM] for row in rows_of(found)}
    assert smallest_row_count(found) >= records.K and len(found["rows"]["ctdc"]) == 120


def test_the_one_victim_with_a_rare_means_of_control_is_not_singled_out_by_it() -> None:
    """Like 60 others in all the rest, but she was drugged: her trafficker knows the means, and must not find her."""
    rows = [*victims(60, "Feminine", 25, "NL", ["sexual"], ["FalsePromises"]),
            *victims(60, "Feminine", 25, "NL", ["labour"], ["DebtBondage"]),
            *victims(1, "Feminine", 25, "NL", ["sexual"], ["PsychoactiveSubstance"])]  # fmt: skip
    found = records.anonymised(rows, year=YEAR)
    means = [c for c in found["columns"]["ctdc"] if c.startswith(("meansOfControl", "control"))]
    assert means, "the means are published here, so they must be a quasi-identifier"
    assert smallest_row_count(found) >= records.K and len(found["rows"]["ctdc"]) == 120
    assert not [row for row in rows_of(found) if row.get("meansOfControlPsychoactiveSubstances") == 1]


@pytest.mark.parametrize("rows", [*TWENTE, LARGER], ids=[*(f"twente-{n}" for n in range(5)), "larger"])
def test_a_relative_who_knows_who_she_is_does_not_learn_her_form(rows) -> None:
    found = records.anonymised(rows, year=YEAR)
    groups = forms_per_demographic_group(found)
    assert all(len(forms) >= records.L for forms in groups.values()), groups
    assert not found["rows"]["ctdc"] or found["l"] >= records.L


def test_thirteen_girls_under_18_all_sexually_exploited_are_not_published_as_such() -> None:
    """The probe's class: 13 Dutch girls under 18, all sexually exploited. Published, their row tells each girl's
    family her form; they are generalised into a group with other forms, or left out."""
    rows = [*victims(13, "Feminine", 15, "NL", ["sexual"], []),
            *victims(40, "Masculine", 30, "PL", ["labour"], []),
            *victims(40, "Masculine", 30, "PL", ["criminal"], [])]  # fmt: skip
    found = records.anonymised(rows, year=YEAR)
    girls = [row for row in rows_of(found) if row["gender"] == "Female"]
    assert not girls
    assert len(found["rows"]["ctdc"]) == 80 and found["left_out"] == 13


def test_a_file_that_fails_k_or_l_is_never_made(monkeypatch) -> None:
    """Whatever goes wrong in generalising or leaving out, pycanon's measure on the rows as stored stops the file."""
    rows = [*victims(13, "Feminine", 15, "NL", ["sexual"], []), *victims(1, "Masculine", 30, "PL", ["labour"], [])]
    keep_all = records._generalised

    def nothing_left_out(victims, ladders, levels):
        choice = keep_all(victims, ladders, levels)
        return choice._replace(kept=set(victims), left_out=0)

    monkeypatch.setattr(records, "_generalised", nothing_left_out)
    with pytest.raises(records.NotAnonymous):
        records.anonymised(rows, year=YEAR)


def test_rows_are_not_in_the_order_the_victims_came() -> None:
    """Registered in blocks (a raid brings 30 workers in one week); the file does not tell which came when, nor
    keeps any order that follows it."""
    blocks = [
        ("Feminine", ["sexual"]),
        ("Feminine", ["labour"]),
        ("Masculine", ["labour"]),
        ("Masculine", ["criminal"]),
    ]
    rows = [row for gender, forms in blocks for row in victims(30, gender, None, "", forms, [])]
    came = [(records.CTDC_GENDER[r["gender"]], records.victim(r).forms[0]) for r in rows]
    files = [records.anonymised(rows, year=YEAR) for _ in range(2)]
    orders = [[(row["gender"], row[records.FORM]) for row in rows_of(found)] for found in files]
    assert sorted(orders[0]) == sorted(came)  # every one of them is in the file
    assert orders[0] != came and orders[0] != sorted(came) and orders[0] != sorted(came, reverse=True)
    assert orders[0] != orders[1]  # not one fixed order either: the same year made twice is shuffled twice
    # Both layouts in the same order, so they are one file in two languages, not two ways to join.
    assert [r["prs_Gender"] for r in rows_of(files[0], "htcds")] == [records.HTCDS_GENDER[g] for g, _f in orders[0]]


# The file is frozen: made once with the release, read only from it.


def victims_in_db(rows: list[dict[str, Any]], *, month: int = 3) -> None:
    """The rows as cases with one possible victim each, opened in their year, in the municipalities of Twente."""
    places = list(Municipality.objects.all()[:14])
    first = Case.objects.count()
    cases = Case.objects.bulk_create(
        Case(reference=f"C-T-{first + n:05d}", title="Generated", municipality=places[n % len(places)],
             forms=row["forms"], methods_of_control=row["methods"],
             created_at=timezone.make_aware(datetime(row["year"], month, 1 + n % 28, 12)))
        for n, row in enumerate(rows)
    )  # fmt: skip
    persons = Person.objects.bulk_create(
        Person(gender=row["gender"], nationalities=[row["citizenship"]] if row["citizenship"] else []) for row in rows
    )
    Involvement.objects.bulk_create(
        Involvement(case=case, person=person, role=InvolvementRole.VICTIM, age_at_start=row["age"])
        for case, person, row in zip(cases, persons, rows, strict=True)
    )


# Two groups, each with two forms of 30: all 120 can be published as they are.
BLOCKS = [*victims(30, "Feminine", 16, "NL", ["sexual"], []), *victims(30, "Feminine", 16, "NL", ["criminal"], []),
          *victims(30, "Masculine", 35, "PL", ["labour"], []),
          *victims(30, "Masculine", 35, "PL", ["criminal"], [])]  # fmt: skip


def release(year: int, user: Any) -> Release:
    return Release.objects.create(year=year, made_by=user, published={}, exact={},
                                  records=records.record_release(year), digest="0" * 64)  # fmt: skip


def download(client: Any, year: int, layout: str = "ctdc", extension: str = "csv") -> Any:
    return client.get(f"/medewerkers/monitor/dataset/{year}/{layout}.{extension}")


@pytest.mark.django_db
def test_the_file_of_a_year_is_the_same_before_and_after_a_victim_is_added_to_a_later_year(region) -> None:
    victims_in_db(BLOCKS)
    before = records.record_release(YEAR)
    victims_in_db(victims(1, "Feminine", 16, "NL", ["sexual"], [], year=YEAR + 1))
    after = records.record_release(YEAR)
    assert len(before["rows"]["ctdc"]) == 120
    # The same file but for its order, which is drawn again each time it is made (and then kept in the release).
    for found in (before, after):
        found["rows"] = {layout: sorted(rows) for layout, rows in found["rows"].items()}  # type: ignore[typeddict-item]
    assert before == after


@pytest.mark.django_db
def test_a_victim_added_after_the_release_never_appears_in_the_download(region) -> None:
    user = centre_analyst()
    client = logged_in(user)
    victims_in_db(BLOCKS)
    made = release(YEAR, user)
    first = download(client, YEAR).content
    # One more girl in the released year (a case registered late, dated back) and one in the next year.
    victims_in_db(victims(1, "Feminine", 16, "NL", ["sexual"], []), month=12)
    victims_in_db(victims(1, "Feminine", 16, "NL", ["sexual"], [], year=YEAR + 1))
    second = download(client, YEAR).content
    assert first == second
    assert len(list(csv.DictReader(io.StringIO(second.decode())))) == 120 == len(made.records["rows"]["ctdc"])
    assert download(client, YEAR, "htcds").content == download(client, YEAR, "htcds").content


@pytest.mark.django_db
def test_only_a_released_year_can_be_read(region) -> None:
    user = centre_analyst()
    client = logged_in(user)
    victims_in_db(BLOCKS)
    assert download(client, YEAR).status_code == 404  # the live records are never a file
    release(YEAR, user)
    assert download(client, YEAR).status_code == 200
    assert download(client, YEAR + 1).status_code == 404
    Release.objects.create(year=YEAR - 1, made_by=user, published={}, exact={}, digest="0" * 64)  # no record file
    assert download(client, YEAR - 1).status_code == 404
    assert (
        download(client, YEAR, "other").status_code == 404 and download(client, YEAR, "ctdc", "pdf").status_code == 404
    )
    with pytest.raises(ValueError):
        records.record_release(timezone.localdate().year)  # a year not yet over has no file


@pytest.mark.django_db
def test_the_page_lists_the_released_years_and_downloads_are_audited(region, analyst) -> None:
    user = centre_analyst()
    client = logged_in(user)
    victims_in_db(BLOCKS)
    victims_in_db(twente_year(YEAR - 1, 3))
    release(YEAR, user)
    release(YEAR - 1, user)
    page = client.get("/medewerkers/monitor/dataset/").content.decode()
    assert f"Casussen geopend in {YEAR}" in page and f"/dataset/{YEAR - 1}/htcds.csv" in page
    assert "120 van 120" in page and "Geen gegevens van dit jaar" in page  # the Twente year: nothing could go
    response = download(client, YEAR, "ctdc", "xlsx")
    assert response.status_code == 200
    event = AuditEvent.objects.filter(action=Action.FIGURES_EXPORTED).latest("pk")
    assert event.details["year"] == YEAR and event.details["records"] == 120
    outside = logged_in(analyst)  # an analyst of a municipality
    assert outside.get("/medewerkers/monitor/dataset/").status_code == 403
    assert download(outside, YEAR).status_code == 403

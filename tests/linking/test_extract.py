"""Extraction from free text: precision and recall per kind on the labelled set (tests/data, 292 synthetic Dutch and
English texts written for the project), at the floors of issue 14; the figures are in docs/linking.md."""

import json
from collections import Counter
from pathlib import Path

import pytest

from kenniscentrum.linking.extract import candidates

DATA = Path(__file__).parent.parent / "data"
# Recall and precision each kind must reach (issue 14); an address counts by its postcode and house number.
FLOORS = {"phone": (0.95, 0.9), "email": (0.95, 0.9), "iban": (0.95, 0.9), "plate": (0.95, 0.9), "address": (0.95, 0.9)}


def labelled() -> list[dict]:
    rows = []
    for name in ("extraction.jsonl", "extraction_hand.jsonl"):
        rows += [json.loads(line) for line in (DATA / name).read_text(encoding="utf-8").splitlines()]
    return rows


def scores() -> dict[str, tuple[float, float, int]]:
    hits, found_all, truth_all = Counter(), Counter(), Counter()
    for row in labelled():
        truth = {(label["kind"], label["value"]) for label in row["labels"]}
        found = {(c.kind, c.value) for c in candidates(row["text"])}
        for kind, _value in truth & found:
            hits[kind] += 1
        for kind, _value in found:
            found_all[kind] += 1
        for kind, _value in truth:
            truth_all[kind] += 1
    return {
        kind: (hits[kind] / truth_all[kind], hits[kind] / found_all[kind] if found_all[kind] else 1.0, truth_all[kind])
        for kind in truth_all
    }


def test_the_labelled_set_is_large_enough_and_in_both_languages() -> None:
    rows = labelled()
    assert len(rows) >= 200
    assert {row["language"] for row in rows} == {"nl", "en"}
    assert sum(1 for row in rows if not row["labels"]) >= 20, "texts with nothing to find keep precision honest"


@pytest.mark.parametrize("kind", sorted(FLOORS))
def test_extraction_reaches_its_floor(kind: str) -> None:
    recall, precision, count = scores()[kind]
    floor_recall, floor_precision = FLOORS[kind]
    assert count >= 30, f"too few {kind} labels to measure"
    assert recall >= floor_recall and precision >= floor_precision, (kind, recall, precision)


def test_what_is_found_is_normalised_and_each_value_comes_once() -> None:
    text = "Bel 06-12345678 of +31 6 1234 5678; rekening nl91 abna 0417 1643 00, kenteken vgh12b."
    assert [(c.kind, c.value) for c in candidates(text)] == [
        ("phone", "+31612345678"),
        ("iban", "NL91ABNA0417164300"),
        ("plate", "VGH-12-B"),
    ]


def test_a_date_an_amount_or_an_order_number_is_not_a_candidate() -> None:
    assert candidates("Op 12-05-2024 om 06:30 betaalde ze € 1.250,00 voor bestelling 48213377.") == []


@pytest.mark.django_db
def test_staff_accept_or_dismiss_what_is_found_and_nothing_is_recorded_before(region, intake, partner) -> None:
    from kenniscentrum.linking.models import Sighting
    from tests.conftest import logged_in, submit_report

    report = submit_report(description="Hij belt met 06-12345678 en rijdt in een bus met kenteken 12-ABC-3.").report
    client = logged_in(intake)
    page = client.get(f"/medewerkers/meldingen/{report.pk}/").content.decode()
    assert "Accepteer 06-12345678" in page and "Negeer 12-ABC-3" in page
    assert not Sighting.objects.exists(), "found is not recorded"

    answer = f"/medewerkers/koppelingen/melding/{report.pk}/voorstel/"
    forged = client.post(answer, {"kind": "phone", "value": "+31687654321", "do": "accept"}, follow=True)
    assert "Dit is niet in de tekst gevonden." in forged.content.decode() and not Sighting.objects.exists()
    assert (
        logged_in(partner).post(answer, {"kind": "phone", "value": "+31612345678", "do": "accept"}).status_code == 404
    )
    client.post(answer, {"kind": "phone", "value": "+31612345678", "do": "accept"})
    client.post(answer, {"kind": "plate", "value": "12-ABC-3", "do": "dismiss"})
    sighting = Sighting.objects.get()
    assert (sighting.identifier.value, sighting.source, sighting.typed) == ("+31612345678", "text", "06-12345678")
    page = client.get(f"/medewerkers/meldingen/{report.pk}/").content.decode()
    assert "Accepteer 06-12345678" not in page and "Negeer 12-ABC-3" not in page


@pytest.mark.django_db
def test_a_case_note_suggests_and_the_number_is_recorded_on_the_note(case, director) -> None:
    from kenniscentrum.cases.services import note_add
    from kenniscentrum.linking.models import Sighting
    from tests.conftest import logged_in

    note = note_add(
        case=case, actor=director, body="De werkgever mailt vanaf baas@voorbeeld.nl.", visibility="internal"
    )
    client = logged_in(director)
    assert "Accepteer baas@voorbeeld.nl" in client.get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    client.post(
        f"/medewerkers/koppelingen/casus/{case.pk}/voorstel/",
        {"kind": "email", "value": "baas@voorbeeld.nl", "note": note.pk, "do": "accept"},
    )
    assert Sighting.objects.get().note == note

"""De-identified text: recall on the labelled synthetic set (names ≥ 0.85, identifiers ≥ 0.95), the names the case
holds taken out wherever they stand, and the page for the centre's desk only."""

import json
from pathlib import Path

import pytest

from kenniscentrum.cases.services import person_add
from kenniscentrum.insights.deidentify import deidentified, spans
from kenniscentrum.lib.vocabulary import InvolvementRole
from tests.conftest import logged_in

SET = Path(__file__).parent.parent / "data" / "deidentify.jsonl"


def recall() -> dict[str, float]:
    found, total = {"name": 0, "identifier": 0}, {"name": 0, "identifier": 0}
    for line in SET.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        taken = spans(row["text"])
        for label in row["labels"]:
            total[label["kind"]] += 1
            found[label["kind"]] += any(s.start <= label["start"] and s.end >= label["end"] for s in taken)
    return {kind: found[kind] / total[kind] for kind in total}


def test_recall_on_the_labelled_set() -> None:
    assert len(SET.read_text(encoding="utf-8").splitlines()) >= 200
    measured = recall()
    assert measured["name"] >= 0.85 and measured["identifier"] >= 0.95, measured


def test_the_same_name_gets_the_same_tag_and_nothing_else_is_changed() -> None:
    text, found = deidentified("Gesprek met Ariana Pușcașu. Later belde Ariana Pușcașu op 06-12345678 terug.")
    assert "Pușcașu" not in text and "12345678" not in text
    assert text.count("[PERSOON-1]") == 2 and "[TELEFOONNUMMER-1]" in text and text.startswith("Gesprek met ")
    assert len(found) == 3


@pytest.mark.django_db
def test_the_case_page_de_identifies_the_names_it_holds_for_the_desk_only(case, director, partner) -> None:
    from tests.factories import AccessGrantFactory

    person_add(case=case, actor=director, person=None, role=InvolvementRole.VICTIM, age_at_start=30,
               person_data={"first_name": "Oksana", "last_name": "Zeldzaam", "aliases": "Ksjoesja"})  # fmt: skip
    case.summary = "ksjoesja werkt in de kas; Rita Reporter belde. Oksana heeft geen paspoort NX1234567 meer."
    case.save(update_fields=["summary"])
    client = logged_in(director)
    assert (
        f"/medewerkers/casussen/{case.pk}/ontdaan/" in client.get(f"/medewerkers/casussen/{case.pk}/").content.decode()
    )
    page = client.get(f"/medewerkers/casussen/{case.pk}/ontdaan/").content.decode()
    summary = page.split("<h2>Samenvatting</h2>")[1].split("</div>")[0]
    for secret in ("ksjoesja", "Rita", "Oksana", "NX1234567"):
        assert secret not in summary, secret
    assert "werkt in de kas" in summary
    pasted = client.post(f"/medewerkers/casussen/{case.pk}/ontdaan/", {"text": "Zeldzaam belde met jan@example.nl"})
    result = pasted.content.decode().split("<h3>Resultaat</h3>")[1]
    assert "Zeldzaam" not in result and "jan@example.nl" not in result and "belde met" in result
    AccessGrantFactory(case=case, organisation=partner.organisation, granted_by=director)
    assert logged_in(partner).get(f"/medewerkers/casussen/{case.pk}/ontdaan/").status_code == 403
    assert "/ontdaan/" not in logged_in(partner).get(f"/medewerkers/casussen/{case.pk}/").content.decode()

"""The public form asks what a reporter knows about who or what is involved: phone numbers, addresses, websites,
plates. In any of the six languages, without JavaScript; checked with a message that keeps the input; what is not
recognised can still be kept as typed."""

import pytest

from kenniscentrum.linking.models import Identifier, Sighting
from kenniscentrum.reports.models import Report
from tests.reports.test_public_form import valid

pytestmark = pytest.mark.django_db


def details(*rows: tuple[str, str], keep: tuple[int, ...] = ()) -> dict[str, str]:
    data = {"details-TOTAL_FORMS": str(len(rows)), "details-INITIAL_FORMS": "0", "details-MIN_NUM_FORMS": "0",
            "details-MAX_NUM_FORMS": "20"}  # fmt: skip
    for n, (kind, value) in enumerate(rows):
        data |= {f"details-{n}-kind": kind, f"details-{n}-value": value}
        if n in keep:
            data[f"details-{n}-keep"] = "on"
    return data


def test_a_polish_reporter_gives_a_number_and_a_plate_and_they_become_identifiers(client, region) -> None:
    client.get("/pl/melden/")
    response = client.post(
        "/pl/melden/", valid(client, **details(("phone", "06 1234 5678"), ("plate", "12abc3"), ("", "")))
    )
    assert response.status_code == 200 and Report.objects.count() == 1
    report = Report.objects.get()
    assert sorted(Sighting.objects.filter(report=report).values_list("identifier__kind", "identifier__value")) == [
        ("phone", "+31612345678"),
        ("plate", "12-ABC-3"),
    ]
    assert set(Sighting.objects.values_list("source", flat=True)) == {"reporter"}
    assert Sighting.objects.get(identifier__kind="phone").recorded_by is None


def test_what_is_not_recognised_is_shown_kept_and_can_be_kept_as_typed(client, region) -> None:
    sent = valid(client, **details(("email", "anna at voorbeeld"), ("", "Hoofdstraat 12")))
    response = client.post("/pl/melden/", sent)
    page = response.content.decode()
    assert response.status_code == 200 and not Report.objects.exists()
    assert "Nie rozpoznajemy tego jako adresu e-mail" in page and 'value="anna at voorbeeld"' in page
    assert "Proszę wybrać, co to jest." in page and 'value="Hoofdstraat 12"' in page
    assert "Zachowaj tak, jak zostało wpisane" in page
    kept = valid(client, **details(("email", "anna at voorbeeld"), ("address", "Hoofdstraat 12"), keep=(0, 1)))
    assert client.post("/pl/melden/", kept).status_code == 200
    assert sorted(Identifier.objects.values_list("kind", "value", "valid")) == [
        ("address", "HOOFDSTRAAT 12", False),
        ("email", "ANNA AT VOORBEELD", False),
    ]


def test_room_for_more_brings_the_form_back_as_typed_without_sending(client, region) -> None:
    data = valid(client, **details(("phone", "0612345678"), ("web", "voorbeeld.nl/advertentie/7")))
    data["more_details"] = "1"
    page = client.post("/melden/", data).content.decode()
    assert not Report.objects.exists()
    assert 'value="0612345678"' in page and 'value="voorbeeld.nl/advertentie/7"' in page
    assert 'name="details-3-value"' in page  # two typed rows and two empty ones
    assert "Mijn buurman werkt zeven dagen" in page


def test_sending_twice_stores_one_report_with_its_details_once(client, region) -> None:
    data = valid(client, **details(("phone", "0612345678")))
    client.post("/melden/", data)
    client.post("/melden/", data)
    assert Report.objects.count() == 1 and Sighting.objects.count() == 1


def test_the_same_number_twice_in_one_report_is_one_sighting(client, region) -> None:
    assert (
        client.post(
            "/melden/", valid(client, **details(("phone", "0612345678"), ("phone", "+31612345678")))
        ).status_code
        == 200
    )
    assert Report.objects.count() == 1 and Sighting.objects.count() == 1


def test_a_huge_or_injected_value_is_refused_or_kept_as_text(client, region, director) -> None:
    huge = client.post("/melden/", valid(client, **details(("web", "x" * 400))))
    assert huge.status_code == 200 and not Report.objects.exists() and "300" in huge.content.decode()
    vehicle = client.post("/melden/", valid(client, **details(("vehicle", "witte bus"))))
    assert not Report.objects.exists() and 'value="witte bus"' in vehicle.content.decode()  # not asked in public
    injected = "<script>alert(1)</script>'; DROP TABLE linking_identifier; --"
    shown = client.post("/melden/", valid(client, **details(("web", injected)))).content.decode()
    assert "<script>alert(1)" not in shown and "&lt;script&gt;alert(1)" in shown
    client.post("/melden/", valid(client, **details(("web", injected), keep=(0,))))
    report = Report.objects.get()
    from tests.conftest import logged_in

    page = logged_in(director).get(f"/medewerkers/meldingen/{report.pk}/").content.decode()
    assert "<script>alert(1)" not in page and "&lt;SCRIPT&gt;ALERT(1)" in page

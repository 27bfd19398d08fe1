"""Finding 23 of issue 27: de-identification left a date without a year in the text ("1 januari"), took the "(" before
a phone number away with the number, and tagged an IBAN as a person. What a reader of the result must see."""

import pytest

from kenniscentrum.insights.deidentify import deidentified


@pytest.mark.parametrize(
    "text",
    ["Ze kwam op 1 januari aan.", "Vanaf 15 maart werkte ze daar.", "Hij belde haar op 3 okt. en op 12 feb.",
     "Tot de 2e mei bleef ze.", "She arrived on 4 July."],
)  # fmt: skip
def test_a_date_without_a_year_is_taken_out(text: str) -> None:
    result, _found = deidentified(text)
    assert "[DATUM-1]" in result
    for word in ("januari", "maart", "okt", "feb", "mei", "July"):
        assert word not in result


def test_a_number_of_days_or_a_month_alone_stays() -> None:
    text = "Ze werkte 7 dagen per week, in maart nog meer."
    assert deidentified(text)[0] == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Bel haar (0612345678) nu.", "Bel haar ([TELEFOONNUMMER-1]) nu."),
     ("Nummer: (06) 12345678.", "Nummer: [TELEFOONNUMMER-1]."),
     ("Haar nummer (+31 6 12345678) werkt niet.", "Haar nummer ([TELEFOONNUMMER-1]) werkt niet.")],
)  # fmt: skip
def test_brackets_around_a_phone_number_stay_in_pairs(text: str, expected: str) -> None:
    assert deidentified(text)[0] == expected


@pytest.mark.parametrize(
    "text",
    ["Rekening NL91ABNA0417164300.", "Loon ging naar NL91 ABNA 0417 1643 00 van de baas.",
     "Betaald NL91ABNA0417164300 Maandag."],
)  # fmt: skip
def test_an_iban_is_tagged_as_an_iban_not_as_a_person(text: str) -> None:
    result, found = deidentified(text)
    assert "[IBAN-1]" in result and "PERSOON" not in result, result
    assert "NL91" not in result and "0417" not in result


def test_the_full_stop_after_an_abbreviated_month_stays() -> None:
    assert deidentified("Ze belde op 12 feb.")[0] == "Ze belde op [DATUM-1]."

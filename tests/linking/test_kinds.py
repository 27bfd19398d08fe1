"""Normalisation per kind: the ways one value is written give one identifier; a value that does not validate is kept
as text with a message."""

import string

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from stdnum import iban as stdnum_iban

from kenniscentrum.lib.identifiers import SIDE_CODES, normalise

digits = st.text(alphabet=string.digits, min_size=8, max_size=8)


@settings(max_examples=200, deadline=None)
@given(digits)
def test_one_mobile_number_written_five_ways_is_one_identifier(rest: str) -> None:
    canonical = normalise("phone", f"06{rest}")
    assume(canonical.valid)
    spaced = f"{rest[:4]} {rest[4:]}"
    pairs = f"{rest[:2]} {rest[2:4]} {rest[4:6]} {rest[6:]}"
    for variant in (f"06-{rest}", f"+31 6 {spaced}", f"00316{rest}", f"06 {pairs}", f"(06) {rest}"):
        assert normalise("phone", variant).value == canonical.value == f"+316{rest}"


def test_a_foreign_number_keeps_its_country_and_a_short_one_is_kept_as_text() -> None:
    assert normalise("phone", "+48 512 345 678").value == "+48512345678"
    short = normalise("phone", "12 34")
    with translation.override("en"):
        assert not short.valid and short.value == "12 34" and "kept as text" in str(short.problem)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=string.ascii_uppercase, min_size=4, max_size=4), st.text(alphabet=string.digits, min_size=10,
       max_size=10))  # fmt: skip
def test_an_iban_with_or_without_spaces_is_one_and_a_wrong_check_digit_is_text(bank: str, account: str) -> None:
    check = stdnum_iban.calc_check_digits(f"NL00{bank}{account}")
    number = f"NL{check}{bank}{account}"
    grouped = " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    assert normalise("iban", grouped.lower()).value == normalise("iban", number).value == number
    wrong = f"NL{(int(check) + 1) % 100:02d}{bank}{account}"
    result = normalise("iban", wrong)
    assert not result.valid and result.problem


@st.composite
def plates(draw: st.DrawFn) -> tuple[str, str]:
    code = draw(st.sampled_from(SIDE_CODES))
    groups = []
    for group in code.split("-"):
        alphabet = string.ascii_uppercase if group[0] == "L" else string.digits
        groups.append(draw(st.text(alphabet=alphabet, min_size=len(group), max_size=len(group))))
    return "-".join(groups), code


@settings(max_examples=300, deadline=None)
@given(plates())
def test_a_plate_in_any_side_code_with_or_without_dashes_is_one(plate_and_code: tuple[str, str]) -> None:
    plate, _code = plate_and_code
    for variant in (plate, plate.replace("-", ""), plate.replace("-", " ").lower(), f" {plate.lower()} "):
        result = normalise("plate", variant)
        assert result.valid
        # Some plates fit two side codes when written without dashes; then the first side code decides, the same
        # for every variant.
        assert result.value == normalise("plate", plate.replace("-", "")).value


def test_a_plate_that_fits_no_side_code_is_kept_as_text() -> None:
    assert not normalise("plate", "ABC-DEF").valid


@settings(max_examples=200, deadline=None)
@given(st.integers(1000, 9999), st.text(alphabet="ABCDEFGHJKLMNPRTUVWXYZ", min_size=2, max_size=2),
       st.integers(1, 999), st.sampled_from(["", "a", "B", "2"]))  # fmt: skip
def test_an_address_is_its_postcode_and_house_number(digits_: int, letters: str, number: int, addition: str) -> None:
    expected = f"{digits_}{letters} {number}" + (f"-{addition.upper()}" if addition else "")
    # A numeric addition is written apart (12-2); a letter may be written against the number (12a).
    written = f"{number}-{addition}" if addition.isdigit() else f"{number}{addition}"
    variants = [
        f"Hoofdstraat {written}, {digits_} {letters.lower()} Enschede",
        f"{digits_}{letters} {number} {addition}".strip(),
    ]
    for variant in variants:
        assert normalise("address", variant).value == expected, variant
    assert normalise("address", "", postcode=f"{digits_} {letters}", house_number=written).value == expected


def test_an_address_without_a_postcode_is_kept_as_text() -> None:
    result = normalise("address", "Achter de kerk, Hengelo")
    assert not result.valid and result.value == "ACHTER DE KERK, HENGELO"


def test_web_addresses_and_profiles() -> None:
    assert normalise("web", "https://www.Example.nl/advertentie/12/?ref=x").value == "example.nl/advertentie/12"
    assert normalise("web", "example.nl/advertentie/12").value == "example.nl/advertentie/12"
    assert normalise("web", "@Anna_96").value == "@anna_96"
    assert not normalise("web", "geen website").valid


def test_e_mail_bsn_and_documents() -> None:
    assert normalise("email", " Anna.B@Example.NL ").value == "anna.b@example.nl"
    assert not normalise("email", "anna at example").valid
    assert normalise("bsn", "1112.22.333").value == "111222333"
    assert not normalise("bsn", "111222334").valid
    assert normalise("passport", "nx12 ab345", country="nl").value == "NL:NX12AB345"
    assert not normalise("passport", "NX12AB345").valid  # without the issuing country


def test_an_empty_value_or_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValidationError):
        normalise("phone", "   ")
    with pytest.raises(ValidationError):
        normalise("tattoo", "anker op de arm")

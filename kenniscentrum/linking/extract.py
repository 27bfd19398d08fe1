"""Candidates for identifiers found in free text (a report's description, a message, a case note).

Each candidate is found by pattern and then validated as the identifier itself is (lib/identifiers.py): a phone
number by phonenumbers' own matcher, an IBAN by its check digits, a plate by the side codes, an e-mail address, a
web address, a postcode with its house number. Nothing found here becomes an identifier until a person accepts it
(linking/views.py). Precision and recall per kind are measured on tests/data/extraction.jsonl (docs/linking.md).
"""

import re
from dataclasses import dataclass

import phonenumbers

from kenniscentrum.lib.identifiers import IdentifierKind, address, email, iban, plate, web


@dataclass(frozen=True)
class Candidate:
    kind: str
    value: str
    # As it stands in the text.
    typed: str
    start: int


EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b", re.IGNORECASE)
# A plate written with its dashes, or as six letters and digits close after a word that says it is a plate.
PLATE_DASHED = re.compile(r"(?<![\w-])[A-Z0-9]{1,3}-[A-Z0-9]{2,3}-[A-Z0-9]{1,3}(?![\w-])", re.IGNORECASE)
PLATE_WORDS = re.compile(
    r"\b(kenteken|nummerbord|nummerplaat|plate|licen[cs]e|registration|reg\.|auto|busje|bus|bestelbus|wagen|car|van"
    r"|truck)\b[^.\n]{0,20}?\b([A-Z0-9]{6})\b",
    re.IGNORECASE,
)
POSTCODE = re.compile(r"\b[1-9]\d{3} ?[A-Z]{2}\b")
# A house number just before the postcode ("Hoofdstraat 12, 7511 AB") or just after it ("7511 AB 12").
NUMBER_BEFORE = re.compile(r"\b\d{1,5}(?:[ -]?[A-Za-z]{1,2}\b|-\d{1,4}\b)?[ ,]*$")
NUMBER_AFTER = re.compile(r"^[ ,]*\d{1,5}(?:-?[A-Za-z]\b|-\d{1,4}\b)?")
URL = re.compile(
    r"(?:https?://|www\.)[^\s<>()\"']+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:nl|com|org|net|eu|pl|ro|bg|ua|be|de|info|io)"
    r"(?:/[^\s<>()\"']*)?",
    re.IGNORECASE,
)
TRAILING = ".,;:!?)"


def _phones(text: str, taken: list[tuple[int, int]]) -> list[Candidate]:
    found = []
    for match in phonenumbers.PhoneNumberMatcher(text, "NL", leniency=phonenumbers.Leniency.VALID):
        if any(a <= match.start < b for a, b in taken):
            continue  # digits of an IBAN

        value = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        found.append(Candidate(IdentifierKind.PHONE, value, match.raw_string, match.start))
    return found


def _emails(text: str) -> list[Candidate]:
    found = []
    for match in EMAIL.finditer(text):
        typed = match.group().rstrip(TRAILING)
        result = email(typed)
        if result.valid:
            found.append(Candidate(IdentifierKind.EMAIL, result.value, typed, match.start()))
    return found


def _ibans(text: str) -> list[Candidate]:
    """The pattern may run on into the next word ("... 7664 staat"): shorter readings are tried until the check
    digits fit."""
    found = []
    for match in IBAN.finditer(text):
        words = match.group().split(" ")
        for end in range(len(words), 0, -1):
            typed = " ".join(words[:end])
            result = iban(typed)
            if result.valid:
                found.append(Candidate(IdentifierKind.IBAN, result.value, typed, match.start()))
                break
    return found


def _plates(text: str, taken: list[tuple[int, int]]) -> list[Candidate]:
    found = []
    spans = [(m.group(), m.start()) for m in PLATE_DASHED.finditer(text)]
    spans += [(m.group(2), m.start(2)) for m in PLATE_WORDS.finditer(text)]
    for typed, start in spans:
        if any(a <= start < b for a, b in taken):
            continue  # part of a phone number or a date
        if not re.search(r"[A-Za-z]", typed) or not re.search(r"\d", typed):
            continue  # a plate has letters and digits: "12-05-2024" is a date
        result = plate(typed)
        if result.valid:
            found.append(Candidate(IdentifierKind.PLATE, result.value, typed, start))
    return found


def _addresses(text: str) -> list[Candidate]:
    """A postcode, with the house number written before or after it when there is one; without a number the
    candidate is the postcode alone (kept as text when accepted)."""
    found = []
    for match in POSTCODE.finditer(text):
        before = NUMBER_BEFORE.search(text[max(0, match.start() - 20) : match.start()])
        after = NUMBER_AFTER.search(text[match.end() : match.end() + 12])
        number = (before.group() if before else after.group() if after else "").strip(" ,")
        result = address("", postcode=match.group(), house_number=number) if number else None
        typed = (
            match.group() if not number else (f"{number}, {match.group()}" if before else f"{match.group()} {number}")
        )
        value = result.value if result is not None and result.valid else match.group().replace(" ", "").upper()
        found.append(Candidate(IdentifierKind.ADDRESS, value, typed, match.start()))
    return found


def _webs(text: str, taken: list[tuple[int, int]]) -> list[Candidate]:
    found = []
    for match in URL.finditer(text):
        if any(a <= match.start() < b for a, b in taken):
            continue  # the domain of an e-mail address
        typed = match.group().rstrip(TRAILING)
        result = web(typed)
        if result.valid:
            found.append(Candidate(IdentifierKind.WEB, result.value, typed, match.start()))
    return found


def candidates(text: str) -> list[Candidate]:
    """Every candidate in `text`, in the order they stand, each value once."""
    ibans = _ibans(text)
    phones, emails = _phones(text, [(c.start, c.start + len(c.typed)) for c in ibans]), _emails(text)
    taken = [(c.start, c.start + len(c.typed)) for c in phones + emails + ibans]
    dates = [(m.start(), m.end()) for m in re.finditer(r"\b\d{1,2}-\d{1,2}-\d{2,4}\b", text)]
    found = [*phones, *emails, *ibans, *_plates(text, taken + dates), *_addresses(text), *_webs(text, taken)]
    unique: dict[tuple[str, str], Candidate] = {}
    for candidate in sorted(found, key=lambda c: c.start):
        unique.setdefault((candidate.kind, candidate.value), candidate)
    return list(unique.values())

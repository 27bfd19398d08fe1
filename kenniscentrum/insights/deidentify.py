"""De-identified text, for text that must leave the centre (a case summary for research, a case discussed with a party
without a grant): deduce (Dutch names, places, institutions, dates, ages) plus the identifier patterns of linking
(phone numbers, e-mail and web addresses, IBANs, plates, postcodes with house numbers) and BSNs and document
numbers. A person reads the result before it is used: nothing here is sent anywhere or stored.

Recall is measured on tests/data/deidentify.jsonl (docs/insights.md). deduce builds its lookup tables once, at
install (Makefile); loading them takes seconds and about 1.1 GB, once, in gunicorn's master (`preload`).
"""

import re
import threading
from dataclasses import dataclass
from functools import cache
from typing import Any

from stdnum.nl import bsn

from kenniscentrum.linking.extract import candidates

# Nine digits that pass the eleven test; a passport or identity card number: letters and digits, both, 8 or 9 long.
BSN = re.compile(r"\b\d{4}\.?\d{2}\.?\d{3}\b|\b\d{9}\b")
# Anything written like a phone number, valid or not: a made-up or mistyped number still points to someone.
PHONE_LIKE = re.compile(r"(?<![\w+])(?:\+|00)\d{1,3}(?:[ -]?\d){8,11}\b|(?<![\w+])0\d(?:[ -]?\d){8}\b")
DOCUMENT = re.compile(r"\b(?=[A-Z0-9]*\d)(?=[A-Z0-9]*[A-Z])[A-Z0-9]{8,9}\b")
# The tag each kind gets in the text, in Dutch as deduce writes its own.
TAGS = {"phone": "TELEFOONNUMMER", "email": "EMAIL", "iban": "IBAN", "plate": "KENTEKEN", "address": "ADRES",
        "web": "URL", "bsn": "BSN", "document": "DOCUMENTNUMMER"}  # fmt: skip
IDENTIFIER_TAGS = set(TAGS.values())


# A day and a month without a year ("1 januari", "3 okt", "2e mei", "4 July"; a full stop after it stays in the
# text): deduce takes a date out only with its year, and a day with its month can point to a person (finding 23).
MONTHS = ("januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
          "january|february|march|may|june|july|august|october|"
          "jan|feb|febr|mrt|mar|apr|jun|jul|aug|sep|sept|okt|oct|nov|dec")  # fmt: skip
DAY_MONTH = re.compile(rf"\b(?:[12]\d|3[01]|0?[1-9])(?:e|ste|de|st|nd|rd|th)?[ ]+(?:{MONTHS})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    tag: str
    text: str


# A request may ask for deduce while the start-up warm-up is still loading it (runserver loads it in a thread):
# it waits for that load instead of starting a second one of 1.1 GB.
_LOADING = threading.Lock()


@cache
def _deduce_loaded() -> Any:
    import deduce

    return deduce.Deduce()


def _deduce() -> Any:
    with _LOADING:
        return _deduce_loaded()


def preload() -> None:
    """Loads deduce now: in gunicorn's master before it forks its workers (deploy/gunicorn.conf.py), so they share
    its tables (about 1.1 GB, copy-on-write) instead of each loading them on its first use, for seconds."""
    _deduce()


def _balanced(span: Span) -> Span:
    """The span without a bracket it does not close or open: phonenumbers reads "(0612345678" as the number, and the
    reader of "([TELEFOONNUMMER-1]" would miss the "(" (issue 27, finding 23)."""
    start, end = span.start, span.end
    text = span.text
    while text.startswith("(") and ")" not in text:
        start, text = start + 1, text[1:]
    while text.endswith(")") and "(" not in text:
        end, text = end - 1, text[:-1]
    return Span(start, end, span.tag, text)


def _identifier_spans(text: str) -> list[Span]:
    spans = []
    for candidate in candidates(text):
        at = text.find(candidate.typed)
        while at != -1:  # every place it stands, not only the first
            tag = TAGS.get(candidate.kind, "KENMERK")
            spans.append(_balanced(Span(at, at + len(candidate.typed), tag, candidate.typed)))
            at = text.find(candidate.typed, at + 1)
    for match in BSN.finditer(text):
        if bsn.is_valid(match.group()):
            spans.append(Span(match.start(), match.end(), TAGS["bsn"], match.group()))
    spans += [Span(m.start(), m.end(), TAGS["document"], m.group()) for m in DOCUMENT.finditer(text)]
    spans += [Span(m.start(), m.end(), TAGS["phone"], m.group()) for m in PHONE_LIKE.finditer(text)]
    spans += [Span(m.start(), m.end(), "DATUM", m.group()) for m in DAY_MONTH.finditer(text)]
    return spans


# Names deduce does not know (it knows Dutch names best): two or more capitalised words in a row, with Dutch particles
# between them ("Ariana Pușcașu", "Adam van 't Erve"), and any capitalised word in Cyrillic. Too much taken out is
# seen at review; a name left in is not.
WORD = re.compile(r"[^\W\d_](?:[^\W\d_]|['’-](?=[^\W\d_]))*")
PARTICLES = {"van", "de", "der", "den", "ter", "ten", "te", "'t", "het", "op", "la", "le", "da", "di", "du"}
CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def _name_spans(text: str, taken: list[Span]) -> list[Span]:
    """Runs of capitalised words; a word inside an identifier (the "NL" of an IBAN) is no part of a name."""
    words = [w for w in WORD.finditer(text) if not any(s.start <= w.start() < s.end for s in taken)]
    spans: list[Span] = []
    run: list[re.Match[str]] = []
    for word in [*words, None]:
        token = word.group() if word is not None else ""
        joined = word is not None and run and re.fullmatch(r"[ ]+|[ ]+'t[ ]+", text[run[-1].end() : word.start()])
        if word is not None and token[0].isupper() and (not run or joined):
            run.append(word)
            continue
        if word is not None and run and joined and token.lower() in PARTICLES:
            run.append(word)
            continue
        while run and run[-1].group().lower() in PARTICLES:
            run.pop()
        capitals = [w for w in run if w.group()[0].isupper()]
        if len(capitals) >= 2 or any(CYRILLIC.search(w.group()) for w in capitals):
            spans.append(Span(run[0].start(), run[-1].end(), "PERSOON", text[run[0].start() : run[-1].end()]))
        run = [word] if word is not None and token[0].isupper() else []
    return spans


def _deduce_spans(text: str) -> list[Span]:
    document = _deduce().deidentify(text)
    return [Span(a.start_char, a.end_char, a.tag.upper(), a.text) for a in document.annotations]


def _known_spans(text: str, known: list[str]) -> list[Span]:
    """The names the file itself holds (its persons, its reporters), whole and each part of three letters or more,
    wherever they stand and however they are capitalised."""
    parts = {p for name in known for p in [name, *WORD.findall(name)] if len(p) >= 3 and p.lower() not in PARTICLES}
    spans = []
    for part in sorted(parts, key=len, reverse=True):
        for match in re.finditer(rf"(?<!\w){re.escape(part)}(?!\w)", text, flags=re.IGNORECASE):
            spans.append(Span(match.start(), match.end(), "PERSOON", match.group()))
    return spans


def spans(text: str, known: list[str] | None = None) -> list[Span]:
    """What would be taken out of `text`: overlapping finds merged, the longest first."""
    identifiers = _identifier_spans(text)
    found = sorted(identifiers + _deduce_spans(text) + _name_spans(text, identifiers) + _known_spans(text, known or []),
                   key=lambda s: (s.start, -(s.end - s.start)))  # fmt: skip
    merged: list[Span] = []
    for span in found:
        if merged and span.start < merged[-1].end:
            last = merged[-1]
            if span.end > last.end:
                # An identifier names what was taken out better than a name or deduce's "ID" does.
                tag = span.tag if span.tag in IDENTIFIER_TAGS and last.tag not in IDENTIFIER_TAGS else last.tag
                merged[-1] = Span(last.start, span.end, tag, text[last.start : span.end])
            continue
        merged.append(span)
    return merged


def deidentified(text: str, known: list[str] | None = None) -> tuple[str, list[Span]]:
    """The text with every find replaced by its tag and a number ("[PERSOON-1]"): the same text, the same number.
    `known`: names the file holds, taken out wherever they stand."""
    found = spans(text, known)
    numbers: dict[tuple[str, str], int] = {}
    per_tag: dict[str, int] = {}
    out, at = [], 0
    for span in found:
        key = (span.tag, span.text.lower())
        if key not in numbers:
            per_tag[span.tag] = per_tag.get(span.tag, 0) + 1
            numbers[key] = per_tag[span.tag]
        out += [text[at : span.start], f"[{span.tag}-{numbers[key]}]"]
        at = span.end
    out.append(text[at:])
    return "".join(out), found

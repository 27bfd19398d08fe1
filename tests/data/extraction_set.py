"""Writes tests/data/extraction.jsonl: synthetic Dutch and English texts, written for this project, each labelled
with the identifiers it holds (normalised as lib/identifiers.py would) and mixed with what looks like one and is not
(dates, times, amounts, order and chamber of commerce numbers, house numbers without a postcode).

Run it again only to change the set: `python tests/data/extraction_set.py`. Every name, number and address in it is
made up; the seed keeps the file the same.
"""

import json
import random
import string
from pathlib import Path

import phonenumbers
from stdnum import iban as stdnum_iban

SEED = 14
COUNT_PER_LANGUAGE = 130

STREETS = ["Hoofdstraat", "Molenweg", "Kerkstraat", "Industrieweg", "Oldenzaalsestraat", "Parallelweg", "Dorpsstraat"]
PLACES = ["Enschede", "Almelo", "Hengelo", "Oldenzaal", "Rijssen", "Losser", "Borne", "Goor"]
NAMES = ["anna.kowalska", "m.popescu", "info", "werk", "jobs", "ivan.petrov", "olena96", "planning"]
DOMAINS = ["voorbeeld.nl", "uitzend-twente.example.nl", "gmail.com", "outlook.com", "wp.pl", "yahoo.ro", "abv.bg"]
SITES = [
    "voorbeeld-escort.nl/profiel/{n}",
    "sexjobs.example.nl/advertentie/{n}",
    "www.uitzendwerk-snel.nl/vacature/{n}",
    "https://www.kamers-verhuur.nl/kamer/{n}",
    "instagram.com/{h}",
    "http://marktplaats.example.nl/a/{n}",
]
BANKS = ["ABNA", "INGB", "RABO", "TRIO", "BUNQ", "KNAB", "SNSB", "ASNB"]


def phone(rng: random.Random) -> tuple[str, str]:
    """A number as people write it, and its E.164 form."""
    while True:
        kind = rng.choice(["mobile", "mobile", "mobile", "landline", "polish", "romanian"])
        if kind == "mobile":
            rest = f"{rng.randint(1, 5)}{rng.randint(0, 9_999_999):07d}"
            forms = [
                f"06-{rest}",
                f"06 {rest[:4]} {rest[4:]}",
                f"+31 6 {rest}",
                f"0031 6 {rest[:4]} {rest[4:]}",
                f"06{rest}",
                f"(06) {rest}",
                f"+316{rest}",
                f"06 {rest[:2]} {rest[2:4]} {rest[4:6]} {rest[6:]}",
            ]
            text, e164 = rng.choice(forms), f"+316{rest}"
        elif kind == "landline":
            rest = f"{rng.randint(2, 9)}{rng.randint(0, 999_999):06d}"
            area = rng.choice(["053", "074", "0546", "0541"])
            local = rest[: 9 - len(area) + 1]
            text = rng.choice([f"{area}-{local}", f"{area} {local}", f"+31 {area[1:]} {local}"])
            e164 = f"+31{area[1:]}{local}"
        elif kind == "polish":
            rest = f"{rng.choice([5, 6, 7, 8])}{rng.randint(0, 99_999_999):08d}"
            text, e164 = rng.choice([f"+48 {rest[:3]} {rest[3:6]} {rest[6:]}", f"0048{rest}"]), f"+48{rest}"
        else:
            rest = f"7{rng.randint(0, 99_999_999):08d}"
            text, e164 = rng.choice([f"+40 {rest[:3]} {rest[3:6]} {rest[6:]}", f"+40{rest}"]), f"+40{rest}"
        number = phonenumbers.parse(e164)
        if phonenumbers.is_valid_number(number):
            return text, e164


def iban(rng: random.Random) -> tuple[str, str]:
    country = rng.choice(["NL", "NL", "NL", "PL", "DE"])
    if country == "NL":
        bban = rng.choice(BANKS) + f"{rng.randint(0, 9_999_999_999):010d}"
    elif country == "PL":
        bban = "".join(rng.choice(string.digits) for _ in range(24))
    else:
        bban = "".join(rng.choice(string.digits) for _ in range(18))
    number = f"{country}{stdnum_iban.calc_check_digits(country + '00' + bban)}{bban}"
    if not stdnum_iban.is_valid(number):
        return iban(rng)
    grouped = " ".join(number[i : i + 4] for i in range(0, len(number), 4))
    return rng.choice([number, grouped, grouped.lower()]), number


SIDE_CODES = [
    "LL-DD-DD",
    "DD-DD-LL",
    "DD-LL-DD",
    "LL-DD-LL",
    "LL-LL-DD",
    "DD-LL-LL",
    "DD-LLL-D",
    "D-LLL-DD",
    "LL-DDD-L",
    "L-DDD-LL",
    "LLL-DD-L",
    "L-DD-LLL",
    "D-LL-DDD",
    "DDD-LL-D",
]
PLATE_LETTERS = "BDFGHJKLNPRSTVXZ"  # the letters the RDW uses


def plate(rng: random.Random) -> tuple[str, str]:
    code = rng.choice(SIDE_CODES)
    groups = [
        "".join(rng.choice(PLATE_LETTERS if c == "L" else string.digits) for c in group) for group in code.split("-")
    ]
    value = "-".join(groups)
    return rng.choice([value, value, value.lower(), value.replace("-", "")]), value


def postcode_address(rng: random.Random) -> tuple[str, str]:
    digits, letters = rng.randint(1000, 9999), "".join(rng.choice("ABCDEGHJKLMNPRSTVWXZ") for _ in range(2))
    number = rng.randint(1, 250)
    addition = rng.choice(["", "", "", "a", "B"])
    street, place = rng.choice(STREETS), rng.choice(PLACES)
    value = f"{digits}{letters} {number}" + (f"-{addition.upper()}" if addition else "")
    forms = [
        (f"{street} {number}{addition}, {digits} {letters} {place}", value),
        (f"{street} {number}{addition} {digits}{letters} {place}", value),
        (f"{digits} {letters} {number}{addition}", value),
        (f"postcode {digits} {letters}", f"{digits}{letters}"),
    ]
    return rng.choice(forms)


def email(rng: random.Random) -> tuple[str, str]:
    address = f"{rng.choice(NAMES)}{rng.choice(['', str(rng.randint(1, 99))])}@{rng.choice(DOMAINS)}"
    return rng.choice([address, address, address.capitalize()]), address.lower()


def site(rng: random.Random) -> tuple[str, str]:
    pattern = rng.choice(SITES)
    text = pattern.format(n=rng.randint(100, 99999), h=f"{rng.choice(['anna', 'lisa', 'mia'])}_{rng.randint(90, 99)}")
    host_path = text.split("://")[-1].removeprefix("www.")
    return text, host_path.lower()


DISTRACTORS_NL = [
    "Ze moet € {a},00 per week betalen.",
    "Dat was op {d}.",
    "Hij wordt om {t} uur opgehaald.",
    "Bestelnummer {o}.",
    "Het uitzendbureau staat bij de KvK onder {k}.",
    "Ze woont op nummer {h}.",
    "Er wonen {s} mensen in het huis.",
    "In {y} begon het.",
    "Het loon is {a} euro per maand.",
    "Ze werken van {t} tot 22:00.",
    "Kamer {h} op de tweede verdieping.",
]
DISTRACTORS_EN = [
    "She has to pay €{a} a week.",
    "That was on {d}.",
    "He is picked up at {t}.",
    "Order number {o}.",
    "The agency is registered under {k}.",
    "She lives at number {h}.",
    "{s} people live in the house.",
    "It started in {y}.",
    "The wage is {a} euros a month.",
    "They work from {t} until 10 pm.",
]

SENTENCES = {
    "nl": {
        "phone": [
            "Ze wordt gebeld vanaf {x}.",
            "Het nummer van de baas is {x}.",
            "Bel {x} voor werk, staat in de advertentie.",
            "Hij belt steeds met {x}.",
        ],
        "email": ["Het contract kwam van {x}.", "Mail naar {x} voor een kamer.", "Ze kreeg een bericht van {x}."],
        "iban": [
            "Het loon gaat naar rekening {x}.",
            "Ze moet de huur overmaken naar {x}.",
            "Rekeningnummer {x} staat op het loonstrookje.",
        ],
        "plate": [
            "Ze worden opgehaald in een witte bus met kenteken {x}.",
            "De auto heeft nummerbord {x}.",
            "Er stond een busje met {x} voor de deur.",
        ],
        "address": ["Ze slapen op {x}.", "Het adres is {x}.", "De woning aan {x} is overvol."],
        "web": ["Ze staat op {x}.", "De advertentie: {x}", "Zie {x} voor de vacature."],
    },
    "en": {
        "phone": [
            "She gets calls from {x}.",
            "The boss's number is {x}.",
            "Call {x} for work, the advert says.",
            "He keeps calling from {x}.",
        ],
        "email": ["The contract came from {x}.", "Write to {x} for a room.", "She got a message from {x}."],
        "iban": [
            "Wages are paid into account {x}.",
            "She has to transfer the rent to {x}.",
            "Account {x} is on the payslip.",
        ],
        "plate": [
            "They are picked up in a white van with licence plate {x}.",
            "The car has registration {x}.",
            "A van with plate {x} was parked outside.",
        ],
        "address": ["They sleep at {x}.", "The address is {x}.", "The house at {x} is overcrowded."],
        "web": ["She is on {x}.", "The advert: {x}", "See {x} for the job."],
    },
}
MAKERS = {"phone": phone, "email": email, "iban": iban, "plate": plate, "address": postcode_address, "web": site}


def distractor(rng: random.Random, language: str) -> str:
    template = rng.choice(DISTRACTORS_NL if language == "nl" else DISTRACTORS_EN)
    return template.format(
        a=f"{rng.randint(1, 2)}.{rng.randint(0, 999):03d}" if language == "nl" else str(rng.randint(100, 2500)),
        d=f"{rng.randint(1, 28)}-{rng.randint(1, 12):02d}-{rng.randint(2019, 2026)}",
        t=f"{rng.randint(5, 9):02d}:{rng.choice(['00', '15', '30'])}",
        o=str(rng.randint(10_000_000, 99_999_999)),
        k=str(rng.randint(10_000_000, 99_999_999)),
        h=str(rng.randint(1, 300)),
        s=str(rng.randint(4, 30)),
        y=str(rng.randint(2015, 2026)),
    )


def texts() -> list[dict[str, object]]:
    rng = random.Random(SEED)
    rows = []
    for language in ("nl", "en"):
        for n in range(COUNT_PER_LANGUAGE):
            parts, labels = [], []
            kinds = rng.sample(list(MAKERS), rng.choice([0, 1, 1, 2, 2, 3])) if n % 10 else []
            for kind in kinds:
                typed, value = MAKERS[kind](rng)
                parts.append(rng.choice(SENTENCES[language][kind]).format(x=typed))
                labels.append({"kind": kind, "value": value})
            for _ in range(rng.choice([1, 1, 2])):
                parts.insert(rng.randint(0, len(parts)), distractor(rng, language))
            rows.append({"language": language, "text": " ".join(parts), "labels": labels})
    return rows


if __name__ == "__main__":
    target = Path(__file__).with_name("extraction.jsonl")
    with target.open("w", encoding="utf-8") as out:
        for row in texts():
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{target}: {COUNT_PER_LANGUAGE * 2} texts")

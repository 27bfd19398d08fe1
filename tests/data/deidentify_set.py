"""Writes tests/data/deidentify.jsonl: synthetic Dutch case texts, written for this project, each labelled with the
spans a de-identification must take out: names of people (Dutch, Polish, Romanian, Bulgarian and Ukrainian names, as
they stand in Dutch case notes) and identifiers (phone, e-mail, IBAN, BSN, plate, postcode with house number,
passport number).

Run it again only to change the set: `python tests/data/deidentify_set.py`. Every name and number is made up (Faker,
fixed seed); BSNs and IBANs pass their checks so a validator does not give them away.
"""

import json
import random
import re
from pathlib import Path

from faker import Faker
from stdnum import iban as stdnum_iban
from stdnum.nl import bsn as stdnum_bsn

SEED = 15
COUNT = 240
LOCALES = ["nl_NL", "nl_NL", "pl_PL", "ro_RO", "bg_BG", "uk_UA"]
STREETS = ["Hoofdstraat", "Molenweg", "Kerkstraat", "Industrieweg", "Oldenzaalsestraat", "Parallelweg"]

# A text is a few of these, in any order; {name} and {other} are people, the rest identifiers.
SENTENCES = [
    "Melder belde over {name}, die in de kas werkt.",
    "Mevrouw {name} zegt dat haar paspoort {passport} is ingenomen.",
    "Volgens de buurvrouw woont {name} met zes anderen op {address}.",
    "{name} kreeg loon op rekening {iban}, maar het geld ging naar {other}.",
    "Het busje met kenteken {plate} haalt de werkers om vijf uur op.",
    "Bereikbaar via {phone} of {email}.",
    "De werkgever, {other}, vraagt 400 euro per maand voor een bed.",
    "Cliënt {name} (BSN {bsn}) is aangemeld bij CoMensha.",
    "Gesprek met {name} en tolk; {other} was niet aanwezig.",
    "Contact met {name} loopt via zijn zus, telefoon {phone}.",
    "{other} stuurde een bericht vanaf {email} over de huur op {address}.",
    "Afspraak: {name} gaat donderdag naar de huisarts.",
]


def plate(rng: random.Random) -> str:
    letters = "BDFGHJKLNPRSTVXZ"
    return rng.choice([
        f"{rng.choice(letters)}{rng.choice(letters)}-{rng.randint(100, 999)}-{rng.choice(letters)}",
        f"{rng.randint(1, 99)}-{''.join(rng.choices(letters, k=3))}-{rng.randint(1, 9)}",
        f"{''.join(rng.choices(letters, k=2))}-{rng.randint(10, 99)}-{''.join(rng.choices(letters, k=2))}",
    ])  # fmt: skip


def iban(rng: random.Random) -> str:
    bank = rng.choice(["ABNA", "INGB", "RABO", "TRIO", "BUNQ"])
    account = f"{rng.randint(0, 9_999_999_999):010d}"
    check = stdnum_iban.calc_check_digits(f"NL00{bank}{account}")
    raw = f"NL{check}{bank}{account}"
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4)) if rng.random() < 0.5 else raw


def bsn(rng: random.Random) -> str:
    while True:
        number = f"{rng.randint(10_000_000, 99_999_999):08d}"
        for last in range(10):
            if stdnum_bsn.is_valid(number + str(last)):
                return number + str(last)


def values(rng: random.Random, fakers: dict[str, Faker]) -> dict[str, tuple[str, str]]:
    """Each placeholder's text and its kind ("name" or "identifier")."""
    person = fakers[rng.choice(LOCALES)]
    other = fakers[rng.choice(LOCALES)]
    number = rng.randint(1, 180)
    postcode = f"{rng.randint(1000, 9999)} {rng.choice('ABCDEGHJKLMNPRSTVWXZ')}{rng.choice('ABCDEGHJKLMNPRSTVWXZ')}"
    return {
        "name": (f"{person.first_name()} {person.last_name()}", "name"),
        "other": (f"{other.first_name()} {other.last_name()}", "name"),
        "passport": (
            f"{''.join(rng.choices('ABCDEFGHJKLMNPRSTUVWXYZ', k=2))}{rng.randint(1000000, 9999999)}",
            "identifier",
        ),  # fmt: skip
        "address": (f"{rng.choice(STREETS)} {number}, {postcode}", "identifier"),
        "iban": (iban(rng), "identifier"),
        "plate": (plate(rng), "identifier"),
        "phone": (
            rng.choice(["06-", "06 ", "+31 6 ", "0031 6"]) + f"{rng.randint(10_000_000, 99_999_999)}",
            "identifier",
        ),
        "email": (
            f"{person.user_name()}@{rng.choice(['gmail.com', 'wp.pl', 'yahoo.ro', 'abv.bg', 'voorbeeld.nl'])}",
            "identifier",
        ),  # fmt: skip
        "bsn": (bsn(rng), "identifier"),
    }


def main() -> None:
    rng = random.Random(SEED)
    fakers = {locale: Faker(locale) for locale in set(LOCALES)}
    for n, faker in enumerate(fakers.values()):
        faker.seed_instance(SEED + n)
    lines = []
    for _ in range(COUNT):
        text, labels = "", []
        chosen = values(rng, fakers)
        for sentence in rng.sample(SENTENCES, rng.randint(2, 4)):
            for part in [p for p in re.split(r"(\{\w+\})", sentence) if p]:
                if part.startswith("{"):
                    value, kind = chosen[part[1:-1]]
                    labels.append({"start": len(text), "end": len(text) + len(value), "kind": kind, "text": value})
                    text += value
                else:
                    text += part
            text += " "
        lines.append(json.dumps({"text": text.strip(), "labels": labels}, ensure_ascii=False))
    Path(__file__).with_name("deidentify.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()

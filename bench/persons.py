"""Synthetic person records with known truth, for measuring person matching (docs/benchmarks.md, docs/linking.md).

Names typical of the Netherlands, Poland, Romania, Bulgaria and Ukraine, from Faker's lists per locale (Bulgarian and
Ukrainian names in Cyrillic, in half the records transliterated by ear), Dutch particles ("van der"), diacritics,
typing errors, swapped first and last names, missing fields. Each human appears one to four times; `truth` is the
human each record belongs to. Every name and number is made up.
"""

import random
import string
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

# How a Cyrillic name is often typed by someone who hears it: a rough Latin spelling.
LATIN = dict(zip("абвгдежзийклмнопрстуфхцчшщъьюяєіїґ", [
    "a", "b", "v", "g", "d", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f", "h",
    "ts", "ch", "sh", "sht", "a", "", "yu", "ya", "ye", "i", "yi", "g"], strict=True))  # fmt: skip
PLAIN = str.maketrans(
    {
        "ł": "l",
        "ą": "a",
        "ę": "e",
        "ś": "s",
        "ć": "c",
        "ż": "z",
        "ź": "z",
        "ń": "n",
        "ó": "o",
        "ș": "s",
        "ț": "t",
        "ă": "a",
        "â": "a",
        "î": "i",
        "Ł": "L",
        "Ș": "S",
    }  # fmt: skip
)
PLACES = ["Enschede", "Almelo", "Hengelo", "Oldenzaal", "Rijssen", "Losser", "Borne", "Goor", "Haaksbergen"]
COLUMNS = ["id", "first_name", "last_name", "date_of_birth", "gender", "nationality", "phone", "postcode",
           "house_number", "place"]  # fmt: skip


def latin(name: str) -> str:
    return "".join(LATIN.get(c.lower(), c) if c.isalpha() else c for c in name).title()


def typo(rng: random.Random, text: str) -> str:
    """One typing error: a letter dropped, doubled, swapped with its neighbour, or replaced."""
    if len(text) < 4:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return text[:i] + text[i + 1 :]
    if kind == 1:
        return text[:i] + text[i] + text[i:]
    if kind == 2:
        return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]
    return text[:i] + rng.choice(string.ascii_lowercase) + text[i + 1 :]


FAKERS: dict[str, Any] = {}


def faker(country: str, seed: int) -> Any:
    """Names as each country gives them (Faker's name lists per locale), Cyrillic for Bulgaria and Ukraine."""
    if country not in FAKERS:
        from faker import Faker

        FAKERS[country] = Faker(LOCALES[country])
        FAKERS[country].seed_instance(seed)
    return FAKERS[country]


LOCALES = {"NL": "nl_NL", "PL": "pl_PL", "RO": "ro_RO", "BG": "bg_BG", "UA": "uk_UA"}


def human(rng: random.Random, n: int, seed: int = 0) -> dict[str, str]:
    country = rng.choice(["NL", "NL", "PL", "PL", "RO", "BG", "UA"])
    born = date(1960, 1, 1) + timedelta(days=rng.randrange(16_000))
    gender = rng.choice(["F", "M"])
    names = faker(country, seed)
    first = names.first_name_female() if gender == "F" else names.first_name_male()
    last = names.last_name_female() if gender == "F" and hasattr(names, "last_name_female") else names.last_name()
    if country == "NL" and rng.random() < 0.2:
        last = f"{rng.choice(['van', 'de', 'van der', 'van den', 'ter'])} {last}"
    return {
        "first_name": first,
        "last_name": last,
        "date_of_birth": born.isoformat(),
        "gender": gender,
        "nationality": country,
        "phone": f"+316{rng.randrange(10_000_000, 99_999_999)}",
        "postcode": f"{rng.randrange(7400, 7699)}{rng.choice('ABCDEGHJKL')}{rng.choice('ABCDEGHJKLMNPRSTVWXZ')}",
        "house_number": str(rng.randrange(1, 300)),
        "place": rng.choice(PLACES),
        "truth": str(n),
    }


def record(rng: random.Random, person: dict[str, str]) -> dict[str, str]:
    """One sighting of a human, as some report or file wrote it down."""
    row = dict(person)
    if row["nationality"] in ("BG", "UA") and rng.random() < 0.5:
        row["first_name"], row["last_name"] = latin(row["first_name"]), latin(row["last_name"])
    if rng.random() < 0.12:
        row["first_name"] = typo(rng, row["first_name"])
    if rng.random() < 0.12:
        row["last_name"] = typo(rng, row["last_name"])
    if rng.random() < 0.1:
        row["last_name"] = row["last_name"].replace("van der ", "vd ").replace("van den ", "v.d. ")
    if rng.random() < 0.1:  # diacritics left out
        row["first_name"] = row["first_name"].translate(PLAIN)
    if rng.random() < 0.07:
        row["first_name"], row["last_name"] = row["last_name"], row["first_name"]
    for column, chance in (("date_of_birth", 0.2), ("phone", 0.5), ("postcode", 0.4), ("gender", 0.1),
                           ("nationality", 0.2), ("place", 0.3)):  # fmt: skip
        if rng.random() < chance:
            row[column] = ""
    if not row["postcode"]:
        row["house_number"] = ""
    if row["date_of_birth"] and rng.random() < 0.05:  # day and month swapped
        y, m, d = row["date_of_birth"].split("-")
        if int(d) <= 12:
            row["date_of_birth"] = f"{y}-{d}-{m}"
    return row


def records(count: int, seed: int = 5) -> Iterator[dict[str, str]]:
    """`count` records of about count / 2 humans, each with its `id` and `truth`."""
    rng = random.Random(seed)
    made, n = 0, 0
    while made < count:
        person = human(rng, n, seed)
        n += 1
        for _copy in range(min(rng.choice([1, 1, 2, 2, 3, 4]), count - made)):
            made += 1
            yield {"id": str(made), **record(rng, person)}

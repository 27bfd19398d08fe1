"""A generated Twente-sized year of possible victims, as the attacker tests of the record file use it: 60 to 80 a
year over the 14 municipalities, mostly Dutch and Eastern European, many girls under 18 in sexual exploitation
(loverboy cases), adult men in labour exploitation (agencies, distribution centres, agriculture), women from
Eastern Europe in sexual exploitation, boys and young men in criminal exploitation, a few from further away, and
some of whom the centre does not know the age, gender or nationality."""

import random
from typing import Any

# The 14 municipalities of Twente (CBS codes).
MUNICIPALITIES = ["GM0141", "GM0147", "GM0153", "GM0158", "GM0163", "GM0164", "GM0168", "GM0173", "GM0183",
                  "GM0189", "GM1700", "GM1735", "GM1742", "GM1774"]  # fmt: skip
EAST = ["PL", "RO", "BG", "HU", "LT", "UA", "SK", "LV"]
FAR = ["NG", "VN", "ER", "SY", "MA", "CN", "BR", "TR", "IN", "PH"]
GROOMING = ["FalsePromises", "PsychologicalAbuse", "SexualAbuse", "PhysicalThreats", "ThreatensChildrenFamily",
            "PsychoactiveSubstance", "TakesEarnings", "PhysicalAbuse"]  # fmt: skip
LABOUR = ["DebtBondage", "TakesEarnings", "WithholdsDocuments", "ExcessiveWorkingHours", "FalsePromises",
          "WithholdsNecessities", "ThreatsLawEnforcement", "RestrictsFinancialAccess",
          "RestrictsMedicalCare"]  # fmt: skip
CRIMINAL = ["PhysicalThreats", "ThreatensChildrenFamily", "DebtBondage", "PsychoactiveSubstance", "PhysicalAbuse"]

# (share, gender, ages, nationalities, forms, means): who the centre meets in a year.
KINDS: list[tuple[float, str, range, list[str], list[list[str]], list[str]]] = [
    (0.24, "Feminine", range(12, 18), ["NL"] * 9 + ["MA", "TR"], [["sexual"]] * 9 + [["sexual", "criminal"]], GROOMING),
    (0.12, "Feminine", range(18, 31), ["NL"] * 5 + EAST[:2], [["sexual"]] * 4 + [["unsure"]], GROOMING),
    (0.24, "Masculine", range(19, 60), EAST * 3 + ["NL", "PT"], [["labour"]] * 9 + [["labour", "criminal"]], LABOUR),
    (0.12, "Feminine", range(19, 40), EAST[:4] * 2 + ["NL"], [["sexual"]] * 5 + [["labour"]], GROOMING),
    (0.08, "Masculine", range(13, 24), ["NL"] * 6 + ["MA", "SR"], [["criminal"]] * 4 + [["unsure"]], CRIMINAL),
    (0.06, "Feminine", range(16, 45), FAR, [["sexual"], ["labour"], ["criminal"]], GROOMING + LABOUR),
    (0.06, "Masculine", range(17, 50), FAR + EAST, [["labour"], ["criminal"], ["unsure"]], LABOUR + CRIMINAL),
    (0.04, "NonSpecifiedUnknown", range(10, 40), ["NL", "", ""] + EAST, [["sexual"], ["labour"], ["unsure"]], GROOMING),
    (0.04, "TransgenderFeminine", range(17, 35), ["NL"] + FAR, [["sexual"]], GROOMING),
]


def twente_year(year: int, seed: int, size: int | None = None) -> list[dict[str, Any]]:
    """One year's possible victims in the shape of records.victim_rows(), in registration order, each with the
    municipality of its case."""
    rng = random.Random(seed)
    size = size or rng.randint(60, 80)
    shares = [kind[0] for kind in KINDS]
    rows = []
    for _ in range(size):
        _share, gender, ages, nationalities, forms, means = rng.choices(KINDS, weights=shares)[0]
        rows.append(
            {
                "year": year,
                "gender": gender,
                "age": None if rng.random() < 0.05 else rng.choice(ages),
                "citizenship": "" if rng.random() < 0.04 else rng.choice(nationalities),
                "forms": list(rng.choice(forms)),
                "methods": rng.sample(means, rng.randint(0, 4)),
                "municipality": rng.choice(MUNICIPALITIES),
            }
        )
    return rows

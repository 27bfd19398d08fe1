"""The record-level export of possible victims, de-identified, in the layout of the CTDC global dataset and in HTCDS
2.0 field names (REFERENCE.md §3): the year only, CTDC's age bands, country codes, no free text, no name or
identifier, and k-anonymity with k ≥ 11 on the quasi-identifiers, as CTDC publishes.

k is reached the way CTDC describes it, by generalising and then suppressing: rare nationalities become "other",
age bands become broader, years become periods, each step only when the one before would suppress too many records;
records still in a group smaller than k are left out. pycanon checks the result (k, and l-diversity of the form of
exploitation), and the export states both and how many records were left out.
"""

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from kenniscentrum.cases.models import Involvement
from kenniscentrum.lib.vocabulary import HTCDS_TYPE, ExploitationForm, InvolvementRole

from .figures import age_band

K = 11
# The quasi-identifiers CTDC anonymises on, and the sensitive attribute l-diversity is measured on.
QUASI = ["yearOfRegistration", "gender", "ageBroad", "citizenship"]
SENSITIVE = "typeOfExploitConcatenated"
# Generalising stops at the first step that leaves at most this share of the records out.
MOST_LEFT_OUT = 0.05
OTHER = "Other"
# CTDC's gender values (REFERENCE.md §3.3, "values seen"); unknown is left empty, as CTDC leaves missing values.
CTDC_GENDER = {"Feminine": "Female", "Masculine": "Male", "TransgenderFeminine": "Trans/Transgender/NonConforming",
               "TransgenderMasculine": "Trans/Transgender/NonConforming",
               "NonConforming": "Trans/Transgender/NonConforming"}  # fmt: skip
# CTDC's means-of-control flags (REFERENCE.md §3.2, variables 9–26) from HTCDS vic_MethodsOfControl.
MEANS = {"DebtBondage": "meansOfControlDebtBondage", "TakesEarnings": "meansOfControlTakesEarnings",
         "RestrictsFinancialAccess": "meansOfControlRestrictsFinancialAccess",
         "PhysicalThreats": "meansOfControlThreats", "ThreatensChildrenFamily": "meansOfControlThreats",
         "PsychologicalAbuse": "meansOfControlPsychologicalAbuse", "PhysicalAbuse": "meansOfControlPhysicalAbuse",
         "SexualAbuse": "meansOfControlSexualAbuse", "FalsePromises": "meansOfControlFalsePromises",
         "PsychoactiveSubstance": "meansOfControlPsychoactiveSubstances",
         "RestrictsMedicalCare": "meansOfControlRestrictsMedicalCare",
         "ExcessiveWorkingHours": "meansOfControlExcessiveWorkingHours",
         "ThreatsLawEnforcement": "meansOfControlThreatOfLawEnforcement",
         "WithholdsNecessities": "meansOfControlWithholdsNecessities",
         "WithholdsDocuments": "meansOfControlWithholdsDocuments", "Other": "meansOfControlOther"}  # fmt: skip
MEANS_COLUMNS = sorted(set(MEANS.values()))
CTDC_COLUMNS = ["yearOfRegistration", "Datasource", "gender", "ageBroad", "majorityStatusAtExploit", "citizenship",
                *MEANS_COLUMNS, "isForcedLabour", "isSexualExploit", "isOtherExploit", SENSITIVE,
                "CountryOfExploitation"]  # fmt: skip
# HTCDS 2.0 names where HTCDS has the field; CTDC's names for the three it lacks (the HTCDS+ extensions of the
# CTDC-to-HTCDS mapping, REFERENCE.md §3.3).
HTCDS_COLUMNS = {"yearOfRegistration": "yearOfRegistration", "gender": "prs_Gender", "ageBroad": "ageBroad",
                 "citizenship": "prs_Citizenship", SENSITIVE: "vic_TypeOfExploitation",
                 "methods": "vic_MethodsOfControl", "CountryOfExploitation": "CountryOfExploitation"}  # fmt: skip
# Broader bands, for the second step.
BROAD = {"0--8": "0--17", "9--17": "0--17", "18--20": "18--29", "21--23": "18--29", "24--26": "18--29",
         "27--29": "18--29", "30--38": "30--47", "39--47": "30--47", "48+": "48+"}  # fmt: skip


def victim_rows() -> list[dict[str, Any]]:
    """Every possible victim as one plain record: no name, no identifier, no free text, no date but the year."""
    rows = []
    involvements = Involvement.objects.filter(role=InvolvementRole.VICTIM).values_list(
        "case__created_at", "person__gender", "age_at_start", "person__nationalities", "case__forms",
        "case__methods_of_control",
    )  # fmt: skip
    for opened, gender, age, nationalities, forms, methods in involvements.iterator(chunk_size=5000):
        rows.append(
            {
                "year": timezone.localtime(opened).year,
                "gender": gender or "",
                "age": age,
                "citizenship": (nationalities or [""])[0],
                "forms": list(forms or []),
                "methods": list(methods or []),
            }
        )
    return rows


def ctdc_record(row: dict[str, Any]) -> dict[str, Any]:
    forms = set(row["forms"])
    means = {MEANS[m] for m in row["methods"] if m in MEANS}
    types = sorted(HTCDS_TYPE.get(f, "Other") for f in forms if f != ExploitationForm.UNSURE)
    return {
        "yearOfRegistration": str(row["year"]),
        "Datasource": "Case Management",
        "gender": CTDC_GENDER.get(row["gender"], ""),
        "ageBroad": age_band(row["age"]) if row["age"] is not None else "",
        "majorityStatusAtExploit": "" if row["age"] is None else "Minor" if row["age"] < 18 else "Adult",
        "citizenship": row["citizenship"].upper()[:2],
        **{column: int(column in means) for column in MEANS_COLUMNS},
        "isForcedLabour": int(ExploitationForm.LABOUR in forms),
        "isSexualExploit": int(ExploitationForm.SEXUAL in forms),
        "isOtherExploit": int(bool(forms - {ExploitationForm.LABOUR, ExploitationForm.SEXUAL, "unsure"})),
        SENSITIVE: ";".join(types),
        "CountryOfExploitation": "NL",
        "methods": "|".join(sorted(row["methods"])),
    }


def _rare_countries(records: list[dict[str, Any]], k: int) -> None:
    counts = Counter(r["citizenship"] for r in records)
    for r in records:
        if r["citizenship"] and counts[r["citizenship"]] < k:
            r["citizenship"] = OTHER


def _broader_ages(records: list[dict[str, Any]], k: int) -> None:
    for r in records:
        r["ageBroad"] = BROAD.get(r["ageBroad"], r["ageBroad"])


def _periods(records: list[dict[str, Any]], k: int) -> None:
    for r in records:
        year = int(r["yearOfRegistration"][:4])
        start = year - year % 3
        r["yearOfRegistration"] = f"{start}--{start + 2}"


def _no_country(records: list[dict[str, Any]], k: int) -> None:
    for r in records:
        r["citizenship"] = ""


STEPS = [("rare nationalities as Other", _rare_countries), ("broader age bands", _broader_ages),
         ("periods of three years", _periods), ("nationality left out", _no_country)]  # fmt: skip


def _small_groups(records: list[dict[str, Any]], k: int) -> set[int]:
    groups = Counter(tuple(r[q] for q in QUASI) for r in records)
    return {i for i, r in enumerate(records) if groups[tuple(r[q] for q in QUASI)] < k}


@dataclass
class Dataset:
    records: list[dict[str, Any]]
    k: int | None
    l_diversity: int | None
    left_out: int
    total: int
    steps: list[str]


def anonymised(rows: list[dict[str, Any]], k: int = K) -> Dataset:
    """The rows as CTDC records with k-anonymity on QUASI: generalised step by step, then the records in groups
    smaller than k left out; k and l checked with pycanon."""
    records = [ctdc_record(r) for r in rows]
    taken: list[str] = []
    for name, step in STEPS:
        if len(_small_groups(records, k)) <= MOST_LEFT_OUT * len(records):
            break
        step(records, k)
        taken.append(name)
    small = _small_groups(records, k)
    kept = [r for i, r in enumerate(records) if i not in small]
    measured_k, measured_l = measured(kept)
    return Dataset(kept, measured_k, measured_l, len(small), len(records), taken)


def measured(records: list[dict[str, Any]]) -> tuple[int | None, int | None]:
    """k-anonymity and l-diversity as pycanon measures them; None for an empty set."""
    if not records:
        return None, None
    import pandas as pd  # type: ignore[import-untyped]
    from pycanon import anonymity  # type: ignore[import-untyped]

    frame = pd.DataFrame(records, columns=[*QUASI, SENSITIVE])
    return int(anonymity.k_anonymity(frame, QUASI)), int(anonymity.l_diversity(frame, QUASI, [SENSITIVE]))


def in_htcds_names(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same records under HTCDS 2.0 field names, values as HTCDS lists them ("|" between several)."""
    gender = {v: k for k, v in CTDC_GENDER.items() if k in ("Feminine", "Masculine")}
    result = []
    for r in records:
        result.append(
            {
                HTCDS_COLUMNS["yearOfRegistration"]: r["yearOfRegistration"],
                HTCDS_COLUMNS["gender"]: gender.get(r["gender"], "NonConforming" if r["gender"] else ""),
                HTCDS_COLUMNS["ageBroad"]: r["ageBroad"],
                HTCDS_COLUMNS["citizenship"]: r["citizenship"],
                HTCDS_COLUMNS[SENSITIVE]: r[SENSITIVE].replace(";", "|"),
                HTCDS_COLUMNS["methods"]: r["methods"],
                HTCDS_COLUMNS["CountryOfExploitation"]: r["CountryOfExploitation"],
            }
        )
    return result

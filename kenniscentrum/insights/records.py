"""The record-level file of possible victims, de-identified, made once a year and frozen in that year's Release: the
possible victims of the cases opened in one completed calendar year, in the layout of the CTDC global dataset and in
HTCDS 2.0 field names (REFERENCE.md §3), the year only, no name, identifier, date or free text.

Whoever might read it, a trafficker or a relative included, is assumed to know everything the file says about her:
year, gender, age, nationality, the form of exploitation and the means of control. So all of those are
quasi-identifiers, and every published row is shared by at least K records (k-anonymity on the whole row). Within
each group of year, gender, age band and nationality the form takes at least L values (l-diversity), so a relative
who knows who she is does not learn her form from the file. k is reached as CTDC describes it, by generalising and
then leaving records out: each attribute has a ladder of steps (LADDERS), the combination of steps that leaves the
fewest records out is taken (only as far as needed: none if at most 5% would be left out without), and the records
still in a group smaller than K, or in a group without L forms, are left out. pycanon measures k and l on the rows as
they are stored, and a file that fails either is never made (NotAnonymous). The rows are shuffled, so their order
tells nothing of the order in which the victims came.

docs/insights.md, "De-identified records of possible victims", says why this model and what it costs.
"""

import itertools
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any, NamedTuple, TypedDict

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kenniscentrum.cases.models import Involvement
from kenniscentrum.lib.vocabulary import ExploitationForm, InvolvementRole, htcds_type

from .figures import age_band

K = 11
L = 2
# Generalising stops at the least it takes to leave at most this share of the records out.
MOST_LEFT_OUT = 0.05
OTHER = "Other"
DEMOGRAPHIC = ["yearOfRegistration", "gender", "ageBroad", "citizenship"]
FORM = "typeOfExploitConcatenated"
# Everything a trafficker or relative could know is a quasi-identifier: the demographic four, the form, the means.
QUASI = [*DEMOGRAPHIC, FORM, "meansOfControl"]
# CTDC's gender values (REFERENCE.md §3.3, "values seen"); unknown is left empty, as CTDC leaves missing values.
CTDC_GENDER = {"Feminine": "Female", "Masculine": "Male", "TransgenderFeminine": "Trans/Transgender/NonConforming",
               "TransgenderMasculine": "Trans/Transgender/NonConforming",
               "NonConforming": "Trans/Transgender/NonConforming"}  # fmt: skip
HTCDS_GENDER = {"Female": "Feminine", "Male": "Masculine", "Trans/Transgender/NonConforming": "NonConforming"}
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
# The CTDC-derived groups of the means of control (REFERENCE.md §3.2, "Derived groupings"), each a column of its own.
MEANS_GROUP = {"DebtBondage": "controlFinancial", "TakesEarnings": "controlFinancial",
               "RestrictsFinancialAccess": "controlFinancial", "PhysicalThreats": "controlThreats",
               "ThreatensChildrenFamily": "controlThreats", "ThreatsLawEnforcement": "controlThreats",
               "PsychologicalAbuse": "controlThreats", "FalsePromises": "controlThreats",
               "ExcessiveWorkingHours": "controlThreats", "PhysicalAbuse": "controlPhysical",
               "SexualAbuse": "controlPhysical", "RestrictsMedicalCare": "controlNecessities",
               "WithholdsNecessities": "controlNecessities", "WithholdsDocuments": "controlNecessities",
               "PsychoactiveSubstance": "controlOther", "Other": "controlOther"}  # fmt: skip
GROUP_COLUMNS = ["controlFinancial", "controlThreats", "controlPhysical", "controlNecessities", "controlOther"]
SEXUAL, LABOUR = "SexualExploitation", "ForcedLabour"
MINOR_BANDS = {"0--8", "9--17", "0--17"}
# Broader bands, for the first step on age.
BROAD = {"0--8": "0--17", "9--17": "0--17", "18--20": "18--29", "21--23": "18--29", "24--26": "18--29",
         "27--29": "18--29", "30--38": "30--47", "39--47": "30--47", "48+": "48+"}  # fmt: skip


class NotAnonymous(Exception):
    """A file that does not meet k ≥ K and l ≥ L as pycanon measures it: never stored, never published."""


class RecordFile(TypedDict):
    """What record_release gives, as stored in Release.records (JSON): the file in both layouts, shuffled, with what
    was measured on it."""

    year: int
    k_required: int
    l_required: int
    k: int | None  # pycanon's k over every column, the smaller of the two layouts; None when no record is published
    # pycanon's l of the form within the groups of year, gender, age band and nationality (the measure's own name)
    l: int | None  # noqa: E741
    total: int  # possible victims of the year
    left_out: int  # of those, not in the file
    steps: list[str]  # the generalising steps taken (codes of STEPS), in ladder order
    columns: dict[str, list[str]]  # "ctdc" and "htcds": the column names, in order
    rows: dict[str, list[list[Any]]]  # "ctdc" and "htcds": the rows, in the same shuffled order in both


class Victim(NamedTuple):
    """One possible victim as the file can know her, before any generalising: each value as published at step 0."""

    year: str
    gender: str
    age: str  # CTDC's age band, "" when not known
    citizenship: str  # ISO 3166 alpha-2, "" when not known
    forms: tuple[str, ...]  # HTCDS types of exploitation, sorted; "not sure" left out
    means: tuple[str, ...]  # HTCDS methods of control, sorted


# A generalising step: its code (stored in a release) and its name (shown on the page and in the XLSX).
STEPS = {
    "means_groups": _("means of control as the CTDC groups"),
    "means_left_out": _("means of control left out"),
    "nationality_rare": _("rare nationalities as Other"),
    "nationality_dutch_other": _("nationality as Dutch, other or not known"),
    "nationality_left_out": _("nationality left out"),
    "age_broader": _("broader age bands"),
    "age_minor_adult": _("age as minor or adult"),
    "forms_broad": _("forms as sexual, labour or other"),
}
LEFT_OUT = None  # the value of an attribute whose column is left out


def victim_rows(year: int) -> list[dict[str, Any]]:
    """Every possible victim in the cases opened in `year` (Europe/Amsterdam) as one plain record, in the order they
    were registered: no name, no identifier, no free text, no date but the year."""
    # The year as the centre lives it, whatever time zone a request has activated.
    zone = timezone.get_default_timezone()
    start, end = timezone.make_aware(datetime(year, 1, 1), zone), timezone.make_aware(datetime(year + 1, 1, 1), zone)
    involvements = (
        Involvement.objects.filter(role=InvolvementRole.VICTIM, case__created_at__gte=start, case__created_at__lt=end)
        .order_by("case__created_at", "pk")
        .values_list(
            "person__gender", "age_at_start", "person__nationalities", "case__forms", "case__methods_of_control"
        )
    )
    return [
        {
            "year": year,
            "gender": gender or "",
            "age": age,
            "citizenship": (nationalities or [""])[0],
            "forms": list(forms or []),
            "methods": list(methods or []),
        }
        for gender, age, nationalities, forms, methods in involvements.iterator(chunk_size=5000)
    ]


def victim(row: dict[str, Any]) -> Victim:
    return Victim(
        year=str(row["year"]),
        gender=CTDC_GENDER.get(row["gender"], ""),
        age=age_band(row["age"]) if row["age"] is not None else "",
        citizenship=str(row["citizenship"]).upper()[:2],
        forms=tuple(sorted({htcds_type(f) for f in row["forms"] if f != ExploitationForm.UNSURE})),
        means=tuple(sorted({m for m in row["methods"] if m in MEANS})),
    )


# The ladders: for each attribute, the value at each step (step 0: as recorded). A step is taken only with the ones
# below it on its ladder. The nationality ladder needs the year's counts (a nationality is rare below K).
Ladder = list[tuple[str | None, Callable[[Any], Any]]]


def _means_groups(means: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted({MEANS_GROUP[m] for m in means}))


def _minor_or_adult(band: str) -> str:
    return "" if not band else "0--17" if band in MINOR_BANDS else "18+"


def _broad_forms(forms: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted({f if f in (SEXUAL, LABOUR) else OTHER for f in forms}))


def _ladders(nationalities: Counter[str]) -> dict[str, Ladder]:
    def rare(country: str) -> str:
        return OTHER if country and nationalities[country] < K else country

    def dutch_or_other(country: str) -> str:
        return "" if not country else "NL" if country == "NL" else OTHER

    return {
        "means": [(None, lambda m: m), ("means_groups", _means_groups), ("means_left_out", lambda m: LEFT_OUT)],
        "citizenship": [
            (None, lambda c: c),
            ("nationality_rare", rare),
            ("nationality_dutch_other", dutch_or_other),
            ("nationality_left_out", lambda c: LEFT_OUT),
        ],
        "age": [(None, lambda a: a), ("age_broader", lambda a: BROAD.get(a, a)), ("age_minor_adult", _minor_or_adult)],
        "forms": [(None, lambda f: f), ("forms_broad", _broad_forms)],
    }


# The order of preference when two choices leave as many records out after as many steps: generalise the means of
# control first, then nationality, then age, and the form last (what research on trafficking needs most).
PREFERENCE = ["forms", "age", "citizenship", "means"]


class Choice(NamedTuple):
    levels: dict[str, int]
    published: dict[Victim, tuple[Any, ...]]  # each victim's row of quasi-identifiers as published
    kept: set[Victim]
    left_out: int


def _generalised(victims: Counter[Victim], ladders: dict[str, Ladder], levels: dict[str, int]) -> Choice:
    """The victims under these steps, with those left out: first every group of all quasi-identifiers smaller than K,
    then every group of the demographic ones whose form takes fewer than L values among what is left."""
    means, citizenship = ladders["means"][levels["means"]][1], ladders["citizenship"][levels["citizenship"]][1]
    age, forms = ladders["age"][levels["age"]][1], ladders["forms"][levels["forms"]][1]
    published = {v: (v.year, v.gender, age(v.age), citizenship(v.citizenship), forms(v.forms), means(v.means))
                 for v in victims}  # fmt: skip
    sizes: Counter[tuple[Any, ...]] = Counter()
    for v, n in victims.items():
        sizes[published[v]] += n
    kept = {v for v in victims if sizes[published[v]] >= K}
    diversity: defaultdict[tuple[Any, ...], set[Any]] = defaultdict(set)
    for v in kept:
        diversity[published[v][:4]].add(published[v][4])
    kept = {v for v in kept if len(diversity[published[v][:4]]) >= L}
    return Choice(levels, published, kept, sum(victims.values()) - sum(victims[v] for v in kept))


def _chosen(victims: Counter[Victim], ladders: dict[str, Ladder]) -> Choice:
    """Only as far as needed: the fewest steps that leave at most MOST_LEFT_OUT of the records out; when no
    combination does, the one that leaves the fewest out, with the fewest steps."""
    allowed = MOST_LEFT_OUT * sum(victims.values())

    def cost(choice: Choice) -> tuple[Any, ...]:
        steps = sum(choice.levels.values())
        preference = tuple(choice.levels[a] for a in PREFERENCE)
        if choice.left_out <= allowed:
            return (0, steps, choice.left_out, preference)
        return (1, choice.left_out, steps, preference)

    names = list(ladders)
    combinations = itertools.product(*(range(len(ladders[name])) for name in names))
    return min((_generalised(victims, ladders, dict(zip(names, levels, strict=True))) for levels in combinations),
               key=cost)  # fmt: skip


def _layouts(levels: dict[str, int]) -> dict[str, list[str]]:
    """The columns of both layouts: a column whose attribute was left out is not there at all."""
    means = [MEANS_COLUMNS, GROUP_COLUMNS, []][levels["means"]]
    htcds_means = [["vic_MethodsOfControl"], GROUP_COLUMNS, []][levels["means"]]
    citizenship = levels["citizenship"] < 3
    return {
        "ctdc": ["yearOfRegistration", "Datasource", "gender", "ageBroad", "majorityStatusAtExploit",
                 *(["citizenship"] if citizenship else []), *means, "isForcedLabour", "isSexualExploit",
                 "isOtherExploit", FORM, "CountryOfExploitation"],
        "htcds": ["yearOfRegistration", "prs_Gender", "ageBroad", *(["prs_Citizenship"] if citizenship else []),
                  "vic_TypeOfExploitation", *htcds_means, "CountryOfExploitation"],
    }  # fmt: skip


def _row(published: tuple[Any, ...], means_level: int) -> dict[str, Any]:
    """Every column of both layouts, each made from the published quasi-identifiers only, so no column can tell
    more than the row of quasi-identifiers it came from."""
    year, gender, age, citizenship, forms, means = published
    flags = {MEANS[m] for m in means} if means_level == 0 else set(means or ())
    return {
        "yearOfRegistration": year,
        "Datasource": "Case Management",
        "gender": gender,
        "prs_Gender": HTCDS_GENDER.get(gender, ""),
        "ageBroad": age,
        "majorityStatusAtExploit": "" if not age else "Minor" if age in MINOR_BANDS else "Adult",
        "citizenship": citizenship,
        "prs_Citizenship": citizenship,
        **{column: int(column in flags) for column in [*MEANS_COLUMNS, *GROUP_COLUMNS]},
        "vic_MethodsOfControl": "|".join(means or ()),
        "isForcedLabour": int(LABOUR in forms),
        "isSexualExploit": int(SEXUAL in forms),
        "isOtherExploit": int(any(f not in (SEXUAL, LABOUR) for f in forms)),
        FORM: ";".join(forms),
        "vic_TypeOfExploitation": "|".join(forms),
        "CountryOfExploitation": "NL",
    }


def anonymised(rows: Iterable[dict[str, Any]], *, year: int) -> RecordFile:
    """The file of one year's possible victims (rows as victim_rows gives them): generalised as far as needed, the
    records that still fail k or l left out, shuffled, and measured; raises NotAnonymous rather than give a file
    that fails k ≥ K or l ≥ L."""
    victims = Counter(victim(row) for row in rows)
    if any(v.year != str(year) for v in victims):
        raise ValueError("A year's file holds the possible victims of that year only.")
    ladders = _ladders(Counter(v.citizenship for v in victims.elements()))
    choice = _chosen(victims, ladders)
    published = [choice.published[v] for v in victims.elements() if v in choice.kept]
    # Not the order of registration, nor any order that follows it (CSPRNG: the order cannot be replayed).
    random.SystemRandom().shuffle(published)
    columns = _layouts(choice.levels)
    rows_of = {layout: [[_row(p, choice.levels["means"])[c] for c in cols] for p in published]
               for layout, cols in columns.items()}  # fmt: skip
    k, l_diversity = measured(columns, rows_of)
    if published and (k is None or k < K or l_diversity is None or l_diversity < L):
        raise NotAnonymous(f"The file of {year} would have k = {k} and l = {l_diversity}.")
    steps = [code for name, ladder in ladders.items() for code, _f in ladder[1 : choice.levels[name] + 1] if code]
    return RecordFile(year=year, k_required=K, l_required=L, k=k, l=l_diversity, total=sum(victims.values()),
                      left_out=choice.left_out, steps=steps, columns=columns, rows=rows_of)  # fmt: skip


def measured(columns: dict[str, list[str]], rows: dict[str, list[list[Any]]]) -> tuple[int | None, int | None]:
    """pycanon's k over every column of each layout (the smaller), and its l of the form within the groups of the
    demographic columns; None for an empty file."""
    if not rows["ctdc"]:
        return None, None
    import pandas as pd  # type: ignore[import-untyped]
    from pycanon import anonymity  # type: ignore[import-untyped]

    frames = {layout: pd.DataFrame(rows[layout], columns=columns[layout]) for layout in columns}
    k = min(int(anonymity.k_anonymity(frame, list(frame.columns))) for frame in frames.values())
    demographic = [c for c in DEMOGRAPHIC if c in columns["ctdc"]]
    return k, int(anonymity.l_diversity(frames["ctdc"], demographic, [FORM]))


def record_release(year: int) -> RecordFile:
    """The record file of a completed year, for its Release (Release.records): made once, from the live records."""
    if year >= timezone.localdate().year:
        raise ValueError("Only a completed year has a record file.")
    return anonymised(victim_rows(year), year=year)


def step_names(codes: list[str]) -> list[str]:
    """The steps of a release by name, in the current language; a code no longer known stays as it is."""
    return [str(STEPS.get(code, code)) for code in codes]

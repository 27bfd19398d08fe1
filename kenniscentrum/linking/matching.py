"""Person matching with Splink on DuckDB (embedded, no server): which records are the same human.

Records are prepared the same way wherever they come from (the case file, a CSV file): names in Latin letters
(anyascii transliterates Cyrillic and drops diacritics), lower case, Dutch particles ("van der", "ter") set apart so
"Berg" and "van der Berg" compare; a phone number in E.164; a postcode without its space. The model (its comparisons
and their trained weights) is the backend-neutral JSON in `linking/data/person_model.json`: the same file runs on
Spark for data beyond one machine (docs/linking.md). It was trained on synthetic records (`bench/persons.py`) with
`manage.py match_persons --train`.
"""

import csv
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from anyascii import anyascii

from kenniscentrum.lib.identifiers import phone

COLUMNS = ["id", "first_name", "last_name", "date_of_birth", "gender", "nationality", "phone", "postcode",
           "house_number", "place"]  # fmt: skip
MODEL = Path(__file__).parent / "data" / "person_model.json"
# Pairs at or above this probability are suggested for review (and clustered in a CSV run). A person decides on
# every suggestion, so the threshold favours finding the pair; the figures per threshold are in docs/linking.md.
THRESHOLD = 0.1
PARTICLES = {"van", "der", "den", "de", "het", "ter", "ten", "te", "vd", "v.d.", "vander", "vanden", "vande",
             "la", "le", "du", "da", "di", "op"}  # fmt: skip


def name_parts(text: str) -> tuple[str, str]:
    """(the name without particles, the particles) in plain lower-case Latin letters."""
    words = re.sub(r"[^a-z. ]", " ", anyascii(text or "").lower()).split()
    core = [w for w in words if w not in PARTICLES]
    return " ".join(core).replace(".", ""), " ".join(w for w in words if w in PARTICLES)


def prepared(row: dict[str, Any]) -> dict[str, Any]:
    """A record as the model compares it; an empty field is None (unknown), never a value."""
    # Particles are set apart in both names: a name typed the wrong way round carries them into the first name.
    first, first_particles = name_parts(str(row.get("first_name") or ""))
    last, particles = name_parts(str(row.get("last_name") or ""))
    particles = " ".join(p for p in (first_particles, particles) if p)
    number = str(row.get("phone") or "").strip()
    normalised = phone(number) if number else None
    born = str(row.get("date_of_birth") or "").strip()[:10]
    postcode = re.sub(r"\s", "", str(row.get("postcode") or "")).upper()
    return {
        "id": str(row["id"]),
        "first_name": first or None,
        "last_name": last or None,
        "particles": particles or None,
        "full_name": f"{first} {last}".strip() or None,
        "date_of_birth": born if re.fullmatch(r"\d{4}-\d{2}-\d{2}", born) else None,
        "birth_year": born[:4] if re.fullmatch(r"\d{4}-\d{2}-\d{2}", born) else None,
        "gender": str(row.get("gender") or "").strip().upper()[:1] or None,
        "nationality": str(row.get("nationality") or "").strip().upper() or None,
        "phone": normalised.value if normalised is not None and normalised.valid else None,
        "postcode": postcode or None,
        "house_number": str(row.get("house_number") or "").strip().upper() or None,
    }


# Which pairs are compared at all: plain SQL on the prepared columns, so the same rules run on DuckDB and Spark.
BLOCKING = [
    "l.last_name = r.last_name",
    "l.first_name = r.first_name AND l.birth_year = r.birth_year",
    "l.first_name = r.first_name AND substr(l.last_name, 1, 3) = substr(r.last_name, 1, 3)",
    "l.first_name = r.last_name AND l.last_name = r.first_name",
    "l.phone = r.phone",
    "l.postcode = r.postcode AND l.house_number = r.house_number",
    "l.date_of_birth = r.date_of_birth",
]


def settings() -> Any:
    """The comparisons and blocking rules, before training. Blocking rules are plain SQL on the prepared columns, so
    the same settings run on DuckDB and Spark."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator
    from splink.blocking_rule_library import CustomRule

    date_of_birth = cl.CustomComparison(
        output_column_name="date_of_birth",
        comparison_levels=[
            cll.NullLevel("date_of_birth"),
            cll.ExactMatchLevel("date_of_birth"),
            # Day and month written the other way round.
            cll.CustomLevel(
                "substr(date_of_birth_l, 1, 4) = substr(date_of_birth_r, 1, 4) AND "
                "substr(date_of_birth_l, 6, 2) = substr(date_of_birth_r, 9, 2) AND "
                "substr(date_of_birth_l, 9, 2) = substr(date_of_birth_r, 6, 2)",
                label_for_charts="Day and month swapped",
            ),
            cll.LevenshteinLevel("date_of_birth", 1),
            cll.CustomLevel("birth_year_l = birth_year_r", label_for_charts="Same year"),
            cll.ElseLevel(),
        ],
    )
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="id",
        comparisons=[
            cl.ForenameSurnameComparison(
                "first_name",
                "last_name",
                jaro_winkler_thresholds=[0.92, 0.85, 0.75],
                forename_surname_concat_col_name="full_name",
            ),
            date_of_birth,
            cl.ExactMatch("gender"),
            cl.ExactMatch("nationality"),
            cl.ExactMatch("phone"),
            cl.CustomComparison(
                output_column_name="address",
                comparison_levels=[
                    cll.NullLevel("postcode"),
                    cll.CustomLevel(
                        "postcode_l = postcode_r AND house_number_l = house_number_r", label_for_charts="Same address"
                    ),
                    cll.ElseLevel(),
                ],
            ),
        ],
        blocking_rules_to_generate_predictions=[CustomRule(rule) for rule in BLOCKING],
        retain_intermediate_calculation_columns=False,
    )


def _linker(rows: list[dict[str, Any]], model: Any) -> Any:
    import pyarrow as pa  # type: ignore[import-untyped]
    from splink import DuckDBAPI, Linker

    database = DuckDBAPI()
    table = database.register(pa.Table.from_pylist([prepared(r) for r in rows]))
    # log_level=None: Splink leaves its logger to the project's LOGGING (settings.py, WARNING) instead of adding its
    # own handler at INFO, which printed "Blocking time ..." lines through `make demo` and every matching run.
    return Linker(table, model, log_level=None)


def train(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Trains the model without labels (Splink's usual way): the random-match rate from near-certain pairs,
    u-probabilities from random pairs, m-probabilities by expectation maximisation under two blockings."""
    linker = _linker(rows, settings())
    linker.training.estimate_probability_two_random_records_match(
        ["l.first_name = r.first_name AND l.last_name = r.last_name AND l.date_of_birth = r.date_of_birth"], recall=0.6
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2_000_000, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation("l.date_of_birth = r.date_of_birth")
    linker.training.estimate_parameters_using_expectation_maximisation("l.last_name = r.last_name")
    linker.training.estimate_parameters_using_expectation_maximisation("l.phone = r.phone")
    return linker.misc.save_model_to_json()


# The number of records the model was trained on (`match_persons --train 10000`).
TRAINED_RECORDS = 10_000


def model(records: int = TRAINED_RECORDS) -> dict[str, Any]:
    """The trained model, its prior fitted to a file of `records` records: with each human in a few records, the
    chance that two random records are one human falls as one over the number of records."""
    trained: dict[str, Any] = json.loads(MODEL.read_text(encoding="utf-8"))
    prior = trained["probability_two_random_records_match"] * TRAINED_RECORDS / max(records, 2)
    trained["probability_two_random_records_match"] = min(prior, 0.5)
    return trained


# What two records can both be compared by besides a first name: a surname, or an identifier of the human.
BEYOND_A_FIRST_NAME = [("last_name",), ("date_of_birth",), ("phone",), ("postcode", "house_number")]


def more_than_a_first_name(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two records share something to compare besides a first name. Many reports name a person by a first
    name only ("Leah"); the model scores two such mentions at about 0.2, above the threshold, and a review list full
    of them hides the pairs worth a look (issue 27, finding 19)."""
    left, right = prepared(a), prepared(b)
    return any(all(left[f] and right[f] for f in fields) for fields in BEYOND_A_FIRST_NAME)


def pairs(rows: list[dict[str, Any]], threshold: float = THRESHOLD) -> list[tuple[str, str, float]]:
    """Every pair of records at or above `threshold` that shares more than a first name: (id, id, probability),
    the lower id first."""
    if len(rows) < 2:
        return []
    linker = _linker(rows, model(len(rows)))
    predictions = linker.inference.predict(threshold_match_probability=threshold)
    by_id = {str(r["id"]): r for r in rows}
    found = []
    for row in predictions.as_record_list():
        a, b = sorted((str(row["id_l"]), str(row["id_r"])), key=lambda v: (len(v), v))
        if more_than_a_first_name(by_id[a], by_id[b]):
            found.append((a, b, float(row["match_probability"])))
    return found


def clusters(rows: list[dict[str, Any]], threshold: float = THRESHOLD) -> list[dict[str, Any]]:
    """Every record with the cluster it falls in (connected pairs at or above `threshold`) and the highest
    probability that put it there (empty for a record alone)."""
    import networkx as nx

    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(str(r["id"]) for r in rows)
    best: dict[str, float] = {}
    for a, b, probability in pairs(rows, threshold):
        graph.add_edge(a, b)
        for node in (a, b):
            best[node] = max(best.get(node, 0.0), probability)
    result = []
    for component in nx.connected_components(graph):
        cluster = min(component, key=lambda v: (len(v), v))
        result += [{"id": node, "cluster_id": cluster, "match_probability": best.get(node, "")} for node in component]
    return sorted(result, key=lambda r: (len(r["id"]), r["id"]))


def read_csv(path: Path) -> list[dict[str, str]]:
    """A file with the columns of COLUMNS (any of them but `id` may be empty; others are ignored)."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames is None or "id" not in reader.fieldnames:
            raise ValueError("The file needs a header row with at least the column id.")
        return [{column: (row.get(column) or "").strip() for column in COLUMNS} for row in reader]


def write_csv(path: Path, rows: Iterable[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["id", "cluster_id", "match_probability"])
        writer.writeheader()
        for row in rows:
            probability = row["match_probability"]
            writer.writerow({**row, "match_probability": f"{probability:.4f}" if probability != "" else ""})

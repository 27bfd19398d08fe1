"""The wiring between the rooms: no module uses another app's views or another app's private names.

What several apps' views need lives in an `access.py`, `pages.py` or `lib/http.py` that says what it is.
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR) / "kenniscentrum"


def imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) for every `from … import …` and `import …` in a file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.module, [alias.name for alias in node.names]))
        elif isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
    return found


def app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "kenniscentrum" else None


def test_no_module_imports_another_apps_views_or_private_names() -> None:
    problems = []
    for path in ROOT.rglob("*.py"):
        own = path.relative_to(ROOT).parts[0]
        for module, names in imports(path):
            other = app_of(module)
            if other is None or other == own:
                continue
            if module.split(".")[-1].startswith("views"):
                problems.append(f"{path.relative_to(ROOT)} imports {module}")
            problems += [f"{path.relative_to(ROOT)} imports {module}.{n}" for n in names if n.startswith("_")]
    assert problems == []


def test_the_check_would_see_a_views_import(tmp_path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("from kenniscentrum.reports.views_staff import report_action\n", encoding="utf-8")
    assert imports(sample) == [("kenniscentrum.reports.views_staff", ["report_action"])]
    assert app_of("kenniscentrum.reports.views_staff") == "reports"


# The layers of docs/architecture.md: an app imports from its own layer and the ones below, never above.
LAYERS = {
    "lib": 1, "audit": 1,
    "organisations": 2, "accounts": 2,
    "reports": 3, "indicators": 3, "knowledge": 3,
    "cases": 4,
    "referrals": 5, "meetings": 5, "linking": 5,
    "upkeep": 6, "notifications": 6, "insights": 6, "api": 6,
}  # fmt: skip


def test_no_app_imports_an_app_above_its_layer() -> None:
    problems = []
    for path in ROOT.rglob("*.py"):
        own = path.relative_to(ROOT).parts[0]
        if own not in LAYERS or "migrations" in path.parts:
            continue
        for module, _names in imports(path):
            other = app_of(module)
            if other in LAYERS and LAYERS[other] > LAYERS[own]:
                problems.append(f"{path.relative_to(ROOT)} imports {module}")
    assert problems == []


def test_every_app_has_a_layer() -> None:
    apps = {name.split(".")[1] for name in settings.INSTALLED_APPS if name.startswith("kenniscentrum.")}
    assert apps == set(LAYERS)


def test_the_shared_vocabulary_is_imported_from_its_one_home() -> None:
    """Choices several apps speak of, and the workflow states, live in lib/vocabulary.py; a module that imports one
    from a models module (where it once lived, or where a model uses it) would make two homes again."""
    from kenniscentrum.lib import vocabulary

    shared = {name for name in vars(vocabulary) if name[:1].isupper()} - {"Any"}
    problems = []
    for root in (ROOT, ROOT.parent / "tests", ROOT.parent / "bench"):
        for path in root.rglob("*.py"):
            for module, names in imports(path):
                if module.endswith(("models", "workflow")) and module.startswith(("kenniscentrum", ".")):
                    problems += [f"{path.name} imports {n} from {module}" for n in names if n in shared]
    assert "ExploitationForm" in shared and "ReportStatus" in shared
    assert problems == []

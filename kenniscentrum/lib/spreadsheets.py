"""Cells for CSV and XLSX exports that a spreadsheet shows as text and never runs as a formula.

Excel, LibreOffice and Google Sheets read a cell that starts with =, +, - or @ as a formula, and some do so after
leading spaces or line breaks too, or with a full-width sign; a formula can open a link with the sheet's content
or start a program (OWASP, "CSV Injection"). Every CSV and XLSX export writes its cells through `inert`.
"""

from collections.abc import Iterable
from typing import Any

# What a formula can start with (a tab, CR and LF count too: OWASP lists them), and the full-width forms.
TRIGGERS = "=+-@\t\r\n\uff1d\uff0b\uff0d\uff20"


def inert(value: Any) -> Any:
    """The value, with a text that could start a formula prefixed by an apostrophe; numbers stay numbers."""
    if not isinstance(value, str):
        return value
    if any(start[:1] and start[0] in TRIGGERS for start in (value, value.lstrip())):
        return "'" + value
    return value


def inert_row(values: Iterable[Any]) -> list[Any]:
    return [inert(value) for value in values]

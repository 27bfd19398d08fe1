"""A page's forms as a browser sends them back: what a test submits when a person presses Save without changing
anything.

A browser sends what its controls hold, not what the HTML says: a date input drops a value it cannot read (only
ISO dates, 2026-03-01, are dates to it), an unticked box and an unchosen radio button send nothing, a select sends
its selected option (the first when none is marked), a file input with no file sends nothing, a disabled control
and the buttons nobody pressed send nothing.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

# What each kind of input accepts as its value; anything else it shows empty and sends empty (the HTML standard's
# "value sanitization algorithm").
READABLE = {
    "date": re.compile(r"\d{4,}-\d{2}-\d{2}"),
    "month": re.compile(r"\d{4,}-\d{2}"),
    "datetime-local": re.compile(r"\d{4,}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?"),
    "time": re.compile(r"\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?"),
    "week": re.compile(r"\d{4,}-W\d{2}"),
}
NOT_SENT = {"submit", "button", "image", "reset", "file"}


@dataclass
class Form:
    action: str
    method: str
    attrs: dict[str, str] = field(default_factory=dict)
    controls: list[dict[str, Any]] = field(default_factory=list)

    def sent(self) -> dict[str, list[str]]:
        """What the browser sends when the form is submitted as it is shown."""
        data: dict[str, list[str]] = {}
        for control in self.controls:
            name = control["attrs"].get("name")
            if not name or "disabled" in control["attrs"]:
                continue
            for value in _values(control):
                data.setdefault(name, []).append(value)
        return data

    def names(self) -> set[str]:
        return {c["attrs"]["name"] for c in self.controls if c["attrs"].get("name")}


def _values(control: dict[str, Any]) -> list[str]:
    attrs = control["attrs"]
    if control["tag"] == "textarea":
        # The parser drops one newline right after <textarea>, as a browser does.
        return [control["text"].removeprefix("\n")]
    if control["tag"] == "select":
        options = control["options"]
        chosen = [o for o in options if "selected" in o["attrs"] and "disabled" not in o["attrs"]]
        if not chosen and "multiple" not in attrs and options:
            chosen = [options[0]]
        return [o["attrs"].get("value", o["text"].strip()) for o in chosen]
    kind = attrs.get("type", "text").lower()
    if kind in NOT_SENT:
        return []
    if kind in ("checkbox", "radio"):
        return [attrs.get("value", "on")] if "checked" in attrs else []
    value = attrs.get("value", "")
    if kind in READABLE and not READABLE[kind].fullmatch(value):
        return [""]
    return [value]


class Forms(HTMLParser):
    """Every <form> of a page with its controls."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.current: Form | None = None
        self.open: dict[str, Any] | None = None  # a textarea, select or option being read
        self.select: dict[str, Any] | None = None
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.current = Form(given.get("action", ""), given.get("method", "get").lower(), given)
            self.forms.append(self.current)
        elif self.current is None:
            return
        elif tag == "input":
            self.current.controls.append({"tag": tag, "attrs": given})
        elif tag in ("textarea", "select"):
            self.open = {"tag": tag, "attrs": given, "text": "", "options": []}
            self.current.controls.append(self.open)
            self.select = self.open if tag == "select" else None
        elif tag == "option" and self.select is not None:
            self.open = {"tag": tag, "attrs": given, "text": ""}
            self.select["options"].append(self.open)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag in ("textarea", "option"):
            self.open = self.select if tag == "option" else None
        elif tag == "select":
            self.open = self.select = None

    def handle_data(self, data: str) -> None:
        if self.open is not None and self.open["tag"] in ("textarea", "option"):
            self.open["text"] += data


def page_forms(html: str) -> list[Form]:
    return Forms(html).forms

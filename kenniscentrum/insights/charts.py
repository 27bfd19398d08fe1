"""Charts drawn on the server with matplotlib, as SVG the page can hold inline: no JavaScript, printable, and clean
under the Content Security Policy (no style attributes or style elements: they become SVG presentation attributes).
The figures are always in a table beside the chart; the chart repeats them, it never replaces them. Why matplotlib:
docs/insights.md.
"""

import hashlib
import io
import re
import xml.etree.ElementTree as ET  # noqa: S405  (our own SVG, made just now, is parsed; nothing from outside)
from typing import Any

from django.core.cache import cache
from django.utils.html import escape

SVG = "http://www.w3.org/2000/svg"
# One dark blue on white (contrast 9.4:1) and dark grey text (contrast 12.6:1): above the 3:1 WCAG asks of graphics.
BAR = "#154273"
TEXT = "#333333"
GRID = "#767676"
# Presentation attributes SVG knows; any other declaration in a style attribute is dropped.
PRESENTATION = {"fill", "fill-opacity", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin", "stroke-opacity",
                "stroke-dasharray", "opacity", "font-size", "font-family", "font-weight", "font-style",
                "text-anchor", "clip-path"}  # fmt: skip


def _csp_clean(svg: str, prefix: str) -> str:
    """Moves every style declaration into presentation attributes and drops style elements and metadata; gives every
    id the chart's own prefix, since a page holds several charts and an id is once per page."""
    ET.register_namespace("", SVG)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    root = ET.fromstring(svg)  # noqa: S314
    for parent in root.iter():
        for child in list(parent):
            if child.tag in (f"{{{SVG}}}style", f"{{{SVG}}}metadata", f"{{{SVG}}}title"):
                parent.remove(child)
    for element in root.iter():
        style = element.attrib.pop("style", "")
        for declaration in style.split(";"):
            name, _sep, value = declaration.partition(":")
            name, value = name.strip(), value.strip()
            if name == "font":  # "10px 'DejaVu Sans'"
                size, _sep, family = value.partition(" ")
                element.set("font-size", size)
                element.set("font-family", family.strip("'\"") + ", sans-serif")
            elif name in PRESENTATION and value:
                element.set(name, value)
    for element in root.iter():
        for name, value in list(element.attrib.items()):
            if name == "id":
                element.set(name, f"{prefix}-{value}")
            elif value.startswith("#") and name.endswith("href"):
                element.set(name, f"#{prefix}-{value[1:]}")
            elif "url(#" in value:
                element.set(name, value.replace("url(#", f"url(#{prefix}-"))
    text = ET.tostring(root, encoding="unicode")
    return re.sub(r"\s(width|height)=\"[\d.]+pt\"", "", text, count=2)


def bar_chart(labels: list[str], values: list[int], *, title: str, vertical: bool = False) -> str:
    """A bar chart of counts as inline SVG with its accessible name; kept in the cache for the same figures."""
    key = "chart:" + hashlib.sha256(repr((labels, values, title, vertical)).encode()).hexdigest()
    found = cache.get(key)
    if found is None:
        found = _draw(labels, values, title=title, vertical=vertical, prefix=f"c{key[6:18]}")
        cache.set(key, found, 24 * 60 * 60)
    return str(found)


def _draw(labels: list[str], values: list[int], *, title: str, vertical: bool, prefix: str) -> str:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    plt.rcParams.update({"svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 10,
                         "svg.hashsalt": "kenniscentrum"})  # fmt: skip
    height = 2.6 if vertical else max(1.4, 0.34 * len(labels) + 0.6)
    figure, axes = plt.subplots(figsize=(7.2, height))
    try:
        if vertical:
            axes.bar(range(len(values)), values, color=BAR)
            axes.set_xticks(range(len(labels)), labels, rotation=0 if len(labels) <= 12 else 90)
        else:
            axes.barh(range(len(values)), values, color=BAR)
            axes.set_yticks(range(len(labels)), labels)
            axes.invert_yaxis()
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        axes.tick_params(colors=TEXT)
        from matplotlib.ticker import MaxNLocator

        (axes.yaxis if vertical else axes.xaxis).set_major_locator(MaxNLocator(integer=True))
        (axes.yaxis if vertical else axes.xaxis).grid(True, color=GRID, linewidth=0.4)
        axes.set_axisbelow(True)
        figure.tight_layout()
        out = io.StringIO()
        figure.savefig(out, format="svg")
    finally:
        plt.close(figure)
    svg = _csp_clean(out.getvalue(), prefix)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{escape(title)}" focusable="false" ', 1)


def chart_for(rows: list[dict[str, Any]], title: str, *, vertical: bool = False) -> str:
    """A chart of a table's rows ({"label", "shown", "count"}). A hidden count gets no bar, and its label says what the
    table says ("< 5", "x"): a bar would show what the table hides."""
    if not rows or not any(r["count"] for r in rows):
        return ""
    labels = [str(r["label"]) if r["shown"] == str(r["count"]) else f"{r['label']} ({r['shown']})" for r in rows]
    values = [r["count"] if r["shown"] == str(r["count"]) else 0 for r in rows]
    return bar_chart(labels, values, title=title, vertical=vertical)

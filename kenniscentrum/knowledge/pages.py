"""Knowledge pages: Markdown files in the repository, one per page and language, that the centre's staff edit.

A page is `pages/<slug>/<language>.md`, starting with a small header:

    ---
    title: Wat is mensenhandel?
    summary: One sentence for the list of pages.
    ---

The order of the pages and the data a page shows below its text (channels, signals, retention terms) are
in PAGES; the texts themselves are only in the files. A page missing in a language is shown in English.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import markdown
import nh3
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

PAGES_DIR = Path(__file__).resolve().parent / "pages"

# (slug, block shown below the text). The slug is the Dutch address; the order is the order of the menu.
PAGES: list[tuple[str, str]] = [
    ("wat-is-mensenhandel", ""),
    ("vormen-van-uitbuiting", ""),
    ("signalen", "signals"),
    ("na-je-melding", ""),
    ("hulp-voor-slachtoffers", "channels"),
    ("professionals", ""),
    ("hulp-om-te-stoppen", ""),
    ("privacy", "privacy"),
    ("contact", "contact"),
    ("veilig-internetten", ""),
]
BLOCKS = dict(PAGES)

# What Markdown may produce: text structure and links, nothing that runs or styles itself.
ALLOWED_TAGS = {"p", "h2", "h3", "ul", "ol", "li", "a", "strong", "em", "blockquote", "br", "table", "thead",
                "tbody", "tr", "th", "td"}  # fmt: skip


@dataclass(frozen=True)
class Page:
    slug: str
    language: str
    title: str
    summary: str
    html: SafeString
    block: str


def page_parse(text: str) -> tuple[dict[str, str], str]:
    """Splits the header (`key: value` lines between two `---` lines) from the Markdown body."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---" or "---" not in [line.strip() for line in lines[1:]]:
        raise ValueError("a knowledge page starts with a --- header")
    end = [line.strip() for line in lines[1:]].index("---") + 1
    header = {}
    for line in lines[1:end]:
        key, _, value = line.partition(":")
        header[key.strip()] = value.strip()
    return header, "\n".join(lines[end + 1 :])


def page_render(body: str) -> SafeString:
    """Markdown to HTML, then cleaned to the allowed tags, so a page file cannot add scripts or styles."""
    html = markdown.markdown(body, extensions=["tables"], output_format="html")
    clean = nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href"}}, link_rel="noreferrer")
    return mark_safe(clean)  # noqa: S308 - cleaned by nh3 to the tags above


@cache
def _page_load(slug: str, language: str) -> Page | None:
    for candidate in (language, "en"):
        path = PAGES_DIR / slug / f"{candidate}.md"
        if path.exists():
            header, body = page_parse(path.read_text(encoding="utf-8"))
            return Page(slug, candidate, header["title"], header.get("summary", ""), page_render(body), BLOCKS[slug])
    return None


def page_get(slug: str) -> Page | None:
    """The page in the current language (or English), or None for an unknown slug."""
    if slug not in BLOCKS:
        return None
    return _page_load(slug, get_language() or settings.LANGUAGE_CODE)


def page_list() -> list[Page]:
    """Every page in the current language, in menu order."""
    return [page for slug, _ in PAGES if (page := page_get(slug)) is not None]

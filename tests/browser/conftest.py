"""Real-browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Outside CI, where Chromium may be absent, these tests are skipped with a message saying how to
install it; with CI=true a missing Chromium fails the run.
"""

import os
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.smtp import smtp, smtp_settings  # noqa: F401 (fixtures for the journeys that send mail)

# Playwright's sync API runs an event loop in this thread; the tests' own database work is synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


class _Weather(BaseHTTPRequestHandler):
    """The neutral site of the quick exit, which is not on this network. A site of its own (another origin), not a
    Playwright route: the exit reaches it through the platform's redirect, and routes do not see a redirect's
    next request."""

    def do_GET(self) -> None:
        body = b"<!DOCTYPE html><html lang='nl'><title>Weer</title><h1>Het weer</h1></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def _neutral_site() -> str:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Weather)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}/"


NEUTRAL_SITE = _neutral_site()


@pytest.fixture(autouse=True)
def neutral_site(settings: Any) -> None:
    settings.QUICK_EXIT_URL = NEUTRAL_SITE


def _chromium_or_skip() -> str:
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return CHROMIUM
    message = f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium` to run the browser tests"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = _chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class Visit:
    """What a page did: every request it made, and any Content-Security-Policy violation."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        self.csp_errors: list[str] = []


def new_page(browser: Any, live_server: Any, *, javascript: bool = True, width: int = 1280, height: int = 900) -> Any:
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=javascript, viewport={"width": width, "height": height}
    )
    context.set_default_timeout(15_000)
    # axe-core is added by the test harness only; pages never load it themselves.
    context.add_init_script(script=AXE)
    page = context.new_page()
    page.visit = Visit()
    page.on("request", lambda request: page.visit.requests.append(request.url))
    page.on(
        "console",
        lambda msg: page.visit.csp_errors.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return page


@pytest.fixture
def page(browser: Any, live_server: Any) -> Iterator[Any]:
    page = new_page(browser, live_server)
    yield page
    page.context.close()


def check_page(page: Any, live_server: Any) -> None:
    """Every page a journey visits: WCAG 2.1 A/AA clean, no CSP violation, no request to another host."""
    page.wait_for_load_state("load")
    violations = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(
                v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', ')}`
            );
        }""",
        WCAG_TAGS,
    )
    assert violations == [], f"{page.url}: {violations}"
    assert page.visit.csp_errors == [], page.visit.csp_errors
    own = urlsplit(live_server.url).netloc
    foreign = [
        url for url in page.visit.requests if urlsplit(url).netloc not in (own, "") and not url.startswith(NEUTRAL_SITE)
    ]
    assert foreign == [], foreign

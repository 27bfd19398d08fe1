"""The NL Design System: vendored components and tokens with their licence, the region's tokens over them."""

import json
import re
from pathlib import Path

import pytest
from django.conf import settings

STATIC = Path(settings.BASE_DIR) / "kenniscentrum" / "static"
pytestmark = pytest.mark.django_db


def test_the_vendored_stylesheet_carries_its_licence_and_pinned_versions() -> None:
    vendored = STATIC / "vendor" / "nlds"
    assert "EUROPEAN UNION PUBLIC LICENCE v. 1.2" in (vendored / "LICENSE.md").read_text(encoding="utf-8")
    pinned = json.loads((Path(settings.BASE_DIR) / "tools" / "nlds-packages.json").read_text(encoding="utf-8"))
    versions = (vendored / "VERSIONS.txt").read_text(encoding="utf-8")
    for package in [*pinned["components"], pinned["tokens"]]:
        assert f"{package['name']}@{package['version']} {package['integrity']}" in versions
    css = (vendored / "nlds.css").read_text(encoding="utf-8")
    assert ".utrecht-button--primary-action" in css and "--utrecht-button-primary-action-background-color" in css


def test_the_region_file_names_a_theme_that_exists() -> None:
    theme = json.loads(Path(settings.REGION_FILE).read_text(encoding="utf-8"))["theme"]
    tokens = (STATIC / theme["stylesheet"]).read_text(encoding="utf-8")
    assert re.search(r"--basis-color-action-1-inverse-bg-default:\s*#[0-9a-f]{6}", tokens)
    assert not theme["logo"] or (STATIC / theme["logo"]).exists()


@pytest.mark.parametrize("path", ["/", "/melden/", "/en/signalen/", "/medewerkers/inloggen/"])
def test_pages_use_the_components_over_the_regions_tokens(client, region, path) -> None:
    page = client.get(path).content.decode()
    links = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert [Path(link).name.split(".")[0] for link in links] == ["nlds", "tokens", "site"]
    assert "utrecht-button utrecht-button--primary-action" in page or "utrecht-button-link" in page
    # No button of the platform's own making is left on the page.
    assert not re.findall(r"<button(?![^>]*\b(?:utrecht-button|link-button)\b)[^>]*>", page)

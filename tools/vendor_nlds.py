"""Fetches the NL Design System parts the platform uses from the npm registry and writes them as one stylesheet.

Run by `make vendor`; the result is committed, so neither a build nor the network is needed to run the platform.
Each package is pinned by version and by the registry's sha512 integrity hash: a changed download is refused.

- Components: the Utrecht component library's CSS (buttons, form controls), used through their class names.
- Tokens: the NL Design System example theme ("voorbeeld"), of which only the basis and Utrecht tokens are kept;
  the region's own colours override the basis tokens (settings REGION_FILE, `theme`, served as /thema.css).

All packages are published under the EUPL-1.2, whose text is written beside the stylesheet.
"""

import base64
import hashlib
import io
import json
import re
import sys
import tarfile
import urllib.request
from pathlib import Path

REGISTRY = "https://registry.npmjs.org"
TARGET = Path(__file__).resolve().parent.parent / "kenniscentrum" / "static" / "vendor" / "nlds"
# Pinned packages: name, version and the registry's integrity hash. The components' versions are those the Utrecht
# component library 9.0.4 bundles, so they fit together.
PACKAGES = json.loads((Path(__file__).resolve().parent / "nlds-packages.json").read_text(encoding="utf-8"))
KEPT_TOKENS = re.compile(r"^\s*(--(?:basis|utrecht|voorbeeld)-[a-z0-9-]+:[^;]*;)\s*$")


def package_files(name: str, version: str, integrity: str) -> dict[str, bytes]:
    url = f"{REGISTRY}/{name}/-/{name.split('/')[-1]}-{version}.tgz"
    with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 - a fixed https address
        data = response.read()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != integrity:
        sys.exit(f"{name}@{version}: the download does not match its pinned integrity hash")
    files = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
        for member in archive.getmembers():
            extracted = archive.extractfile(member) if member.isfile() else None
            if extracted is not None:
                files[member.name.removeprefix("package/")] = extracted.read()
    return files


def theme_tokens(css: str) -> str:
    """The example theme's basis and Utrecht tokens on the root, without the other libraries' tokens."""
    kept = [match.group(1) for line in css.splitlines() if (match := KEPT_TOKENS.match(line))]
    return ":root {\n" + "\n".join(f"  {declaration}" for declaration in kept) + "\n}\n"


def main() -> None:
    TARGET.mkdir(parents=True, exist_ok=True)
    parts = ["/* NL Design System, vendored by tools/vendor_nlds.py (make vendor). Do not edit: run it again. */"]
    licence = b""
    for package in PACKAGES["components"]:
        files = package_files(package["name"], package["version"], package["integrity"])
        parts.append(f"/* {package['name']}@{package['version']} (EUPL-1.2) */\n" + files["dist/index.css"].decode())
        licence = licence or files.get("LICENSE.md", b"")
    tokens = PACKAGES["tokens"]
    files = package_files(tokens["name"], tokens["version"], tokens["integrity"])
    header = f"/* {tokens['name']}@{tokens['version']} (EUPL-1.2): basis and Utrecht tokens */\n"
    parts.append(header + theme_tokens(files["dist/theme.css"].decode()))
    (TARGET / "nlds.css").write_text("\n".join(parts), encoding="utf-8")
    (TARGET / "LICENSE.md").write_bytes(licence)
    versions = [f"{p['name']}@{p['version']} {p['integrity']}" for p in [*PACKAGES["components"], tokens]]
    (TARGET / "VERSIONS.txt").write_text("\n".join(versions) + "\n", encoding="utf-8")
    print(f"wrote {TARGET / 'nlds.css'} ({(TARGET / 'nlds.css').stat().st_size} bytes)")


if __name__ == "__main__":
    main()

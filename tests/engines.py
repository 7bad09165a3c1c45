"""The outside tools some tests run: Ace by DAISY and pdf.js (npm, in node_modules/) and
Debian's chromium, both installed by tests/setup.sh (the README's test
command). Without them those tests are skipped with the reason, except in CI
(CI=true), where a missing tool is a failure: CI must not pass by skipping."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NODE_MODULES = REPO / "node_modules"
ACE = NODE_MODULES / ".bin" / "ace-puppeteer"
READIUM_CSS = NODE_MODULES / "@readium" / "css" / "css" / "dist"
SETUP = "run tests/setup.sh (it installs chromium and the npm packages)"

# Chromium as the rendering tests start it: headless, nothing fetched or synced.
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--no-first-run", "--disable-sync"]


def missing(what: str) -> None:
    """Skip for want of `what`, or fail in CI."""
    message = f"{what} is not installed: {SETUP}"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def chromium_path() -> str:
    """Debian's chromium, or "" where there is none."""
    path = os.environ.get("PUPPETEER_EXECUTABLE_PATH") or shutil.which("chromium") or ""
    return path if path and Path(path).is_file() else ""


def chromium() -> str:
    path = chromium_path()
    if not path:
        missing("chromium")
    return path


def ace() -> Path:
    if not ACE.is_file():
        missing("Ace by DAISY (npm @daisy/ace)")
    if not shutil.which("node"):
        missing("node")
    return ACE


PDFJS = NODE_MODULES / "pdfjs-dist" / "legacy" / "web" / "pdf_viewer.mjs"
PDFJS_FIND = REPO / "tests" / "pdfjs_find.mjs"


def pdfjs_find(pdf: Path, words) -> dict[str, int]:
    """How many times pdf.js's find controller (Firefox's PDF viewer) finds each word in `pdf`."""
    import json
    import subprocess

    if not PDFJS.is_file():
        missing("pdf.js (npm pdfjs-dist)")
    if not shutil.which("node"):
        missing("node")
    out = subprocess.run(["node", str(PDFJS_FIND), str(pdf), *words], capture_output=True, text=True,
                         check=True, timeout=120, cwd=REPO).stdout
    return json.loads(out)


def readium_css() -> Path:
    if not (READIUM_CSS / "ReadiumCSS-after.css").is_file():
        missing("Readium CSS (npm @readium/css)")
    return READIUM_CSS


def unzip(epub: Path, folder: Path) -> Path:
    """The EPUB unpacked into `folder`; returns the package document's folder."""
    with zipfile.ZipFile(epub) as archive:
        archive.extractall(folder)
    opf = next(folder.rglob("*.opf"))
    return opf.parent

"""Small edition projects written into a temporary folder for tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

MANIFEST = """\
edition:
  title: Test Edition
  language: en
  identifier: urn:uuid:00000000-0000-4000-8000-000000000001
  date: 2026-01-01
texts:
  - file: texts/one.md
"""

TEXT = """\
---
title: One
author: A. Writer
date: 1930-01-02
source: Somewhere
---

{body}
"""


# Manifest entries for texts/one.md, to add after its "- file:" line.
ONE_CORRECTION = """\
    corrections:
      - find: once and. forever
        replace: once and forever
        reason: stray full stop
"""
ONE_NOTE = """\
    notes:
      - at: Another paragraph
        note: A new note.
"""


def write_project(root: Path, manifest: str = MANIFEST, texts: dict[str, str] | None = None) -> Path:
    """Writes manifest.yaml and texts; `texts` maps a file name to its body
    (wrapped in default front matter) or to a whole file starting with '---'."""
    (root / "texts").mkdir(parents=True, exist_ok=True)
    (root / "manifest.yaml").write_text(textwrap.dedent(manifest), encoding="utf-8")
    for name, body in (texts if texts is not None else {"one.md": "Some words."}).items():
        body = textwrap.dedent(body)
        content = body if body.startswith("---") else TEXT.format(body=body)
        (root / "texts" / name).write_text(content, encoding="utf-8")
    return root / "manifest.yaml"


def diagnostics_of(manifest: Path) -> list[str]:
    """The problems `edition.load` reports, as strings with paths relative to the project."""
    import edition

    try:
        edition.load(manifest)
    except edition.InvalidEdition as error:
        root = str(manifest.parent) + "/"
        return [str(d).replace(root, "") for d in error.diagnostics]
    return []


def hyphenated_words(pdf_path: Path, source: str) -> list[tuple[int, str, str]]:
    """The words the typesetter broke at a line's end, as pypdf reads the text
    layer: (page index, the word whole, the page's text). A break is counted
    when the word whole is in `source` and its hyphenated form is not (so a
    compound broken at its own hyphen is left out)."""
    import re

    import pypdf

    words = set(re.findall(r"\w+", source.lower()))
    found = []
    for index, page in enumerate(pypdf.PdfReader(pdf_path).pages):
        text = page.extract_text()
        for first, rest in re.findall(r"(\w+)[-\u2010\u00ad]\n(\w+)", text):
            whole = (first + rest).lower()
            if whole in words and f"{first}-{rest}".lower() not in source.lower():
                found.append((index, first + rest, text))
    return found


def pdftotext(pdf_path: Path, page: int | None = None) -> str:
    """Poppler's text of one page (0-based) or of all, in reading order, white space collapsed."""
    import subprocess

    pages = ["-f", str(page + 1), "-l", str(page + 1)] if page is not None else []
    out = subprocess.run(["pdftotext", *pages, str(pdf_path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return " ".join(out.split())

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

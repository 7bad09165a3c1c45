"""Edition projects on disk: the default styles, and `edition new`."""

from __future__ import annotations

import shutil
from pathlib import Path

from .errors import UsageError

MANIFEST_SKELETON = """\
# The edition: metadata, versions, and the texts in reading order.
# The formats are described in the README of the `edition` tool.
edition:
  title: {title}
  subtitle: A New Edition
  editor: Your Name
  publisher: Your Press
  language: en
  identifier: urn:uuid:{uuid}
  date: {date}
  rights: Editorial matter © {year} the editor.
  description: A collection of texts.
  trim: a5

versions:
  - version: "1.0"
    date: {date}
    changes: First edition.

texts:
  - file: texts/first-text.md
    headnote: |
      A short editorial paragraph set before the text.
    notes:
      - at: first sentence
        note: An editorial note, attached right after the phrase it quotes.
"""

TEXT_SKELETON = """\
---
title: The First Text
author: An Author
date: {year}
source: Where the text was first published.
---

This is the first sentence of the first text.

## A Section

Write the text in Markdown: *italics*, [SMALL CAPS]{{.smallcaps}}, block quotes,
lists, and the author's own notes.[^1]

::: signature
An Author
:::

[^1]: An author's note.
"""


def default_styles_dir() -> Path:
    """The styles that ship with the tool (CSS and fonts)."""
    installed = Path(__file__).resolve().parent / "default_styles"  # see pyproject.toml
    if (installed / "print.css").is_file():
        return installed
    return Path(__file__).resolve().parent.parent / "styles"  # a source checkout


def create_project(directory: Path) -> Path:
    import datetime
    import uuid

    if directory.exists() and any(directory.iterdir()):
        raise UsageError(f"{directory}: exists and is not empty; choose a new folder")
    today = datetime.date.today()
    (directory / "texts").mkdir(parents=True, exist_ok=True)
    (directory / "manifest.yaml").write_text(
        MANIFEST_SKELETON.format(title=_title(directory), uuid=uuid.uuid4(), date=today.isoformat(),
                                 year=today.year), encoding="utf-8")
    (directory / "texts" / "first-text.md").write_text(TEXT_SKELETON.format(year=today.year), encoding="utf-8")
    shutil.copytree(default_styles_dir(), directory / "styles",
                    ignore=shutil.ignore_patterns("__pycache__", "__init__.py"))
    return directory


def _title(directory: Path) -> str:
    words = directory.resolve().name.replace("-", " ").replace("_", " ").strip()
    return words.title() or "A New Edition"

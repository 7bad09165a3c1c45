"""The typographer for metadata strings (titles, names, sources …)."""

from __future__ import annotations

import pytest

import edition
from edition.typography import curl, typeset

from .helpers import write_project


@pytest.mark.parametrize("typed, set_", [
    ("The Degenerated Workers' State", "The Degenerated Workers’ State"),
    ("'Old' and the \"Old Guard\"", "‘Old’ and the “Old Guard”"),
    ("A letter ('private') -- 1926", "A letter (‘private’) – 1926"),
    ("Wait---what...", "Wait—what…"),
    ("The 'Right'—and \"Left\"", "The ‘Right’—and “Left”"),
    ("", ""),
])
def test_curl(typed, set_):
    assert curl(typed) == set_
    assert curl(set_) == set_  # set words stay as they are


def test_typeset_sets_every_metadata_string_and_keeps_the_texts(tmp_path):
    manifest = write_project(tmp_path, manifest="""\
        edition:
          title: The Workers' State
          subtitle: "\\"Letters\\""
          editor: J. O'Brien
          language: en
          identifier: urn:uuid:00000000-0000-4000-8000-000000000009
          date: 2026-01-01
        texts:
          - file: texts/one.md
        """, texts={"one.md": """\
        ---
        title: Trotsky's Letter
        author: A. O'Writer
        date: 1930-01-02
        source: "The 'Militant'"
        ---

        Some words.
        """})
    loaded = edition.load(manifest)
    set_ = typeset(loaded)
    assert (set_.metadata.title, set_.metadata.subtitle, set_.metadata.editor) == (
        "The Workers’ State", "“Letters”", "J. O’Brien")
    text = set_.texts[0]
    assert (text.meta.title, text.meta.authors, text.meta.source) == (
        "Trotsky’s Letter", ("A. O’Writer",), "The ‘Militant’")
    assert text.blocks == loaded.texts[0].blocks

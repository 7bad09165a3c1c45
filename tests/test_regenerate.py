"""Regenerating an edition: atomic failures, diffs of two builds, the watch loop."""

from __future__ import annotations

import hashlib
import shutil

import pytest

from edition.cli import main
from edition.diff import compare, snapshot_of_epub
from edition.watch import Watcher

from .helpers import MANIFEST, ONE_CORRECTION as FIX, ONE_NOTE as NOTE, write_project

BODY = "Settled once and. forever, said the letter.\n\nAnother paragraph.\n"


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def built(tmp_path):
    """A small project built once (EPUB only: fast), with the EPUB's digest."""
    manifest = write_project(tmp_path, MANIFEST, {"one.md": BODY})
    assert main(["build", "--quiet", "--format", "epub", "--manifest", str(manifest)]) == 0
    epub = tmp_path / "build" / "test-edition.epub"
    return manifest, epub, digest(epub)


def test_a_failed_build_leaves_the_previous_output_untouched(built, capsys):
    manifest, epub, before = built
    manifest.write_text(manifest.read_text() + "    notes:\n      - at: missing words\n        note: x\n")
    assert main(["build", "--quiet", "--format", "epub", "--manifest", str(manifest)]) == 1
    assert "missing words" in capsys.readouterr().err
    assert digest(epub) == before
    assert [p.name for p in epub.parent.iterdir() if p.suffix == ".tmp"] == []


def test_a_failing_second_format_writes_neither(built, monkeypatch, capsys):
    manifest, epub, before = built
    text = manifest.parent / "texts" / "one.md"
    text.write_text(text.read_text().replace("Another", "A changed"))
    from edition.builders.pdf import PdfBuilder

    def broken(self, edition, options):
        raise OSError("disk on fire")

    monkeypatch.setattr(PdfBuilder, "render", broken)
    assert main(["build", "--quiet", "--manifest", str(manifest)]) == 3
    assert capsys.readouterr().err.strip().endswith("test-edition.pdf: not built: disk on fire")
    assert digest(epub) == before
    assert not (epub.parent / "test-edition.pdf").exists()


def test_diff_of_two_builds_shows_the_correction_and_the_new_note(built, tmp_path):
    manifest, epub, _ = built
    old = tmp_path / "old.epub"
    shutil.copy(epub, old)
    manifest.write_text(manifest.read_text().replace("  - file: texts/one.md\n",
                                                     "  - file: texts/one.md\n" + FIX + NOTE))
    assert main(["build", "--quiet", "--format", "epub", "--manifest", str(manifest)]) == 0
    lines = compare(snapshot_of_epub(old), snapshot_of_epub(epub))
    text = "\n".join(lines)
    assert "once and[-.-] forever" in text
    assert "Another paragraph.{+[1]+}" in text
    assert "A new note." in text


def test_watch_rebuilds_once_per_edit_and_survives_a_broken_one(tmp_path):
    manifest = write_project(tmp_path, MANIFEST, {"one.md": BODY})
    said = []
    watcher = Watcher(manifest, tmp_path / "build", ("epub",), say=said.append)
    watcher.changes()  # the first look
    assert watcher.poll_once() is None  # nothing changed, no build
    text = tmp_path / "texts" / "one.md"
    text.write_text(text.read_text().replace("Another", "Yet another"))
    assert watcher.poll_once() is True
    assert watcher.builds == 1
    assert said[0] == "changed: texts/one.md"
    assert said[1].startswith("rebuilt test-edition.epub in ")
    assert watcher.poll_once() is None
    good = digest(tmp_path / "build" / "test-edition.epub")

    manifest.write_text(manifest.read_text().replace("title: Test Edition", "titel: Test Edition"))
    assert watcher.poll_once() is False
    assert watcher.builds == 2
    assert any('unknown key "titel"' in line for line in said)
    assert digest(tmp_path / "build" / "test-edition.epub") == good

    manifest.write_text(manifest.read_text().replace("titel:", "title:"))
    assert watcher.poll_once() is True
    assert watcher.builds == 3

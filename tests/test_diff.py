"""`edition diff`: word-level differences between two states of an edition."""

from __future__ import annotations

import subprocess

import edition
from edition.cli import main
from edition.diff import compare, snapshot_of_edition, word_diff

from .helpers import MANIFEST, ONE_CORRECTION as FIX, ONE_NOTE as NOTE, write_project

BODY = "The party was strong once and. forever, said the letter.\n\nAnother paragraph.\n"


def test_word_diff_marks_only_what_changed():
    assert word_diff("they wore never quoted", "they were never quoted") == "they [-wore-]{+were+} never quoted"


def test_one_correction_and_one_new_note(tmp_path):
    old = snapshot_of_edition(edition.load(write_project(tmp_path / "a", MANIFEST, {"one.md": BODY})))
    manifest = MANIFEST.replace("  - file: texts/one.md\n", "  - file: texts/one.md\n" + FIX + NOTE)
    new = snapshot_of_edition(edition.load(write_project(tmp_path / "b", manifest, {"one.md": BODY})))
    assert compare(old, new) == [
        "== One",
        "  ¶2: The party was strong once and[-.-] forever, said the letter.",
        "  ¶3: Another paragraph.{+[1]+}",
        "== Notes to One (new)",
        "  ¶1 added: {+1. [editorial] A new note.+}",
        "== Emendations (new)",
        "  ¶1 added: {+One: once and. forever → once and forever (stray full stop)+}",
    ]


def test_diff_between_git_revisions(tmp_path, capsys):
    manifest = write_project(tmp_path, MANIFEST, {"one.md": BODY})
    git = ["git", "-c", "user.email=t@example.org", "-c", "user.name=t"]
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(git + ["add", "-A"], cwd=tmp_path, check=True)
    subprocess.run(git + ["commit", "-qm", "one"], cwd=tmp_path, check=True)
    manifest.write_text(manifest.read_text().replace("  - file: texts/one.md\n", "  - file: texts/one.md\n" + FIX))
    subprocess.run(git + ["commit", "-qam", "two"], cwd=tmp_path, check=True)
    assert main(["diff", "--manifest", str(manifest), "HEAD~1", "HEAD"]) == 0
    out = capsys.readouterr().out
    assert "once and[-.-] forever" in out
    assert main(["diff", "--manifest", str(manifest), "HEAD", "worktree"]) == 0
    assert capsys.readouterr().out.strip() == "no differences in text, notes or metadata"


def test_diff_of_something_that_is_neither_file_nor_revision(tmp_path, capsys):
    manifest = write_project(tmp_path)
    assert main(["diff", "--manifest", str(manifest), "no-such-rev", "worktree"]) == 2
    assert "no-such-rev: not an EPUB file nor a git revision" in capsys.readouterr().err

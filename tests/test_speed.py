"""What keeps builds fast without changing what they make: phrase matching
folds each paragraph once, and an EPUB-only build never loads WeasyPrint."""

from __future__ import annotations

import subprocess
import sys

import edition
from edition import Location
from edition import annotate
from edition import model as m

from .helpers import MANIFEST, write_project


def test_fold_straightens_every_quote_and_keeps_the_length():
    text = "‘a’ ‛b′ “c” „d″\u00a0e"
    folded = annotate.fold(text)
    assert folded == "'a' 'b' \"c\" \"d\" e"
    assert len(folded) == len(text)


def test_units_are_reused_with_their_folded_words_while_their_content_is_unchanged():
    here = Location("texts/one.md", 1)
    blocks = (m.Paragraph((m.Str("“one”"),), here), m.Paragraph((m.Str("two"),), here))
    first = annotate.units_of(blocks)
    assert first[0].folded == '"one"'
    changed = annotate.replace_unit(blocks, first[1].path, (m.Str("three"),))
    again = annotate.units_of(changed, reuse=first)
    assert again[0] is first[0]  # same inlines: the folded words are not computed again
    assert again[1] is not first[1] and again[1].words == "three"


def test_a_correction_then_a_note_on_the_emended_reading_of_a_later_paragraph(tmp_path):
    """Reused units must not hide a change: the second correction and the note
    see the text as the corrections before them left it."""
    entries = """\
    corrections:
      - find: Mends
        replace: friends
        reason: misreading
      - find: my friends
        replace: my old friends
        reason: a word lost
    notes:
      - at: old friends
        note: Who they were.
"""
    manifest = MANIFEST.replace("  - file: texts/one.md\n", "  - file: texts/one.md\n" + entries)
    text = edition.load(write_project(tmp_path, manifest, {"one.md": "First.\n\nTo my Mends.\n"})).texts[0]
    assert len(text.corrections) == 2
    assert m.plain_text(text.blocks[1].children) == "To my old friends."
    assert len(text.notes) == 1


def test_an_epub_only_build_does_not_import_weasyprint(tmp_path):
    manifest = write_project(tmp_path / "project")
    probe = (
        "import sys\n"
        "from edition.cli import main\n"
        f"code = main(['build', '--format', 'epub', '--manifest', {str(manifest)!r}, "
        f"'--output', {str(tmp_path / 'out')!r}, '--quiet'])\n"
        "print(code, 'weasyprint' in sys.modules, 'edition.builders.pdf' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["0", "False", "False"]
    assert any((tmp_path / "out").glob("*.epub"))


def test_one_search_over_the_joined_text_finds_each_place_in_its_own_unit():
    here = Location("texts/one.md", 1)
    blocks = (m.Paragraph((m.Str("the end of one"),), here), m.Paragraph((m.Str("“one” more, the end"),), here))
    units = annotate.units_of(blocks)
    found = annotate.find_phrase(units, "the end")
    assert [(match.unit.path, match.start, match.end) for match in found] == [((0,), 0, 7), ((1,), 12, 19)]
    assert annotate.find_phrase(units, "one one") == []  # never across two paragraphs
    assert [(match.unit.path, match.start) for match in annotate.find_phrase(units, '"one"')] == [((1,), 0)]

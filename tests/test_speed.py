"""What keeps builds fast without changing what they make: phrase matching
folds each paragraph once, and an EPUB-only build never loads WeasyPrint."""

from __future__ import annotations

import datetime
import os
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


def test_an_epub_only_build_loads_neither_weasyprint_nor_what_its_caches_spare(tmp_path):
    """No WeasyPrint, PDF reader or PDF builder; and once the user's cache holds
    the compiled templates and the cover, no Pillow; an English edition, no Babel."""
    manifest = write_project(tmp_path / "project")
    heavy = ("weasyprint", "edition.builders.pdf", "pypdf", "pdfplumber", "PIL", "babel", "jinja2.sandbox")
    probe = (
        "import sys\n"
        "from edition.cli import main\n"
        f"code = main(['build', '--format', 'epub', '--manifest', {str(manifest)!r}, "
        f"'--output', {str(tmp_path / 'out')!r}, '--quiet'])\n"
        f"print(code, *[name for name in {heavy!r} if name in sys.modules])\n"
    )
    environ = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    runs = [subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, env=environ)
            for _ in range(2)]
    assert runs[0].stdout.split() == ["0", "PIL"]  # the first draws the cover
    assert runs[1].stdout.split() == ["0"]
    assert any((tmp_path / "out").glob("*.epub"))
    assert list((tmp_path / "cache" / "edition" / "covers").glob("*.jpg"))


def test_english_dates_are_babels():
    from babel.dates import format_date, format_skeleton

    from edition.locale import long_date

    for tag in ("en", "en-US"):
        for month in range(1, 13):
            day = datetime.date(1926, month, 28)
            assert long_date(day.isoformat(), tag) == format_date(day, "long", locale=tag.replace("-", "_"))
            assert long_date(day.isoformat()[:7], tag) == format_skeleton("yMMMM", day, locale=tag.replace("-", "_"))


def test_the_user_cache_is_not_used_where_others_can_write(tmp_path, monkeypatch):
    from edition import usercache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    usercache.folder.cache_clear()
    try:
        usercache.write("covers", "a.jpg", b"data")
        assert usercache.read("covers", "a.jpg") == b"data"
        usercache.folder.cache_clear()
        os.chmod(tmp_path / "edition", 0o777)  # anyone may write there: compiled templates could be planted
        assert usercache.folder("covers") is None and usercache.read("covers", "a.jpg") is None
    finally:
        usercache.folder.cache_clear()


def test_one_search_over_the_joined_text_finds_each_place_in_its_own_unit():
    here = Location("texts/one.md", 1)
    blocks = (m.Paragraph((m.Str("the end of one"),), here), m.Paragraph((m.Str("“one” more, the end"),), here))
    units = annotate.units_of(blocks)
    found = annotate.find_phrase(units, "the end")
    assert [(match.unit.path, match.start, match.end) for match in found] == [((0,), 0, 7), ((1,), 12, 19)]
    assert annotate.find_phrase(units, "one one") == []  # never across two paragraphs
    assert [(match.unit.path, match.start) for match in annotate.find_phrase(units, '"one"')] == [((1,), 0)]

"""The parse cache: a hit for unchanged texts, a miss on change, and a
corrupt entry ignored rather than trusted."""

from __future__ import annotations

from pathlib import Path

import edition
from edition.cache import TextCache

from .helpers import MANIFEST, write_project

TWO = MANIFEST + "  - file: texts/two.md\n"


def test_unchanged_texts_are_not_parsed_again(tmp_path):
    manifest = write_project(tmp_path, TWO, {"one.md": "First.", "two.md": "Second."})
    first = edition.load(manifest, cache=TextCache(tmp_path / "cache"))
    cache = TextCache(tmp_path / "cache")
    assert edition.load(manifest, cache=cache) == first
    assert (cache.hits, cache.misses) == (2, 0)


def test_a_changed_text_is_parsed_again_and_only_it(tmp_path):
    manifest = write_project(tmp_path, TWO, {"one.md": "First.", "two.md": "Second."})
    edition.load(manifest, cache=TextCache(tmp_path / "cache"))
    text = tmp_path / "texts" / "two.md"
    text.write_text(text.read_text().replace("Second.", "Second, changed."))
    cache = TextCache(tmp_path / "cache")
    loaded = edition.load(manifest, cache=cache)
    assert (cache.hits, cache.misses) == (1, 1)
    assert "Second, changed." in edition.model.block_plain_text(loaded.texts[1].blocks[0])


def test_a_corrupt_entry_is_ignored(tmp_path):
    manifest = write_project(tmp_path, TWO, {"one.md": "First.", "two.md": "Second."})
    edition.load(manifest, cache=TextCache(tmp_path / "cache"))
    entries = sorted((tmp_path / "cache").glob("*.pickle"))
    assert len(entries) == 2
    entries[0].write_bytes(entries[0].read_bytes()[:40])  # truncated
    entries[1].write_bytes(b"garbage")
    cache = TextCache(tmp_path / "cache")
    loaded = edition.load(manifest, cache=cache)
    assert (cache.hits, cache.misses) == (0, 2)
    assert [t.meta.title for t in loaded.texts] == ["One", "One"]
    again = TextCache(tmp_path / "cache")  # the entries were rewritten
    edition.load(manifest, cache=again)
    assert again.hits == 2


def test_an_entry_under_another_key_is_not_trusted(tmp_path):
    manifest = write_project(tmp_path, TWO, {"one.md": "First.", "two.md": "Second."})
    edition.load(manifest, cache=TextCache(tmp_path / "cache"))
    one, two = sorted((tmp_path / "cache").glob("*.pickle"))
    one.write_bytes(two.read_bytes())  # right format, wrong key inside
    cache = TextCache(tmp_path / "cache")
    edition.load(manifest, cache=cache)
    assert (cache.hits, cache.misses) == (1, 1)


# --- whole texts: a rebuild reuses the texts and documents that did not change ----------


def _build(manifest: Path, output: Path) -> bytes:
    from edition.cli import main

    assert main(["build", "--format", "epub", "--quiet", "--manifest", str(manifest), "--output", str(output)]) == 0
    return next(output.glob("*.epub")).read_bytes()


CHANGES = [  # (what is corrected, the file, the words before, the words after, texts resolved again, rendered again)
    ("a word of a text", "texts/1926-01-09-trotsky-letter-to-bukharin.md", "I am thankful for your note",
     "I am grateful for your note", 1, 1),
    ("a note", "manifest.yaml", "Trotsky had been a member since 1919",
     "Trotsky had been a member of it since 1919", 1, 1),
    ("a person's entry: a form less, looked for in every text", "manifest.yaml",
     "Nikolai Ivanovich Bukharin, Nikolai Ivanovich, N. I.", "Nikolai Ivanovich Bukharin, N. I.", 6, 6),
    ("a person's entry: the words of the register", "manifest.yaml", "shot after Stalin’s death", "shot in 1953",
     0, 0),
    ("a reason given on two lines: the register below moves down", "manifest.yaml",
     "would overthrow\n        reason: stray comma\n", "would overthrow\n        reason: >-\n          stray comma\n",
     1, 1),
    ("a setting of the edition", "manifest.yaml", "title: The Degenerated Workers' State", "title: The State", 0, 6),
    ("the edition's language", "manifest.yaml", "language: en\n", "language: en-GB\n", 6, 6),
]


def test_a_rebuild_after_each_correction_is_the_clean_build_of_the_corrected_project(tmp_path, monkeypatch):
    """`edition build` again (its cache on disk: rendered documents) and a
    running `edition watch` (its cache in memory: resolved texts too) reuse
    what they made before, and only that; after each correction their EPUB
    has the bytes of a clean build of the corrected project."""
    import shutil

    from edition.project import default_styles_dir
    from edition.watch import Watcher

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    root = Path(__file__).resolve().parents[1]
    project = tmp_path / "project"
    shutil.copytree(root / "texts", project / "texts")
    shutil.copy(root / "manifest.yaml", project / "manifest.yaml")
    manifest, cache = project / "manifest.yaml", project / "build" / ".cache"
    _build(manifest, project / "build")
    watcher = Watcher(manifest, tmp_path / "watched", ("epub",), styles_dir=default_styles_dir(), say=lambda line: None)
    watcher.changes()
    assert watcher.rebuild()
    for step, (what, name, before, after, resolved, rendered) in enumerate(CHANGES):
        path = project / name
        assert before in path.read_text(encoding="utf-8"), what
        path.write_text(path.read_text(encoding="utf-8").replace(before, after), encoding="utf-8")
        clean = _build(manifest, tmp_path / f"clean-{step}")
        entries = set(cache.iterdir())
        assert _build(manifest, project / "build") == clean, what
        new = [entry.name.split("-")[0] for entry in set(cache.iterdir()) - entries]
        assert (new.count("text"), new.count("epub")) == (0, rendered), what  # resolved texts: in memory only
        hits = watcher.cache.whole_hits
        assert watcher.poll_once() is True
        assert next((tmp_path / "watched").glob("*.epub")).read_bytes() == clean, what
        assert watcher.cache.whole_hits - hits == 2 * 6 - resolved - rendered, what


def test_a_watcher_compresses_only_the_entries_that_changed(monkeypatch):
    """`repack` with the entries compressed before gives the bytes of compressing them all."""
    import datetime as dt
    import io
    import zipfile
    import zlib

    from edition.builders.epubzip import repack

    def epub(words: bytes) -> bytes:
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as book:
            book.writestr("mimetype", "application/epub+zip")
            book.writestr("EPUB/a.xhtml", b"<p>unchanged words</p>" * 500)
            book.writestr("EPUB/b.xhtml", words * 500)
        return out.getvalue()

    when = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    deflated: dict = {}
    assert repack(epub(b"<p>first</p>"), when, deflated) == repack(epub(b"<p>first</p>"), when)
    assert len(deflated) == 2
    compressed = []
    real = zlib.compressobj
    monkeypatch.setattr(zlib, "compressobj", lambda *a, **k: compressed.append(1) or real(*a, **k))
    again = repack(epub(b"<p>second</p>"), when, deflated)
    assert len(compressed) == 1  # b.xhtml only
    monkeypatch.undo()
    assert again == repack(epub(b"<p>second</p>"), when)

"""The parse cache: a hit for unchanged texts, a miss on change, and a
corrupt entry ignored rather than trusted."""

from __future__ import annotations

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

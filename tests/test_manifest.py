"""Validation of the manifest: every problem, with its exact place."""

from __future__ import annotations

from .helpers import MANIFEST, diagnostics_of, write_project


def test_a_sound_project_has_no_problems(tmp_path):
    assert diagnostics_of(write_project(tmp_path)) == []


def test_unknown_keys_are_errors_with_suggestions(tmp_path):
    manifest = MANIFEST.replace("  title:", "  titel: x\n  title:") + "    note:\n      - at: x\n"
    manifest = manifest.replace("texts:\n", "text:\n  - file: texts/one.md\ntexts:\n")
    assert diagnostics_of(write_project(tmp_path, manifest)) == [
        'manifest.yaml:2:3: unknown key "titel" in "edition" (did you mean "title"?)',
        'manifest.yaml:7:1: unknown key "text" in the manifest (did you mean "texts"?)',
        'manifest.yaml:11:5: unknown key "note" in a text entry (did you mean "notes"?)',
    ]


def test_malformed_yaml_is_reported_with_its_place(tmp_path):
    manifest = MANIFEST.replace("  language: en", "  language: [en")
    problems = diagnostics_of(write_project(tmp_path, manifest))
    assert len(problems) == 1
    assert problems[0].startswith("manifest.yaml:3:13:")  # where the "[" opens, not where YAML gave up
    assert "invalid YAML" in problems[0]


def test_wrong_types_and_missing_keys(tmp_path):
    manifest = MANIFEST.replace("  date: 2026-01-01", "  date: 2026-01-01\n  bleed: sometimes") \
        .replace("  language: en\n", "") + "    notes:\n      - at: [a, b]\n        note: x\n        occurrence: 0\n"
    assert diagnostics_of(write_project(tmp_path, manifest)) == [
        'manifest.yaml:1:1: "edition" has no "language"',
        'manifest.yaml:5:10: "bleed" in "edition" must be true or false, not the text "sometimes"',
        'manifest.yaml:9:13: "at" in a note must be a string, not a list',
        'manifest.yaml:11:21: "occurrence" in a note must be 1 or more',
    ]


def test_missing_text_file_is_reported_where_it_is_listed(tmp_path):
    manifest = MANIFEST + "  - file: texts/missing.md\n"
    assert diagnostics_of(write_project(tmp_path, manifest)) == [
        'manifest.yaml:8:11: the text "texts/missing.md" does not exist',
    ]


def test_invalid_utf8_in_a_text(tmp_path):
    path = write_project(tmp_path)
    (tmp_path / "texts" / "one.md").write_bytes(b"---\ntitle: x\n---\nbad \xff byte\n")
    assert diagnostics_of(path) == [
        "texts/one.md:4:5: not valid UTF-8 (byte 0xff); save the file as UTF-8"
    ]


def test_empty_text_and_empty_manifest(tmp_path):
    assert diagnostics_of(write_project(tmp_path, texts={"one.md": ""})) == ["texts/one.md:7:1: the text is empty"]
    (tmp_path / "manifest.yaml").write_text("", encoding="utf-8")
    assert diagnostics_of(tmp_path / "manifest.yaml") == [
        "manifest.yaml:1:1: the manifest must be a mapping of keys to values, not nothing"
    ]


def test_duplicate_keys_and_files(tmp_path):
    manifest = MANIFEST.replace("  date: 2026-01-01", "  date: 2026-01-01\n  title: Again") \
        + "  - file: texts/one.md\n"
    assert diagnostics_of(write_project(tmp_path, manifest)) == [
        'manifest.yaml:6:3: duplicate key "title" (first at line 2)',
        'manifest.yaml:9:11: "texts/one.md" is listed twice (first at line 8)',
    ]


def test_versions_give_the_current_version_and_date(tmp_path):
    manifest = MANIFEST + """\
versions:
  - version: "1.0"
    date: 2026-01-01
    changes: First edition.
  - version: 1.1
    date: 2026-02-03
    changes: Two corrections.
"""
    import edition

    loaded = edition.load(write_project(tmp_path, manifest))
    assert loaded.metadata.version == "1.1"
    assert loaded.metadata.modified == "2026-02-03"
    assert [v.number for v in loaded.versions] == ["1.0", "1.1"]


def test_unknown_trim_size(tmp_path):
    manifest = MANIFEST.replace("  date: 2026-01-01", "  date: 2026-01-01\n  trim: a6")
    assert diagnostics_of(write_project(tmp_path, manifest)) == [
        'manifest.yaml:6:9: unknown trim size "a6"; known: a5, a4, 6x9in, letter'
    ]


HOSTILE_YAML = [
    "a: &x 1\nb: *x\n", "a: &x 1\n", "a: [1, &x 2]\nb: {c: *x}\n", "a: " + "[" * 60 + "]" * 60,
    "a:\n" + "".join("  " * (i + 1) + "-\n" for i in range(80)), "a: " + "{b: " * 60 + "1" + "}" * 60,
    "a:\n" + "".join("  " * i + f"  k{i}:\n" for i in range(70)) + "  " * 71 + "v\n",
]


def test_yaml_composed_at_once_is_refused_as_the_events_refuse_it():
    """A text whose nesting is bounded is composed first and its nodes looked
    at; anchors, aliases and depth are reported as reading the events reports them."""
    from edition.errors import Collector
    from edition.source import _plain_structure, nesting_bound, parse_yaml

    for text in HOSTILE_YAML:
        assert nesting_bound(text) <= 2000
        composed, events = Collector(), Collector()
        assert parse_yaml(text, "m.yaml", composed) is None
        assert not _plain_structure(text, "m.yaml", events, 0)
        assert [str(d) for d in composed.diagnostics] == [str(d) for d in events.diagnostics] != []


def test_the_nesting_bound_is_never_below_the_depth():
    import random

    import yaml

    def depth(value):
        if isinstance(value, dict):
            return 1 + max(map(depth, value.values()), default=0)
        if isinstance(value, list):
            return 1 + max(map(depth, value), default=0)
        return 0

    def nested(rng, level):
        if level == 0 or rng.random() < 0.2:
            return rng.choice(["x", "[a]{.person} words", "a: b", 1])
        count = 1 if rng.random() < 0.8 else 2
        if rng.random() < 0.5:
            return [nested(rng, level - 1) for _ in range(count)]
        return {f"k{n}": nested(rng, level - 1) for n in range(count)}

    from edition.source import nesting_bound

    rng = random.Random(3)
    for _ in range(150):
        value = nested(rng, rng.randrange(1, 30))
        text = yaml.safe_dump(value, default_flow_style=rng.choice([None, True, False]), width=rng.choice([20, 80]))
        assert nesting_bound(text) >= depth(value), text


def _same_yaml(a, b) -> bool:
    """Equal values, and equal locations of every mapping, key, value and item."""
    from edition.source import YamlList, YamlMap

    if type(a) is not type(b):
        return False
    if isinstance(a, YamlMap):
        return (a.location == b.location and a.key_location == b.key_location
                and a.value_location == b.value_location and list(a) == list(b)
                and all(_same_yaml(a[k], b[k]) for k in a))
    if isinstance(a, YamlList):
        return (a.location == b.location and a.item_location == b.item_location and len(a) == len(b)
                and all(map(_same_yaml, a, b)))
    return a == b


PIECES = [  # manifests at the edge of what is parsed item by item
    "edition:\n  title: T\ntexts:\n  - file: a.md\n  - file: b.md\n    notes:\n      - at: x\n        note: y\n",
    "edition:\n  title: T\ntexts:\n- file: a.md\n# a comment\n- file: b.md\n\npersons:\n  - name: A\n",
    "texts:\n  - file: a.md\n    headnote: |\n      - not an item\n  - {file: b.md}\nedition: {title: T}\n",
    "texts:\n  - file: a.md\n    note: \"a quote that\n  - file: b.md\n  goes on\"\n",
    "texts:\n  - file: a.md\n  - file: [b.md\nedition: 1\n",
    "edition:\n  title: T\ntexts:\n  - file: a.md\nedition:\n  title: U\n",
    "texts:\n  - file: a.md\n    notes: &n [1]\n  - file: b.md\n    notes: *n\n",
    "texts:\n  - file: a.md\n    title: \"\\ud800\"\n  - file: b.md\n    title: x\n    title: y\n",
    "texts: []\nedition: 1\n", "texts:\n\n  # nothing\n",
]


def test_a_watcher_parses_the_manifest_item_by_item_as_it_parses_it_whole():
    """`edition watch` keeps the manifest's entries of `texts:` as parsed; what
    it reads again is what the whole manifest gives, values, places and problems."""
    from pathlib import Path

    from edition.errors import Collector
    from edition.source import parse_manifest_yaml, parse_yaml

    root = Path(__file__).resolve().parents[1]
    texts = [(root / "manifest.yaml").read_text(encoding="utf-8"), *PIECES]
    memo: dict = {}
    for text in texts + [t.replace("file: a.md", "file: a.md\n    corrections: []") for t in texts]:
        for _ in range(2):  # the second time from the memo
            whole, pieces = Collector(), Collector()
            expected = parse_yaml(text, "manifest.yaml", whole)
            assert _same_yaml(parse_manifest_yaml(text, "manifest.yaml", pieces, memo), expected), text
            assert [str(d) for d in pieces.diagnostics] == [str(d) for d in whole.diagnostics], text
    assert len(memo) >= 16  # the sample's items, twice, and the edge cases' that are sound

"""Property-based tests: whatever an editor writes, the reader and the
anchoring give a result or a clean problem (a `Diagnostic` with its place),
never an exception; and whatever loads, builds."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import edition
from edition.errors import Collector, Diagnostic
from edition.reader import parse_text

SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FRONT = "---\ntitle: T\nauthor: A\ndate: 1930-01-02\nsource: S\n---\n\n"
# Markdown's own characters, often, among any others (lone surrogates and controls included).
MARKUP = st.sampled_from(list("#>*_-+=[]{}()!:^`~|\\<&.1 \n\t\"'") + ["\n\n", "::: ", "[^1]", "[^1]: ", "{.smallcaps}",
                                                                    "    ", "> ", "- ", "1. ", "---"])
ANY = st.characters(blacklist_categories=())
TEXT = st.lists(st.one_of(MARKUP, ANY, st.text(min_size=1, max_size=8)), max_size=60).map("".join)


def _clean(problems: Collector) -> None:
    for problem in problems.diagnostics:
        assert isinstance(problem, Diagnostic)
        assert problem.location.line >= 1 and problem.location.col >= 1
        assert problem.message


@SETTINGS
@given(body=TEXT)
def test_any_body_gives_a_text_or_a_clean_problem(body):
    problems = Collector()
    result = parse_text(FRONT + body, "texts/t.md", problems)
    assert (result is None) == bool(problems.diagnostics) or (result is None and not body.strip())
    _clean(problems)


@SETTINGS
@given(source=TEXT)
def test_any_file_gives_a_text_or_a_clean_problem(source):
    problems = Collector()
    result = parse_text(source, "texts/t.md", problems)
    assert result is not None or problems.diagnostics
    _clean(problems)


@SETTINGS
@given(front=TEXT, body=st.text(max_size=40))
def test_any_front_matter_gives_a_text_or_a_clean_problem(front, body):
    problems = Collector()
    result = parse_text(f"---\n{front}\n---\n\n{body}", "texts/t.md", problems)
    assert result is not None or problems.diagnostics
    _clean(problems)


MANIFEST = """\
edition:
  title: T
  language: en
  identifier: urn:uuid:00000000-0000-4000-8000-000000000010
  date: 2026-01-01
texts:
  - file: texts/one.md
    notes:
      - at: {phrase}
        note: A note.
    corrections:
      - find: {find}
        replace: {replace}
"""
BODY = ("A plain paragraph with “quoted” words, once and forever.\n\n> A quotation *in italics* here.\n\n"
        "- an item[^1]\n\n[^1]: Its note.\n")


def _load(phrase: str, find: str, replace: str, body: str = BODY):
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "texts").mkdir()
        yaml_text = MANIFEST.format(phrase=json.dumps(phrase), find=json.dumps(find), replace=json.dumps(replace))
        (root / "manifest.yaml").write_text(yaml_text, encoding="utf-8")
        (root / "texts" / "one.md").write_text(FRONT + body, encoding="utf-8", errors="surrogatepass")
        try:
            return edition.load(root / "manifest.yaml"), ()
        except edition.InvalidEdition as error:
            assert error.diagnostics
            return None, error.diagnostics


WORDS = st.one_of(st.sampled_from(["once", "forever", "quoted", "\"quoted\" words", "A plain", "in italics",
                                   "item", "Its note", "here.", "words, once"]), TEXT)


@SETTINGS
@given(phrase=WORDS, find=WORDS, replace=WORDS)
def test_any_phrase_anchors_or_is_a_clean_problem(phrase, find, replace):
    loaded, problems = _load(phrase, find, replace)
    if loaded is None:
        assert all(p.location.line >= 1 for p in problems)
        return
    text = loaded.texts[0]
    assert [n.number for n in text.notes] == list(range(1, len(text.notes) + 1))
    assert sum(1 for n in text.notes if n.kind == "editorial") == 1
    assert len(text.corrections) == 1


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(body=TEXT)
def test_what_loads_builds(body, tmp_path_factory):
    """Whatever `check` accepts, `build` builds (here: the EPUB, and it is well-formed XML)."""
    import zipfile

    from lxml import etree

    from edition.builders import BuildOptions, build_all

    root = tmp_path_factory.mktemp("p")
    (root / "texts").mkdir()
    (root / "manifest.yaml").write_text(MANIFEST.split("    notes:")[0], encoding="utf-8")
    (root / "texts" / "one.md").write_text(FRONT + body, encoding="utf-8", errors="surrogatepass")
    try:
        loaded = edition.load(root / "manifest.yaml")
    except edition.InvalidEdition:
        return
    [path] = build_all(loaded, root / "build", ("epub",), BuildOptions())
    with zipfile.ZipFile(path) as book:
        for name in book.namelist():
            if name.endswith(".xhtml"):
                etree.fromstring(book.read(name))

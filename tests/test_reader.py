"""The Markdown reader: every block and inline kind of the text format."""

from __future__ import annotations

from pathlib import Path

import yaml

from edition import model as m
from edition.errors import Collector
from edition.reader import parse_text

FRONT = "---\ntitle: T\nauthor: [A. One, B. Two]\ndate: 1926-01\ndate_text: early 1926\nsource: S\nextract: true\n---\n"


def parse(body: str, front: str = FRONT):
    problems = Collector()
    text = parse_text(front + body, "texts/t.md", problems)
    return text, [str(d) for d in sorted(problems.diagnostics, key=lambda d: d.location)]


def only_block(body: str):
    text, problems = parse(body)
    assert problems == []
    assert len(text.blocks) == 1
    return text.blocks[0]


def test_front_matter_is_read():
    text, problems = parse("Words.\n")
    assert problems == []
    assert text.meta.title == "T"
    assert text.meta.authors == ("A. One", "B. Two")
    assert text.meta.date == "1926-01"
    assert text.meta.date_shown == "early 1926"
    assert text.meta.extract is True
    assert text.id == "text-t"


def test_paragraph_with_typographer_quotes_and_dashes():
    block = only_block('He said "no" -- and it\'s done... ---\n')
    assert isinstance(block, m.Paragraph)
    assert m.plain_text(block.children) == "He said “no” – and it’s done… —"


def test_typographer_leaves_enumerations_and_symbols_alone():
    block = only_block("(a) one; (b) two; (c) three (r) (tm) +- 1926--27\n")
    assert m.plain_text(block.children) == "(a) one; (b) two; (c) three (r) (tm) +- 1926–27"


def test_soft_line_breaks_become_spaces():
    block = only_block("one\ntwo\n")
    assert m.plain_text(block.children) == "one two"


def test_section_heading_gets_a_stable_id():
    block = only_block("## What Stalin Destroyed\n")
    assert isinstance(block, m.Heading)
    assert block.level == 2
    assert block.id == "text-t-what-stalin-destroyed"


def test_repeated_headings_get_distinct_ids():
    text, _ = parse("## Notes\n\n## Notes\n")
    assert [h.id for h in text.headings] == ["text-t-notes", "text-t-notes-2"]


def test_emphasis_strong_smallcaps_link_code():
    block = only_block("*Pravda* **strong** [THE PARTY.]{.smallcaps} [site](https://example.org) `x`\n")
    kinds = [type(node) for node in block.children if not isinstance(node, m.Str)]
    assert kinds == [m.Emphasis, m.Strong, m.SmallCaps, m.Link, m.Code]
    assert block.children[4] == m.SmallCaps((m.Str("THE PARTY."),))


def test_block_quote():
    block = only_block("> quoted words\n")
    assert isinstance(block, m.BlockQuote)
    assert m.block_plain_text(block) == "quoted words"


def test_ordered_list_with_start():
    block = only_block("3. three\n4. four\n")
    assert isinstance(block, m.ListBlock) and block.ordered and block.start == 3
    assert [m.block_plain_text(i) for i in block.items] == ["three", "four"]


def test_bullet_list():
    block = only_block("- a\n- b\n")
    assert isinstance(block, m.ListBlock) and not block.ordered


def test_signature_division_keeps_each_line():
    block = only_block("::: signature\nYours,\n\nL. Trotsky\n:::\n")
    assert isinstance(block, m.Division) and block.kind == "signature"
    assert [m.block_plain_text(b) for b in block.blocks] == ["Yours,", "L. Trotsky"]


def test_dateline_division():
    assert only_block("::: dateline\nNovember 6, 1944\n:::\n").kind == "dateline"


def test_thematic_break():
    text, _ = parse("a\n\n* * *\n\nb\n")
    assert isinstance(text.blocks[1], m.ThematicBreak)


def test_own_footnotes_become_author_notes_in_reference_order():
    text, problems = parse("First[^b] then[^a].\n\n[^a]: Note A.\n[^b]: Note B.\n")
    assert problems == []
    refs = [n for n in text.blocks[0].children if isinstance(n, m.NoteRef)]
    assert [r.label for r in refs] == ["b", "a"]
    assert [m.block_plain_text(n.blocks[0]) for n in text.notes] == ["Note B.", "Note A."]
    assert all(n.kind == m.NoteKind.AUTHOR for n in text.notes)


def test_block_locations_are_file_lines():
    text, _ = parse("first\n\nsecond\n")
    assert [b.location.line for b in text.blocks] == [9, 11]


def test_unknown_div_is_reported_with_suggestion():
    _, problems = parse("::: signatur\nYours\n:::\n")
    assert problems == ['texts/t.md:9:1: unknown block "::: signatur" (did you mean "signature"?); '
                        "known: signature, dateline, salutation"]


def test_unknown_span_class_is_reported():
    _, problems = parse("[x]{.smalcaps}\n")
    assert problems == ['texts/t.md:9:4: unknown span attribute "smalcaps" (did you mean "smallcaps"?); '
                        "use [words]{.smallcaps}, or [a name]{.person} to refer to the register of persons"]


def test_footnote_without_text_and_unused_note_are_reported():
    _, problems = parse("Words[^1].\n\n[^2]: Never used.\n")
    assert problems == ["texts/t.md:9:6: note [^1] has no text: add a line '[^1]: …'",
                        "texts/t.md:11:1: note [^2] is never referred to in the text"]


def test_level_one_heading_is_an_error():
    _, problems = parse("# Title again\n")
    assert problems == ["texts/t.md:9:1: a '#' heading: the text's title comes from its front matter; "
                        "use '##' for a section heading"]


def test_front_matter_problems_all_reported():
    front = "---\ntitel: T\nauthor: A\ndate: March 1932\nsource: S\nextrct: yes\n---\n"
    _, problems = parse("Words.\n", front)
    assert problems == [  # one mistake, one message: "titel" is the missing "title"
        'texts/t.md:2:1: unknown key "titel" in the front matter (did you mean "title"?)',
        'texts/t.md:4:7: "date" must be an ISO date (YYYY, YYYY-MM or YYYY-MM-DD), not "March 1932"; '
        'keep the source\'s wording in "date_text"',
        'texts/t.md:6:1: unknown key "extrct" in the front matter (did you mean "extract"?)',
    ]


def test_missing_front_matter_and_empty_text():
    _, problems = parse("Words.\n", front="")
    assert problems == ["texts/t.md:1:1: no front matter: a text starts with a '---' line, "
                        "then title, author, date and source, then '---'"]
    _, problems = parse("\n   \n")
    assert problems == ["texts/t.md:9:1: the text is empty"]


def _notes_and_headnotes(manifest: Path) -> list[str]:
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    entries = data.get("texts", []) + [t for part in data.get("parts", []) for t in part.get("texts", [])]
    found = [str(e["headnote"]).strip() for e in entries if "headnote" in e]
    return found + [str(n["note"]).strip() for e in entries for n in e.get("notes", [])]


# One line each, plain or nearly so: what the shortcut must take, or leave to the parser.
EDGES = ["Plain words -- with a dash... and more --- words.", "A -- B", "x---y", "a----b", "Ends with a dash --",
         "1917. A year", "1917 was a year.", "(1) A list?", "“Quoted” words, ‘single’ ones.", "Stalin's words",
         "Said \"so\".", "A *word*.", "A_b_c", "An [x]{.smallcaps}", "<https://example.org>", "A &amp; B",
         "Code `x`", "A \\* star", "- item", "+ item", "# Head", "> quote", "    code", "::: signature",
         "Two  spaces", "Trailing spaces  ", "Tab\there", "A\nB", "A\n\nB", "Words\n===", "~~~", "Ünïcödé words",
         "Ωμέγα", "a | b", "Page 12-14, §3 + 4 = 7!", "Naïve — dash – en", "A.", "x", "Ann.\u00a0"]


def test_plain_notes_are_made_as_the_parser_makes_them():
    """A note that is one plain line is made without markdown-it: the same
    blocks as parsing it, for every note and headnote of the sample and of the
    test editions, and for lines at the edge of plain."""
    from edition import reader

    root = Path(__file__).resolve().parents[1]
    manifests = [root / "manifest.yaml", *sorted((root / "tests" / "roots").glob("*/manifest.yaml"))]
    sources = [note for manifest in manifests for note in _notes_and_headnotes(manifest)] + EDGES
    taken = 0
    for source in sources:
        problems = Collector()
        parsed, _ = reader._parse_body(source, "manifest.yaml", 40, problems, id_prefix="", allow_notes=False)
        made = reader._plain_paragraph(source, "manifest.yaml", 40)
        if made is not None:
            taken += 1
            assert made == parsed and not problems.diagnostics, source
        assert reader.parse_blocks(source, "manifest.yaml", 40, Collector()) == parsed, source
    assert taken >= 80 and taken < len(sources) - 30  # both ways are tried

"""Short pages made up after the layout (builders/flush.py): a small edition
built once so that a heading goes over and leaves a page three lines short,
with a block quote and a note mark on that page; the sample's own short
page (a5, p. 39) is checked in test_typesetting.py."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

import edition
from edition.builders import BuildOptions
from edition.builders.flush import LINE_LIMIT, Gap, share_out
from edition.builders.pdf import PdfBuilder
from edition.typeset_check import measure

from . import test_pdf_tags
from .helpers import write_project
from .test_pdf import no_weasyprint_warnings

STYLES = Path(__file__).resolve().parents[1] / "styles"
MANIFEST = """\
edition:
  title: Flush Test
  language: en
  identifier: urn:uuid:00000000-0000-4000-8000-0000000000f1
  date: 2026-01-01
  trim: a5
  tagged_pdf: true
texts:
  - file: texts/one.md
    notes:
      - at: the marked sentence
        note: A note on the short page.
"""
HEADING = "The Heading That Goes Over"
SHORT = 7  # the page (index) the heading leaves short: the text's second, a verso


def _body() -> str:
    """Forty one-line paragraphs (the second page of the text holds 16 to 40),
    a block quote among them, a sentence with a note mark, then a heading that
    finds three lines at the page's foot where it needs four, and more text."""
    lines = [f"Paragraph {i} of the text, which fills one line." for i in range(1, 41)]
    quote = "> A quoted passage that is long enough to run onto a second line of the block quote, set smaller."
    after = [f"Paragraph {i} after the heading, which fills one line." for i in range(1, 76)]
    return "\n\n".join(lines[:34] + [quote] + lines[34:] + ["This is the marked sentence, on the page that goes short.",
                                                            f"## {HEADING}"] + after)


@pytest.fixture(scope="module")
def flushed(tmp_path_factory):
    root = tmp_path_factory.mktemp("flush")
    loaded = edition.load(write_project(root, MANIFEST, {"one.md": _body()}))
    builder = PdfBuilder()
    with no_weasyprint_warnings():
        path = builder.build(loaded, root / "build", BuildOptions(profile="print", styles_dir=STYLES))
    return loaded, path, measure(path, "a5")


def _baselines(path, index):
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        page = pdf.pages[index]
        rows = {round(page.height - c["matrix"][5], 2) for c in page.chars if 50 < c["top"] < page.height - 70}
    return sorted(rows)


def test_a_page_a_heading_left_short_ends_on_the_facing_page_line(flushed):
    import pypdf

    _, path, report = flushed
    reader = pypdf.PdfReader(path)
    heading_page = next(i for i, page in enumerate(reader.pages) if HEADING.upper() in page.extract_text().upper())
    assert heading_page == SHORT + 1  # the heading went over to the facing page
    assert report.spreads >= 1 and report.uneven_spreads == []


def test_whole_lines_go_to_the_block_quote_and_keep_the_lines_on_the_grid(flushed):
    _, path, _ = flushed
    short, full = _baselines(path, SHORT), _baselines(path, SHORT + 2)  # the next verso is a full page of lines
    line = full[1] - full[0]
    steps = [round((below - above) / line, 1) for above, below in zip(short, short[1:])]
    assert sorted(set(steps)) == [1.0, 3.0, 4.0]  # the quote: a line of white above and below, now three and two
    assert short[-1] == pytest.approx(full[-1], abs=0.05)
    # every line on the full page's grid (the quote's smaller type stands 0.18 pt off it in print.css's grid)
    assert all(any(abs(y - z) < 0.25 for z in full) for y in short)


def test_the_text_s_last_page_is_left_short(flushed):
    import pypdf

    _, path, _ = flushed
    reader = pypdf.PdfReader(path)
    last = reader.get_destination_page_number(reader.named_destinations["text-one-end"])
    lines, full = _baselines(path, last), _baselines(path, SHORT + 2)
    assert lines[-1] < full[-1] - 100  # far short of the full page, and set as laid out:
    assert all(any(abs(y - z) < 0.05 for z in full) for y in lines)


def test_the_moved_note_mark_keeps_its_link_and_its_destination(flushed):
    """The link annotation on the mark and the named destination the note's
    backlink goes to are taken from the moved boxes: both stand on the mark."""
    import pdfplumber
    import pypdf

    _, path, _ = flushed
    reader = pypdf.PdfReader(path)
    destination = reader.named_destinations["text-one-noteref-1"]
    assert reader.get_destination_page_number(destination) == SHORT
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[SHORT]
        links = [a for a in page.annots if a["data"].get("Dest") == b"text-one-note-1"]
        assert len(links) == 1
        link = links[0]
        inside = [c["text"] for c in page.chars if c["x0"] >= link["x0"] - 0.5 and c["x1"] <= link["x1"] + 0.5
                  and c["top"] >= link["top"] - 0.5 and c["bottom"] <= link["bottom"] + 0.5]
        assert inside == ["1"]
        assert float(destination.top) == pytest.approx(page.height - link["top"], abs=0.5)
        assert float(destination.top) < _baselines(path, SHORT)[-1] + 15  # on the page's last line


def test_the_tagged_structure_still_matches_the_moved_page(flushed):
    loaded, path, _ = flushed
    with pikepdf.open(path) as pdf:
        tree = test_pdf_tags.Tree(pdf, path, loaded)
        test_pdf_tags.test_parent_tree_matches_every_marked_content_and_annotation(tree)
        on_page = [element for element, _ in tree.elements if SHORT in tree.pages_of(element)]
        assert sum(1 for element in on_page if element.S == "/P") >= 20
        assert [element.S for element in on_page].count("/BlockQuote") + sum(
            1 for element in on_page if element.S == "/P" and "/BlockQuote" == str(element.P.S)) >= 1


def _pages(*pages: str):
    """A laid-out document of ten-line pages: "5b1" sets five lines, a line of white, one line."""
    from weasyprint import HTML

    html = ["<style>@page { size: 80mm 150pt; margin: 15pt 10mm } body { margin: 0; font-size: 9pt; "
            "line-height: 12pt } p { margin: 0 } section { break-before: page } .b { margin-top: 12pt }</style>"]
    for page in pages:
        blocks, white = [], ""
        for count in page.split("b"):
            blocks.append(f'<div class="{white}">' + "<p>Line.</p>" * int(count) + "</div>")
            white = "b"
        html.append("<section>" + "".join(blocks) + "</section>")
    return HTML(string="".join(html)).render()


def test_a_page_facing_one_that_cannot_be_made_up_ends_on_its_line():
    """Pages 1 and 2 are full; page 3 is three lines short with only lines to
    open (more than the limit allows), so page 4, which could not reach the
    full page either, is brought down to page 3's last line."""
    from edition.builders.flush import flush_pages, page_rows

    document = _pages("10", "10", "10", "7", "4b1", "3")
    done = flush_pages(document, [(0, 5)])
    assert [flushed.page for flushed in done] == [4]
    endings = [page_rows(page._page_box)[-1].baseline for page in document.pages]
    assert endings[4] == pytest.approx(endings[3]) and endings[3] < endings[2] - 30


# --- sharing out ----------------------------------------------------------------------------


def _gaps(kinds: str) -> list[Gap]:
    """"lbl": a line gap, a gap between blocks (a line of white), a line gap."""
    return [Gap(float(i), 10.0 if kind == "b" else 0.0, {"l": "line", "p": "paragraph", "b": "block"}[kind])
            for i, kind in enumerate(kinds)]


def test_whole_lines_go_to_the_gaps_between_blocks_widest_first():
    gaps = _gaps("lblb")
    gaps[1] = Gap(1.0, 20.0, "block")  # the space above a heading
    (whole, per_gap, per_line), moves = share_out(gaps, 3 * 10.0, 10.0)
    assert (whole, per_gap, per_line) == (3, 0.0, 0.0)
    assert [amount for _, amount in moves] == [0.0, 20.0, 0.0, 10.0]


def test_a_part_of_a_line_goes_to_the_blocks_then_between_the_lines():
    _, moves = share_out(_gaps("lbl"), 4.0, 10.0)
    assert [amount for _, amount in moves] == [0.0, 4.0, 0.0]
    (_, per_gap, per_line), moves = share_out(_gaps("lbl"), 6.5, 10.0)  # at most half a line at a block
    assert per_gap == 5.0 and per_line == pytest.approx(0.5)


def test_paragraphs_get_no_space_and_lines_no_more_than_the_limit():
    gaps = _gaps("llplllpll")
    (_, per_gap, per_line), moves = share_out(gaps, 9 * 1.0, 10.0)
    assert per_gap == 0.0 and all(amount == pytest.approx(1.0) for _, amount in moves)
    assert share_out(gaps, 9 * 10.0 * LINE_LIMIT + 1, 10.0) is None  # too short: left as it is

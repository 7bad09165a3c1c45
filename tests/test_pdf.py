"""The typeset PDF: the sample edition built once per module (and once more
to prove the build reproducible), plus a small edition with parts, another
trim size, crop marks, bleed and tagging (tests/roots/pdf-parts).

Every build runs under `no_weasyprint_warnings`: WeasyPrint logs bad CSS and
missing resources instead of raising, so a warning fails the build fixture.
"""

from __future__ import annotations

import contextlib
import logging
import re
from dataclasses import dataclass, replace
from pathlib import Path

import pypdf
import pytest

import edition
from edition import model as m
from edition.builders import BuildOptions
from edition.builders.pdf import PRODUCER, PageMap, PdfBuilder, Press, make_book, settle, typographic
from edition.builders.pdf_labels import Folios, roman
from edition.typography import curl

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "manifest.yaml"
PARTS = REPO / "tests" / "roots" / "pdf-parts" / "manifest.yaml"
STYLES = REPO / "styles"
MM = 72 / 25.4
SCREEN_LINK_COLOUR = b"0.541176 0.109804 0.109804 rg"  # #8a1c1c, print.css


@contextlib.contextmanager
def no_weasyprint_warnings():
    """Fails if WeasyPrint logs a warning or an error inside the block."""
    records: list[logging.LogRecord] = []

    class Catch(logging.Handler):
        def emit(self, record):
            records.append(record)

    logger = logging.getLogger("weasyprint")
    handler = Catch(level=logging.WARNING)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    messages = [record.getMessage() for record in records]
    assert not messages, "WeasyPrint logged:\n" + "\n".join(messages)


@dataclass
class Built:
    edition: m.Edition
    path: Path
    reader: pypdf.PdfReader
    stages: list[str]  # what the builder reported doing

    def page_of(self, anchor: str) -> int:
        return self.reader.get_destination_page_number(self.reader.named_destinations[anchor])

    def label(self, index: int) -> str:
        return self.reader.page_labels[index]

    def words(self, index: int) -> str:
        """The page's text, white space (and no-break spaces) collapsed."""
        return " ".join(self.reader.pages[index].extract_text().replace("\xa0", " ").split())


def build(manifest: Path, out: Path, profile: str = "screen") -> Built:
    loaded = edition.load(manifest)
    stages: list[str] = []
    with no_weasyprint_warnings():
        path = PdfBuilder().build(loaded, out, BuildOptions(profile=profile, styles_dir=STYLES,
                                                            progress=stages.append))
    return Built(loaded, path, pypdf.PdfReader(path), stages)


@pytest.fixture(scope="module")
def sample(tmp_path_factory) -> Built:
    return build(SAMPLE, tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def parts(tmp_path_factory) -> Built:
    return build(PARTS, tmp_path_factory.mktemp("parts"), profile="print")


def margin_words(page: pypdf.PageObject, top: float, bottom: float) -> list[str]:
    """The words printed in the head (`top` pt) and foot (`bottom` pt) margins."""
    height = float(page.trimbox.top)
    found: list[str] = []

    def visit(text, cm, tm, font, size):
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        if text.strip() and (y > height - top or y < bottom):
            found.extend(text.split())

    page.extract_text(visitor_text=visit)
    return found


# --- the sample edition -------------------------------------------------------


def test_contents_numbers_are_the_pages_where_texts_start(sample):
    contents = sample.page_of("contents")
    listing = sample.reader.pages[contents].extract_text().replace("\xa0", " ")
    texts = sample.edition.front + sample.edition.texts
    for text in texts:
        title = typographic(text.meta.title)
        match = re.search(re.escape(title) + r"[ .]*?\s([ivxlc]+|\d+)\s*$", listing, re.M)
        assert match, f"{title!r} is not in the contents:\n{listing}"
        start = sample.page_of(text.id)
        assert match.group(1) == sample.label(start), title
        assert title in sample.words(start), f"{title!r} does not open on page {sample.label(start)}"
    assert sample.label(sample.page_of(sample.edition.texts[0].id)) == "1"


def test_page_facts_settle_in_two_layout_passes(sample, parts):
    """The first layout shows the page facts the book prints ("Notes to pages
    …", the notes' running heads, the index's page ranges); the second prints
    them, and its pages are the same, so no third is needed."""
    for built in (sample, parts):
        passes = [stage for stage in built.stages if stage.startswith("pdf: layout")]
        assert passes == ["pdf: layout", "pdf: layout, pass 2"]


def test_the_anchors_pages_count_as_a_fact_only_where_they_were_printed(sample):
    """A layout that printed page numbers as text (page_refs.py) holds only if
    its anchors are where the layout before put them; a layout that left them
    to WeasyPrint's `target-counter()` is right wherever they are, and needs no
    second layout for them."""
    from edition.builders.pdf import settles

    book = make_book(sample.edition, "screen")
    assert book.anchor_pages == ()
    laid_out = replace(book, anchor_pages=(("text-a", 11), ("text-b", 15)))
    assert settles(book, laid_out)  # numbers filled in by WeasyPrint: nothing to check
    assert settles(laid_out, laid_out)
    moved = replace(book, anchor_pages=(("text-a", 11), ("text-b", 16)))
    assert not settles(laid_out, moved)  # a printed number would be wrong: lay the book out again
    assert not settles(book, replace(laid_out, padding=book.padding + 1))  # the other facts count as before


def test_texts_open_on_a_recto_and_blank_versos_are_empty(sample):
    for text in sample.edition.front + sample.edition.texts:
        start = sample.page_of(text.id)
        assert start % 2 == 0, f"{text.meta.title} opens on a verso"
        opening = sample.reader.pages[start]
        head = margin_words(opening, top=19 * MM, bottom=0)
        assert head == [], f"a running head on the opening of {text.meta.title}: {head}"
    blanks = [i for i, page in enumerate(sample.reader.pages) if not page.extract_text().strip()]
    assert blanks, "the sample needs blank versos"
    assert all(i % 2 == 1 for i in blanks), "a blank recto"


def test_page_labels_match_the_printed_folios(sample):
    reader = sample.reader
    labels = reader.page_labels
    checked = 0
    for index, page in enumerate(reader.pages):
        folios = [w for w in margin_words(page, top=19 * MM, bottom=25 * MM) if re.fullmatch(r"[ivxlc]+|\d+", w)]
        if folios:
            assert folios == [labels[index]], f"page {index + 1} prints {folios}, labelled {labels[index]}"
            checked += 1
    blanks = sum(1 for page in reader.pages if not page.extract_text().strip())
    assert checked >= len(reader.pages) - blanks - 4  # all but blanks, half-title, title, imprint and colophon
    body_start = sample.page_of("body-start")
    assert labels[:body_start] == [roman(i + 1) for i in range(body_start)]
    assert labels[body_start:] == [str(i + 1) for i in range(len(labels) - body_start)]


def test_each_endnote_prints_the_page_of_its_reference(sample):
    notes_pages = range(sample.page_of("notes"), sample.page_of("emendations"))
    printed = re.findall(r"(?:^| )(\d+) p\. ([ivxlc]+|\d+) (Ed\. )?",
                         " ".join(sample.words(i) for i in notes_pages))
    notes = [note for text in sample.edition.front + sample.edition.texts for note in text.notes]
    labelled = len({note.kind for note in notes}) > 1  # "Ed." only tells the edition's notes from the texts' own
    expected = [(str(note.number), sample.label(sample.page_of(note.ref_id)),
                 "Ed. " if labelled and note.kind == m.NoteKind.EDITORIAL else "") for note in notes]
    assert len(expected) > 50
    assert printed == expected


def test_notes_are_labelled_as_the_editions_only_among_the_texts_own(sample, parts):
    def notes_words(built):
        return " ".join(built.words(i) for i in range(built.page_of("notes"), built.page_of("emendations")))

    assert "All the notes are this edition’s." in notes_words(sample)  # the sample's notes are all editorial
    assert "Ed." not in notes_words(sample)
    mixed = notes_words(parts)
    assert "Notes marked Ed. are this edition’s; the others are the authors’ own." in mixed
    assert len(re.findall(r"\d+ p\. [ivxlc\d]+ Ed\. ", mixed)) == sum(note.kind == m.NoteKind.EDITORIAL
                                       for text in parts.edition.front + parts.edition.texts for note in text.notes)


def test_notes_are_grouped_under_the_pages_of_their_text(sample):
    texts = sample.edition.front + sample.edition.texts
    back = "persons" if "persons" in sample.reader.named_destinations else "notes"  # the register comes first
    starts = [sample.page_of(t.id) for t in texts] + [sample.page_of(back)]
    notes = " ".join(sample.words(i) for i in range(sample.page_of("notes"), sample.page_of("emendations")))
    for text, start, following in zip(texts, starts, starts[1:]):
        if not text.notes:
            continue
        last = max(i for i in range(start, following) if sample.reader.pages[i].extract_text().strip())
        heading = f"{typographic(text.meta.title)} Notes to pages {sample.label(start)}\u2013{sample.label(last)}"
        assert heading in notes


def test_no_heading_is_stranded_at_a_page_foot(sample):
    """Every heading has at least two lines of its section below it on its page."""
    headings = [h.id for t in sample.edition.texts for h in t.headings]
    headings += [f"{t.id}-notes" for t in sample.edition.front + sample.edition.texts if t.notes]
    assert len(headings) > 5
    for anchor in headings:
        destination = sample.reader.named_destinations[anchor]
        # the foot margin (25 mm), the heading and two lines of text (17 mm)
        assert float(destination["/Top"]) > (25 + 17) * MM, f"{anchor} is at the foot of its page"


def test_note_marks_and_notes_link_to_each_other(sample):
    links = {}
    for index, page in enumerate(sample.reader.pages):
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            if "/Dest" in annotation:
                links.setdefault(str(annotation["/Dest"]), set()).add(index)
    for text in sample.edition.front + sample.edition.texts:
        for note in text.notes:
            assert sample.page_of(note.ref_id) in links[note.id]
            assert sample.page_of(note.id) in links[note.ref_id]


def test_one_link_annotation_per_reference_in_an_untagged_pdf(sample):
    """WeasyPrint gives each box inside a link an annotation of its own (a
    contents entry, a note's number: three nested ones); the PDF keeps the
    link's own, one per line it spans (builders/pdf_links.py)."""
    import pikepdf

    assert not sample.edition.metadata.tagged_pdf
    to: dict[str, int] = {}
    with pikepdf.open(sample.path) as pdf:
        for page in pdf.pages:
            links = [(str(a.Dest), _normal(a.Rect)) for a in page.get("/Annots", [])
                     if a.Subtype == "/Link" and "/Dest" in a]
            for target, (x0, y0, x1, y1) in links:
                to[target] = to.get(target, 0) + 1
                inside = [box for other, box in links if other == target and box != [x0, y0, x1, y1]
                          and box[0] <= x0 and box[1] <= y0 and x1 <= box[2] and y1 <= box[3]]
                assert not inside, f"a link to {target} inside another"
    notes = [note for text in sample.edition.front + sample.edition.texts for note in text.notes]
    assert len(notes) > 50 and all(to[note.id] == 1 for note in notes)  # the mark: one line, one link
    assert all(to[text.id] in (1, 2) for text in sample.edition.texts)  # a contents entry: one or two lines


def _normal(rect) -> list[float]:
    """A PDF rectangle as [left, bottom, right, top] (WeasyPrint writes some upside down)."""
    x0, y0, x1, y1 = (float(v) for v in rect)
    return [min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)]


def test_emendations_list_every_correction_with_its_page(sample):
    listing = " ".join(sample.words(i) for i in range(sample.page_of("emendations"), sample.page_of("colophon")))
    group_start = 0
    for text in sample.edition.front + sample.edition.texts:
        placed = []  # (where the entry stands in the listing, its page)
        for correction in text.corrections:
            page = sample.page_of(correction.id)
            entry = f"{sample.label(page)} {correction.replace}] {correction.find}"
            found = listing.find(entry, group_start)
            assert found >= 0, f"{entry!r} is not in the list of emendations"
            assert correction.reason in listing[found:found + len(entry) + len(correction.reason) + 8]
            placed.append((found, page))
        if placed:
            # each text's entries in the order of their pages (the manifest may list them in any order)
            assert [page for _, page in sorted(placed)] == sorted(page for _, page in placed)
            group_start = max(found for found, _ in placed)


def test_outline_lists_every_text_and_section(sample):
    reader = sample.reader
    entries = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                entries.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    for text in sample.edition.front + sample.edition.texts:
        assert (0, typographic(text.meta.title), sample.page_of(text.id)) in entries
        for heading in text.headings:
            assert (1, m.plain_text(heading.children), sample.page_of(heading.id)) in entries
    titles = [title for depth, title, _ in entries if depth == 0]
    assert titles[0] == "Contents" and {"Notes", "List of Emendations", "Colophon"} <= set(titles)


def test_running_heads(sample):
    """Verso: the folio and the edition's title; recto: the text's title and the
    folio. (Letter-spaced small caps come out of the PDF in pieces, so the
    words are compared without spaces.)"""
    text = sample.edition.texts[0]
    start = sample.page_of(text.id)
    verso, recto = sample.reader.pages[start + 1], sample.reader.pages[start + 2]
    squeeze = lambda words: "".join(words).replace(" ", "")  # noqa: E731
    assert squeeze(margin_words(verso, top=19 * MM, bottom=0)) == (
        sample.label(start + 1) + squeeze(typographic(sample.edition.metadata.title)))
    assert squeeze(margin_words(recto, top=19 * MM, bottom=0)) == (
        squeeze(typographic(text.meta.title)) + sample.label(start + 2))


def test_fonts_are_embedded_and_subset(sample):
    fonts = {}
    for page in sample.reader.pages:
        for font in page["/Resources"].get_object().get("/Font", {}).values():
            font = font.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert fonts
    for name, font in fonts.items():
        assert re.fullmatch(r"/[A-Z]{6}\+.+", name), f"{name} is not a subset"
        descriptor = (font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font)
        descriptor = descriptor["/FontDescriptor"].get_object()
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), f"{name} is not embedded"
    assert any("Italic" in name for name in fonts)


def test_metadata(sample):
    meta = sample.edition.metadata
    info = sample.reader.metadata
    assert info.title == curl(meta.title)  # the typographer sets the /Title too
    assert info.author == "Leon Trotsky, John G. Wright, Natalia Sedova Trotsky"
    assert info.subject == meta.description
    assert info["/Keywords"]
    assert info.producer == PRODUCER
    assert info["/CreationDate"] == info["/ModDate"] == "D:" + meta.modified.replace("-", "")
    root = sample.reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert "/StructTreeRoot" not in root  # the sample does not ask for a tagged PDF
    assert sample.reader.pages[0].mediabox.width == pytest.approx(148 * MM, abs=0.1)  # A5


def test_screen_profile_colours_links(sample, parts):
    assert SCREEN_LINK_COLOUR in sample.reader.pages[sample.page_of(sample.edition.texts[0].id)].get_contents().get_data()
    assert all(SCREEN_LINK_COLOUR not in page.get_contents().get_data() for page in parts.reader.pages)


def test_two_builds_are_byte_identical(parts, tmp_path):
    """Built again, the same bytes: the test edition in the print profile (PDF/X-4, bleed, tagged), which
    holds what makes a PDF vary (dates, identifiers, XMP, font subsets, structure tree)."""
    again = build(PARTS, tmp_path, profile="print")
    assert again.path.read_bytes() == parts.path.read_bytes()


def test_dates_from_source_date_epoch(monkeypatch):
    from edition.builders.pdf import document_dates

    meta = m.Metadata(title="T", language="en", identifier="x", date="2020-01-01", modified="2021-02-03")
    assert document_dates(meta, {}) == ("2020-01-01", "2021-02-03")
    assert document_dates(meta, {"SOURCE_DATE_EPOCH": "86400"}) == ("1970-01-02T00:00:00Z",) * 2


# --- a small edition: parts, 6×9 in, print profile, bleed, tagged ---------------


def test_parts_print_profile_bleed_and_tags(parts):
    reader = parts.reader
    page = reader.pages[0]
    assert float(page.trimbox.width) == pytest.approx(6 * 72, abs=0.1)
    assert float(page.trimbox.height) == pytest.approx(9 * 72, abs=0.1)
    assert float(page.mediabox.width) == pytest.approx(6 * 72 + 20 * MM, abs=0.1)  # bleed and slug: 10 mm a side
    assert float(page.bleedbox.width) == pytest.approx(6 * 72 + 6 * MM, abs=0.1)  # 3 mm bleed each side
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and bool(root["/MarkInfo"]["/Marked"])
    info = reader.metadata
    assert (info["/CreationDate"], info["/ModDate"]) == ("D:20250601", "D:20260214")  # published, version 1.1
    assert info.title == "Papers & <Letters>"
    xmp = root["/Metadata"].get_object().get_data()
    assert b'pdf:Producer="edition"' in xmp and b"WeasyPrint" not in xmp


def test_parts_outline_nests_texts_under_parts(parts):
    reader = parts.reader
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top[:4] == ["Contents", "Preface", "Part One: Letters", "Part Two"]
    index = [i for i, item in enumerate(reader.outline) if not isinstance(item, list)]
    nested = reader.outline[index[2] + 1]
    assert isinstance(nested, list) and nested[0].title == typographic(parts.edition.texts[0].meta.title)


def test_front_matter_notes_give_roman_pages(parts):
    preface = parts.edition.front[0]
    note = preface.notes[0]
    words = " ".join(parts.words(i) for i in range(parts.page_of("notes"), parts.page_of("emendations")))
    page = parts.label(parts.page_of(note.ref_id))
    assert re.fullmatch(r"[ivxlc]+", page)
    assert f"Notes to page {page} 1 p. {page} A note of the preface" in words  # the author's own: no "Ed."


def test_markup_in_strings_is_escaped(parts):
    opening = parts.words(parts.page_of(parts.edition.texts[0].id))
    assert "A Letter <script>alert(\u2018x\u2019)</script> & Co." in opening


def test_folios_and_labels_agree():
    folios = Folios(body_start=4)
    assert [folios.label(i) for i in range(6)] == ["i", "ii", "iii", "iv", "1", "2"]
    assert folios.span(4, 9) == "1\u20136" and folios.span(2, 2) == "iii"
    assert [(r.first, r.style) for r in folios.ranges()] == [(0, "r"), (4, "D")]
    assert [(r.first, r.style) for r in Folios(0).ranges()] == [(0, "D")]
    assert roman(1994) == "mcmxciv"


def test_a_print_stylesheet_without_the_folio_counter_is_refused(tmp_path):
    """A print.css written before folios had their own counter would number
    the body on from the front matter: the build says so instead."""
    (tmp_path / "print.css").write_text(
        (STYLES / "print.css").read_text(encoding="utf-8").replace("counter(folio", "counter(page"), encoding="utf-8")
    with pytest.raises(edition.BuildFailed, match=r"print\.css: the body's folios must come from the \"folio\""):
        Press.for_styles(tmp_path, tmp_path)


def test_hyphenated_words_are_found_whole(sample):
    """Search and copy see a word broken at a line's end whole (poppler, and
    pdf.js's find rule): see test_pdf_tags.found_whole."""
    from tests.test_pdf_tags import found_whole

    source = "\n".join(path.read_text(encoding="utf-8") for path in (REPO / "texts").glob("*.md"))
    found_whole(sample.path, source, at_least=50)


def test_tracked_small_caps_are_found_as_words(sample):
    """Titles and running heads in letter-spaced small caps read as words
    (poppler takes wider tracking for spaces: "T he Degener ated")."""
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        pytest.skip("poppler-utils' pdftotext is not installed")
    text = subprocess.run(["pdftotext", str(sample.path), "-"], capture_output=True, text=True, check=True).stdout
    versos = sum(1 for i in range(sample.page_of("body-start"), sample.page_of("notes")) if i % 2)
    title = sample.edition.metadata.title.replace("'", "\u2019")
    assert text.count(title) >= versos // 2  # the title page and the versos' running heads
    assert "List of Emendations" in text and "Leon Trotsky" in text

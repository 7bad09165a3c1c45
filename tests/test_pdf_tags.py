"""The tagged PDF's structure tree, read back with pikepdf (veraPDF cannot be
installed here, so the checks of PDF/UA that matter for this book are written
out): one `Art` per text, headings in order, paragraphs whole across pages,
notes as `Note`, furniture as artifacts, one described link annotation per
link, `TH` in the colophon, a `ParentTree` consistent with every page and
annotation. Also: hyphenated words are found whole, and the font subsets do
not depend on the system's HarfBuzz-Subset when SOURCE_DATE_EPOCH is set.

One small edition (tests/roots/pdf-parts, with a paragraph made long enough to
cross a page) is built once, tagged, in the print profile (PDF/X-4, bleed,
crop marks)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pikepdf
import pytest

import edition
from edition.builders.pdf import Press, file_identifier, lay_out_book, make_book, write_pdf
from edition.typography import typeset
from tests.engines import pdfjs_find
from tests.helpers import MANIFEST, hyphenated_words, pdftotext, write_project

REPO = Path(__file__).resolve().parents[1]
PARTS = REPO / "tests" / "roots" / "pdf-parts"
STYLES = REPO / "styles"
LONG = ("This paragraph is long enough to run from one page onto the next, so that its two halves "
        "must still be one paragraph in the structure tree. ") * 14


@pytest.fixture(scope="module")
def tagged(tmp_path_factory):
    root = tmp_path_factory.mktemp("tags") / "project"
    shutil.copytree(PARTS, root)
    letter = root / "texts" / "letter.md"
    text = letter.read_text(encoding="utf-8")
    letter.write_text(text.replace("After the break.", "After the break.\n\n" + LONG.strip()), encoding="utf-8")
    loaded = typeset(edition.load(root / "manifest.yaml"))
    book = make_book(loaded, "print")
    layout = lay_out_book(Press.for_styles(STYLES, root), book)
    path = root / "build" / "tagged.pdf"
    path.parent.mkdir()
    path.write_bytes(write_pdf(layout.document, layout.pages.folios(), loaded.metadata, book))
    pdf = pikepdf.open(path)
    yield Tree(pdf, path, loaded)
    pdf.close()


class Tree:
    """The structure tree of a PDF, walked once."""

    def __init__(self, pdf, path, loaded):
        self.pdf, self.path, self.edition = pdf, path, loaded
        self.page_of = {page.objgen: index for index, page in enumerate(pdf.pages)}
        self.elements = []  # (structure element, depth) in reading order
        self.content: dict[tuple[int, int], object] = {}  # (page, MCID) -> owning structure element
        self.annotations: list = []  # (annotation, owning Link) from OBJR kids
        root = pdf.Root.StructTreeRoot
        for kid in _kids(root):
            self._walk(kid, 0)

    def _walk(self, element, depth):
        self.elements.append((element, depth))
        page = self.page_of.get(element.Pg.objgen) if "/Pg" in element else None
        for kid in _kids(element):
            if isinstance(kid, int):
                assert (page, kid) not in self.content
                self.content[(page, kid)] = element
            elif kid.get("/Type") == "/MCR":
                self.content[(self.page_of[kid.Pg.objgen], int(kid.MCID))] = element
            elif kid.get("/Type") == "/OBJR":
                self.annotations.append((kid.Obj, element))
            else:
                self._walk(kid, depth + 1)

    def of_type(self, name):
        return [element for element, _ in self.elements if element.S == name]

    def pages_of(self, element) -> set[int]:
        return {page for (page, _), owner in self.content.items() if owner.objgen == element.objgen}


def _kids(element):
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def _marked_sequences(page) -> list[tuple[str, object]]:
    """Every marked-content sequence of `page`: (tag, its MCID, or its /Type, or None)."""
    found = []
    for operands, operator in pikepdf.parse_content_stream(page):
        if str(operator) == "BDC":
            properties = operands[1]
            mcid = None
            if isinstance(properties, pikepdf.Dictionary):
                mcid = int(properties.MCID) if "/MCID" in properties else str(properties.get("/Type", "")) or None
            found.append((str(operands[0]), mcid))
        elif str(operator) == "BMC":
            found.append((str(operands[0]), None))
    return found


def _shown_text_outside_marked_content(page) -> int:
    """How many operators that show text or paint stand outside any marked-content sequence."""
    depth, outside = 0, 0
    for _, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name in ("BDC", "BMC"):
            depth += 1
        elif name == "EMC":
            depth -= 1
        elif name in ("Tj", "TJ", "'", '"', "S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "Do", "sh") \
                and depth == 0:
            outside += 1
    return outside


# --- the tree --------------------------------------------------------------------------------


def test_one_article_per_text_and_sections_for_the_rest(tagged):
    texts = tagged.edition.front + tagged.edition.texts
    articles = tagged.of_type("/Art")
    assert len(articles) == len(texts)  # not one per page
    top = [element.S for element, depth in tagged.elements if depth == 1]
    assert set(top) <= {"/Sect", "/Art"}
    assert tagged.elements[0][0].S == "/Document"
    german = [article for article in articles if article.get("/Lang") == "de"]
    assert len(german) == 1  # the German text keeps its language


def test_headings_are_in_order(tagged):
    levels = [int(str(element.S)[2]) for element, _ in tagged.elements if re.fullmatch(r"/H[1-6]", str(element.S))]
    assert levels[0] == 1 and {2, 3} <= set(levels)
    assert all(later <= earlier + 1 for earlier, later in zip(levels, levels[1:])), levels
    for article in tagged.of_type("/Art"):
        first = next(kid for kid in _kids(article) if not isinstance(kid, int))
        assert first.S == "/H1"  # a text opens with its title


def test_a_paragraph_that_crosses_a_page_is_one_paragraph(tagged):
    crossing = [p for p in tagged.of_type("/P") if len(tagged.pages_of(p)) > 1]
    assert crossing, "the long paragraph should cross a page"
    for paragraph in crossing:
        kids = _kids(paragraph)
        first_page = tagged.page_of[paragraph.Pg.objgen]
        assert any(isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR"
                   and tagged.page_of[kid.Pg.objgen] == first_page + 1 for kid in kids)
    # every paragraph is one element: no two paragraphs own the same text on consecutive pages' edges
    assert len(tagged.of_type("/P")) == len({p.objgen for p in tagged.of_type("/P")})


def test_notes_are_notes_with_ids(tagged):
    notes = tagged.of_type("/Note")
    count = sum(len(text.notes) for text in tagged.edition.front + tagged.edition.texts)
    assert len(notes) == count
    ids = [str(note.ID) for note in notes]
    assert len(set(ids)) == len(ids) and all(ids)


def test_furniture_is_artifact_and_all_content_is_tagged_or_artifact(tagged):
    for index, page in enumerate(tagged.pdf.pages):
        sequences = _marked_sequences(page)
        mcids = [mcid for tag, mcid in sequences if isinstance(mcid, int)]
        assert len(mcids) == len(set(mcids))
        assert set(mcids) == {mcid for (p, mcid) in tagged.content if p == index}  # every MCID is in the tree
        assert _shown_text_outside_marked_content(page) == 0
    # the running heads and folios: text in /Artifact sequences on most pages, and not in the tree
    pages = {page for page, _ in tagged.content}
    furnished = [page for page in pages
                 if ("/Artifact", "/Pagination") in _marked_sequences(tagged.pdf.pages[page])]
    assert len(furnished) >= len(pages) / 2
    words = subprocess.run(["pdftotext", "-layout", str(tagged.path), "-"], capture_output=True, text=True,
                           check=True).stdout
    assert words  # the PDF is readable at all


def test_parent_tree_matches_every_marked_content_and_annotation(tagged):
    pdf = tagged.pdf
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    tree = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for index, page in enumerate(pdf.pages):
        entries = tree[int(page.StructParents)]
        for mcid in range(len(entries)):
            assert entries[mcid].objgen == tagged.content[(index, mcid)].objgen
        assert len(entries) == sum(1 for (p, _) in tagged.content if p == index)
    for annotation, link in tagged.annotations:
        assert tree[int(annotation.StructParent)].objgen == link.objgen


def test_one_described_link_annotation_per_link(tagged):
    pdf = tagged.pdf
    in_tree = {annotation.objgen for annotation, _ in tagged.annotations}
    on_pages = [annotation for page in pdf.pages for annotation in page.get("/Annots", [])
                if annotation.Subtype == "/Link"]
    assert {a.objgen for a in on_pages} == in_tree  # every link annotation is in the tree, and only those
    for page in pdf.pages:  # no link annotation inside another with the same target
        links = [a for a in page.get("/Annots", []) if a.Subtype == "/Link"]
        for a in links:
            for b in links:
                if a.objgen != b.objgen and str(a.get("/Dest", "")) == str(b.get("/Dest", "")):
                    ax0, ay0, ax1, ay1 = (float(v) for v in a.Rect)
                    bx0, by0, bx1, by1 = (float(v) for v in b.Rect)
                    assert not (bx0 <= ax0 and by0 <= ay0 and ax1 <= bx1 and ay1 <= by1), "nested links"
    descriptions = Counter(str(annotation.Contents) for annotation in on_pages)
    assert not any(re.fullmatch(r"[\w-]*(note|text|part)-[\w-]*", d) for d in descriptions), descriptions
    assert descriptions["Note 1"] >= 2 and descriptions["Back to the text of note 1"] >= 2
    assert any(re.fullmatch(r"Page [0-9ivxlc]+", d) for d in descriptions)  # the emendations' page links
    assert not any(re.fullmatch(r"[0-9ivxlc]+n?", d) for d in descriptions)  # never a bare number
    titles = {text.meta.title for text in tagged.edition.front}
    assert titles <= set(descriptions)  # a contents entry says the title it goes to
    assert all(link.S == "/Link" for _, link in tagged.annotations)


def test_colophon_table_has_row_headers(tagged):
    headers = tagged.of_type("/TH")
    versions = [v.number for v in tagged.edition.versions]
    row_headers = [th for th in headers if th.A.get("/Scope") == "/Row"]
    assert len(row_headers) == len(versions)
    for table in tagged.of_type("/Table"):  # every table (the emendations' too) has headers
        found = [element for element, _ in tagged.elements if element.S == "/TH"
                 and _within(element, table)]
        assert found
    for th in row_headers:  # a row header leads its row
        row = th.P
        first = next(kid for kid in _kids(row) if not isinstance(kid, int))
        assert row.S == "/TR" and first.objgen == th.objgen


def _within(element, ancestor) -> bool:
    while "/P" in element:
        element = element.P
        if element.objgen == ancestor.objgen:
            return True
    return False


def test_document_language_title_and_print_boxes_kept(tagged):
    root = tagged.pdf.Root
    assert str(root.Lang) == "en"
    assert bool(root.ViewerPreferences.DisplayDocTitle) and str(tagged.pdf.docinfo.Title) == "Papers & <Letters>"
    assert bool(root.MarkInfo.Marked)
    assert all(page.Tabs == "/S" for page in tagged.pdf.pages)
    assert "/OutputIntents" in root and "/PageLabels" in root and "/Outlines" in root
    xmp = root.Metadata.read_bytes()
    assert b"GTS_PDFXVersion" in xmp  # still PDF/X-4 …
    assert b'pdfuaid:part="1"' in xmp and b"<dc:title>" in xmp  # … and declared PDF/UA-1
    identifier = file_identifier(tagged.edition.metadata).decode()
    assert f"xmp.did:{identifier[:8]}-".encode() in xmp  # not WeasyPrint's random document id


# --- search and copy: a word broken at a line's end is found whole ---------------------------


def found_whole(pdf_path, source: str, at_least: int) -> None:
    """Every word broken at a line's end is found whole by poppler (pdftotext
    joins a line ending in U+002D to the next) and by pdf.js's find controller
    (run in node), as often as the source has it or more."""
    broken = hyphenated_words(pdf_path, source)
    assert len(broken) >= at_least
    for page, word, text in broken:
        assert "\u2010" not in text and "\u00ad" not in text  # the line-end hyphen is U+002D
        assert word in pdftotext(pdf_path, page), word
    words = sorted({word for _, word, _ in broken}, key=len, reverse=True)[:12]  # pdf.js is slow: the longest
    found = pdfjs_find(pdf_path, words)
    everywhere = pdftotext(pdf_path).lower()
    missed = [word for word in words if found[word] < everywhere.count(word.lower())]
    assert not missed, f"pdf.js does not find every occurrence of {missed}"


def test_hyphenated_words_are_found_whole_in_a_tagged_pdf(tagged):
    source = "\n".join(path.read_text(encoding="utf-8") for path in tagged.path.parents[1].glob("texts/*.md"))
    found_whole(tagged.path, source, at_least=1)


# --- reproducibility: the font subsets do not depend on the system's HarfBuzz-Subset ----------


def test_source_date_epoch_makes_the_bytes_independent_of_harfbuzz_subset(tmp_path, monkeypatch):
    """Each write lays out afresh: WeasyPrint subsets a document's fonts in place."""
    from weasyprint.pdf import fonts

    loaded = typeset(edition.load(write_project(tmp_path, MANIFEST.replace("  date:", "  tagged_pdf: true\n  date:"))))
    book = make_book(loaded, "screen")

    def written() -> bytes:
        layout = lay_out_book(Press.for_styles(STYLES, tmp_path), book)
        return write_pdf(layout.document, layout.pages.folios(), loaded.metadata, book)

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1750000000")
    with_system = written()  # HarfBuzz-Subset where the system has it
    monkeypatch.setattr(fonts, "harfbuzz_subset", None)  # as on a system without libharfbuzz-subset0
    assert written() == with_system
    with pikepdf.open(io.BytesIO(with_system)) as pdf:  # the screen profile: tagged, declared too
        assert "/StructTreeRoot" in pdf.Root and b'pdfuaid:part="1"' in pdf.Root.Metadata.read_bytes()


def test_links_are_described_in_the_book_language():
    from xml.etree.ElementTree import fromstring

    from edition.builders.pdf_tags import StructureTree
    from edition.locale import words

    tree = StructureTree(words("de"))
    tree.by_id = {}
    assert tree.describe(fromstring('<a class="noteref" href="#n3">3</a>')) == "Anmerkung 3"
    assert tree.describe(fromstring('<a class="index-page" href="#x"></a>'), "12n") == "Seite 12, in den Anmerkungen"
    assert tree.describe(fromstring('<a href="#t">Ein <i>Brief</i></a>')) == "Ein Brief"

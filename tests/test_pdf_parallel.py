"""The same book, laid out in one process and in parallel (pdf_parallel.py).

A small edition (a front text, three texts of different lengths with
headings, notes, emendations and persons, in two parts: the second chunk
continues a part, the third opens one) is built in one process and in
parallel with chunks of one text each, and the two PDFs are compared as a
reader would: the pages and their words (folios and running heads
included), where every named destination is, the page labels, the outline,
the links, and the page list the EPUB takes from the layout.
"""

from __future__ import annotations

import random
from pathlib import Path

import pikepdf
import pytest

from .helpers import write_project

WORDS = ("the committee met again and debate went on into night with every speaker answering one before "
         "nobody giving way question regime party workers cells district press meeting resolution vote").split()

PERSONS = """\
persons:
  - name: Abel, Karl
    forms: [Abel, Karl Abel]
    born: 1880
    died: 1940
    about: A person named in every text.
  - name: Bode, Ida
    forms: [Bode]
    dates: c. 1890–1950
    about: A person named in the last text and in a note.
"""
MANIFEST = """\
edition:
  title: Parallel Edition
  language: en
  identifier: urn:uuid:00000000-0000-4000-8000-000000000012
  date: 2026-01-01
front:
  - file: texts/preface.md
parts:
  - title: Part One
    texts:
      - file: texts/one.md
        headnote: Karl Abel wrote this in the spring.
        notes:
          - at: the opening words
            note: On Abel see the register.
          - at: the middle words
            note: A note on the middle of the first text.
        corrections:
          - find: once and. forever
            replace: once and forever
            reason: stray full stop
      - file: texts/two.md
        notes:
          - at: the short text
            note: A note on the short text.
  - title: Part Two
    texts:
      - file: texts/three.md
        notes:
          - at: the closing words
            note: Bode answered this.
        corrections:
          - find: teh question
            replace: the question
            reason: misprint
""" + PERSONS


def filler(rng: random.Random, sentences: int) -> str:
    return "".join(" ".join(rng.choice(WORDS) for _ in range(14)).capitalize() + ". " for _ in range(sentences))


def text(title: str, body: str) -> str:
    return f"---\ntitle: {title}\nauthor: A. Writer\ndate: 1930-01-02\nsource: Somewhere\n---\n\n{body}\n"


def texts() -> dict[str, str]:
    rng = random.Random(12)
    one = ["Abel spoke of the opening words. " + filler(rng, 20)]
    one += [filler(rng, 14) for _ in range(4)] + ["## The Middle", "Here are the middle words, once and. forever."]
    one += [filler(rng, 14) for _ in range(5)]  # so that the text ends on a recto (see the blank verso's test)
    two = ["This is the short text, and Abel is in it. " + filler(rng, 12)] + [filler(rng, 12) for _ in range(2)]
    three = ["Abel and Bode met. " + filler(rng, 16)] + [filler(rng, 14) for _ in range(5)]
    three += ["## A Second Part", "Then teh question came. " + filler(rng, 10)] + [filler(rng, 14) for _ in range(8)]
    three += ["These are the closing words."]
    preface = "---\ntitle: Preface\nauthor: The Editors\ndate: 2026-01-01\nsource: For this edition.\n---\n\nOn Abel.\n"
    return {"preface.md": preface,
            "one.md": text("One", "\n\n".join(one)), "two.md": text("Two", "\n\n".join(two)),
            "three.md": text("Three", "\n\n".join(three))}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(one process, in parallel): each a (PDF path, builder)."""
    import edition
    from edition.builders import BuildOptions
    from edition.builders.pdf import PdfBuilder

    root = tmp_path_factory.mktemp("parallel")
    manifest = write_project(root, MANIFEST, texts())
    loaded = edition.load(manifest)
    out = {}
    styles = Path(__file__).resolve().parents[1] / "styles"
    for name, options in (("one", BuildOptions(styles_dir=styles, jobs=1)),
                          ("parallel", BuildOptions(styles_dir=styles, jobs=2, parallel_min_pages=0, chunks=3))):
        builder = PdfBuilder()
        path = root / f"{name}.pdf"
        path.write_bytes(builder.render(loaded, options))
        out[name] = (path, builder)
    assert out["one"][1].last_printed is None and out["one"][1].last_layout is not None
    assert out["parallel"][1].last_printed is not None, "the book was not laid out in parallel"
    return out["one"], out["parallel"]


def facts(path):
    """What a reader of the PDF meets: named destinations (name -> page), the
    page labels, the outline (depth, title, page, height on the page) and the
    links of each page (target name, rectangle)."""
    pdf = pikepdf.open(path)
    index = {page.objgen: number for number, page in enumerate(pdf.pages)}
    dests = {str(name): index[dest[0].objgen] for name, dest in pikepdf.NameTree(pdf.Root.Names.Dests).items()}

    def outline(items, depth=0):
        for item in items:
            dest = item.destination
            yield depth, item.title, index[dest[0].objgen], round(float(dest[3]), 1)
            yield from outline(item.children, depth + 1)

    with pdf.open_outline() as tree:
        headings = list(outline(tree.root))
    labels = [(int(n), str(d.S)) if isinstance(d, pikepdf.Dictionary) else int(d)
              for n, d in zip(pdf.Root.PageLabels.Nums[::2], pdf.Root.PageLabels.Nums[1::2])]
    links = [[(str(a.Dest), tuple(round(float(v), 1) for v in a.Rect)) for a in page.get("/Annots", ())
              if "/Dest" in a] for page in pdf.pages]
    return dests, labels, headings, links


def test_the_same_pages_with_the_same_words(built):
    import pdfplumber

    (one, _), (parallel, _) = built
    with pdfplumber.open(one) as a, pdfplumber.open(parallel) as b:
        assert len(a.pages) == len(b.pages) > 12
        for number, (left, right) in enumerate(zip(a.pages, b.pages)):
            assert left.extract_text() == right.extract_text(), f"page {number + 1} differs"


def test_every_destination_label_heading_and_link_lands_on_the_same_page(built):
    (one, _), (parallel, _) = built
    dests, labels, headings, links = facts(one)
    other_dests, other_labels, other_headings, other_links = facts(parallel)
    # The book has every kind: notes, their marks, emendations, index marks, persons, headings, parts.
    kinds = ("-note-", "-noteref-", "-emendation-", "-name-", "person-", "text-one-the-middle", "part-2")
    assert all(any(kind in name for name in dests) for kind in kinds), sorted(dests)
    assert other_dests == dests
    assert other_labels == labels and len(labels) == 2  # roman front matter, arabic body
    assert other_headings == headings and any(depth for depth, *_ in headings)
    assert other_links == links
    linked = {name for page in links for name, _ in page}
    assert linked <= set(dests)  # every link has its target, those into other chunks too
    body = [number for number, page in enumerate(links) if any(n.startswith("note") for n, _ in page)]
    assert body, "no links to the notes"


def test_a_text_of_odd_length_is_followed_by_its_blank_verso(built):
    """One chunk ends on a recto: the blank verso after it is the book's, unnumbered."""
    import pdfplumber

    (one, builder), (parallel, _) = built
    anchors = builder.last_layout.pages.pages
    blank = anchors["text-one-end"] + 1
    assert anchors["text-two"] == blank + 1
    with pdfplumber.open(parallel) as pdf:
        assert pdf.pages[blank].extract_text().strip() == ""


def test_the_epub_gets_the_same_print_pages(built):
    from edition.builders.pagemap import PrintedPages

    (_, one), (_, parallel) = built
    expected = PrintedPages.of(one.last_layout)
    assert parallel.last_printed.beginnings == expected.beginnings
    assert parallel.last_printed.anchors == expected.anchors

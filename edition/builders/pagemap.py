"""The print edition's pages inside the EPUB.

When both formats are built, the PDF is laid out first; `paginate` then reads
from it, page by page, the first words set in the type area (running heads
and folios stand in the margins and are left out) and finds those words in
the texts of the model, in reading order. A `PageBreak` goes where the page
begins — at the word, not merely at the paragraph — and `edition.print_pages`
lists every page of the texts with its folio, so the EPUB can carry page-break
markers, a page-list and the NCX's pageList.

A page of a text that has no words of the text (blank, or the opening of a
text whose title is all it shows) is listed at the next page that has them.
The pages before the first text and after the last (title, contents, notes,
register, index) are not listed: they have no place in the EPUB's texts.
Nothing here depends on how the PDF was laid out: only the file is read.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import replace

from .. import model as m
from ..annotate import replace_unit, units_of
from ..persons import mark_at

MM = 72 / 25.4
PROBE_LETTERS = 40  # how many letters of a page's beginning are matched


def letters(words: str) -> tuple[str, list[int]]:
    """The letters of `words` (lower case, accents and everything else
    dropped) and, for each, its offset in `words`."""
    out, where = [], []
    for offset, char in enumerate(words):
        for part in unicodedata.normalize("NFKD", char):
            if part.isalpha():
                out.append(part.casefold())
                where.append(offset)
    return "".join(out), where


def page_beginnings(pdf: bytes, top_mm: float, bottom_mm: float) -> list[tuple[str, str]]:
    """(folio, the first words in the type area) of every page of the PDF."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    result = []
    for index, page in enumerate(reader.pages):
        height = float(page.mediabox.top)
        found: list[str] = []

        def visit(text, cm, tm, font, size, found=found, height=height):
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if text.strip() and bottom_mm * MM < y < height - top_mm * MM:
                found.append(text)

        page.extract_text(visitor_text=visit)
        result.append((reader.page_labels[index], " ".join(" ".join(found).split())))
    return result


def text_pages(pdf: bytes, text_ids: list[str]) -> dict[str, tuple[int, int]]:
    """The pages (first, last + 1) of each text, from the PDF's named destinations."""
    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    names = reader.named_destinations
    starts = {tid: reader.get_destination_page_number(names[tid]) for tid in text_ids if tid in names}
    ends = {tid: reader.get_destination_page_number(names[f"{tid}-end"]) + 1 for tid in text_ids
            if f"{tid}-end" in names}
    return {tid: (starts[tid], ends[tid]) for tid in starts if tid in ends}


def paginate(edition: m.Edition, pdf: bytes, top_mm: float, bottom_mm: float) -> m.Edition:
    """`edition` with a `PageBreak` where each page of the print edition begins."""
    texts = list(edition.front + edition.texts)
    beginnings = page_beginnings(pdf, top_mm, bottom_mm)
    ranges = text_pages(pdf, [t.id for t in texts])
    changed: dict[str, m.Text] = {}
    pages: list[tuple[str, str, str]] = []  # (folio, mark id or "", text id)
    previous_end = None
    for text in texts:
        if text.id not in ranges:
            continue
        first, end = ranges[text.id]
        if previous_end is not None:  # blank pages (or a part's title) between two texts: at the next
            pages.extend((beginnings[index][0], "", text.id) for index in range(previous_end, first))
        previous_end = end
        text, placed = _place(text, beginnings, first, end)
        changed[text.id] = text
        pages.extend(placed)
    listed: list[m.PrintPage] = []
    pending: list[tuple[str, str]] = []
    for label, mark, text_id in pages:
        if not mark:
            pending.append((label, text_id))
            continue
        listed.extend(m.PrintPage(other, mark, text_id) for other, _ in pending)
        pending = []
        listed.append(m.PrintPage(label, mark, text_id))
    front = tuple(changed.get(t.id, t) for t in edition.front)
    parts = tuple(replace(part, texts=tuple(changed.get(t.id, t) for t in part.texts)) for part in edition.parts)
    return replace(edition, front=front, parts=parts, print_pages=tuple(listed))


def paginate_from_print(edition: m.Edition, pdf: bytes) -> m.Edition:
    """`paginate` with the type area of the edition's trim size."""
    from .pdf import GEOMETRY

    geometry = GEOMETRY[edition.metadata.trim]
    return paginate(edition, pdf, float(geometry.top.removesuffix("mm")), float(geometry.bottom.removesuffix("mm")))


def _place(text: m.Text, beginnings, first: int, end: int):
    """The text with a page break at the beginning of each of its pages."""
    blocks = text.headnote + text.blocks
    units = units_of(blocks)
    stream, owners = "", []  # the letters of all units, and (unit, offset in its words) for each
    for number, unit in enumerate(units):
        found, offsets = letters(unit.words)
        stream += found
        owners += [(number, offset) for offset in offsets]
    inserts: dict[int, list[tuple[int, m.PageBreak]]] = {}
    placed = []
    position = 0
    for index in range(first, end):
        label, words = beginnings[index]
        mark_id = f"page-{label}"
        where = _find(words, stream, position) if index > first else (0 if stream else None)
        if where is None:
            placed.append((label, "", text.id))
            continue
        unit_number, offset = owners[where]
        unit_words = units[unit_number].words
        if offset > 0 and unit_words[offset - 1].isalnum():  # mid-word: a word hyphenated across pages
            while offset < len(unit_words) and unit_words[offset].isalnum():
                offset += 1  # the page is found at the next word
            while offset < len(unit_words) and not unit_words[offset].isalnum():
                offset += 1
        position = where + 1
        inserts.setdefault(unit_number, []).append((offset, m.PageBreak(mark_id, label)))
        placed.append((label, mark_id, text.id))
    for unit_number, marks in inserts.items():
        unit = units[unit_number]
        inlines = unit.inlines
        for offset, mark in sorted(marks, key=lambda item: -item[0]):
            inlines = mark_at(inlines, offset, mark, before_marks=True)  # a name that opens the page is on it
        blocks = replace_unit(blocks, unit.path, inlines)
    headnote, body = blocks[:len(text.headnote)], blocks[len(text.headnote):]
    return replace(text, headnote=headnote, blocks=body), placed


def _find(words: str, stream: str, start: int) -> int | None:
    """Where the page that begins with `words` begins in `stream`, searching
    from `start`; a first word that does not match is taken for the end of a
    word hyphenated across the pages and dropped."""
    tokens = words.split()
    for skip in range(min(2, len(tokens))):
        probe, _ = letters(" ".join(tokens[skip:]))
        probe = re.sub(r"\d", "", probe)[:PROBE_LETTERS]
        if len(probe) < 8:
            return None
        found = stream.find(probe, start)
        if found >= 0:
            return found
    return None

"""The print edition's pages inside the EPUB.

When both formats are built, the PDF is laid out first; `paginate` then takes
from its layout, page by page, the first words set in the type area (running
heads and folios stand in the page's margin boxes and are left out) and finds
those words in the texts of the model, in reading order. A `PageBreak` goes
where the page begins — at the word, not merely at the paragraph — and
`edition.print_pages` lists every page of the texts with its folio, so the
EPUB can carry page-break markers, a page-list and the NCX's pageList.

A page of a text that has no words of the text (blank, or the opening of a
text whose title is all it shows) is listed at the next page that has them.
The pages before the first text and after the last (title, contents, notes,
register, index) are not listed: they have no place in the EPUB's texts.

The words are read from WeasyPrint's page boxes, the same boxes the PDF is
drawn from, so they are the words the PDF shows, in the same order; reading
them back out of the PDF's bytes took a quarter of a whole build.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from .. import model as m
from ..annotate import replace_unit, units_of
from ..persons import mark_at

PROBE_LETTERS = 40  # how many letters of a page's beginning are matched
MAX_SKIPPED_WORDS = 60  # how many words at a page's head may be the apparatus's, not the text's


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


@dataclass(frozen=True)
class PrintedPages:
    """What the EPUB needs of a laid-out print edition."""

    beginnings: tuple[tuple[str, str], ...]  # (folio, the words in the type area) of every page
    anchors: dict  # element id -> index of the page it is on

    @classmethod
    def of(cls, layout) -> "PrintedPages":
        """From a `pdf.Layout`: its WeasyPrint document and where its anchors are."""
        folios = layout.pages.folios()
        return cls(tuple((folios.label(index), page_words(page))
                         for index, page in enumerate(layout.document.pages)), layout.pages.pages)

    def text_pages(self, text_ids: list[str]) -> dict[str, tuple[int, int]]:
        """The pages (first, last + 1) of each text: its title's and its end marker's."""
        return {tid: (self.anchors[tid], self.anchors[f"{tid}-end"] + 1) for tid in text_ids
                if tid in self.anchors and f"{tid}-end" in self.anchors}


def page_words(page) -> str:
    """The words of a laid-out page's type area, in the order they are set:
    the text of its text boxes, a space between lines, and nothing of the
    margin boxes (running heads, folios)."""
    from weasyprint.formatting_structure import boxes

    found: list[str] = []

    def visit(box) -> None:
        if isinstance(box, boxes.MarginBox):
            return
        if isinstance(box, boxes.TextBox):
            found.append(box.text)
        elif isinstance(box, boxes.LineBox):
            found.append(" ")
        for child in getattr(box, "children", ()):
            visit(child)

    visit(page._page_box)
    return " ".join("".join(found).split())


def paginate(edition: m.Edition, printed: PrintedPages) -> m.Edition:
    """`edition` with a `PageBreak` where each page of the print edition begins."""
    texts = list(edition.front + edition.texts)
    beginnings = printed.beginnings
    ranges = printed.text_pages([t.id for t in texts])
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
    word hyphenated across the pages and dropped. A page that opens with words
    the texts do not hold (the end of a source line, which the PDF sets after
    the headnote) is placed at the first of its words they do hold."""
    tokens = words.split()
    for skip in range(min(MAX_SKIPPED_WORDS, len(tokens))):
        probe, _ = letters(" ".join(tokens[skip:]))
        probe = re.sub(r"\d", "", probe)[:PROBE_LETTERS]
        if len(probe) < 8:
            return None
        found = stream.find(probe, start)
        if found >= 0:
            return found
    return None

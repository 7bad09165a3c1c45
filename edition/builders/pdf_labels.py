"""Folios: how the pages of the print edition are numbered.

The front matter is numbered in lower-case roman from its first page (the
half-title is page i, though no folio is printed there); the body is numbered
in arabic from 1, starting on the first page of the first text (or part). The
same rule gives the printed folios (through CSS), the page ranges named in
the notes, and the PDF's `/PageLabels`, so a PDF reader's page box shows the
folio printed on the page.
"""

from __future__ import annotations

from dataclasses import dataclass

ROMAN = (
    (1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
    (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"),
)
EN_DASH = "\u2013"


def roman(number: int) -> str:
    """4 -> 'iv' (lower case, as front-matter folios are printed)."""
    assert number > 0
    out = []
    for value, letters in ROMAN:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


@dataclass(frozen=True)
class LabelRange:
    """One entry of the PDF's page-label number tree: from page `first`
    (0-based), numbered in `style` ('r' lower roman, 'D' arabic) from 1."""

    first: int
    style: str


@dataclass(frozen=True)
class Folios:
    """The numbering of a book whose body starts on page `body_start`
    (0-based index in the PDF). `body_start == 0` means the book has no
    front matter: every page is arabic."""

    body_start: int

    def is_front(self, index: int) -> bool:
        return index < self.body_start

    def label(self, index: int) -> str:
        """The folio of page `index` (0-based), as printed: 'iii', '12'."""
        if self.is_front(index):
            return roman(index + 1)
        return str(index - self.body_start + 1)

    def span(self, first: int, last: int) -> str:
        """'12–30', or '12' when the range is one page."""
        if last <= first:
            return self.label(first)
        return f"{self.label(first)}{EN_DASH}{self.label(last)}"

    def ranges(self) -> tuple[LabelRange, ...]:
        body = LabelRange(self.body_start, "D")
        return (LabelRange(0, "r"), body) if self.body_start else (body,)

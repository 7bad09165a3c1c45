"""A mend for one fault of WeasyPrint's text drawing (found in 70.0).

WeasyPrint writes each glyph of a line with the adjustment that brings it
from the font's advance to the one Pango laid it out with, but it writes
that adjustment truncated to a whole thousandth of an em (`int(kerning)` in
`weasyprint.draw.text.draw_first_line`). On a line whose letters are spaced
(`letter-spacing`), every glyph has such an adjustment and the error adds
up: a justified line of 70 letters tracked by 0.01em is drawn about half a
point short of the measure, a ragged right edge. `exact_glyph_advances`
makes the adjustment written exact for the time of a drawing: `int` in that
module gives a number that is still the truncated integer wherever it is
used as one, but that writes itself into the PDF with three decimals.
"""

from __future__ import annotations

import contextlib


class _Adjustment(int):
    """An integer (the truncated value WeasyPrint asked for) that formats as the exact value."""

    exact: float

    def __new__(cls, value):
        number = super().__new__(cls, int(value))
        number.exact = float(value)
        return number

    def __format__(self, spec: str) -> str:
        if spec:
            return format(int(self), spec)
        return f"{self.exact:.3f}".rstrip("0").rstrip(".") or "0"

    def __str__(self) -> str:
        return self.__format__("")


@contextlib.contextmanager
def exact_glyph_advances():
    """WeasyPrint's text drawing, for the time of a `write_pdf`, with glyph adjustments written exactly."""
    from weasyprint.draw import text

    had = "int" in vars(text)
    previous = vars(text).get("int")
    text.int = _Adjustment
    try:
        yield
    finally:
        if had:
            text.int = previous
        else:
            del text.int

"""A mend for one fault of WeasyPrint's line breaking (found in 70.0).

A run of text that ends in a space before an inline element (a name's index
mark, a link) is measured with that space. When only the space overflows
the line, Pango sets the run on one line and lets the space hang, but
WeasyPrint takes the run for one word too long for the line and hyphenates
its first word: "political revo-" / "lution" / "against the bureaucracy …",
a line of one word in mid-paragraph. `trailing_spaces_hang` lays such a
run out whole, as Pango does, and the line then breaks where it should.
"""

from __future__ import annotations

import contextlib

COLLAPSING = ("normal", "nowrap", "pre-line")  # white-space values whose trailing spaces hang


@contextlib.contextmanager
def trailing_spaces_hang():
    """WeasyPrint's line layout, for the time of a layout, with the mend."""
    from weasyprint.layout import inline
    from weasyprint.text import line_break

    original = inline.split_first_line

    def split_first_line(text, style, context, max_width, justification_spacing, is_line_start=True,
                         minimum=False):
        result = original(text, style, context, max_width, justification_spacing, is_line_start, minimum)
        resume_index = result[2]
        if (resume_index is None or max_width is None or not text.endswith(" ")
                or style["white_space"] not in COLLAPSING):
            return result
        words = text.rstrip(" ")
        if not words or len(words.encode()) <= resume_index:
            return result  # the break is at the spaces already
        layout = line_break.create_layout(words, style, context, max_width, justification_spacing)
        first_line, index = layout.get_first_line()
        fits = index is None and line_break.line_size(first_line, style)[0] <= max_width
        layout.deactivate()
        if not fits:
            return result
        return original(text, style, context, None, justification_spacing, is_line_start, minimum)

    inline.split_first_line = split_first_line
    try:
        yield
    finally:
        inline.split_first_line = original

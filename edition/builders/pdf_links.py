"""One link annotation per reference in the PDF.

WeasyPrint 70 gives every box inside a link an annotation of its own: a
contents entry (the title, the leaders, the page number) or a note's
number is three overlapping, nested link annotations to the same place, and
a reader's screen reader or a PDF checker counts three links. Only the
link's own boxes — the `<a>` element's, one per line it spans — are kept:
their rectangles cover the boxes inside them. The tagged PDF keeps the same
ones (pdf_tags.py); this does it for every PDF, before it is written.
"""

from __future__ import annotations


def one_link_per_reference(document) -> None:
    """Drops, in place, the links of a laid-out `document` that a box only
    inherits from the link around it."""
    for page in document.pages:
        page.links[:] = [link for link in page.links if link[3].link is not None]

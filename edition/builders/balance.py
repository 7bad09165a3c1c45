"""Headings set in balanced lines.

A heading too long for one line is broken by WeasyPrint as a paragraph is,
greedily: "Origins of the Family, Private Property, and the" over a lone
"State". A typesetter breaks a display line by sense and evens the lines
(CSS's `text-wrap: balance`, which WeasyPrint lacks). After the first
layout, `plan(document, html)` measures each heading that took more than
one line (with total_fit's measure: its words in their own styles, as
WeasyPrint measures them) and breaks it at the spaces that make its lines
most even, in **as many lines** as the first layout gave it, so no page
changes. The plans are total_fit's: `total_fit.apply` sets them, in
nowrap spans, and `total_fit.misses` checks them.
"""

from __future__ import annotations

from . import total_fit

HEADINGS = ("h1", "h2", "h3")  # the headings balanced (total_fit.FITTED has them, so that plans reach them)
SENSE = ",;:.!?)]\u2013\u2014\u201d\u2019"  # a line that ends in one of these ends a unit of sense
PLAIN = 0.12  # a break elsewhere costs as much as this share of the measure left empty on a line …
SHORT = 0.25  # … and after an article, a preposition or a conjunction (a word of three letters or fewer), this


def plan(document, html: str) -> dict:
    """{heading's order among total_fit's blocks: its plan (see
    `total_fit.plan`)} for the headings of more than one line whose lines
    can be made more even."""
    from weasyprint.formatting_structure import boxes

    root = document.pages[0]._page_box.children[0].element
    elements = [element for element in root.iter() if element.tag in total_fit.FITTED]
    blocks = list(total_fit._blocks(html))
    if len(elements) != len(blocks):
        return {}
    order = {element: number for number, element in enumerate(elements)}
    laid: dict = {}

    def walk(box, parent=None):
        if isinstance(box, boxes.LineBox):
            if box.element is not None and box.element.tag in HEADINGS:
                laid.setdefault(box.element, []).append((box, parent))
            return
        for child in getattr(box, "children", ()):
            walk(child, box)

    for page in document.pages:
        walk(page._page_box)
    plans, widths, dictionaries = {}, total_fit._Widths(), {}
    for element, lines in laid.items():
        number = order.get(element)
        if number is None or len(lines) < 2 or len({id(parent) for _, parent in lines}) != 1:
            continue  # one line, or a heading split across pages
        inner = html[blocks[number][1]:blocks[number][2]]
        parent = lines[0][1]
        right = parent.content_box_x() + parent.width
        heading = total_fit._paragraph(number, [line for line, _ in lines], [False] * len(lines),
                                       [right] * len(lines), inner, widths, dictionaries)
        if heading is None:
            continue
        heading.avail = [parent.width] * len(lines)  # centred: each line may take the whole measure
        text = "".join(char for char in total_fit._markup_text(inner) if char not in total_fit._IGNORED)
        breaks = balanced(heading, {j: _demerit(text, heading.positions, j) * parent.width
                                    for j, kind in enumerate(heading.kinds) if kind == "space"})
        if breaks is None or breaks == heading.original:
            continue
        plans[number] = (total_fit._markup_text(inner), [(heading.positions[j], "space") for j in breaks],
                         heading.hyphen, [None] * len(lines), (0, len(breaks)), heading.protected)
    return plans


def _demerit(text: str, positions, break_: int) -> float:
    """What a break after the word before space `break_` costs, as a share of
    the measure: nothing after a unit of sense, more after a short word."""
    end = positions[break_]
    start = positions[break_ - 1] if break_ > 0 else 0
    if text[end - 1:end] and text[end - 1] in SENSE:
        return 0.0
    return SHORT if end - start <= 3 else PLAIN


def balanced(heading: total_fit.Paragraph, demerits: dict):
    """The breaks, at spaces only, that set `heading` in as many lines as its
    `avail` with the least sum of squared room left on each line, the last
    included (so its lines come out as even as they can), plus the squared
    `demerits` of the breaks ({break: length}), or None."""
    lines, ends = len(heading.avail), len(heading.kinds)
    spaces = [j for j, kind in enumerate(heading.kinds) if kind == "space"]
    best = {-1: (0.0, [])}  # the last break taken: (cost, breaks)
    for number in range(lines):
        last = number == lines - 1
        following: dict = {}
        for start, (total, breaks) in best.items():
            for end in ([ends] if last else [j for j in spaces if j > start]):
                natural = heading.line(start, end)[0]
                room = heading.avail[number] - heading.margin - natural
                if room < 0:
                    break
                cost = total + room * room + (0.0 if last else demerits[end] ** 2)
                if end not in following or cost < following[end][0]:
                    following[end] = (cost, breaks + [end])
        best = following
        if not best:
            return None
    found = best.get(ends)
    return found[1][:-1] if found else None

"""Facing pages end on the same line: what LaTeX's \\flushbottom does, after
the layout and before the PDF is written, without another layout.

The body is set on a baseline grid (print.css), so a full page inside a text
ends on the grid's last line. A page ends short when the next block went over
(a heading that does not fit with a line below it at the page's foot). Such a
page is made up here: the shortfall is shared out over the page's vertical
gaps by moving the page's boxes down (WeasyPrint's `Box.translate`), so that
its last baseline stands where a full page's does:

1. whole lines at the gaps between blocks (before and after block quotes,
   lists, datelines, signatures, section breaks, headings): a line each, the
   widest gaps first, then a second line each (`BLOCK_LINES`), so that the
   lines below a gap stay on the grid;
2. what is left, a part of a line, at the same gaps, at most `BLOCK_LIMIT`
   of a line each (white grows only where there is white: paragraphs set
   with an indent get no space between them, which would set a page of the
   spread in another style);
3. what is still left evenly between all the page's lines, at most
   `LINE_LIMIT` of a line each: a typesetter's feathering (an eighth of the
   line, 1.8 pt at a5; the a5 sample's p. 39, three lines short and with no
   block on it, takes 1.47 pt).

A page that cannot be made up within these limits is left as it is, and so
is every page whose shortfall is the book's own: a text's opening and its
last page, a page whose last line is a heading's, a page ending with a
figure or anything else that is not a line of text. A page is never made
longer than the grid's full page.

What the PDF takes from the boxes follows them: text, rules, link
annotations, named destinations and outline entries (the page's anchors and
links are gathered again from its moved boxes), and the tagged PDF's marked
content (drawn from the same boxes when the PDF is written).
"""

from __future__ import annotations

from dataclasses import dataclass

LINE_LIMIT = 0.125  # the most added between two lines, in body lines (1.8 pt of a5's 14.2 pt line)
BLOCK_LINES = 2  # the most whole lines added at a gap between blocks
BLOCK_LIMIT = 0.5  # the most added at a gap between blocks, beyond whole lines, in body lines
TOLERANCE = 0.5  # CSS px: a page this close to the full page is full
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


@dataclass(frozen=True)
class Row:
    """A line of a page's type area (or a block with no lines, such as an image)."""

    box: object
    top: float
    bottom: float
    baseline: float | None  # None: not a line of text
    block: object  # the block the line belongs to
    heading: bool


@dataclass(frozen=True)
class Gap:
    """The space between two rows, where the page can be opened."""

    at: float  # where boxes below are moved from (CSS px from the page's top)
    extra: float  # white beyond the line's own (0 between the lines of a paragraph)
    kind: str  # "block", "paragraph" or "line"


@dataclass(frozen=True)
class Flushed:
    page: int  # page index
    shortfall: float  # CSS px
    lines: int  # whole lines added at gaps between blocks
    per_gap: float  # CSS px added at each gap between blocks, beyond whole lines
    per_line: float  # CSS px added between every two lines


def flush_bottoms(layout, book) -> list[Flushed]:
    """Makes up the short pages inside the texts of a laid-out `book`
    (a pdf.Layout and its pdf.Book), in place; returns what was done."""
    texts = [text for text in book.front] + [text for part in book.parts for text in part.texts]
    anchors = layout.pages.pages
    spans = [(anchors[t.id], anchors[t.end_id]) for t in texts if t.id in anchors and t.end_id in anchors]
    return flush_pages(layout.document, spans)


def flush_pages(document, spans: list[tuple[int, int]]) -> list[Flushed]:
    """`spans` are the (first, last) page indexes of each text: the pages
    strictly between them are the texts' inside pages. A page is made up to
    the full page's last line, or only to its facing page's where that page
    is short too and cannot be made up (the spread then ends on one line)."""
    inside = sorted({index for first, last in spans for index in range(first + 1, last)})
    rows = {index: page_rows(document.pages[index]._page_box) for index in inside}
    endings: dict[float, list[float]] = {}  # the pages' last baselines, to a tenth of a pixel
    for lines in rows.values():
        if lines and lines[-1].baseline is not None:
            endings.setdefault(round(lines[-1].baseline, 1), []).append(lines[-1].baseline)
    if not endings:
        return []
    # where a full page's last line stands: most inside pages are full (the lowest of the commonest)
    full = max(max(endings.values(), key=lambda found: (len(found), max(found))))
    plans = {index: _plan(document.pages[index]._page_box, rows[index], full) for index in inside}
    stuck = {index: _ending(rows[index]) for index, plan in plans.items() if plan is None}
    done = []
    for index in inside:
        plan = plans[index]
        facing = index + 1 if index % 2 else index - 1  # index 0 is page 1, a recto
        if plan is not False and facing in stuck and stuck[facing] is not None:
            plan = _plan(document.pages[index]._page_box, rows[index], min(full, stuck[facing]))
        if not plan:
            continue
        shortfall, flushed, moves = plan
        page = document.pages[index]
        for at, dy in reversed(moves):  # from the foot up: the boxes above a gap have not moved yet
            if dy:
                _move_below(page._page_box, at, dy)
        _gather_again(page)
        done.append(Flushed(index, shortfall, *flushed))
    return done


def _ending(rows: list[Row]) -> float | None:
    """The last baseline of a page, or None when it does not end on a line of text."""
    return rows[-1].baseline if rows and not rows[-1].heading else None


def _plan(page_box, rows: list[Row], target: float):
    """(shortfall, what is done, moves) to bring the page's last line down to
    `target`; False when it is there already, None when it cannot be done."""
    last = _ending(rows)
    if last is None:
        return None if rows else False
    shortfall = target - last
    if shortfall <= TOLERANCE:
        return False
    if rows[-1].bottom + shortfall > _foot(page_box) + TOLERANCE:
        return None
    plan = share_out(gaps(rows), shortfall, _line_height(rows))
    return None if plan is None else (shortfall, *plan)


def page_rows(page_box) -> list[Row]:
    """The rows of a page's type area in the order they are set (margin
    boxes left out)."""
    from weasyprint.formatting_structure import boxes

    found: list[Row] = []

    def visit(box, block, heading: bool) -> None:
        if isinstance(box, boxes.MarginBox):
            return
        if isinstance(box, boxes.LineBox):
            found.append(Row(box, box.position_y, box.position_y + box.height, box.position_y + box.baseline,
                             block, heading))
            return
        children = getattr(box, "children", None)
        if isinstance(box, boxes.BlockLevelBox) and not children and box is not page_box:
            if box.height:  # an image or an empty block with a height
                found.append(Row(box, box.position_y, box.position_y + box.margin_height(), None, block, heading))
            return
        tag = getattr(box, "element_tag", "")
        if isinstance(box, boxes.BlockContainerBox):
            block = box
        for child in children or ():
            visit(child, block, heading or tag in HEADINGS)

    visit(page_box, None, False)
    return found


def gaps(rows: list[Row]) -> list[Gap]:
    """The gaps between a page's rows. Between two lines of one block the
    gap is a "line" gap, between blocks with nothing but the line between
    them a "paragraph" gap, and where there is white a "block" gap; the gap
    below a heading is a line gap (a heading stays with what follows)."""
    found = []
    for above, below in zip(rows, rows[1:]):
        extra = below.top - above.bottom
        if above.heading and not below.heading:
            kind = "line"
        elif extra > TOLERANCE:
            kind = "block"
        elif above.block is not below.block:
            kind = "paragraph"
        else:
            kind = "line"
        found.append(Gap((above.bottom + below.top) / 2, extra, kind))
    return found


def share_out(page_gaps: list[Gap], shortfall: float, line: float):
    """How `shortfall` is shared out over `page_gaps`: ((whole lines, per
    block gap, per line), [(at, added)] for every gap), or None
    when it cannot be done within the limits."""
    if not page_gaps or line <= 0:
        return None
    added = [0.0] * len(page_gaps)
    left = shortfall
    blocks = sorted((i for i, gap in enumerate(page_gaps) if gap.kind == "block"),
                    key=lambda i: (-page_gaps[i].extra, i))  # the widest first: above headings, section breaks
    whole = 0
    for i in blocks * BLOCK_LINES:  # a line to each gap, the widest first, then a second line each
        if left < line - TOLERANCE:
            break
        added[i] += line
        left -= line
        whole += 1
    per_gap = per_line = 0.0
    if left > TOLERANCE:
        between = [i for i, gap in enumerate(page_gaps) if gap.kind == "block"]
        if between:
            per_gap = min(BLOCK_LIMIT * line, left / len(between))
            for i in between:
                added[i] += per_gap
            left -= per_gap * len(between)
        if left > TOLERANCE / 10:
            per_line = left / len(page_gaps)
            if per_line > LINE_LIMIT * line:
                return None
            added = [amount + per_line for amount in added]
    elif blocks:  # whole lines made it up, but for a rounding (either way): at the widest gap
        added[blocks[0]] += left
    return (whole, per_gap, per_line), [(gap.at, amount) for gap, amount in zip(page_gaps, added)]


def _line_height(rows: list[Row]) -> float:
    """The body line: the commonest height of the page's lines (print.css sets
    every line of a text to one body line)."""
    heights: dict[float, int] = {}
    for row in rows:
        if row.baseline is not None:
            height = round(row.bottom - row.top, 2)
            heights[height] = heights.get(height, 0) + 1
    return max(heights, key=heights.get) if heights else 0.0


def _foot(page_box) -> float:
    return page_box.content_box_y() + page_box.height


def _move_below(box, at: float, dy: float) -> None:
    """Moves down by `dy` every box of the type area that begins below `at`;
    the blocks that `at` crosses grow by `dy`. The page box and its margin
    boxes (running heads, folios) stay where they are."""
    from weasyprint.formatting_structure import boxes

    for child in box.children:
        if isinstance(child, boxes.MarginBox):
            continue
        if child.position_y >= at:
            child.translate(0, dy)
        elif child.position_y + child.margin_height() > at and isinstance(child, boxes.ParentBox) \
                and not isinstance(child, boxes.LineBox):
            _move_below(child, at, dy)
            child.height += dy


def _gather_again(page) -> None:
    """The page's anchors, links and bookmarks, from its moved boxes."""
    from weasyprint.anchors import gather_anchors

    page.anchors.clear()
    page.links.clear()
    page.bookmarks.clear()
    page.forms = {None: []}
    gather_anchors(page._page_box, page.anchors, page.links, page.bookmarks, page.forms)

"""Line breaks chosen over whole paragraphs (Knuth and Plass's total fit).

WeasyPrint breaks lines greedily, one at a time: a long word that does not
fit leaves a loose line, and hyphens pile up. A typesetter chooses the
breaks of a paragraph together. This module does so, builder-side, between
the first layout of the book and the second:

1. `measure(document, html)` reads the first layout. For each justified
   paragraph of the `FITTED` tags it takes the text from the markup (the
   truth: spaces, soft hyphens), the style of every character from the text
   boxes it was set in, and the width each line had. The pieces between
   break opportunities (spaces, the hyphenation points WeasyPrint would use:
   soft hyphens, else pyphen with the paragraph's language and limits, in
   each word Pango finds in a box's text; the breaks Pango allows after a
   compound's hyphen or around a dash) are measured with Pango in their own
   style, as WeasyPrint measures them. A paragraph whose lines the measure
   does not reproduce within `TOLERANCE` is planned with that much more room
   on each line, up to `ROUGH`; past it, it is left alone.
2. `choose(paragraph)` picks the breaks by dynamic programming: the least
   sum of costs, a line costing more the more its word spaces stretch or
   shrink, plus a demerit per hyphen, more for two in a row and for one on
   the last line of a verso; three in a row, and a hyphen before a page
   turn (the last line of a recto), are not allowed. The paragraph keeps
   **the number of lines the first layout gave it**, so every page of the
   book, and the page facts taken from it, hold. A paragraph whose loosest
   line is under `LOOSE` (and no hyphen fault) is left as it is. A line may
   be set within a compositor's justification limits (`settings`): closed
   up when a little too long (its word spaces narrowed, then its letters
   drawn together, `CLOSINGS`), or its letters spaced out a little when
   loose (`OPENINGS`), where that evens the paragraph.
3. `apply(html, plans)` makes WeasyPrint's greedy breaker find exactly those
   breaks: the lines from the first one changed to the one after the last
   are wrapped in `white-space: nowrap` spans (split at tags, so the markup
   stays nested) carrying the line's spacing, so a line can break only
   between them, where the plan breaks; the lines before and after break as
   in the first layout. A word broken at a chosen point gets the
   paragraph's hyphen there, at the end of its line's span, with a
   zero-width space after it (a break opportunity Pango draws nothing for),
   and the paragraph's soft hyphens in those lines go; a word so broken
   inside an element (an index mark, an italic title: `SPLIT`) ends it there
   and opens it again on the next line. The text layer holds what
   WeasyPrint writes at a break of its own ("-"), so search finds the word
   whole. A space before a tag inside a line is moved after it: WeasyPrint
   may break after an inline box that ends in a space, nowrap or not. On a
   letter-spaced line, the letters that would lose their ligatures
   (`PROTECTED`) are set in spans not spaced.
4. `misses(document, html, plans)` counts, after the second layout, the
   planned paragraphs whose lines did not come out as planned.

A page's last line keeps its end where moving it would move an anchor (an
index mark, a note mark) to the other page, and every paragraph keeps its
line count: the page facts taken from the first layout hold.
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass, field


FITTED = ("p", "li", "h1", "h2", "h3")  # the blocks whose lines are chosen (justified: here; headings: balance.py)
_START_TAG = re.compile(r"<(%s)(?=[\s>/])" % "|".join(FITTED))
_TOKEN = re.compile(r"<[^>]*>|&#?\w+;|[^<&]|&", re.S)
_IGNORED = " \t\r\n\u00ad\u2010"  # not counted: white space, soft hyphens, the hyphen added at a break
_VOID = {"br", "wbr", "img", "hr", "input", "meta", "link", "area", "base", "col", "embed", "source", "track"}
LOOSE = 1.9  # a paragraph with a line whose word spaces stretch this many normal spaces or more is re-broken
OVERFLOW = 0.1  # CSS px: a planned line whose text goes past the measure by more is not as planned
TOLERANCE = 0.35  # CSS px: how close the measure must come to the width of every line of the first layout
MARGIN = 0.25  # CSS px: a planned line leaves at least this much room, against the measure's error
# A paragraph that the measure reproduces less closely, up to this (CSS px: a kerning pair across two boxes, a
# space that hangs), is planned with its lines leaving that much more room.
ROUGH = 1.5
HYPHEN = 120.0  # the demerit of a hyphenated line (a line of 1.5x costs 125)
HYPHENS = 600.0  # more for the second of two in a row
# How a line may be set other than with its normal spaces, within a compositor's justification limits
# (InDesign's letter spacing of a few per cent of a space, microtype's tracking): (word spacing, letter spacing,
# demerit), in em of the paragraph's type. A line a little too long for the measure may be closed up: its word
# spaces narrowed, to about 0.7 of the normal space at most (TeX's limit is 2/3), then its letters drawn
# together by up to 1/100 em. A loose line may have its letters spaced out by up to 1/100 em, so that its word
# spaces stretch less. Letters so spaced keep their ligatures (see `PROTECTED`), and the line its right edge
# (drawing.py; the spacing after its last letter, 1/100 em at most, falls past its last glyph).
CLOSINGS = ((-0.03, 0.0, 0.0), (-0.06, 0.0, 0.0), (-0.06, -0.005, 30.0), (-0.06, -0.01, 100.0))
OPENINGS = ((0.0, 0.005, 150.0), (0.0, 0.01, 400.0))
TIGHT = 10.0  # a closed-up line costs (TIGHT * (1 - ratio)) ** 3, as a loose line of the same step
# Letter-spacing turns off Pango's ligatures and the font's contextual forms: the letters that have them (found
# by shaping every pair of letters of the book's type with and without letter-spacing) are kept in a span of
# their own, not spaced. (Not a line's last letter: its span would cost the kerning pair before it.)
PROTECTED = re.compile(r"ff?[bfhijklt]|Qy|\u017f\u017f?t")
PROTECTED_ITALIC = re.compile(r"[aeiu]s|g[gjy]")  # and in the italic, these too
TURN = 1000.0  # the demerit of a hyphen on the last line of a verso (on a recto's, across a page turn: none)
SLACK = 3  # breaks past the first layout's that a line may reach (hyphens it did not take)
NOWRAP = "white-space:nowrap"
# The inline elements a planned break inside a word may split: closed after the hyphen and opened again (without
# their id) on the next line, so that the break falls between two boxes, where WeasyPrint finds it. Not a link
# (two links for one reference), nor an element whose box draws (quotation marks, a border).
SPLIT = {"span", "em", "i", "b", "strong", "cite", "small", "dfn", "var"}
UNSPACED = "letter-spacing:0"
# After a hyphen put in at a break: a break opportunity whatever follows (Pango does not break after a hyphen
# that starts a text, as the next span's box is to it). Pango draws no glyph for it: the text layer holds none.
ZWSP = "\u200b"
_SPACE_CHARS = " \t\r\n"
LEAD = object()  # the style of the characters before a paragraph's text proper (a note's number)
_BIG = 1e9


@dataclass
class Paragraph:
    """A justified paragraph as pieces between break opportunities.

    `widths[i]` is the natural width of piece i, `fixed[i]` its number of
    no-break spaces (WeasyPrint stretches those too). Break j lies between
    piece j and piece j + 1: its `kinds[j]` ("space", "hyphen" for a
    hyphenation point, "explicit" after a compound's hyphen), its width
    when not taken (`glue[j]`, a space's), its width when taken
    (`tail[j]`, the hyphen WeasyPrint adds) and `positions[j]`, the number
    of counted characters before it (see `_count`)."""

    number: int  # the paragraph's order among the FITTED blocks
    widths: list = field(default_factory=list)
    fixed: list = field(default_factory=list)
    kinds: list = field(default_factory=list)
    glue: list = field(default_factory=list)
    tail: list = field(default_factory=list)
    positions: list = field(default_factory=list)
    avail: list = field(default_factory=list)  # per line of the first layout: the width it may fill
    last_on_page: list = field(default_factory=list)  # per line: it ends a page (no anchor may cross it)
    turns: list = field(default_factory=list)  # per line: it ends a recto, before a page turn (no hyphen there)
    original: list = field(default_factory=list)  # the breaks the first layout took
    error: float = 0.0  # the largest difference between the measure and the first layout, pt

    def prepare(self) -> None:
        """Prefix sums, so that `line` takes constant time."""
        self._widths, self._glue, self._spaces, self._fixed = [0.0], [0.0], [0.0], [0]
        self._gaps = [0]
        for width, fixed in zip(self.widths, self.fixed):
            self._widths.append(self._widths[-1] + width)
            self._fixed.append(self._fixed[-1] + fixed)
        for glue, kind in zip(self.glue, self.kinds):
            self._glue.append(self._glue[-1] + glue)
            self._spaces.append(self._spaces[-1] + (glue if kind == "space" else 0.0))
            self._gaps.append(self._gaps[-1] + (kind == "space"))
        self._moved = [0.0]
        for moved in self.moved or [0.0] * len(self.kinds):
            self._moved.append(self._moved[-1] + moved)
        self._free = [0]
        for protected in self.protected:
            self._free.append(self._free[-1] + (not protected))

    def moves_anchor(self, number: int, end: int) -> bool:
        """Whether ending line `number` at break `end` puts an anchor (an
        element with an id: an index mark, a note mark) on another line than
        the first layout did."""
        before, after = sorted((self.positions[end], self.positions[self.original[number]]))
        return any(before <= anchor < after for anchor in self.anchors)

    def gaps(self, start: int, end: int) -> int:
        """The word spaces of a line, no-break ones included."""
        first = start + 1
        return self._gaps[end] - self._gaps[first] + self._fixed[end + 1] - self._fixed[first]

    @property
    def margin(self) -> float:
        """The room a planned line leaves, against the measure's error."""
        return MARGIN if self.error <= TOLERANCE else MARGIN + self.error

    def letters(self, start: int, end: int) -> int:
        """The characters of a line that letter-spacing spaces out: its
        spaces and its letters but those `PROTECTED`."""
        first = self.positions[start] if start >= 0 else 0
        last = self.positions[end] if end < len(self.kinds) else len(self.protected)
        return self._free[last] - self._free[first] + self.gaps(start, end)

    def line(self, start: int, end: int, as_laid: bool = False):
        """(natural width, stretchable width) of the line from after break
        `start` (-1: the paragraph's start) to break `end` (len(kinds): its
        end), as it will be set (see `moved`), or `as_laid` out the first time."""
        first = start + 1
        width = self._widths[end + 1] - self._widths[first] + self._glue[end] - self._glue[first]
        if not as_laid:
            width += self._moved[end] - self._moved[first]
        spaces = self._spaces[end] - self._spaces[first] + (self._fixed[end + 1] - self._fixed[first]) * self.space
        if end < len(self.kinds):
            width += self.tail[end]
        return width, spaces

    space: float = 0.0  # a normal space of the paragraph's type, for no-break spaces
    hyphen: str = "-"  # the paragraph's hyphenate-character
    closable: bool = False  # its lines may be closed up or opened (none of its runs spaced out already)
    em: float = 0.0  # its type size
    anchors: list = field(default_factory=list)  # counted positions of the elements with an id in it
    protected: list = field(default_factory=list)  # per counted character: kept from letter-spacing
    # per break: what its space gains when set (`enforce` moves a space before a tag past it, into the next
    # element's type: the space before an italic title is an italic one)
    moved: list = field(default_factory=list)


def cost(natural: float, spaces: float, avail: float, last: bool, margin: float = MARGIN) -> float:
    """The cost of a line: _BIG when it does not fit (or has nothing to
    stretch and is short), else rising with the cube of the stretch."""
    if natural > avail - margin:
        return _BIG
    if last:
        return 0.0
    if spaces <= 0:
        return _BIG if avail - natural > 1 else 0.0
    ratio = 1 + (avail - natural) / spaces
    return (10 * (ratio - 1)) ** 3


def ratio_of(paragraph: Paragraph, start: int, end: int, number: int, as_laid: bool = False) -> float:
    """A line's word space over the normal space, once justified (a line's
    own word spacing changes what fits on it, not how wide its spaces end)."""
    natural, spaces = paragraph.line(start, end, as_laid)
    if spaces <= 0:
        return 1.0
    return 1 + (paragraph.avail[number] - natural) / spaces


def ratios(paragraph: Paragraph, breaks, as_laid: bool = False) -> list[float]:
    """The word-space ratio of each line but the last, for `breaks`."""
    bounds = [-1, *breaks]
    return [ratio_of(paragraph, bounds[k], bounds[k + 1], k, as_laid) for k in range(len(breaks))]


def settings(paragraph: Paragraph, start: int, end: int, avail: float) -> list:
    """[(cost, (word spacing, letter spacing) in px or None)] of the ways the
    line from break `start` to break `end` (not the paragraph's last) may be
    set: as it is, if it fits; if it does not, closed up as little as will do
    (`CLOSINGS`); if it fits loosely, opened up too (`OPENINGS`)."""
    natural, spaces = paragraph.line(start, end)
    found = []
    margin = paragraph.margin
    if natural <= avail - margin:
        found.append((cost(natural, spaces, avail, False, margin), None))
    if not paragraph.closable or spaces <= 0:
        return found
    em, gaps, letters = paragraph.em, paragraph.gaps(start, end), paragraph.letters(start, end)
    ratio = 1 + (avail - natural) / spaces
    if found:
        for word, letter, demerit in OPENINGS:
            wider = natural + letter * em * letters
            if wider <= avail - margin:
                opened = 1 + (avail - wider) / spaces + (letter * em / paragraph.space if paragraph.space else 0.0)
                found.append(((10 * (opened - 1)) ** 3 + demerit, (word * em, letter * em)))
        return found
    for word, letter, demerit in CLOSINGS:
        if natural + word * em * gaps + letter * em * letters <= avail - margin:
            found.append(((TIGHT * (1 - ratio)) ** 3 + demerit, (word * em, letter * em)))
            break
    return found


def choose(paragraph: Paragraph):
    """(breaks, each line's spacing: see `settings`) of the least total cost
    with as many lines as the first layout, or None when none fits."""
    lines = len(paragraph.avail)
    ends = len(paragraph.kinds)  # the paragraph's end, as a break index
    hyphenated = [kind != "space" for kind in paragraph.kinds]
    allowed = [kind != "nested" for kind in paragraph.kinds]
    closings = CLOSINGS if paragraph.closable else ()
    margin = paragraph.margin
    # The k-th break can lie no later than the first layout's (which filled each line; a few breaks of slack
    # for the hyphens it did not take) nor earlier than where the lines after it can still hold the rest.
    upper = [min(ends - 1, j + SLACK) for j in paragraph.original]
    lower, position = [0] * (lines - 1), ends
    for number in range(lines - 1, 0, -1):
        start = position - 1
        while start - 1 >= -1 and paragraph.line(start - 1, position)[0] <= paragraph.avail[number] - margin:
            start -= 1
        lower[number - 1] = position = max(start, 0)
    # best[(break, lines so far, hyphens in a row)] = (cost, previous state, spacing of the line)
    best = {(-1, 0, 0): (0.0, None, None)}
    frontier = [(-1, 0, 0)]
    for number in range(lines):
        last = number == lines - 1
        avail = paragraph.avail[number]
        following = {}
        for state in frontier:
            start, _, run = state
            base = best[state][0]
            candidates = [ends] if last else range(max(start + 1, lower[number]), upper[number] + 1)
            for end in candidates:
                natural, _ = paragraph.line(start, end)
                tightest = min((word * paragraph.gaps(start, end) + letter * paragraph.letters(start, end)
                                for word, letter, _ in closings), default=0.0) * paragraph.em
                if natural + (0 if last else tightest) > avail - margin:
                    break  # longer lines only get longer
                if last:
                    options = [(0.0, None)]
                elif number == lines - 2 and paragraph.line(start, ends)[0] <= avail + margin:
                    continue  # the last line would fit on this one: WeasyPrint would set it there
                else:
                    options = settings(paragraph, start, end, avail)
                    if not options:
                        continue
                line_cost, spacing = min(options, key=lambda option: option[0])
                if not last and paragraph.last_on_page[number] and paragraph.moves_anchor(number, end):
                    continue  # an anchor would change its page: the page facts taken from the layout would not hold
                new_run = 0
                if not last and hyphenated[end]:
                    if run >= 2 or paragraph.turns[number] or not allowed[end]:
                        continue
                    new_run = run + 1
                    line_cost += HYPHEN + (HYPHENS if run else 0) + (TURN if paragraph.last_on_page[number] else 0)
                key = (end, number + 1, new_run)
                total = base + line_cost
                if key not in following or total < following[key][0]:
                    following[key] = (total, state, spacing)
        best.update(following)
        frontier = list(following)
        if not frontier:
            return None
    finals = [state for state in frontier if state[0] == ends]
    if not finals:
        return None
    state = min(finals, key=lambda s: best[s][0])
    breaks, spacing = [], []
    while state is not None and state[0] != -1:
        breaks.append(state[0])
        spacing.append(best[state][2])
        state = best[state][1]
    return breaks[::-1][:-1], spacing[::-1]  # the paragraph's end is not a break


def total_cost(paragraph: Paragraph, breaks, spacing=None) -> float:
    """What `choose` minimises, for any breaks (the first layout's among them) and spacing."""
    total, run = 0.0, 0
    bounds = [-1, *breaks]
    for number, ratio in enumerate(ratios(paragraph, breaks)):
        setting = spacing[number] if spacing else None
        costs = {found: value for value, found in settings(paragraph, bounds[number], bounds[number + 1],
                                                             paragraph.avail[number])}
        if setting in costs:
            total += costs[setting]
        else:
            total += (10 * (ratio - 1)) ** 3 if ratio >= 1 else (TIGHT * (1 - ratio)) ** 3
        if paragraph.kinds[breaks[number]] != "space":
            total += HYPHEN + (HYPHENS if run else 0) + (_BIG if run >= 2 or paragraph.turns[number] else 0)
            total += TURN if paragraph.last_on_page[number] else 0
            run += 1
        else:
            run = 0
    return total


# --- measuring the first layout -------------------------------------------------------------


def _count(text: str) -> int:
    """The characters that count for finding a place in a paragraph's markup
    again: neither white space nor soft hyphens nor the hyphen WeasyPrint adds."""
    return sum(1 for char in text if char not in _IGNORED)


def _blocks(html: str):
    """(start of the start tag, end of the start tag, start of the end tag) of every `FITTED` block, in order."""
    for match in _START_TAG.finditer(html):
        tag = match.group(1)
        opened = html.index(">", match.end()) + 1
        depth, position = 1, opened
        pattern = re.compile(r"<(/?)%s(?=[\s>/])" % tag)
        while depth:
            found = pattern.search(html, position)
            if not found:
                break
            depth += -1 if found.group(1) else 1
            position = found.end()
        closed = found.start() if found else len(html)
        yield match.start(), opened, closed


class _Spaces:
    """The width of a normal word space, per font and size, measured by Pango as WeasyPrint does."""

    def __init__(self):
        self.widths = {}

    def __call__(self, style) -> float:
        from weasyprint.text.line_break import create_layout, line_size

        key = _Widths.key(style)
        if key not in self.widths:
            def width(text):
                layout = create_layout(text, style, None, None, 0)  # kept alive while its line is read
                line, _ = layout.get_first_line()
                return line_size(line, style)[0]

            self.widths[key] = width("x x") - width("xx") - _word_spacing(style)
        return self.widths[key]


class _Widths:
    """Natural widths of text in a style, measured by Pango as WeasyPrint does, cached."""

    def __init__(self):
        self.cache = {}
        self.spaces = _Spaces()

    @staticmethod
    def key(style):
        return (tuple(style["font_family"]), style["font_size"], style["font_style"], style["font_weight"],
                style["font_stretch"], style["font_variant_caps"], str(style["lang"]), str(style["letter_spacing"]),
                style["word_spacing"], str(style["font_variant_numeric"]), str(style["font_feature_settings"]),
                str(style["font_variant_ligatures"]), str(style["font_kerning"]), str(style["font_variant_position"]))

    def __call__(self, text: str, style) -> float:
        from weasyprint.text.line_break import create_layout, line_size

        if not text:
            return 0.0
        key = (text, self.key(style))
        if key not in self.cache:
            layout = create_layout(text, style, None, None, 0)
            line, _ = layout.get_first_line()
            self.cache[key] = line_size(line, style)[0]
        return self.cache[key]


def _markup_text(inner: str) -> str:
    return "".join(htmllib.unescape(token) for token in _TOKEN.findall(inner)
                   if not (token.startswith("<") and len(token) > 1))


_HY = re.compile(r'<span class="hy">')  # a manifest word's span: only `hyphens: manual`, dropped where planned


def _anchors(inner: str) -> list[int]:
    """The counted positions at which elements with an id start."""
    found, count = [], 0
    for token in _TOKEN.findall(inner):
        if token.startswith("<") and len(token) > 1:
            if not token.startswith("</") and re.search(r"\sid=", token):
                found.append(count)
        else:
            count += htmllib.unescape(token) not in _IGNORED
    return found


def _spaces_before_tags(inner: str) -> set[int]:
    """The places in the markup's text of the spaces that a tag follows
    (not a manifest word's span): `enforce` moves them past it."""
    found, position = set(), 0
    tokens = _TOKEN.findall(inner)
    for index, token in enumerate(tokens):
        if token.startswith("<") and len(token) > 1:
            continue
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if htmllib.unescape(token) in _SPACE_CHARS and following.startswith("<") and len(following) > 1 \
                and not _HY.fullmatch(following):
            found.add(position)
        position += 1
    return found


def _nesting(inner: str) -> list[int]:
    """For each character of the markup's text, how many elements it stands
    in that a break cannot split (see `SPLIT`; a manifest word's span is
    dropped where the breaks are ours)."""
    depths, stack = [], []
    for token in _TOKEN.findall(inner):
        if token.startswith("<") and len(token) > 1:
            name = re.match(r"</?([\w-]*)", token).group(1).lower()
            if token.startswith("</"):
                if stack:
                    stack.pop()
            elif name not in _VOID and not token.endswith("/>"):
                stack.append(0 if _HY.fullmatch(token) or name in SPLIT else 1)
            continue
        depths.append(sum(stack))
    return depths


def _leaves(line):
    """The line's leaves in order (text boxes, atomic boxes), each with the
    widths of the inline boxes' edges (margin, border, padding) opened just
    before it and closed just after it."""
    from weasyprint.formatting_structure import boxes

    found = []  # [leaf, before, after]
    pending = [0.0]

    def walk(box):
        if isinstance(box, boxes.TextBox) or not isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            found.append([box, pending[0], 0.0])
            pending[0] = 0.0
            return
        inline = isinstance(box, boxes.InlineBox)
        if inline:
            pending[0] += box.margin_left + box.border_left_width + box.padding_left
        for child in box.children:
            walk(child)
        if inline:
            right = box.margin_right + box.border_right_width + box.padding_right
            if found:
                found[-1][2] += right
            else:
                pending[0] += right

    walk(line)
    return found


def _hyphen_points(word: str, style, dictionaries) -> list[int]:
    """Where WeasyPrint's automatic hyphenation may break `word` (offsets):
    in each of the words Pango finds in it (both parts of a compound, a
    name with an apostrophe whole) long enough to be hyphenated."""
    import pyphen
    from weasyprint.text.line_break import get_next_word_boundaries

    if style["hyphens"] != "auto" or not style["lang"]:
        return []
    lang = pyphen.language_fallback(style["lang"])
    if not lang:
        return []
    total, left, right = style["hyphenate_limit_chars"]
    key = (lang, left, right)
    if key not in dictionaries:
        dictionaries[key] = pyphen.Pyphen(lang=lang, left=left, right=right)
    points, offset, rest = [], 0, word
    while (bounds := get_next_word_boundaries(rest, style["lang"])) is not None:
        start, stop = bounds
        if stop <= 0:
            break
        part = rest[start:stop]
        if stop - start >= total and not any(char.isdigit() for char in part):
            points += [offset + start + point for point in dictionaries[key].positions(part)]
        offset, rest = offset + stop, rest[stop:]
    return points


def _break_opportunities(word: str, style) -> set[int]:
    """Where Pango may break a line inside `word` (no white space in it), as offsets."""
    from weasyprint.text.line_break import get_log_attrs

    if len(word) < 2:
        return set()
    attrs = get_log_attrs(word, style["lang"] if style is not LEAD else None)
    return {index for index in range(1, len(word)) if attrs[index].is_line_break}


def _paragraph(number: int, lines, pages, rights, inner: str, widths: _Widths,
               dictionaries, planned: bool = False) -> Paragraph | None:
    """The paragraph's pieces and breaks, or None when it cannot be measured
    faithfully (an inline block, generated text inside it, a mismatch)."""
    from weasyprint.formatting_structure import boxes

    text = _markup_text(inner)
    depths = _nesting(inner)
    before_tags = _spaces_before_tags(inner)
    styles: list = [None] * len(text)
    line_of: list = [None] * len(text)
    extra = [0.0] * len(text)  # the edges of inline boxes (a note mark's padding) at a character
    position = 0  # in text
    lead = 0.0  # width of generated text at the paragraph's start (a note's number)
    avail, natural = [], []
    for index, line in enumerate(lines):
        edged = _leaves(line)
        edges = {id(leaf): (before, after) for leaf, before, after in edged}
        leaves = [leaf for leaf, _, _ in edged]
        if not leaves:
            return None
        left = leaves[0].position_x
        avail.append(rights[index] - left)  # (a last line's line box is only as wide as its text)
        content = max(leaf.position_x + leaf.margin_width() for leaf in leaves) - left
        spacing, expandable = 0.0, 0
        if index == 0:  # generated text and an inline block (a note's number) before the text: its lead
            while leaves and (isinstance(leaf := leaves[0], boxes.InlineBlockBox) or "::" in leaf.element_tag):
                if isinstance(leaf, boxes.InlineBlockBox):
                    for char in "".join(box.text for box in leaf.descendants() if isinstance(box, boxes.TextBox)):
                        while position < len(text) and text[position] in _IGNORED:
                            position += 1
                        if char in _IGNORED:
                            continue
                        if position >= len(text) or text[position] != char:
                            return None
                        styles[position], line_of[position] = LEAD, 0
                        position += 1
                leaves = leaves[1:]
            while leaves and isinstance(leaves[0], boxes.TextBox) and not leaves[0].text.strip():
                leaves = leaves[1:]  # white space after the lead is in it
            if not leaves:
                return None
            lead = leaves[0].position_x - left
            if leaves[0].text[:1] == " ":  # white space at the text's start is in the lead too
                lead += widths.spaces(leaves[0].style) + _word_spacing(leaves[0].style)
        for leaf in leaves:
            if not isinstance(leaf, boxes.TextBox) or "::" in leaf.element_tag:
                return None  # an image, an inline block, generated text inside the paragraph: not measured
            box_text = leaf.text
            if leaf.justification_spacing:
                spacing = leaf.justification_spacing
                expandable += box_text.count(" ") + box_text.count("\xa0")
            first = None
            for char in box_text:
                if char in _IGNORED:  # a space or soft hyphen: the markup's, with this box's style
                    if position < len(text) and text[position] in _IGNORED and (char == "\xad") == (
                            text[position] == "\xad"):
                        styles[position], line_of[position] = leaf.style, index
                        position += 1
                        while char != "\xad" and position < len(text) and text[position] in _SPACE_CHARS:
                            position += 1
                    continue
                while position < len(text) and text[position] in _IGNORED:
                    position += 1
                if position < len(text) and text[position] == char:
                    styles[position], line_of[position] = leaf.style, index
                    first = position if first is None else first
                    last_char = position
                    position += 1
                elif char == leaf.style["hyphenate_character"][:1] and leaf is leaves[-1]:
                    continue  # the hyphen WeasyPrint adds at a break
                else:
                    return None
            before, after = edges[id(leaf)]
            if first is not None:
                extra[first] += before
                extra[last_char] += after
            elif before or after:
                return None
        natural.append(content - spacing * expandable)
    if any(char not in _IGNORED for char in text[position:]):
        return None
    # uncounted characters take the style and line of the character before (or after)
    known = None
    for index in range(len(text)):
        if styles[index] is not None:
            known = index
        elif known is not None:
            styles[index], line_of[index] = styles[known], line_of[known]
    known = None
    for index in range(len(text) - 1, -1, -1):
        if styles[index] is not None:
            known = index
        elif known is not None:
            styles[index], line_of[index] = styles[known], line_of[known]
    if any(style is None for style in styles):
        return None
    if not planned and any(style is not LEAD and style["white_space"] not in ("normal", "pre-line")
                           for style in styles):
        return None  # a nowrap or preformatted run: its breaks are not ours to choose

    paragraph = Paragraph(number, avail=avail, last_on_page=pages, anchors=_anchors(inner))
    paragraph.space = widths.spaces(next(style for style in styles if style is not LEAD))
    own = [style for style in styles if style is not LEAD]
    paragraph.hyphen = own[0]["hyphenate_character"]
    sizes = [style["font_size"] for style in own]
    paragraph.em = max(set(sizes), key=sizes.count)  # the paragraph's type (a note mark's is smaller)
    paragraph.closable = all(style["letter_spacing"] == "normal" and not style["word_spacing"] for style in own)
    paragraph.protected = _protected(text, styles)
    piece: list = []  # [(char, style, line)]
    counted = 0
    spans = []  # (line of the first character, line of the last) of each piece

    word_widths: list = []  # the width of the last piece of the word being read, when measured as a part

    def end_piece(width=None):
        if width is None:
            width = word_widths.pop() if word_widths else _width(piece, widths)
        paragraph.widths.append(width)
        paragraph.fixed.append(sum(1 for char, *_ in piece if char == "\xa0"))
        spans.append((piece[0][2], piece[-1][2]) if piece else (None, None))
        piece.clear()

    def close(kind, glue, tail, width=None):
        end_piece(width)
        paragraph.kinds.append(kind)
        paragraph.glue.append(glue)
        paragraph.tail.append(tail)
        paragraph.positions.append(counted)
        paragraph.moved.append(0.0)

    words = re.finditer(r"[^ \t\r\n]+|[ \t\r\n]+", text)
    start_piece = True
    for match in words:
        chunk = match.group(0)
        at = match.start()
        if chunk[0] in _SPACE_CHARS:
            if start_piece or match.end() == len(text):
                continue  # white space at the paragraph's start or end
            style = styles[at]
            glue = widths.spaces(style) + _word_spacing(style)
            close("space", glue, 0.0)
            if match.end() - 1 in before_tags and styles[match.end()] is not LEAD:
                after = styles[match.end()]
                paragraph.moved[-1] = widths.spaces(after) + _word_spacing(after) - glue
            continue
        if all(styles[at + i] is LEAD for i in range(len(chunk))):
            counted += _count(chunk)  # the lead (a note's number): measured with the first layout's position
            continue
        start_piece = False
        soft = [i for i, char in enumerate(chunk) if char == "\xad"]
        word = chunk.replace("\xad", "")
        points = set()
        if soft:
            offset = 0
            for i in soft:
                points.add(i - offset)
                offset += 1
        else:
            # WeasyPrint hyphenates the text of one box at a time: the runs of the word in one style
            kept = [styles[at + i] for i, char in enumerate(chunk) if char != "\xad"]
            run = 0
            for index in range(1, len(word) + 1):
                if index == len(word) or kept[index] is not kept[run]:
                    if kept[run] is not LEAD:
                        points.update(run + point for point in _hyphen_points(word[run:index], kept[run],
                                                                               dictionaries))
                    run = index
        explicit = _break_opportunities(word, styles[at])  # after a compound's hyphen, around a dash
        # characters of the word with their styles (soft hyphens left out)
        chars = [(char, styles[at + i], line_of[at + i], extra[at + i]) for i, char in enumerate(chunk)
                 if char != "\xad"]
        nested = [depths[at + i] for i, char in enumerate(chunk) if char != "\xad"]
        cuts = sorted(i for i in explicit | points if 0 < i < len(chars))
        done = 0.0  # the width of the word up to the last cut: its pieces are measured as parts of the whole
        previous = 0  # (ligatures, kerning)
        for cut in cuts:
            piece.extend(chars[previous:cut])
            counted += sum(1 for char, *_ in chars[previous:cut] if char not in _IGNORED)
            whole = _width(chars[:cut], widths)
            kind = "explicit" if cut in explicit else "hyphen"
            tail = 0.0 if kind == "explicit" else widths(chars[cut - 1][1]["hyphenate_character"], chars[cut - 1][1])
            if nested[cut - 1] or nested[cut]:
                kind = "nested"  # in a link, say: WeasyPrint does not break between the boxes of an inline
                # element at the end of a line; only a break the first layout made there is known to hold
            close(kind, 0.0, tail, whole - done)
            done, previous = whole, cut
        piece.extend(chars[previous:])
        counted += sum(1 for char, *_ in chars[previous:] if char not in _IGNORED)
        word_widths.append(_width(chars, widths) - done)
    end_piece()
    if not paragraph.kinds or any(first is None for first, _ in spans):
        return None
    paragraph.widths[0] += lead
    # the first layout's breaks: where a piece starts on another line than the one before ends
    paragraph.original = [j for j in range(len(paragraph.kinds)) if spans[j + 1][0] != spans[j][1]]
    if len(paragraph.original) != len(lines) - 1:
        return None
    paragraph.prepare()
    bounds = [-1, *paragraph.original, len(paragraph.kinds)]
    errors = [abs(paragraph.line(bounds[k], bounds[k + 1], as_laid=True)[0] - natural[k]) for k in range(len(lines))]
    paragraph.error = max(errors)
    if paragraph.error > ROUGH:
        return None
    return paragraph


def _protected(text: str, styles) -> list[bool]:
    """Per counted character of a paragraph's text: whether it is kept from
    letter-spacing (`PROTECTED`, and the lead: a note's number)."""
    kept = [style is LEAD for style in styles]
    plain = [index for index, char in enumerate(text) if char != "\xad"]
    joined = "".join(text[index] for index in plain)
    italic = [style not in (None, LEAD) and style["font_style"] != "normal" for style in styles]
    for pattern in (PROTECTED, PROTECTED_ITALIC):
        for match in pattern.finditer(joined):
            spanned = plain[match.start():match.end()]
            if pattern is PROTECTED or all(italic[index] for index in spanned):
                for index in spanned:
                    kept[index] = True
    return [kept[index] for index, char in enumerate(text) if char not in _IGNORED]


def _word_spacing(style) -> float:
    letter = 0 if style["letter_spacing"] == "normal" else style["letter_spacing"]
    return letter + style["word_spacing"]


def _width(piece, widths: _Widths) -> float:
    """The width of a run of (char, style): each style's stretch measured whole."""
    total, run, style = 0.0, [], None
    for char, char_style, _, edge in piece:
        if char_style is LEAD:
            continue
        total += edge
        if run and char_style is not style:
            total += widths("".join(run), style)
            run = []
        run.append(char)
        style = char_style
    if run:
        total += widths("".join(run), style)
    return total


def measure(document, html: str, widths: _Widths | None = None, planned: bool = False,
            faulty: bool = False) -> list:
    """The justified paragraphs of a laid-out book that can be measured, each
    with its lines' word-space ratios as the layout set them:
    [(Paragraph, [ratio …]) …]. `planned`: measure the paragraphs set in
    nowrap spans too (a layout with the plans applied); `faulty`: only
    those that look loose or hyphenated amiss at a glance (see `_faulty`)."""
    from weasyprint.formatting_structure import boxes

    widths = widths or _Widths()
    root = document.pages[0]._page_box.children[0].element
    elements = [element for element in root.iter() if element.tag in FITTED]
    blocks = list(_blocks(html))
    if len(elements) != len(blocks):
        return []
    order = {element: number for number, element in enumerate(elements)}
    laid: dict = {}

    def walk(box, page_lines, parent=None):
        if isinstance(box, boxes.LineBox):
            if box.element is not None and box.element.tag in FITTED and box.style["text_align_all"] == "justify" \
                    and not _marker_only(box):
                page_lines.append((box, parent.content_box_x() + parent.width))
            return
        for child in getattr(box, "children", ()):
            walk(child, page_lines, box)

    for number, page in enumerate(document.pages):
        page_lines: list = []
        walk(page._page_box, page_lines)
        for index, (line, right) in enumerate(page_lines):
            foot = index == len(page_lines) - 1
            laid.setdefault(line.element, []).append((line, foot, right, foot and number % 2 == 0))
    found, dictionaries = [], {}
    for element, lines in laid.items():
        number = order.get(element)
        if number is None or len(lines) < 2 or (faulty and not _faulty(lines, widths)):
            continue
        inner = html[blocks[number][1]:blocks[number][2]]
        paragraph = _paragraph(number, [line for line, *_ in lines], [last for _, last, *_ in lines],
                               [right for _, _, right, *_ in lines], inner, widths, dictionaries, planned)
        if paragraph is not None:
            paragraph.turns = [turn for *_, turn in lines]  # (the first page is a recto)
            found.append((paragraph, ratios(paragraph, paragraph.original, as_laid=True)))
    return found


def _marker_only(line) -> bool:
    """Whether a line box holds nothing but a list item's marker (an outside
    marker is set in a line box of its own, beside the item's first line)."""
    leaves = _leaves(line)
    return bool(leaves) and all("::marker" in getattr(leaf, "element_tag", "") for leaf, _, _ in leaves)


def _faulty(lines, widths: _Widths) -> bool:
    """A glance at a paragraph's lines [(line box, ends a page, right, ends
    a recto)]: a line (but the last) whose word spaces stretch `LOOSE` times
    or more, a hyphen before a page turn or a third in a row. Measuring a paragraph
    costs; most need none."""
    from weasyprint.formatting_structure import boxes

    run = 0
    for index, (line, _, _, turn) in enumerate(lines[:-1]):
        texts = [leaf for leaf, _, _ in _leaves(line) if isinstance(leaf, boxes.TextBox)]
        stretched = [box for box in texts if box.justification_spacing and (" " in box.text or "\xa0" in box.text)]
        if stretched:
            normal = widths.spaces(stretched[0].style)
            if normal > 0 and (normal + stretched[0].justification_spacing) / normal >= LOOSE - 0.1:
                return True
        text = "".join(box.text for box in texts).rstrip()
        broken = len(text) > 1 and text[-1] in "-\u2010\u00ad" and text[-2].isalpha()
        run = run + 1 if broken else 0
        if broken and (turn or run >= 3):
            return True
    return False


def plan(document, html: str) -> dict:
    """The breaks chosen for the paragraphs the first layout set loosely:
    {paragraph's order among the `FITTED` blocks: (its text, [(counted
    position, kind) …], its hyphen, [spacing of each line: see `settings`],
    (first, last line set in spans: see `_region`), [per counted character:
    kept from letter-spacing])}."""
    blocks = list(_blocks(html))
    plans = {}
    for paragraph, before in measure(document, html, faulty=True):
        if max(before, default=1.0) < LOOSE and not _hyphen_fault(paragraph, paragraph.original):
            continue
        chosen = choose(paragraph)
        if chosen is None:
            continue
        breaks, spacing = chosen
        if (breaks == paragraph.original and not any(spacing)) or \
                total_cost(paragraph, breaks, spacing) >= total_cost(paragraph, paragraph.original):
            continue
        number = paragraph.number
        plans[number] = (_markup_text(html[blocks[number][1]:blocks[number][2]]),
                         [(paragraph.positions[j], paragraph.kinds[j]) for j in breaks], paragraph.hyphen, spacing,
                         _region(paragraph, breaks, spacing), paragraph.protected)
    return plans


def _region(paragraph: Paragraph, breaks, spacing) -> tuple[int, int]:
    """The lines to set in nowrap spans: from the first that differs from
    the first layout's to the one after the last (a greedy breaker would
    pull words up onto a looser line from a line left free), widened to
    start and end at a space. The lines before and after break as before."""
    ends = len(paragraph.kinds)
    old, new = [-1, *paragraph.original, ends], [-1, *breaks, ends]
    changed = [k for k in range(len(new) - 1) if old[k:k + 2] != new[k:k + 2] or spacing[k]]
    if not changed:
        return 0, -1
    first, last = changed[0], min(changed[-1] + 1, len(new) - 2)
    while first > 0 and paragraph.kinds[new[first]] != "space":
        first -= 1
    while last < len(new) - 2 and paragraph.kinds[new[last + 1]] != "space":
        last += 1
    return first, last


def _hyphen_fault(paragraph: Paragraph, breaks) -> bool:
    run = 0
    for number, j in enumerate(breaks):
        if paragraph.kinds[j] != "space":
            run += 1
            if run >= 3 or paragraph.turns[number]:
                return True
        else:
            run = 0
    return False


# --- enforcing the breaks -------------------------------------------------------------------


def enforce(inner: str, breaks, hyphen: str = "-", spacing=None, region=None, protected=None) -> str:
    """`inner` (a paragraph's markup) set so that a greedy breaker can break
    only at `breaks` ([(counted position, kind)]): each line in nowrap spans
    (split at tags), so that the only break opportunities left are the
    spaces between the lines; a word broken at a hyphenation point gets
    `hyphen` there, at the end of its line's span (the text layer then holds
    what WeasyPrint writes at a break of its own), and no soft hyphens.
    `spacing` gives each line's (word spacing, letter spacing) in px, or
    None, on its spans; on a letter-spaced line, the characters `protected`
    (per counted character) are kept in spans of their
    own, not spaced. Only the lines of `region` (first, last) are so set,
    the others left as they are: the lines before it, and after it, break
    as in the first layout."""
    spacing = spacing or [None] * (len(breaks) + 1)
    total = _count(_markup_text(inner))
    protected = protected or [False] * total
    bounds = [0, *(position for position, _ in breaks), total]
    first, last = region or (0, len(breaks))
    low, high = bounds[first], bounds[last + 1]
    cuts = {position for position, kind in breaks if kind == "hyphen"}
    compounds = {position for position, kind in breaks if kind == "explicit"}
    out, count, held = [], 0, ""
    state = {"line": False, "kept": False}  # a line's span is open; a span of characters not spaced is
    line = 0
    tokens = _TOKEN.findall(inner)
    spans = []  # for each open span: whether it is a manifest word's, dropped (its breaks are ours now)
    elements = []  # the start tags of the elements open, as written (but our spans)

    def close(what: str) -> None:
        if state["kept"]:
            out.append("</span>")
            state["kept"] = False
        if what == "line" and state["line"]:
            out.append("</span>")
            state["line"] = False

    def keep() -> None:  # the characters that follow, until `close`, not spaced
        if not state["kept"]:
            out.append(f'<span style="{UNSPACED}">')
            state["kept"] = True

    def spaced(number: int) -> bool:
        return bool(spacing[number] and spacing[number][1])

    for index, token in enumerate(tokens):
        if token.startswith("<") and len(token) > 1:
            if token.startswith("<span"):
                spans.append(bool(_HY.fullmatch(token)) and low <= count < high)
                if spans[-1]:
                    continue
            elif token == "</span>" and spans and spans.pop():
                continue
            close("line")
            out.append(token)
            name = re.match(r"</?([\w-]*)", token).group(1).lower()
            if token.startswith("</"):
                if elements:
                    elements.pop()
            elif name not in _VOID and not token.endswith("/>"):
                elements.append((name, token))
            continue
        char = htmllib.unescape(token)
        counted = char not in _IGNORED
        if not (low <= count < high if counted else low < count < high):
            close("line")
            out.append(held + token)
            held = ""
            count += counted
            continue
        if char == "\xad":
            continue  # soft hyphens: a chosen break gets a hyphen, the others are not wanted
        if counted and (count in cuts or count in compounds):
            if state["line"] and spaced(line):
                keep()
            out.append(htmllib.escape(hyphen) + ZWSP if count in cuts else ZWSP)  # in the span of the line it ends
            cuts.discard(count)
            compounds.discard(count)
            if elements:  # a word broken inside an element (see SPLIT): it ends here, and goes on on the next line
                close("line")
                out.extend(f"</{name}>" for name, _ in reversed(elements))
                out.extend(re.sub(r"\s+id=(\"[^\"]*\"|'[^']*')", "", tag) for _, tag in elements)
        while line + 1 < len(bounds) - 1 and count >= bounds[line + 1] and (counted or count > bounds[line + 1]):
            line += 1
        start, end = bounds[line], bounds[line + 1]
        wanted = (start <= count < end) if counted else start < count < end
        if wanted and not counted and index + 1 < len(tokens) and tokens[index + 1].startswith("<") \
                and len(tokens[index + 1]) > 1 and not (_HY.fullmatch(tokens[index + 1])):
            # a space before a tag inside a line: WeasyPrint may break after an inline box that ends in a
            # space, nowrap or not, so the space goes after the tags, before the next word
            held += token
            continue
        if wanted and state["line"] and count == start and counted:
            close("line")  # a new line starts without a space before it (after a hyphen)
        if wanted != state["line"]:
            if wanted:
                out.append(f'<span style="{_line_style(spacing[line])}">')
                state["line"] = True
            else:
                close("line")
        if held and counted:
            close("kept")
            out.append(held)
            held = ""
        if wanted and spaced(line) and counted and protected[count]:
            keep()
        else:
            close("kept")
        out.append(token)
        count += counted
    close("line")
    return "".join(out) + held


def _line_style(spacing) -> str:
    """The style of a planned line's spans: nowrap, with its word and letter spacing (px)."""
    style = NOWRAP
    if spacing and spacing[0]:
        style += f";word-spacing:{spacing[0]:.3f}px"
    if spacing and spacing[1]:
        style += f";letter-spacing:{spacing[1]:.3f}px"
    return style


def apply(html: str, plans) -> str:
    """`html` with each planned paragraph's breaks enforced (a paragraph
    whose text changed since it was planned is left as it is; its markup may
    have: a note's running head is settled after the first layout)."""
    if not plans:
        return html
    out, position = [], 0
    for number, (_, opened, closed) in enumerate(_blocks(html)):
        if number in plans and plans[number][0] == _markup_text(html[opened:closed]):
            out.append(html[position:opened])
            out.append(enforce(html[opened:closed], *plans[number][1:]))
            position = closed
    out.append(html[position:])
    return "".join(out)


def misses(document, html: str, plans) -> list[int]:
    """The planned paragraphs whose lines, in the layout of `html` (with the
    plans applied), do not break where planned, or stand out past the measure."""
    measured, overflowing = {}, set()
    from weasyprint.formatting_structure import boxes

    root = document.pages[0]._page_box.children[0].element
    elements = [element for element in root.iter() if element.tag in FITTED]
    wanted = {elements[number]: number for number in plans if number < len(elements)}
    lines: dict = {}

    def walk(box, parent=None):
        if isinstance(box, boxes.LineBox):
            if box.element in wanted and not _marker_only(box):
                lines.setdefault(box.element, []).append(box)
                leaves = [leaf for leaf, _, _ in _leaves(box)]
                right = max((leaf.position_x + leaf.margin_width() for leaf in leaves), default=0.0)
                if right > parent.content_box_x() + parent.width + OVERFLOW:
                    overflowing.add(wanted[box.element])
            return
        for child in getattr(box, "children", ()):
            walk(child, box)

    for page in document.pages:
        walk(page._page_box)
    for element, number in wanted.items():
        sizes = []
        for line in lines.get(element, []):
            text = ""
            for leaf, _, _ in _leaves(line):
                if isinstance(leaf, boxes.TextBox):
                    text += leaf.text if "::" not in leaf.element_tag else ""
                elif isinstance(leaf, boxes.InlineBlockBox):
                    text += "".join(box.text for box in leaf.descendants() if isinstance(box, boxes.TextBox))
            sizes.append(_count(text))
        measured[number] = sizes
    found = []
    for number, (text, breaks, hyphen, _, (first, last), _) in plans.items():
        bounds = [0, *(position for position, _ in breaks), _count(text)]
        kinds = [kind for _, kind in breaks] + [None]
        # a line ending in a hyphen holds it, and in the region a zero-width space after it (and after a compound's)
        expected = [bounds[k + 1] - bounds[k] + (kinds[k] == "hyphen") * _count(hyphen)
                    + (first <= k <= last and kinds[k] in ("hyphen", "explicit")) for k in range(len(bounds) - 1)]
        if measured.get(number) != expected or number in overflowing:
            found.append(number)
    return found

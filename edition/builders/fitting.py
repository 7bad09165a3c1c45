"""Paragraph fitting: a second look at the lines WeasyPrint set badly.

WeasyPrint breaks lines greedily, one at a time, so a long word that does
not fit leaves a loose line, and hyphens can pile up. A typesetter mends
such a passage by hand: a touch of letter-spacing (at most 1 % of the type
size, which the eye does not see) on a few lines makes the breaks fall
elsewhere. This module does the same, builder-side, on the first layout of
the book:

1. `paragraphs(document)` reads a laid-out book (page -> LineBox -> TextBox;
   a justified line's text boxes carry WeasyPrint's `justification_spacing`,
   set against a normal space of the same font measured with Pango).
2. A *window* is a few whole lines of one paragraph around a fault: a loose
   line (word spaces `LOOSE` times the normal space or more), the third of
   three hyphenated lines, or a word broken at the foot of a recto (across
   a page turn). It starts and ends between words.
3. `fit(press, document, html)` sets every window again in one small side
   document, in each of the `STYLES`, inside copies of the paragraph's
   ancestors (same width, same inherited style), without the text before
   and after the window (but the word after it, which did not fit). A
   style is kept when the window takes the same lines and ends with the
   same word (so no page of the book changes and the rest of the paragraph
   is set as before) and has fewer faults. A window on a line with
   generated text (a note's page number), which the copies cannot show, is
   left alone. Each line costs a few milliseconds of layout, so the side
   document holds only the windows, never whole paragraphs, and no plain
   copy to check them against the book (a wrong guess would show as a
   changed page, which `settle` catches with one pass more).
4. `apply(html, choices)` wraps each chosen window's words in the book's
   HTML in `<span style=…>`; paragraphs are found by their order among the
   `FITTED` start tags, words by counting the characters that are neither
   white space nor soft hyphens.

A paragraph's line breaks depend only on its content, width and style, not
on its page, so choices made on the first layout hold in the next one.
"""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import dataclass, replace

LOOSE = 2.0  # word spaces of this many normal spaces or more make a loose line
FITTED = ("p", "li")  # the blocks whose lines are fitted
BEFORE = 1  # a window starts this many lines before its fault
# The style tried: letter-spacing of +0.75 % of the type size, which pushes a
# word down onto a loose line or off a line that ends broken. (Trying +0.5 %
# and +1 % mended 81 windows of the a5 sample instead of 75, for two thirds
# more layout; a second round on wider windows, with −1 % and tighter word
# spaces, one more: not worth the time, see bench/TYPESETTING.md.)
STYLES = ("letter-spacing:0.0075em",)
# The side document: no page breaks, running strings or bookmarks of its own,
# and no generated text in the copies (a window after a paragraph's first
# line must not show a note's page number, say).
SIDE_CSS = """
* { break-before: auto !important; break-after: auto !important; page: auto !important;
    string-set: none !important; bookmark-level: none !important; }
[data-fit] *::before, [data-fit] *::after { content: none !important; }
[data-fit] :empty { display: none !important; }
"""
_START_TAG = re.compile(r"<(%s)(?=[\s>/])" % "|".join(FITTED))
_TOKEN = re.compile(r"<[^>]*>|&#?\w+;|[^<&]|&", re.S)
_IGNORED = " \t\r\n\u00ad\u2010"  # not counted: white space, soft hyphens, the hyphen added at a break
_VOID = {"br", "wbr", "img", "hr", "input", "meta", "link", "area", "base", "col", "embed", "source", "track"}


@dataclass(frozen=True)
class SetLine:
    """One line of a paragraph as laid out."""

    text: str
    ratio: float  # word space over the normal space; 1.0 for a line that is not stretched
    broken: bool  # ends in a broken word
    turn: bool = False  # the last line of a recto: the reader turns the page after it
    indent: str = ""  # the paragraph's text-indent (CSS)
    generated: bool = False  # holds generated text (a note's page number), which the copies leave out

    @property
    def size(self) -> int:
        return _count(self.text)


def _count(text: str) -> int:
    return sum(1 for char in text if char not in _IGNORED)


# --- reading a layout ------------------------------------------------------------


def _texts(box):
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            yield from _texts(child)


class _Spaces:
    """The width of a normal word space, per font and size, measured by Pango as WeasyPrint does."""

    def __init__(self):
        self.widths = {}

    def __call__(self, style) -> float:
        from weasyprint.text.line_break import create_layout, line_size

        key = (tuple(style["font_family"]), style["font_size"], style["font_style"], style["font_weight"],
               style["font_stretch"], style["font_variant_caps"], str(style["lang"]), style["letter_spacing"],
               style["word_spacing"])
        if key not in self.widths:
            def width(text):
                layout = create_layout(text, style, None, None, 0)  # kept alive while its line is read
                line, _ = layout.get_first_line()
                return line_size(line, style)[0]

            letter = 0 if style["letter_spacing"] == "normal" else style["letter_spacing"]
            self.widths[key] = width("x x") - width("xx") - letter - style["word_spacing"]
        return self.widths[key]


def _set_line(line, spaces: _Spaces) -> SetLine:
    texts = list(_texts(line))
    text = "".join(box.text for box in texts if "::" not in box.element_tag).rstrip()  # generated text left out
    ratio = 1.0
    stretched = [box for box in texts if box.justification_spacing and (" " in box.text or "\xa0" in box.text)]
    if stretched:
        style = stretched[0].style
        letter = 0 if style["letter_spacing"] == "normal" else style["letter_spacing"]
        normal = spaces(style)
        if normal > 0:
            ratio = (normal + letter + style["word_spacing"] + stretched[0].justification_spacing) / normal
    broken = len(text) > 1 and text[-1] in "\u2010\u00ad-" and text[-2].isalpha()
    added = texts[-1].style["hyphenate_character"] if broken and texts else ""
    if added and text.endswith(added):
        text = text[:-len(added)]  # the hyphen WeasyPrint adds at a break is not in the markup
    indent = line.style["text_indent"]
    return SetLine(text, ratio, broken, indent=f"{indent.value}{indent.unit or 'px'}",
                   generated=any("::" in box.element_tag for box in texts))


def paragraphs(document, spaces: _Spaces | None = None) -> dict:
    """element -> [SetLine …] for every justified block of `FITTED` tags in
    the laid-out `document`, in order, the lines that end a recto marked."""
    from weasyprint.formatting_structure import boxes

    spaces = spaces or _Spaces()
    found: dict = {}

    def walk(box, page_lines):
        if isinstance(box, boxes.LineBox):
            if box.element is not None and box.element.tag in FITTED and box.style["text_align_all"] == "justify":
                page_lines.append((box.element, _set_line(box, spaces)))
            return
        for child in getattr(box, "children", ()):
            walk(child, page_lines)

    for index, page in enumerate(document.pages):
        page_lines: list = []
        walk(page._page_box, page_lines)
        for number, (element, line) in enumerate(page_lines):
            if number == len(page_lines) - 1 and index % 2 == 0:
                line = replace(line, turn=True)
            found.setdefault(element, []).append(line)
    return found


# --- faults and windows ---------------------------------------------------------------


def faulty_lines(lines, ends_paragraph: bool = True) -> list[int]:
    """The numbers of the lines that are loose, third of three broken lines,
    or broken at a page turn. The paragraph's last line is never loose."""
    found, run = [], 0
    for number, line in enumerate(lines):
        last = ends_paragraph and number == len(lines) - 1
        run = run + 1 if line.broken and not last else 0
        if (not last and line.ratio >= LOOSE) or run >= 3 or (line.broken and line.turn and not last):
            found.append(number)
    return found


def faults(lines, ends_paragraph: bool = True) -> float:
    """How badly `lines` are set: 0 is good; a loose line counts more the looser it is."""
    score = 0.0
    for number in faulty_lines(lines, ends_paragraph):
        line = lines[number]
        score += 10 + (10 * (line.ratio - LOOSE) if line.ratio >= LOOSE else 0)
    return score


def windows(lines) -> list[tuple[int, int]]:
    """(first, last) line numbers of the windows around the faults of a
    paragraph: each starts after an unbroken line and ends with one."""
    last = len(lines) - 1
    found: list[tuple[int, int]] = []
    for number in faulty_lines(lines):
        first, end = max(0, number - BEFORE), number
        while first > 0 and lines[first - 1].broken:
            first -= 1
        while end < last and lines[end].broken:
            end += 1
        if found and first <= found[-1][1] + 1:
            first = found.pop()[0]
        found.append((first, end))
    return found


# --- restyling markup ---------------------------------------------------------------


def restyle(inner: str, spans, keep=(0, 1 << 30)) -> str:
    """`inner` (a paragraph's content as HTML) with its characters from
    `start` to `end` (counted as `_count` counts) in `<span style=…>` for
    each (start, end, style) of `spans`; a span is closed before every tag
    and opened again after it, so the markup stays well nested. Only the
    text from `keep`'s start to its end is kept, with the elements around it."""
    out, stack, count, current = [], [], 0, None
    emitting = keep[0] == 0
    for token in _TOKEN.findall(inner):
        if token.startswith("<") and len(token) > 1:
            if current is not None:
                out.append("</span>")
                current = None
            name = re.match(r"</?([\w-]*)", token).group(1).lower()
            if token.startswith("</"):
                if stack and stack[-1][0] == name:
                    stack.pop()
            elif name not in _VOID and not token.endswith("/>"):
                stack.append((name, token))
            if emitting:
                out.append(token)
            continue
        char = htmllib.unescape(token)
        counted = char not in _IGNORED
        if not (keep[0] <= count < keep[1] if counted else keep[0] < count < keep[1]):
            if emitting and count >= keep[1]:
                break  # past the kept text: close what is open
            count += counted
            continue
        if not emitting:  # the first kept character: open the elements it stands in
            out.extend(tag for _, tag in stack)
            emitting = True
        wanted = None
        for start, end, style in spans:  # a span takes the space before it: WeasyPrint mis-sets a span at a line's start
            if start <= count < end if counted else start <= count < end and start > 0:
                wanted = style
        if wanted != current:
            if current is not None:
                out.append("</span>")
            if wanted is not None:
                out.append(f'<span style="{wanted}">')
            current = wanted
        out.append(token)
        count += counted
    else:
        stack = []  # every element was closed in the markup itself
    if current is not None:
        out.append("</span>")
    out.extend(f"</{name}>" for name, _ in reversed(stack))
    return "".join(out)


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


# --- fitting -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Window:
    number: int  # the paragraph's order among the FITTED blocks
    element: object
    lines: tuple  # the paragraph's lines
    first: int
    last: int

    @property
    def start(self) -> int:
        return sum(line.size for line in self.lines[:self.first])

    @property
    def end(self) -> int:
        return sum(line.size for line in self.lines[:self.last + 1])

    @property
    def ends_paragraph(self) -> bool:
        return self.last == len(self.lines) - 1


def fit(press, document, html: str) -> dict[int, tuple[str, list[tuple[int, int, str]]]]:
    """Styles for the faulty windows of a laid-out book, for `apply`:
    {paragraph's order among the `FITTED` blocks: (its markup, [(start, end, style) …])}."""
    spaces = _Spaces()
    laid = paragraphs(document, spaces)
    if not any(faulty_lines(lines) for lines in laid.values()):
        return {}
    root = document.pages[0]._page_box.children[0].element
    elements = [element for element in root.iter() if element.tag in FITTED]
    blocks = list(_blocks(html))
    if len(elements) != len(blocks):
        return {}  # the parsed tree and the markup disagree on the paragraphs: no choice could be applied
    order = {element: number for number, element in enumerate(elements)}
    parents = {child: parent for parent in root.iter() for child in parent}
    todo = []
    for element, lines in laid.items():
        inner = html[blocks[order[element]][1]:blocks[order[element]][2]]
        if sum(line.size for line in lines) != _count(htmllib.unescape(re.sub(r"<[^>]*>", "", inner))):
            continue  # the lines do not hold the markup's text (a list marker, say): offsets would not hold
        todo.extend(_Window(order[element], element, tuple(lines), first, last) for first, last in windows(lines)
                    if not any(line.generated for line in lines[first:last + 1]))

    if not todo:
        return {}
    head = "".join(re.findall(r"<style\b.*?</style>", html[:html.find("<body")], re.S))  # the page's size
    side = press.lay_out(_side_document(root, parents, head, html, blocks, todo, STYLES), extra_css=SIDE_CSS)
    results: dict = {}
    for element, lines in paragraphs(side, spaces).items():
        mark = element.get("data-fit")
        if mark:
            results[tuple(int(part) for part in mark.split("-"))] = lines
    choices: dict[int, list] = {}
    for index, window in enumerate(todo):
        original = list(window.lines[window.first:window.last + 1])
        best, best_score = None, faults(original, window.ends_paragraph)
        for variant, style in enumerate(STYLES):
            candidate = _region(results.get((index, variant), []), window.end - window.start, len(original))
            if candidate is None:
                continue
            candidate = [replace(line, turn=before.turn) for line, before in zip(candidate, original)]
            score = faults(candidate, window.ends_paragraph)
            if score < best_score:
                best, best_score = style, score
        if best:
            choices.setdefault(window.number, []).append((window.start, window.end, best))
    return {number: (html[blocks[number][1]:blocks[number][2]], sorted(spans)) for number, spans in choices.items()}


def _region(lines, size: int, count: int):
    """The first `count` lines of a window's copy when they hold exactly its
    `size` characters (the window keeps its line count and its last break)."""
    if len(lines) < count or sum(line.size for line in lines[:count]) != size:
        return None
    return lines[:count]


def _side_document(root, parents, head: str, html: str, blocks, todo, variants) -> str:
    """One small document: every window of `todo` in every style of
    `variants`, each in a copy of its paragraph inside copies of the
    paragraph's ancestors, with only the window's text and the next word."""
    chunks = [_open_tag(root), f"<head><meta charset='utf-8'>{head}</head>"]
    for index, window in enumerate(todo):
        chain, node = [], window.element
        while node in parents:
            node = parents[node]
            chain.append(node)
        chain = chain[::-1][1:]  # the ancestors below <html>
        inner = re.sub(r'\sid="[^"]*"', "", html[blocks[window.number][1]:blocks[window.number][2]])
        indent = window.lines[0].indent if window.first == 0 else "0"
        after = 1 << 30
        if not window.ends_paragraph:  # the word that did not fit on its last line
            after = window.end + _count(window.lines[window.last + 1].text.split(" ")[0])
        chunks.extend(_open_tag(node) for node in chain)
        for variant, style in enumerate(variants):
            chunks.append(_open_tag(window.element, f"text-indent:{indent}", f"{index}-{variant}")
                          + restyle(inner, [(window.start, window.end, style)], keep=(window.start, after))
                          + f"</{window.element.tag}>")
        chunks.extend(f"</{node.tag}>" for node in reversed(chain))
    chunks.append("</html>")
    return "".join(chunks)


def _open_tag(element, style: str = "", mark: str = "") -> str:
    kept = {name: value for name, value in element.attrib.items() if name in ("class", "lang", "dir")}
    if style:
        kept["style"] = style
    if mark:
        kept["data-fit"] = mark
    return f"<{element.tag}" + "".join(f' {name}="{htmllib.escape(value)}"' for name, value in kept.items()) + ">"


def apply(html: str, choices) -> str:
    """`html` with each chosen window's words in a span of its style (a
    paragraph whose markup changed since it was fitted is left as it is)."""
    if not choices:
        return html
    out, position = [], 0
    for number, (_, opened, closed) in enumerate(_blocks(html)):
        if number in choices and choices[number][0] == html[opened:closed]:
            out.append(html[position:opened])
            out.append(restyle(html[opened:closed], choices[number][1]))
            position = closed
    out.append(html[position:])
    return "".join(out)

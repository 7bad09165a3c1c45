"""Measuring a built PDF as a typesetter and a printer would: word breaks,
loose lines, facing pages, page count, boxes, crop marks and the colour of
the text.

`measure(path, trim)` reads the PDF (pdfplumber for the glyphs, pypdf for
destinations and page boxes) and returns a `Report` of plain figures. The
tests assert on them; `bench/typesetting.py` prints them for every trim
size. Nothing here knows how the PDF was made except the page geometry of
each trim size (where the running heads and folios stand).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path

MM = 72 / 25.4
BREAKS = "-\u2010"  # a hyphen at a line's end: the print template makes the added ones U+002D (search finds
# the word whole), so a compound broken at its own hyphen counts too (WeasyPrint's own is U+2010)
SPACES = (" ", "\xa0")

# Words the first PDF broke wrongly (issue 11), with the breaks a US
# dictionary allows. A break elsewhere in one of them is a wrong break.
KNOWN_WORDS = (
    "bu-reau-cra-cy", "dis-re-gard-ed", "un-ions", "im-por-tance", "elim-i-nat-ed", "in-tend-ed", "per-vert-ed",
    "the-o-re-ti-cian", "tre-men-dous", "ar-ti-cles", "com-mu-nist", "draft-ed", "mil-i-tant",
    "pre-o-bra-zhen-sky", "pro-le-tar-i-at", "ap-pa-ra-tus", "bour-geoi-sie", "im-por-tant", "rev-o-lu-tion",
    "rev-o-lu-tion-ary", "gov-ern-ment", "op-po-si-tion", "in-ter-na-tion-al", "so-cial-ist", "cap-i-tal-ist",
)


@dataclass(frozen=True)
class Line:
    page: int  # page index, 0-based
    baseline: float  # PDF units from the page's bottom
    x0: float
    x1: float
    text: str
    gaps: tuple[float, ...]  # the white between words, each over the normal space of its font


@dataclass
class Report:
    pages: int = 0
    justified_lines: int = 0
    loose_2x: list = field(default_factory=list)  # (page label, ratio, line text)
    loose_25x: list = field(default_factory=list)
    worst_space: float = 0.0
    hyphenated: list = field(default_factory=list)  # (page label, "pro-letariat")
    wrong_breaks: list = field(default_factory=list)
    hyphen_runs: list = field(default_factory=list)  # page labels where 3 hyphenated lines follow each other
    page_turn_breaks: list = field(default_factory=list)  # page labels of rectos ending in a broken word
    widows: list = field(default_factory=list)  # page labels: a paragraph's last line alone at the head of a page
    orphans: list = field(default_factory=list)  # page labels: a paragraph's first line alone at the foot of a page
    spreads: int = 0  # facing pages inside a text, not before its end
    uneven_spreads: list = field(default_factory=list)  # (verso label, recto label, difference in pt)
    boxes_nested: bool = True  # MediaBox > BleedBox > TrimBox when there is a bleed
    has_bleed: bool = False
    marks: int = 0  # crop-mark strokes
    marks_in_bleed: int = 0  # strokes that touch the bleed box
    text_colours: dict = field(default_factory=dict)  # (colour space, components) -> number of glyphs
    stranded: list = field(default_factory=list)  # (page label, word): one word alone on a line in mid-paragraph

    @property
    def loose_share(self) -> float:
        return len(self.loose_2x) / self.justified_lines if self.justified_lines else 0.0

    @property
    def k_only(self) -> bool:
        return set(self.text_colours) == {("DeviceCMYK", (0.0, 0.0, 0.0, 1.0))}

    def summary(self) -> dict:
        return {
            "pages": self.pages,
            "justified lines": self.justified_lines,
            "word space >= 2x": len(self.loose_2x),
            "word space >= 2.5x": len(self.loose_25x),
            "worst word space": round(self.worst_space, 2),
            "hyphenated lines": len(self.hyphenated),
            "wrong breaks": len(self.wrong_breaks),
            "3 hyphens in a row": len(self.hyphen_runs),
            "breaks across a page turn": len(self.page_turn_breaks),
            "spreads not aligned": f"{len(self.uneven_spreads)} of {self.spreads}",
            "words stranded in mid-paragraph": len(self.stranded),
            "widows": len(self.widows),
            "orphans": len(self.orphans),
            "even page count": self.pages % 2 == 0,
        }


def known_breaks(words=KNOWN_WORDS) -> dict[str, set[int]]:
    """'bu-reau-cra-cy' -> {'bureaucracy': {2, 6, 9}}: the allowed break offsets."""
    table = {}
    for word in words:
        offsets, position = set(), 0
        for piece in word.split("-")[:-1]:
            position += len(piece)
            offsets.add(position)
        table[word.replace("-", "").lower()] = offsets
    return table


def _geometry(trim: str):
    from .builders.pdf import GEOMETRY

    geometry = GEOMETRY[trim]
    return float(geometry.top.removesuffix("mm")) * MM, float(geometry.bottom.removesuffix("mm")) * MM


def _box(page, name):
    box = page.get(f"/{name}") or page.mediabox
    return tuple(float(v) for v in box)


def _lines(page, index: int, top: float, bottom: float, trim, normals=None) -> list[Line]:
    """The lines of the page's text area (running heads and folios left out).
    A gap between words where no space glyph is drawn (a letter-spaced line:
    Pango then places the words without one) is set against `normals`, the
    document's space width per font and size, when it is wide enough to be a
    word space (an inline box's padding is not)."""
    normals = normals or {}
    upper, lower = trim[3] - top, trim[1] + bottom
    rows: dict[float, list] = {}
    for char in page.chars:
        y = round(char["matrix"][5], 1)
        if lower - 2 <= y <= upper + 2:
            rows.setdefault(y, []).append(char)
    lines = []
    for y in sorted(rows, reverse=True):
        chars = sorted(rows[y], key=lambda c: c["x0"])
        words, spaces, current = [], [], []
        for char in chars:
            if char["text"] in SPACES:
                if current:
                    words.append(current)
                    current = []
                spaces.append(char)
            else:
                if current and char["x0"] - current[-1]["x1"] > 0.12 * char["size"]:  # a space not drawn, an inline box
                    words.append(current)
                    current = []
                current.append(char)
        if current:
            words.append(current)
        gaps = []
        for before, after in zip(words, words[1:]):
            between = [s for s in spaces if before[-1]["x1"] - 0.5 <= s["x0"] <= after[0]["x0"] + 0.5]
            if between:
                normal = statistics.median((s["x1"] - s["x0"]) for s in between) or 0.25 * between[0]["size"]
                gaps.append((after[0]["x0"] - before[-1]["x1"]) / (normal * len(between)))
            elif (normal := normals.get(_font(before[-1]))) and after[0]["x0"] - before[-1]["x1"] >= 0.6 * normal:
                gaps.append((after[0]["x0"] - before[-1]["x1"]) / normal)
        text = " ".join("".join(c["text"] for c in word) for word in words)
        lines.append(Line(index, y, chars[0]["x0"], chars[-1]["x1"], text, tuple(gaps)))
    return lines


def _font(char) -> tuple:
    return char["fontname"], round(char["size"], 1)


def _space_widths(pdf) -> dict:
    """The drawn width of a space, per font and size, over the whole document."""
    widths: dict = {}
    for page in pdf.pages:
        for char in page.chars:
            if char["text"] == " " and char["x1"] > char["x0"]:
                widths.setdefault(_font(char), []).append(char["x1"] - char["x0"])
    return {font: statistics.median(found) for font, found in widths.items()}


def measure(path: Path | str, trim: str = "a5", known=None) -> Report:
    import pdfplumber
    import pypdf

    known = known_breaks() if known is None else known
    top, bottom = _geometry(trim)
    report = Report()
    reader = pypdf.PdfReader(str(path))
    labels = reader.page_labels
    texts = []
    destinations = reader.named_destinations
    for name in destinations:
        if name.endswith("-end") and name[:-4] in destinations:
            texts.append((reader.get_destination_page_number(destinations[name[:-4]]),
                          reader.get_destination_page_number(destinations[name])))

    with pdfplumber.open(str(path)) as pdf:
        pages = []
        report.pages = len(pdf.pages)
        normals = _space_widths(pdf)
        for index, page in enumerate(pdf.pages):
            raw = reader.pages[index]
            media, bleed, trimbox = _box(raw, "MediaBox"), _box(raw, "BleedBox"), _box(raw, "TrimBox")
            if trimbox != media:
                report.has_bleed = True
                report.boxes_nested &= _inside(trimbox, bleed, strict=bleed != trimbox) and _inside(bleed, media, True)
                marks = [o for o in page.lines + page.curves + page.rects if not _inside(_obj_box(o, media), trimbox)]
                report.marks += len(marks)
                report.marks_in_bleed += sum(1 for o in marks if _overlaps(_obj_box(o, media), bleed))
            for char in page.chars:
                colour = (str(char.get("ncs") or ""), tuple(float(v) for v in (char.get("non_stroking_color") or ())))
                report.text_colours[colour] = report.text_colours.get(colour, 0) + 1
            pages.append(_lines(page, index, top, bottom, trimbox, normals))

    _words_and_spaces(report, pages, labels, known)
    _spreads(report, pages, labels, texts)
    _widows_and_orphans(report, pages, labels, texts)
    return report


def _words_and_spaces(report: Report, pages, labels, known) -> None:
    flat = [line for lines in pages for line in lines]
    run = 0
    for number, line in enumerate(flat):
        label = labels[line.page]
        if not line.gaps or re.search(r"(\. ){3}", line.text + " "):  # contents leaders
            pass
        else:
            column_right = max(other.x1 for other in pages[line.page])
            if abs(line.x1 - column_right) < 0.8:
                report.justified_lines += 1
                ratio = min(line.gaps)
                report.worst_space = max(report.worst_space, ratio)
                if ratio >= 2:
                    report.loose_2x.append((label, round(ratio, 2), line.text))
                if ratio >= 2.5:
                    report.loose_25x.append((label, round(ratio, 2), line.text))
        following = flat[number + 1] if number + 1 < len(flat) else None
        words = line.text.split()
        if (len(words) == 1 and words[0][-1:].isalpha() and following is not None
                and following.page == line.page and abs(following.x0 - line.x0) < 0.5 and following.gaps
                and abs(line.x0 - min(other.x0 for other in pages[line.page])) < 0.8
                and abs(following.x1 - max(other.x1 for other in pages[line.page])) < 0.8
                and not re.search(r"(\. ){3}", following.text + " ")):
            # one word with no punctuation to end a paragraph, then a full, justified line, not indented
            report.stranded.append((label, words[0]))
        broken = (len(line.text) > 2 and line.text[-1] in BREAKS and line.text[-2].isalpha()
                  and following is not None and following.text[:1].isalpha())
        if not broken:
            run = 0
            continue
        run += 1
        if run == 3:
            report.hyphen_runs.append(label)
        head = re.search(r"[\w\u2019'-]*\w$", line.text[:-1]).group(0).split("-")[-1]
        tail = re.match(r"\w+", following.text).group(0)
        report.hyphenated.append((label, f"{head}-{tail}"))
        word = (head + tail).lower()
        if word in known and len(head) not in known[word]:
            report.wrong_breaks.append((label, f"{head}-{tail}"))
        if following.page != line.page and line.page % 2 == 0:  # the last line of a recto: a page turn
            report.page_turn_breaks.append(label)


def _spreads(report: Report, pages, labels, texts) -> None:
    for first, last in texts:
        for verso in range(first + 1, last - 1):
            if verso % 2 == 0:  # index 1 is page 2, a verso
                continue
            recto = verso + 1
            if not pages[verso] or not pages[recto]:
                continue
            report.spreads += 1
            difference = pages[verso][-1].baseline - pages[recto][-1].baseline
            if abs(difference) > 0.5:
                report.uneven_spreads.append((labels[verso], labels[recto], round(difference, 1)))


def _widows_and_orphans(report: Report, pages, labels, texts) -> None:
    """In the texts' pages: a page that starts with a paragraph's short last
    line after a full one (a widow), or ends with a paragraph's indented first
    line after a short one (an orphan)."""
    for first, last in texts:
        for index in range(first + 1, last + 1):
            previous, lines = pages[index - 1], pages[index]
            if not previous or not lines:
                continue
            left = min(line.x0 for line in lines)
            right = max(line.x1 for line in lines)
            before = max(line.x1 for line in previous)
            opening, closing = lines[0], lines[-1]
            if abs(previous[-1].x1 - before) < 0.8 and opening.x1 < right - 0.8 and abs(opening.x0 - left) < 0.8:
                report.widows.append(labels[index])
            if (len(lines) > 1 and index < last and abs(closing.x1 - right) < 0.8 and closing.x0 > left + 3
                    and lines[-2].x1 < right - 0.8):
                report.orphans.append(labels[index])


def _obj_box(obj, media):
    height = media[3] - media[1]
    return (obj["x0"], height - obj["bottom"], obj["x1"], height - obj["top"])


def _inside(inner, outer, strict: bool = False) -> bool:
    if strict:
        return inner[0] > outer[0] and inner[1] > outer[1] and inner[2] < outer[2] and inner[3] < outer[3]
    return (inner[0] >= outer[0] - 0.01 and inner[1] >= outer[1] - 0.01 and inner[2] <= outer[2] + 0.01
            and inner[3] <= outer[3] + 0.01)


def _overlaps(box, other) -> bool:
    return (box[0] < other[2] - 0.01 and box[2] > other[0] + 0.01
            and box[1] < other[3] - 0.01 and box[3] > other[1] + 0.01)

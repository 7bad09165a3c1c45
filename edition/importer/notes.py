"""Stage 4, notes: the notes section(s) at the end, in one or two series.

Archives print notes under a heading ("Notes", "Footnotes", "Endnotes", "Note by the
translator", "Anmerkungen" …) or, without one, as trailing "[1] …" / "(1) …" / "1. …"
paragraphs whose numbers the text uses as markers. Entries are written "1.", "[1]", "(1)",
"1 ", "¹", with the marker glued to the first word or not. A second series — the
translator's or the archive editor's, "[1*]" / "1*." — is kept apart: its numbers end in "*",
and, when its heading says whose notes they are, each of its notes is labelled so."""

from __future__ import annotations

import re

from .base import Line, Notes, Report, lines, short
from .lines import Block
from .blocks import SEPARATOR, join_lines
from .words import ends_sentence, is_name_like

SERIES_WORDS = r"(?:translator[’']?s?|translation|übersetzer[s]?|übersetzung|traducteur|traduction|traductor|" \
               r"editor[’']?s?|editorial|herausgeber[s]?|rédaction|éditeur|redacción|mia|etol|transcriber[’']?s?)"
NOTES_HEADING = re.compile(
    r"^(?:(?:author[’']?s|translator[’']?s|editor[’']?s|editorial|transcriber[’']?s|mia|etol)\s+)?"
    r"(?:notes?|footnotes?|endnotes?|references|anmerkungen|anmerkung|fußnoten|fussnoten|"
    r"notes? (?:du|de la|des) \w+|notas?|примечания|сноски)"
    r"(?:\s+(?:and\s+references|by\s+(?:the\s+)?[\w’' .-]{2,40}|of\s+(?:the\s+)?[\w’' .-]{2,40}|"
    r"(?:des|der)\s+[\wäöüß]+|del?\s+\w+))?\s*:?$", re.IGNORECASE)
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUP_CLASS = "[" + SUPERSCRIPTS + "]"
NOTE_MARKER = re.compile(
    rf"^(?:\[(?P<a>\d{{1,3}}\*?)\]|\((?P<b>\d{{1,3}}\*?)\)|(?P<c>\d{{1,3}}\*?)[.)]|\*(?P<d>\d{{1,3}})\.?"
    rf"|(?P<e>{SUP_CLASS}+)|(?P<f>\d{{1,3}}\*?)(?=\s))\s*")


def note_number(text: str) -> tuple[str, str] | None:
    """(number, rest) when text starts with a note marker: "1. …", "[1] …", "¹ …", "[1*] …"."""
    match = NOTE_MARKER.match(text)
    if not match:
        return None
    number = next(g for g in match.groups() if g)
    if match["e"]:
        number = "".join(str(SUPERSCRIPTS.index(c)) for c in number)
    star = "*" if number.endswith("*") else ""
    return str(int(number.rstrip("*"))) + star, text[match.end():]


def series_label(heading: str) -> str | None:
    """"Note by the translator" -> "Note by the translator."; "Translator’s Notes" -> "Translator’s note.";
    None for the author's own notes ("Notes", "Footnotes")."""
    text = heading.strip().rstrip(":").strip()
    if not re.search(SERIES_WORDS, text, re.IGNORECASE):
        return None
    text = re.sub(r"\b(N|n)otes\b", r"\1ote", text)
    text = re.sub(r"\b(F|f)ootnotes\b", r"\1ootnote", text)
    if re.fullmatch(r"[A-Z’' ]+", text):  # "TRANSLATOR’S NOTES"
        text = text[0] + text[1:].lower()
    return text + "."


def take_notes(blocks: list[Block], report: Report, header_marks: list[str] = ()) -> Notes | None:
    """The notes sections at the end: each heading followed by numbered notes, in one or two series."""
    found: Notes | None = None
    while True:
        section = _last_section(blocks, report)
        if section is None:
            break
        heading_no, heading, notes, used_lines, italics = section
        label = series_label(heading) if heading else None
        series = "*" if label or any(n.endswith("*") for n, _, _ in notes) else ""
        if label and not any(n.endswith("*") for n, _, _ in notes):
            notes = [(n + "*", paras, no) for n, paras, no in notes]
            italics = {n + "*": phrases for n, phrases in italics.items()}
        found = _merge(found, Notes(heading_no, notes, {series: label} if label else {}, used_lines, italics))
    if found is None:
        found = _notes_without_heading(blocks, report, header_marks)
    if found:
        starred = [n for n, _, _ in found.notes if n.endswith("*") and n not in found.added]
        if starred and "*" not in found.labels:
            report.check(f"notes {starred[0]}–{starred[-1]} form a second series (the author's notes are "
                         "numbered without a star); the page does not say whose they are: label them by hand"
                         if len(starred) > 1 else
                         f"note {starred[0]} belongs to a second series (the author's notes are numbered without "
                         "a star); the page does not say whose it is: label it by hand")
    return found


def _merge(later: Notes | None, earlier: Notes) -> Notes:
    """Sections are found from the end: the earlier one comes first."""
    if later is None:
        return earlier
    return Notes(earlier.no, earlier.notes + later.notes, {**earlier.labels, **later.labels},
                 earlier.lines | later.lines, {**earlier.italics, **later.italics})


def _last_section(blocks: list[Block], report: Report) -> tuple[int, str, list, set[int], dict] | None:
    """The last notes heading with its notes (taken out of blocks), or None."""
    for index in range(len(blocks) - 1, -1, -1):
        block = blocks[index]
        first = block[0]
        if NOTES_HEADING.match(first.text) or first.hint == "notes-heading":
            following = ([block[1:]] if len(block) > 1 else []) + blocks[index + 1:]
            notes, used, italics = _parse_notes(following, report)
            if notes:
                del blocks[index:]
                report.guess(f"notes section at line {first.no} ({first.text}): {len(notes)} note(s)")
                return first.no, first.text, notes, {line.no for b in following[:used] for line in b}, italics
            if not any(line.text for b in following for line in b):
                del blocks[index:]  # an empty "Notes" heading (a link to the notes on another page)
                report.guess(f"dropped an empty notes heading at line {first.no}")
                continue
            return None
    return None


def _is_footer(block: Block) -> bool:
    """Short lines that are no note text: links under the notes ("Preface (1891)", "Contents")."""
    return all(len(line.text.split()) <= 10 and not ends_sentence(line.text) and note_number(line.text) is None
               for line in block)


def _parse_notes(blocks: list[Block], report: Report) -> tuple[list[tuple[str, list[str], int]], int, dict]:
    """The notes in blocks; links after them are dropped. Returns (notes, blocks used, the phrases
    each note sets in italics)."""
    notes: list[tuple[str, list[str], int]] = []
    italics: dict[str, tuple[str, ...]] = {}
    for used, block in enumerate(blocks):
        if notes and _is_footer(block) and not block[0].hint.startswith("note"):
            for line in (line for b in blocks[used:] for line in b):
                report.guess(f"dropped line {line.no} after the notes: {short(line.text)}")
            return notes, used, italics
        for position, line in enumerate(block):
            numbered = note_number(line.text)
            if numbered and (not notes or _plausible_next(notes, numbered[0])):
                notes.append((numbered[0], [numbered[1]], line.no))
            elif not notes:
                return [], 0, {}  # the section does not start with a note
            elif position == 0:
                notes[-1][1].append(line.text)  # a further paragraph of the note
            else:
                notes[-1][1][-1] = join_lines([notes[-1][1][-1], line.text])
            if line.italics:
                number = notes[-1][0]
                italics[number] = italics.get(number, ()) + line.italics
    return notes, len(blocks), italics


def _plausible_next(notes: list, number: str) -> bool:
    """A new note's number follows one of the series so far (or starts a series)."""
    star = number.endswith("*")
    value = int(number.rstrip("*"))
    same = [int(n.rstrip("*")) for n, _, _ in notes if n.endswith("*") == star]
    return value == (same[-1] + 1 if same else value) or (not same and value == 1)


REMARK_LABEL = "Note by the archive."
TRAILING_MARK = re.compile(r"^(?:\[(\d{1,3}\*?)\]|\((\d{1,3}\*?)\)|(\d{1,3}\*?)\.)\s*\S")


def _notes_without_heading(blocks: list[Block], report: Report, header_marks: list[str]) -> Notes | None:
    """Trailing "[1] …", "(1) …" or "1. …" paragraphs, numbered as the markers in the text are."""
    end = len(blocks)
    # notes followed by a separator and a remark of the archive's ("* * *", then paragraphs)
    separators = [index for index in range(max(0, len(blocks) - 6), len(blocks))
                  if SEPARATOR.match(blocks[index][0].text) and len(blocks[index]) == 1]
    if separators and not TRAILING_MARK.match(blocks[-1][0].text):
        end = separators[-1]
    start = end
    while start > 0 and TRAILING_MARK.match(blocks[start - 1][0].text):
        start -= 1
    if start == end or start == 0:
        return None
    numbers = [note_number(b[0].text)[0] for b in blocks[start:end]]
    body = " ".join(line.text for block in blocks[:start] for line in block)
    form = TRAILING_MARK.match(blocks[start][0].text)
    in_text = []
    for number in numbers:
        if form[1] and f"[{number}]" in body or form[2] and f"({number})" in body:
            in_text.append(number)
        elif number in header_marks:
            in_text.append(number)
    if in_text != numbers:
        return None
    notes, _, italics = _parse_notes(blocks[start:end], report)
    if [n for n, _, _ in notes] != numbers:
        return None
    first = blocks[start][0].no
    used = {line.no for block in blocks[start:end] for line in block}
    found = Notes(first, notes, lines=used, italics=italics)
    remark = blocks[end + 1:] if end < len(blocks) else []
    links = len(remark)
    while links > 0 and _is_footer(remark[links - 1]):  # the page's links under the remark stay for the link stage
        links -= 1
    remark, links = remark[:links], remark[links:]
    if remark:  # a remark of the archive's after the notes and a separator: its note, marked at the end
        found.add([join_lines([line.text for line in block]) for block in remark], remark[0][0].no,
                           REMARK_LABEL, "end", tuple(p for block in remark for line in block for p in line.italics))
        found.lines |= {line.no for block in blocks[end:end + 1] + remark for line in block}
        report.check(f"the paragraphs at {lines(remark[0][0].no, remark[-1][-1].no)}, after the notes and a separator, are taken for "
                     f"a remark of the archive's, not the text: kept as a note labelled “{REMARK_LABEL}”, "
                     "marked at the end of the text")
        blocks[end:] = links
    del blocks[start:end]
    report.check(f"line {first}: trailing numbered paragraphs taken as notes (the text has their markers, "
                 "but there is no notes heading)")
    return found

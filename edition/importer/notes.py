"""Stage 4, notes: the notes section(s) at the end, in one or two series."""

from __future__ import annotations

import re

from .base import Notes, Report
from .lines import Block
from .blocks import join_lines

NOTES_HEADING = re.compile(
    r"^(?:(?:author[’']?s|translator[’']?s|editor[’']?s|editorial)\s+)?"
    r"(?:notes?|footnotes?|endnotes?|references)(?:\s+and\s+references)?\s*:?$", re.IGNORECASE)
SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
SUP_CLASS = "[" + SUPERSCRIPTS + "]"
NOTE_MARKER = re.compile(
    rf"^(?:\[(?P<a>\d{{1,3}})\]|\((?P<b>\d{{1,3}})\)|(?P<c>\d{{1,3}})[.)]|\*(?P<d>\d{{1,3}})\.?"
    rf"|(?P<e>{SUP_CLASS}+)|(?P<f>\d{{1,3}})(?=\s))\s*")


def note_number(text: str) -> tuple[str, str] | None:
    """(number, rest) when text starts with a note marker: "1. …", "[1] …", "¹ …"."""
    match = NOTE_MARKER.match(text)
    if not match:
        return None
    number = next(g for g in match.groups() if g)
    if match["e"]:
        number = "".join(str(SUPERSCRIPTS.index(c)) for c in number)
    return str(int(number)), text[match.end():]


def take_notes(blocks: list[Block], report: Report) -> Notes | None:
    """A trailing notes section: a "Notes" heading followed by numbered notes."""
    for index in range(len(blocks) - 1, -1, -1):
        block = blocks[index]
        if NOTES_HEADING.match(block[0].text):
            following = ([block[1:]] if len(block) > 1 else []) + blocks[index + 1:]
            notes = _parse_notes(following)
            if notes:
                del blocks[index:]
                report.guess(f"notes section at line {block[0].no}: {len(notes)} note(s)")
                return Notes(block[0].no, notes)
            return None
    return _bracket_notes_without_heading(blocks, report)


def _parse_notes(blocks: list[Block]) -> list[tuple[str, list[str], int]]:
    notes: list[tuple[str, list[str], int]] = []
    for block in blocks:
        for position, line in enumerate(block):
            numbered = note_number(line.text)
            if numbered:
                notes.append((numbered[0], [numbered[1]], line.no))
            elif not notes:
                return []  # the section does not start with a note
            elif position == 0:
                notes[-1][1].append(line.text)  # a further paragraph of the note
            else:
                notes[-1][1][-1] = join_lines([notes[-1][1][-1], line.text])
    return notes


def _bracket_notes_without_heading(blocks: list[Block], report: Report) -> Notes | None:
    """Trailing "[1] …", "[2] …" paragraphs (no heading) numbered from 1."""
    start = len(blocks)
    while start > 0 and re.match(r"^\[\d{1,3}\]\s", blocks[start - 1][0].text):
        start -= 1
    if start == len(blocks) or start == 0:
        return None
    numbers = [note_number(b[0].text)[0] for b in blocks[start:]]
    if numbers != [str(n) for n in range(1, len(numbers) + 1)]:
        return None
    body = " ".join(line.text for block in blocks[:start] for line in block)
    if "[1]" not in body:
        return None
    notes = _parse_notes(blocks[start:])
    first = blocks[start][0].no
    del blocks[start:]
    report.check(f"line {first}: trailing [1], [2] … paragraphs taken as notes (there is no notes heading)")
    return Notes(first, notes)

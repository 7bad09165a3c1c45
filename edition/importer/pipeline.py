"""The stages put together: raw text (or lines read from HTML) -> an ImportResult."""

from __future__ import annotations

import re

from .base import ImportResult, Line, Notes, Report, short
from .words import KNOWN_AUTHORS, is_name_like
from .dates import is_date_line
from .lines import Block, clean_lines, drop_navigation, split_blocks
from .header import RANK_LETTER, Header, choose_date, read_header
from .letter import take_dateline, take_signature
from .notes import SUP_CLASS, take_notes
from .blocks import EDIT_SUFFIX, blocks_to_paras, classify
from .markdown import NoteLinker, front_matter_yaml, render_body, render_div, render_notes, render_text

# --------------------------------------------------------------------------
# Putting it together

def import_text(raw: str, *, source_name: str = "<raw>") -> ImportResult:
    """Turns a raw archive text into the Markdown text format (see the module docstring)."""
    report = Report()
    lines = drop_navigation(clean_lines(raw), report)
    header, body_start = read_header(lines, report)
    blocks = split_blocks(lines[body_start:])
    blocks = _strip_edit_links(blocks)

    dateline = take_dateline(blocks, header, report)
    notes = take_notes(blocks, report)
    signature, postscripts = take_signature(blocks, report)
    if signature:
        for line in signature:
            header.add_date(RANK_LETTER, is_date_line(line.text), line.no, "closing date line")
    paras = blocks_to_paras(blocks, report)
    classify(paras, report)
    tail = blocks_to_paras(postscripts, report)

    front = _front_matter(header, signature, report, source_name)
    body_texts = [p.text for p in paras + tail]
    linker = NoteLinker([n for n, _, _ in notes.notes] if notes else [], body_texts, report)

    parts: list[str] = []
    if dateline:
        parts.append(render_div("dateline", dateline))
    parts += render_body(paras, linker)
    if signature:
        parts.append(render_div("signature", signature))
    parts += [render_text(p.text, linker) for p in tail]
    parts += render_notes(notes)
    _check_notes(notes, linker, body_texts, report)
    _check_language(body_texts, report)

    if not parts:
        report.check(f"{source_name}: no body text found")
    body = "\n\n".join(parts)
    markdown = "---\n" + front_matter_yaml(front) + "---\n" + ("\n" + body + "\n" if body else "")
    return ImportResult(markdown=markdown, front_matter=front, guesses=report.guesses, review=report.review)


def _strip_edit_links(blocks: list[Block]) -> list[Block]:
    """MediaWiki headings copied with their "[edit]" link."""
    for block in blocks:
        for line in block:
            if EDIT_SUFFIX.search(line.text) and len(line.text.split()) <= 13:
                line.text = EDIT_SUFFIX.sub("", line.text)
    return blocks


def _front_matter(header: Header, signature: list[Line], report: Report, source_name: str) -> dict:
    if header.author is None:
        _author_from_signature(header, signature, report)
    if header.source is None and header.published:
        header.source = header.published[0]
        report.guess(f"source from line {header.published[1]} (first published): {short(header.source)}")
    elif header.published:
        report.guess(f"line {header.published[1]}: first publication not kept (the source line is used)")
    date, date_text = choose_date(header, report)
    front: dict = {}
    for key, value, missing in (("title", header.title, "no title found"),
                                ("author", header.author, "no author found"),
                                ("date", date, "no date found"),
                                ("date_text", date_text, None),
                                ("source", header.source, "no source line: add `source` by hand"),
                                ("transcription", _join_credits(header.credits), None)):
        if value:
            front[key] = value
        elif missing:
            report.check(missing)
    front["language"] = "en"
    if header.extract:
        front["extract"] = True
        report.guess("extract: the header says the text is an extract")
    return front


def _join_credits(credits: list[str]) -> str | None:
    """One credit as the source gives it; several joined by semicolons."""
    if len(credits) <= 1:
        return credits[0] if credits else None
    return "; ".join(credit.rstrip(" .;") for credit in credits)


def _author_from_signature(header: Header, signature: list[Line], report: Report) -> None:
    for line in reversed(signature):
        name = re.sub(r"^(your|yours|ever yours)[,\s]+", "", line.text, flags=re.IGNORECASE).rstrip(",.")
        if not is_name_like(name, max_words=4) or len(name.split()) < 2:
            continue
        words = name.split()
        known = KNOWN_AUTHORS.get((words[0][0].lower(), words[-1].lower()))
        header.author = known or name
        report.check(f"author taken from the signature on line {line.no}: {header.author}")
        return


def _check_notes(notes: Notes | None, linker: NoteLinker, texts: list[str], report: Report) -> None:
    if notes:
        for number in linker.unmatched():
            report.check(f"note {number} has no marker in the text: place [^{number}] by hand")
        return
    for text in texts:
        for match in re.finditer(r"\[\d{1,3}\]|" + SUP_CLASS + "+", text):
            report.check(f"{match.group(0)} looks like a note marker, but there is no notes section")
            return


def _check_language(texts: list[str], report: Report) -> None:
    words = re.findall(r"[a-zA-Z]+", " ".join(texts).lower())
    if len(words) < 50:
        return
    common = sum(w in ("the", "and", "of", "to", "in", "is", "that", "a") for w in words)
    if common / len(words) < 0.04:
        report.check("the text may not be in English: set `language`")

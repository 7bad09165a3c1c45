"""The stages put together: raw text (or lines read from HTML) -> an ImportResult."""

from __future__ import annotations

import re

from .base import ImportResult, Line, Notes, Report, lines, short
from .words import ends_sentence, is_name_like
from .dates import is_date_line, is_yearless_date_line
from .language import detect_language
from .html import decode_html, read_html
from .lines import Block, clean_lines, cut_comment_form, drop_navigation, split_blocks
from .header import PSEUDONYM, RANK_LETTER, SALUTATION, Header, choose_date, header_text, known_author, read_header
from .letter import (PS_LINE, is_signature_name, is_valediction, split_address, split_letters, take_dateline,
                     take_signature)
from .notes import SUP_CLASS, take_notes
from .blocks import EDIT_SUFFIX, blocks_to_paras, classify
from .markdown import NoteLinker, front_matter_yaml, render_body, render_div, render_notes, render_text

# --------------------------------------------------------------------------
# Putting it together

def import_text(raw: str, *, source_name: str = "<raw>") -> ImportResult:
    """Turns a raw archive text into the Markdown text format (see the package docstring)."""
    return import_lines(clean_lines(raw), source_name=source_name)


def import_html(data: bytes | str, *, source_name: str = "<page>") -> ImportResult:
    """Turns a saved archive page (MIA, ETOL, MediaWiki …) into the Markdown text format."""
    text = decode_html(data) if isinstance(data, bytes) else data
    lines, meta = read_html(text)
    return import_lines(lines, source_name=source_name, html=True, meta=meta)


def import_lines(lines: list[Line], *, source_name: str = "<raw>", html: bool = False,
                 meta: dict | None = None) -> ImportResult:
    """The pipeline on cleaned lines (from a text, or read out of an HTML page with hints)."""
    report = Report()
    lines = cut_comment_form(drop_navigation(lines, report), report)
    header, body_start = read_header(lines, report)
    blocks = split_blocks(lines[body_start:])
    blocks = _strip_edit_links(blocks)

    dateline = take_dateline(blocks, header, report)
    split_address(blocks, report)
    notes = take_notes(blocks, report, header_marks=[n for n, _, _ in header.marks])
    drop_trailing_links(blocks, report)
    signature, postscripts = take_signature(blocks, report)
    header.letters = split_letters(blocks, report)
    if signature:
        for line in signature:
            header.add_date(RANK_LETTER, is_date_line(line.text), line.no, "closing date line")
    body_lines = {line.no for block in blocks + postscripts for line in block}
    body_lines |= {line.no for line in dateline + signature} | (notes.lines if notes else set())
    paras = blocks_to_paras(blocks, report)
    classify(paras, report)
    tail = blocks_to_paras(postscripts, report)

    notes = _take_reprint_introduction(paras, header, notes, report)
    body_texts = [p.text for p in paras + tail]
    if header.author is None and not header.author_hint and (meta or {}).get("author"):
        _author_from_meta(header, meta["author"], signature, report)
    front = _front_matter(header, signature, body_texts, report, source_name)
    numbers = [n for n, _, _ in notes.notes] if notes else []
    header_refs = _header_marks(header, numbers, report)
    added = notes.added if notes else {}
    linker = NoteLinker([n for n in numbers if n not in header_refs and n not in added], body_texts, report)

    parts: list[str] = []
    if dateline:
        parts.append(render_div("dateline", dateline))
    body = render_body(paras, linker)
    first_refs = [n for n, (_, place) in added.items() if place == "start"] + header_refs
    if first_refs:
        _append_to_first_paragraph(body, "".join(f"[^{n}]" for n in first_refs))
    parts += body
    if signature:
        parts.append(render_div("signature", signature))
    parts += [render_text(p.text, linker, italics=p.italics) for p in tail]
    end_refs = [n for n, (_, place) in added.items() if place == "end"]
    if end_refs:
        _append_to_last_paragraph(parts, "".join(f"[^{n}]" for n in end_refs))
    _nest_notes(notes, linker, report)
    parts += render_notes(notes)
    _check_notes(notes, linker, body_texts, report)

    if not parts:
        report.check(f"{source_name}: no body text found")
    body_md = "\n\n".join(parts)
    markdown = "---\n" + front_matter_yaml(front) + "---\n" + ("\n" + body_md + "\n" if body_md else "")
    return ImportResult(markdown=markdown, front_matter=front, guesses=report.guesses, review=report.review,
                        body_lines=tuple(sorted(body_lines)) if not html else ())


def _take_reprint_introduction(paras: list, header: Header, notes: Notes | None, report: Report) -> Notes | None:
    """A reprint site's introduction: paragraphs before a separator near the top, signed with the
    name of the site the credits thank ("Copied with thanks from the … blog"). It is the site's, not
    the text: it becomes a note of the second series, labelled as the site's and marked at the end
    of the first paragraph. Paragraphs that only name the site are left where they are, and the
    review list says so."""
    sites = [m[1].strip() for credit in header.credits
             if (m := re.search(r"(?:thanks(?:\s+(?:to|from))?|courtesy of|copied from)\s+(?:the\s+)?(.+?)"
                                r"(?:\s+(?:blog|website|site))?\.?$", credit, re.IGNORECASE))]
    breaks = [index for index, para in enumerate(paras[:8]) if para.kind == "break"]
    if not sites or not breaks or breaks[0] == 0:
        return notes
    before = paras[: breaks[0]]
    named = next((site for site in sites if any(site.lower() in para.text.lower() for para in before)), None)
    if not named:
        return notes
    signed = before[-1]
    if len(before) < 2 or named.lower() not in signed.text.lower() or len(signed.text.split()) > 8 \
            or ends_sentence(signed.text) or any(para.kind not in ("para", "heading") for para in before):
        report.check(f"{lines(before[0].no, before[-1].no)}, before the separator at line {paras[breaks[0]].no}, "
                     f"name {named}, which the credits thank: they may be its introduction, not the text")
        return notes
    site = signed.text.rstrip(" .")
    label = f"Introduction by {'' if re.match(r'(?i)the ', site) else 'the '}{site}."
    if notes is None:
        notes = Notes(before[0].no, [])
    notes.add([para.text for para in before[:-1]], before[0].no, label, "start",
                       tuple(p for para in before for p in para.italics))
    separator = paras[breaks[0]].no
    del paras[: breaks[0] + 1]
    doubts = {f"line {para.no} may be a heading: {short(para.text)}" for para in before}
    report.review[:] = [line for line in report.review if line not in doubts]  # no longer in the body
    report.check(f"the paragraphs at {lines(before[0].no, before[-2].no)}, signed “{site}” (line {signed.no}) "
                 f"before the separator at line {separator}, are taken for the introduction of the site the credits thank, not the "
                 f"text: kept as a note labelled “{label}”, marked at the end of the first paragraph")
    return notes


def _author_from_meta(header: Header, value: str, signature: list[Line], report: Report) -> None:
    """The page's <meta name="author">, when neither the header nor a signature names the author."""
    if any(is_name_like(line.text) or PSEUDONYM.match(line.text) for line in signature):
        return  # the signature will say
    names = [name.strip() for name in re.split(r"\s+(?:and|&|und|et|y)\s+|\s*;\s*", value) if name.strip()]
    names = [known_author(name) or name for name in names]
    if not names or not all(is_name_like(name) or known_author(name) for name in names):
        return
    header.author = names[0] if len(names) == 1 else names
    report.check(f"author from the page's meta data (<meta name=\"author\">): {value}")


def _nest_notes(notes: Notes | None, linker: NoteLinker, report: Report) -> None:
    """A note marked only inside another note (a translator's note on an author's note): the
    reader links marks in the text only, so it is kept as a further paragraph of that note,
    after the mark."""
    if not notes:
        return
    for number in list(linker.unmatched()):
        mark = f"[{number}]"
        host = next((note for note in notes.notes if note[0] != number and any(mark in p for p in note[1])), None)
        nested = next((note for note in notes.notes if note[0] == number), None)
        if host is None or nested is None:
            continue
        label = notes.labels.get("*" if number.endswith("*") else "")
        first = f"{mark} " + (f"{label} " if label else "") + nested[1][0]
        host[1].extend([first] + nested[1][1:])
        notes.italics[host[0]] = notes.italics.get(host[0], ()) + notes.italics.pop(number, ())
        notes.notes.remove(nested)
        linker.take(number)
        report.check(f"note {number} is marked inside note {host[0]}, not in the text: it is kept as a paragraph "
                     f"of note {host[0]}")


def _header_marks(header: Header, numbers: list[str], report: Report) -> list[str]:
    """Notes marked in the title or the source line: the front matter cannot hold a mark, so it
    goes to the end of the first paragraph."""
    placed = []
    for number, no, where in header.marks:
        if number in numbers and number not in placed:
            placed.append(number)
            report.check(f"note {number} is marked in the {where} (line {no}); its mark is put at the end "
                         "of the first paragraph")
    return placed


def _append_to_last_paragraph(parts: list[str], refs: str) -> None:
    for index in range(len(parts) - 1, -1, -1):
        if not parts[index].startswith((":::", "* * *", "[^")):  # a heading takes it too ("## …, Unite!")
            parts[index] += refs
            return
    parts.append(refs)


def _append_to_first_paragraph(parts: list[str], refs: str) -> None:
    for index, part in enumerate(parts):
        if not part.startswith(("#", ">", ":::", "* * *")) and not re.match(r"\d+[.)] ", part) \
                and not SALUTATION.match(part):
            parts[index] = part + refs
            return
    parts.append(refs)


def drop_trailing_links(blocks: list[Block], report: Report) -> None:
    """Short lines after the end of the text that are no sentence, name or closing: the page's
    links ("Critique of the Gotha Programme", "Photograph of a page …")."""
    dropped = 0
    while blocks and dropped < 3:
        block = blocks[-1]
        # one short line, not marked by the page as verse, a quotation or a heading (a poem's stanza
        # has several lines and stays)
        if len(block) != 1 or block[0].hint not in ("", "nav") or not _is_link_like(block[0].text) \
                or len(blocks) < 2:
            break
        for line in block:
            report.guess(f"dropped line {line.no} after the text (a link?): {short(line.text)}")
        blocks.pop()
        dropped += 1


def _is_link_like(text: str) -> bool:
    words = text.split()
    return (len(words) <= 10 and not ends_sentence(text) and not is_name_like(text)
            and not is_valediction(text) and not is_date_line(text) and not is_yearless_date_line(text) and not PS_LINE.match(text)
            and not is_signature_name(text) and not re.fullmatch(r"[*\s]+|[-–—_\s]+", text)
            and not re.fullmatch(r"[A-Z]{1,3}\.?", text) and not is_roman(text))


def is_roman(text: str) -> bool:
    return re.fullmatch(r"[IVXLC]{1,7}\.?", text) is not None


def _strip_edit_links(blocks: list[Block]) -> list[Block]:
    """MediaWiki headings copied with their "[edit]" link."""
    for block in blocks:
        for line in block:
            if EDIT_SUFFIX.search(line.text) and len(line.text.split()) <= 13:
                line.text = EDIT_SUFFIX.sub("", line.text)
    return blocks


def _front_matter(header: Header, signature: list[Line], texts: list[str], report: Report,
                 source_name: str) -> dict:
    if header.author is None:
        _author_from_signature(header, signature, report)
    if header.author is None and header.author_hint:
        name, no, how = header.author_hint
        header.author = known_author(name) or name
        report.check(f"author taken from {how}" + (f" (line {no})" if no else "") + f": {header.author}")
    if header.source is None and header.published:
        header.source = header.published[0]
        report.guess(f"source from line {header.published[1]} (first published): {short(header.source)}")
    elif header.published:
        report.guess(f"line {header.published[1]}: first publication not kept (the source line is used): "
                     f"{short(header.published[0])}")
    date, date_text = choose_date(header, report)
    front: dict = {}
    for key, value, missing in (("title", header.title, "no title found: add `title` by hand"),
                                ("subtitle", header.subtitle, None),
                                ("author", header.author, "no author found: add `author` by hand"),
                                ("date", date, "no date found: add `date` by hand"),
                                ("date_text", date_text, None),
                                ("source", header.source, "no source line: add `source` by hand"),
                                ("transcription", _join_credits(header.credits), None)):
        if value:
            front[key] = value
        elif missing:
            report.check(missing)
    language, _ = detect_language(" ".join(texts))
    if language is None:
        language = "en"
        report.check("the text's language could not be told from its words: `language: en` is a default")
    elif language != "en":
        report.guess(f"language from the text's commonest words: {language}")
    front["language"] = language
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
        name = re.sub(r"^(your|yours|ever yours)[,\s]+", "", header_text(line.text), flags=re.IGNORECASE).rstrip(",.")
        pseudonym = PSEUDONYM.match(name)
        if pseudonym:
            real = pseudonym["real"].strip()
            header.author = known_author(real) or real
            report.check(f"line {line.no}: the text is signed with a pseudonym, {pseudonym['pseudonym']}; the author "
                         f"is set to the name in brackets, {header.author}")
            return
        if not is_name_like(name, max_words=4) or len(name.split()) < 2:
            continue
        initials = re.fullmatch(r"(?:[A-Z]\.\s?){1,3}", name.split()[0] + " ") is not None
        header.author = (known_author(name) if initials else None) or name  # "L. Trotsky" -> Leon Trotsky
        report.check(f"author taken from the signature on line {line.no}: {header.author}")
        return


def _check_notes(notes: Notes | None, linker: NoteLinker, texts: list[str], report: Report) -> None:
    if notes:
        for number in linker.unmatched():
            report.check(f"note {number} has no marker in the text: place [^{number}] by hand")
        return
    for text in texts:
        for match in re.finditer(r"\[\d{1,3}\](?!\w)|" + SUP_CLASS + "+", text):  # not "the late [18]70s"
            report.check(f"{match.group(0)} looks like a note marker, but there is no notes section")
            return



"""Stage 2, the header: title, author, date, source and credits (MIA info blocks, ETOL lines)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .base import Line, Report, short
from .words import ends_sentence, is_name_like
from .dates import FoundDate, is_place, find_date, is_date_line

# --------------------------------------------------------------------------
# 2. The header

# MIA header fields: "Written: …", "First Published: …", "Source: …" …
FIELD_LINE = re.compile(r"^(?P<label>[A-Z][A-Za-z/\\&’' -]{1,40}?)\s*:\s*(?P<value>.*)$")
# A label is of a kind when all its words come from the kind's vocabulary (so that a title
# like "Workers' Rights: A Program" is not taken for a field); the first word must be a key word.
FIELD_KINDS = [
    ("date", {"written", "delivered", "date", "dated", "composed", "spoken", "given"},
     {"and", "in", "on", "at", "place", "first"}),
    ("published", {"published", "printed", "appeared", "publication", "originally", "first"},
     {"in", "as", "and"}),
    ("source", {"source", "sources", "original", "publisher", "from"}, {"text", "of", "the"}),
    ("credit", {"translated", "translation", "translator", "transcribed", "transcription", "transcriber",
                "html", "markup", "mark-up", "marked", "proofread", "proofreading", "proofed", "online",
                "scanned", "converted", "prepared", "digitized", "digitised", "copied", "edited", "e-text",
                "etext", "typed", "ocr"},
     {"and", "by", "for", "up", "version", "from", "the", "internet", "into", "english"}),
    ("rights", {"public", "copyleft", "copyright", "license", "licence", "rights"}, {"domain", "and"}),
]
ETOL_SOURCE = re.compile(r"^(?:First published in|Originally published in|Published in|From)\s+"
                         r"(?P<value>(?:the\s+)?[A-Z*“\"‘].*)$")
CREDIT_LINE = re.compile(
    r"^(Transcribed|Transcription|Marked up|Mark-up|HTML|Proofread|Proof-read|Scanned|Converted|"
    r"Prepared|Copied|Digiti[sz]ed|Translated|Translation by|Edited for the)\b", re.IGNORECASE)
SALUTATION = re.compile(
    r"^(Dear|My dear|Dearest|Esteemed|Respected|Comrades?|Friends|Gentlemen|Sirs?|Madam|To the)\b.{0,60}[,:!]$")
EXTRACT_WORD = re.compile(r"\b(extracts?|excerpts?|excerpted|extracted)\b", re.IGNORECASE)
EXTRACT_LINE = re.compile(r"^[(\[]?\s*(?:Extracts?|Excerpts?|Abridged)\b[\s,:.–—-]*(?P<rest>.*?)\s*[)\]]?\.?$",
                          re.IGNORECASE)
BY_LINE = re.compile(r"^by\s+(?P<name>.+)$", re.IGNORECASE)

# Date candidates: lower rank wins
RANK_WRITTEN, RANK_HEADER, RANK_LETTER, RANK_PUBLISHED, RANK_SOURCE = 1, 2, 3, 4, 5


@dataclass
class Header:
    title: str | None = None
    author: str | None = None
    source: str | None = None
    credits: list[str] = field(default_factory=list)
    extract: bool = False
    dates: list[tuple[int, FoundDate, int, str]] = field(default_factory=list)  # rank, date, line, origin
    published: tuple[str, int] | None = None

    def add_date(self, rank: int, found: FoundDate | None, line: int, origin: str) -> None:
        if found is not None:
            self.dates.append((rank, found, line, origin))


def field_kind(label: str) -> str | None:
    """"Written", "First Published", "Transcription/HTML Markup", "Public Domain" … or None."""
    words = [w for w in re.split(r"[\s/\\&,]+", label.strip().lower()) if w]
    if not 1 <= len(words) <= 5:
        return None
    for kind, key_words, other_words in FIELD_KINDS:
        if words[0] in key_words and all(w in key_words or w in other_words for w in words):
            return kind
    return None


def is_body_like(text: str) -> bool:
    words = text.split()
    return len(text) > 160 or len(words) >= 20 or (len(words) >= 12 and ends_sentence(text))


def read_header(lines: list[Line], report: Report) -> tuple[Header, int]:
    """Reads header lines from the top; returns the header and the index where the body starts."""
    header = Header()
    candidates: list[Line] = []
    closed = False  # after metadata or a date line no more title/author lines
    index = 0
    for index, line in enumerate(lines):
        text = line.text
        if not text:
            continue
        if _read_field(text, line.no, header, report) or _read_header_line(text, line.no, header, report):
            header.extract = header.extract or EXTRACT_WORD.search(text) is not None
            closed = True
            continue
        if is_date_line(text):
            if not _is_metadata(_next_text(lines, index)):
                break  # the letter's own date line: the body starts here
            header.add_date(RANK_HEADER, is_date_line(text), line.no, "date line")
            closed = True
            continue
        if SALUTATION.match(text) or is_body_like(text) or is_place_over_date(lines, index):
            break
        if closed or len(candidates) >= 4:
            break
        header.extract = header.extract or EXTRACT_WORD.search(text) is not None
        candidates.append(line)
    else:
        index = len(lines)
    _title_and_author(candidates, header, report)
    return header, index


def _next_text(lines: list[Line], index: int) -> str:
    """The next non-blank line after lines[index]."""
    return next((line.text for line in lines[index + 1:] if line.text), "")


def _is_metadata(text: str) -> bool:
    """A header field or header line (tried on a scratch header)."""
    return bool(text) and (_read_field(text, 0, Header(), Report())
                           or _read_header_line(text, 0, Header(), Report()))


def is_place_line(text: str) -> bool:
    """A place that heads a letter's date line: "Coyoacan, D.F.", "Prinkipo"."""
    words = text.split()
    return (len(text) <= 40 and ("," in text or len(words) == 1) and is_place(text.rstrip("."))
            and not is_name_like(text) and not is_date_line(text))


def is_place_over_date(lines: list[Line], index: int) -> bool:
    following = lines[index + 1] if index + 1 < len(lines) else None
    return (is_place_line(lines[index].text) and following is not None
            and is_date_line(following.text) is not None and not following.text.startswith(("(", "[")))


def _read_field(text: str, no: int, header: Header, report: Report) -> bool:
    match = FIELD_LINE.match(text)
    if not match:
        return False
    kind = field_kind(match["label"])
    if kind is None:
        return False
    label, value = match["label"].strip(), match["value"].strip()
    if kind == "date":
        header.add_date(RANK_WRITTEN, find_date(value), no, f"{label}:")
    elif kind == "published":
        header.published = header.published or (value, no)
        header.add_date(RANK_PUBLISHED, find_date(value), no, f"{label}:")
    elif kind == "source":
        _set_source(header, value, no, report)
        header.add_date(RANK_SOURCE, find_date(value), no, f"{label}:")
    elif kind == "credit":
        header.credits.append(f"{label}: {value}")
        report.guess(f"transcription credit from line {no}: {short(text)}")
    else:
        report.guess(f"dropped rights line {no}: {short(text)}")
    return True


def looks_bibliographic(text: str) -> bool:
    """"Vol. 2 No. 7", "pp. 217–221", "New York 1973": a publication, not a sentence."""
    if re.search(r"\b(Vol|Vols|No|Nos|Nr|pp?|Bd|Nr)\.\s*[\dIVXLC]", text):
        return True
    return find_date(text) is not None and (text.count(",") >= 2 or len(text.split()) <= 12)


def _read_header_line(text: str, no: int, header: Header, report: Report) -> bool:
    """ETOL source and credit lines, bracketed sources, "(Month Year)", "Extract, date"."""
    etol = ETOL_SOURCE.match(text)
    if etol and len(text) <= 300 and looks_bibliographic(text):
        _set_source(header, etol["value"].strip(), no, report)
        header.add_date(RANK_SOURCE, find_date(text), no, "source line")
        return True
    if CREDIT_LINE.match(text) and len(text) <= 300 and re.search(r"\bby\b|:", text) \
            and (not is_body_like(text) or re.search(r"ETOL|Archive|[Mm]arxists|On-?[Ll]ine|Internet", text)):
        header.credits.append(text)
        report.guess(f"transcription credit from line {no}: {short(text)}")
        return True
    bracket = re.fullmatch(r"\[(?P<value>[^\[\]]+)\]", text)
    if bracket and looks_bibliographic(text) and not is_date_line(text):
        _set_source(header, bracket["value"].strip(), no, report)
        header.add_date(RANK_SOURCE, find_date(text), no, "source line")
        return True
    if re.fullmatch(r"[(\[].*[)\]]", text) and (found := is_date_line(text)):
        header.add_date(RANK_HEADER, found, no, "date line")
        return True
    extract = EXTRACT_LINE.match(text)
    if extract and (not extract["rest"] or is_date_line(extract["rest"])):
        header.extract = True
        header.add_date(RANK_HEADER, is_date_line(extract["rest"]) if extract["rest"] else None, no, "extract line")
        report.guess(f"extract from line {no}: {text}")
        return True
    return False


def _set_source(header: Header, value: str, no: int, report: Report) -> None:
    value = value.strip()
    if header.source:
        report.check(f"line {no}: a second source line was not used: {short(value)}")
        return
    header.source = value
    report.guess(f"source from line {no}: {short(value)}")


def _title_and_author(candidates: list[Line], header: Header, report: Report) -> None:
    """Assigns the short lines at the top: author and title, in either order."""
    lines = list(candidates)
    for line in lines:
        by = BY_LINE.match(line.text)
        if by and is_name_like(by["name"]):
            header.author = by["name"].strip()
            report.guess(f"author from line {line.no}: {header.author}")
            lines.remove(line)
            break
    for line in lines:
        combined = re.match(r"^(?P<author>[^:–—]{3,50}?)\s*(?::|\s[–—])\s+(?P<title>.+)$", line.text)
        if combined and header.author is None and is_name_like(combined["author"]):
            header.author = combined["author"].strip()
            report.guess(f"author and title from line {line.no}: {short(line.text)}")
            _set_title(header, combined["title"], line.no, report)
            lines.remove(line)
            break
    if header.author is None:
        names = [line for line in lines if is_name_like(line.text)]
        if names and (len(lines) > 1 or header.title):
            name = names[0]
            header.author = name.text.rstrip(",")
            report.guess(f"author from line {name.no}: {header.author}")
            lines.remove(name)
    if lines and header.title is None:
        first = lines.pop(0)
        _set_title(header, first.text, first.no, report)
    for extra in lines:
        if header.title is None:
            _set_title(header, extra.text, extra.no, report)
            continue
        joiner = " " if header.title[-1:] in "?!.:" else ": "
        header.title = f"{header.title}{joiner}{extra.text}"
        report.check(f"line {extra.no}: joined to the title as a subtitle: {short(extra.text)}")


def _set_title(header: Header, text: str, no: int, report: Report) -> None:
    """The title; a date at its end ("Letter to X, January 9, 1926") goes to the date."""
    text = text.strip()
    found = find_date(text)
    if found and not text[found.end:].strip(" .)]") and found.start > 0:
        before = text[: found.start]
        parenthesised = before.rstrip().endswith(("(", "["))
        rest = before.rstrip(" ,;–—-([").strip()
        if rest and (found.precision >= 2 or parenthesised):
            header.add_date(RANK_HEADER, found, no, "title line")
            report.guess(f"date taken off the title on line {no}: {found.text}")
            text = rest
    header.title = text
    report.guess(f"title from line {no}: {short(text)}")


def choose_date(header: Header, report: Report) -> tuple[str | None, str | None]:
    """The best-ranked date; a more precise date that agrees with it refines it."""
    if not header.dates:
        return None, None
    ranked = sorted(header.dates, key=lambda d: d[0])
    rank, best, no, origin = ranked[0]
    for other_rank, other, other_no, other_origin in ranked[1:]:
        if other.precision > best.precision and other.iso.startswith(best.iso) and other_rank <= RANK_LETTER:
            best, no, origin = other, other_no, other_origin
    if ranked[0][0] >= RANK_PUBLISHED:
        report.check(f"date {best.iso} taken from the publication details on line {no}: check the date of writing")
    report.guess(f"date from line {no} ({origin}): {best.iso} ({best.text})")
    return best.iso, (best.text if best.text != best.iso else None)

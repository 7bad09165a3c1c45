"""Stage 2, the header: title, author, date, source and credits (MIA info blocks, ETOL lines)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .base import Line, Report, short
from .words import KNOWN_AUTHORS, ends_sentence, is_name_like
from .dates import FoundDate, is_place, find_date, is_date_line

# --------------------------------------------------------------------------
# 2. The header

# MIA header fields: "Written: …", "First Published: …", "Source: …" …
FIELD_LINE = re.compile(r"^(?P<label>[^\W\d_][^\W\d_/\\&’' .-]*(?:[/\\&’' .-]+[^\W\d_]+)*\.?)\s*:\s*(?P<value>.*)$")
# A label is of a kind when all its words come from the kind's vocabulary (so that a title
# like "Workers' Rights: A Program" is not taken for a field); the first word must be a key word.
FIELD_KINDS = [
    ("date", {"written", "delivered", "date", "dated", "composed", "spoken", "given", "held",
              "geschrieben", "verfasst", "gehalten", "datum", "écrit", "rédigé", "prononcé", "escrito", "redactado",
              "pronunciado", "fecha"},
     {"and", "in", "on", "at", "place", "first"}),
    ("published", {"published", "printed", "appeared", "publication", "originally", "first", "republished",
                   "reprinted", "erstveröffentlichung", "erstmals", "veröffentlicht", "erschienen", "publié", "publiée",
                   "première", "parution", "publicado", "publicada", "primera", "publicación"},
     {"in", "as", "and", "online", "publication", "dans", "en", "veröffentlichung"}),
    ("publisher", {"publisher", "publishers", "publishing", "verlag", "éditeur", "editorial"}, {"house", "and", "place"}),
    ("source", {"source", "sources", "original", "from", "quelle", "vorlage", "fuente"}, {"text", "of", "the", "this", "version"}),
    ("credit", {"translated", "translation", "translator", "translators", "transcribed", "transcription",
                "transcriber", "html", "markup", "mark-up", "marked", "re-marked", "remarked", "proofread",
                "proofreading", "proofed", "proof-read", "online", "scanned", "converted", "prepared",
                "digitized", "digitised", "copied", "edited", "editor", "e-text", "etext", "typed", "ocr",
                "corrected", "checked", "re-transcribed", "original", "übersetzung", "übersetzt", "übersetzer",
                "transkription", "html-markierung", "markierung", "digitalisierung", "korrektur", "traduction",
                "traduit", "traducteur", "numérisation", "correction", "traducción", "traducido", "traductor",
                "transcripción", "digitalización", "edición", "html-markup"},
     {"and", "by", "for", "up", "version", "from", "the", "internet", "into", "english", "re"}),
    ("rights", {"public", "copyleft", "copyright", "license", "licence", "rights", "urheberrecht", "lizenz",
                "licencia", "droits"}, {"domain", "and"}),
    ("signed", {"signed", "signature", "pseudonym"}, {"as", "by"}),
]
CREDIT_WORDS = FIELD_KINDS[4][1] - {"original", "online", "edición"}
RIGHTS_LINE = re.compile(r"^(?:Copyright\b|©|\(c\)\s|Copyleft\b|Public [Dd]omain\b|Creative Commons\b).{0,200}$")
LANGUAGE_WORDS = r"(?:English|French|German|Russian|Spanish|Italian|Yiddish|Polish|Dutch|Portuguese|Czech)"
ETOL_SOURCE = re.compile(
    r"^(?P<kind>First published in|First published|Originally published|Published in|Published|"
    r"Republished in|Republished|Reprinted in|Reprinted|Printed in|From|This version from|Source:?|"
    r"Text from|Taken from|(?:[A-Z][a-z]+\s+)?(?:reprinted|republished|reproduced|taken|copied) (?:from|in))\s+(?:(?:in|into)\s+" + LANGUAGE_WORDS + r"\s+)?(?:in\s+|by\s+)?"
    r"(?P<value>(?:the\s+)?[A-Z*“\"‘].*)$")
# "Speech at …", "Report to …", "Delivered at …": what the text was, with where and when
OCCASION_LINE = re.compile(r"^(?:Speech|Address|Report|Lecture|Talk|Delivered|Given|Read)\s+(?:at|to|before|in|on)\s+\S")
# A collection's heading above the title: "Works of Frederick Engels 1877", "Marx-Engels Correspondence 1871"
COLLECTION_LINE = re.compile(
    r"^(?:(?:(?:Selected|Collected)\s+)?(?:Works|Writings|Letters|Articles|Speeches)\s+of\s+(?P<name>.+?)"
    r"|.+\bCorrespondence|.+\b(?:Internet\s+)?Archive)\s*,?\s*(?:\(?1[5-9]\d\d(?:[-–]\d{2,4})?\)?)?$")
# "Marx to Dr Kugelmann", "Engels to Franz Mehring": a letter's heading, the writer's surname first
LETTER_HEADING = re.compile(r"^(?P<who>[A-Z][\w’'-]+(?:\s+(?:and|&)\s+[A-Z][\w’'-]+)?)\s+to\s+(?P<whom>\S.*)$")
# "Frederick Engels’ Speech at the Grave of Karl Marx": the author named in the title
POSSESSIVE_TITLE = re.compile(r"^(?P<name>(?:[A-Z][\w.-]+\s+){0,3}[A-Z][\w-]+)[’']s?\s+"
                              r"(?:Speech|Letter|Address|Report|Article|Reply|Preface|Introduction|Notes|Theses)\b")
# "Crux [Trotsky]", "Alpha (L. Trotsky)": a pseudonym with the real name in brackets
PSEUDONYM = re.compile(r"^(?P<pseudonym>[A-Z][\w.’'-]+(?:\s+[A-Z][\w.’'-]+)?)\s*[\[(](?P<real>[A-Z][\w.’' -]+?)[\])]\.?$")
# a note marker at the end of a title or a source line: "… Bonaparte[39]", "… 1893. [1]", "… 1893.[1*]"
HEADER_MARK = re.compile(r"\s?\[(?P<n>\d{1,3}\*?)\]$")
PART_HEADING = re.compile(
    r"^(?:[IVXLC]{1,7}\.?|\d{1,3}\.?|(?:Chapter|Part|Book|Section|Kapitel|Teil|Chapitre|Partie|Capítulo)\b.*|"
    r"(?:Preface|Foreword|Introduction|Afterword|Postscript|Appendix|Notes|Endnotes|Epilogue|Conclusion|"
    r"Vorwort|Einleitung|Nachwort|Préface|Avant-propos|Prólogo|Prefacio)\b.*|\w+)$")
CREDIT_LINE = re.compile(
    r"^(Transcribed|Transcription|Original transcription|Marked up|Mark-up|Re-marked|HTML|Proofread|Proof-read|"
    r"Scanned|Converted|Prepared|Copied|Digiti[sz]ed|Translated|Translation by|Edited for the|Corrected|"
    r"Checked|Thanks to|With thanks to|Courtesy of)\b", re.IGNORECASE)
SALUTATION = re.compile(
    r"^(?:(Dear|My dear|Dearest|Esteemed|Respected|Comrades?|Friends|Gentlemen|Sirs?|Madam|To the|Lieber|Liebe|"
    r"Werter|Werte|Sehr geehrter|Cher|Chère|Chers|Chères|Mon cher|Ma chère|Queridos?|Queridas?|Estimados?|"
    r"Estimadas?|Caro|Cara|Cari|Care|"
    r"Уважаемый|Дорогой|Дорогая)\b.{0,60}[,:!]"
    r"|(?:Dear|My dear|Dearest|Lieber|Liebe|Cher|Chère|Queridos?|Queridas?|Caro|Cara)"
    r"(?:\s+[A-Z][\w.’'-]*){1,3}(?:\s*(?:\.\.\.|…))?)$")
EXTRACT_WORD = re.compile(r"\b(extracts?|excerpts?|excerpted|extracted)\b", re.IGNORECASE)
EXTRACT_LINE = re.compile(r"^[(\[]?\s*(?:Extracts?|Excerpts?|Abridged)\b[\s,:.–—-]*(?P<rest>.*?)\s*[)\]]?\.?$",
                          re.IGNORECASE)
BY_LINE = re.compile(r"^by\s+(?P<name>.+)$", re.IGNORECASE)

# Date candidates: lower rank wins
RANK_WRITTEN, RANK_HEADER, RANK_LETTER, RANK_PUBLISHED, RANK_SOURCE = 1, 2, 3, 4, 5


@dataclass
class Header:
    title: str | None = None
    subtitle: str | None = None
    author: str | None = None
    source: str | None = None
    credits: list[str] = field(default_factory=list)
    extract: bool = False
    dates: list[tuple[int, FoundDate, int, str]] = field(default_factory=list)  # rank, date, line, origin
    published: tuple[str, int] | None = None
    marks: list[tuple[str, int, str]] = field(default_factory=list)  # note markers: (number, line, where)
    author_hint: tuple[str, int, str] | None = None  # (name, line, how) when only suggested
    last_field: str | None = None  # the kind of the last field read (for its continuation lines)
    letters: int = 1  # how many letters the page holds (letter.split_letters)

    def add_date(self, rank: int, found: FoundDate | None, line: int, origin: str) -> None:
        if found is not None:
            self.dates.append((rank, found, line, origin))


def field_kind(label: str) -> str | None:
    """"Written", "First Published", "Transcription/HTML Markup", "Public Domain" … or None."""
    words = [w for w in re.split(r"[\s/\\&,]+", label.strip().lower()) if w]
    if not 1 <= len(words) <= 6:
        return None
    if any(w in CREDIT_WORDS for w in words):  # "Original Transcription", "Transcription & HTML Mark-up"
        kind, key_words, other_words = FIELD_KINDS[4]
        if all(w in key_words or w in other_words for w in words):
            return kind
    for kind, key_words, other_words in FIELD_KINDS:
        if words[0] in key_words and all(w in key_words or w in other_words for w in words):
            return kind
    return None


def is_body_like(text: str) -> bool:
    words = text.split()
    return len(text) > 160 or len(words) >= 20 or (len(words) >= 12 and ends_sentence(text))


def header_text(text: str) -> str:
    """A header line with its no-break spaces as plain spaces ("V. I.\u00a0Lenin")."""
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


ABSTRACT = re.compile(r"^(?:Abstract|Summary|Contents)$")


def read_header(lines: list[Line], report: Report) -> tuple[Header, int]:
    """Reads header lines from the top; returns the header and the index where the body starts.

    Title and author lines are gathered in groups (a group: lines without a blank line between,
    as a heading with a line break inside); fields ("Written: …") and ETOL lines ("From …",
    "Transcribed by …") may run over several lines."""
    header = Header()
    groups: list[list[Line]] = []
    closed = False  # after metadata or a date line no more title/author lines
    new_group = True
    index = 0
    for index, line in enumerate(lines):
        text = header_text(line.text)
        if not text:
            header.last_field = None
            new_group = True
            continue
        if line.hint == "body":
            break
        if ABSTRACT.match(text) and not closed and _next_is_metadata(lines, index):
            report.guess(f"dropped the link line {line.no}: {text}")
            continue
        if _read_field(text, line.no, header, report) or _read_header_line(text, line.no, header, report):
            header.extract = header.extract or EXTRACT_WORD.search(text) is not None
            closed = True
            continue
        if header.last_field and (_continues_field(text, line) or (
                header.last_field in ("source", "publisher", "published") and line.hint in ("", "info")
                and FIELD_LINE.match(text) is None and looks_bibliographic(text))):
            _continue_field(header, text, line.no, report)
            continue
        header.last_field = None
        if COLLECTION_LINE.match(text) and not groups and not closed:
            groups.append([Line(line.no, text, line.indent, line.hint)])
            new_group = True
            continue
        if is_date_line(text) or (OCCASION_LINE.match(text) and find_date(text) and not is_body_like(text)):
            if not _is_metadata(_next_text(lines, index)) and not groups:
                break  # the letter's own date line: the body starts here
            if not _is_metadata(_next_text(lines, index)) and closed:
                break
            header.add_date(RANK_HEADER, is_date_line(text) or find_date(text), line.no, "date line")
            if OCCASION_LINE.match(text):
                occasion = _without_final_date(text)
                if header.subtitle is None and occasion:
                    header.subtitle = occasion
                    report.guess(f"subtitle from line {line.no} (the occasion): {short(occasion)}")
                else:
                    report.check(f"line {line.no} describes the occasion; only its date is kept: {short(text)}")
            closed = True
            continue
        if SALUTATION.match(text) or is_body_like(text) or is_place_over_date(lines, index):
            break
        if line.hint in ("quote", "note", "notes-heading"):
            break
        if closed or sum(len(g) for g in groups) >= 6:
            break
        header.extract = header.extract or EXTRACT_WORD.search(text) is not None
        if new_group or not groups:
            groups.append([])
        groups[-1].append(Line(line.no, text, line.indent, line.hint))
        new_group = False
    else:
        index = len(lines)
    _title_and_author(groups, header, report)
    return header, index


def _without_final_date(text: str) -> str:
    found = find_date(text)
    if found and not text[found.end:].strip(" .)]"):
        return text[: found.start].rstrip(" ,;–—-([").strip()
    return text.rstrip(".")


def _next_is_metadata(lines: list[Line], index: int) -> bool:
    return _is_metadata(_next_text(lines, index))


def _continues_field(text: str, line: Line) -> bool:
    """A line under a field, in the same block, that is not a field of its own."""
    return line.hint in ("", "info") and not is_date_line(text) and FIELD_LINE.match(text) is None \
        and len(text) <= 400


SOURCE_REMARK = re.compile(r"^(?:N\.\s?B\.|Note\b|Please note\b|Anmerkung\b|Hinweis\b|Remarque\b|Nota\b)", re.IGNORECASE)


def _continue_field(header: Header, text: str, no: int, report: Report) -> None:
    kind = header.last_field
    if kind in ("source", "publisher") and SOURCE_REMARK.match(text):
        # "Note that this version differs from …": the archive's remark on the source, not the source
        report.check(f"line {no}, under the source, is a remark on it and is not kept: {short(text, 120)}")
    elif kind in ("source", "publisher"):
        _add_source(header, text, no, report)
    elif kind == "credit" and header.credits:
        header.credits[-1] = header.credits[-1].rstrip() + " " + text
        report.guess(f"line {no} continues the credit above it")
    elif kind == "published" and header.published:
        header.published = (header.published[0].rstrip() + " " + text, header.published[1])
    else:
        report.guess(f"line {no} continues the field above it (not kept): {short(text)}")


def _next_text(lines: list[Line], index: int) -> str:
    """The next non-blank line after lines[index]."""
    return next((header_text(line.text) for line in lines[index + 1:] if line.text), "")


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
    header.last_field = kind
    if kind == "date":
        header.add_date(RANK_WRITTEN, find_date(value), no, f"{label}:")
        by = re.match(r"^by\s+(?P<name>[A-Z][\w.’' -]+?)(?=\s+(?:in|on|at|during|between|from|c\.)\b|[,;.]|$)", value)
        if by and header.author_hint is None:
            header.author_hint = (by["name"], no, f"the “{label}:” field")
    elif kind == "published":
        header.published = header.published or (_field_value(value), no)
        header.add_date(RANK_PUBLISHED, find_date(value), no, f"{label}:")
    elif kind in ("source", "publisher"):
        _add_source(header, value, no, report)
        header.add_date(RANK_SOURCE, find_date(value), no, f"{label}:")
    elif kind == "credit":
        header.credits.append(f"{label}: {_field_value(value)}")
        report.guess(f"transcription credit from line {no}: {short(text)}")
    elif kind == "signed":
        report.guess(f"line {no}: the signature the text was printed under: {short(value)}")
    else:
        report.guess(f"dropped rights line {no}: {short(text)}")
    return True


def _field_value(value: str) -> str:
    """A field's value without the ";" or "." that MIA puts at the end of each line."""
    value = value.strip()
    value = re.sub(r"\s*;$", "", value)
    if value.endswith(".") and not re.search(r"\b(?:[A-Z]|[a-z]{1,3}|\w*\d\w*)\.$", value):
        value = value[:-1]
    return value.strip()


def looks_bibliographic(text: str) -> bool:
    """"Vol. 2 No. 7", "pp. 217–221", "New York 1973": a publication, not a sentence."""
    if re.search(r"\b(Vol|Vols|No|Nos|Nr|pp?|Bd|Nr)\.\s*[\dIVXLC]", text):
        return True
    return find_date(text) is not None and (text.count(",") >= 2 or len(text.split()) <= 12)


def _read_header_line(text: str, no: int, header: Header, report: Report) -> bool:
    """ETOL source and credit lines, bracketed sources, "(Month Year)", "Extract, date"."""
    etol = ETOL_SOURCE.match(text)
    if etol and len(text) <= 300 and (looks_bibliographic(text) or re.search(
            r"this version|republished|reprinted|reproduced|originally|first published|text from|taken from",
            etol["kind"], re.IGNORECASE)):
        value = etol["value"].strip()
        if etol["kind"].lower().startswith(("originally", "first published")) and not header.source:
            header.published = header.published or (_take_mark(header, _field_value(value), no, "source line"), no)
            header.last_field = "published"
            header.add_date(RANK_PUBLISHED, find_date(text), no, "publication line")
            report.guess(f"first publication from line {no}: {short(value)}")
        else:
            _add_source(header, value, no, report)
            header.last_field = "source"
            header.add_date(RANK_SOURCE, find_date(text), no, "source line")
        return True
    if CREDIT_LINE.match(text) and len(text) <= 300 and re.search(r"\bby\b|:|\bfrom\b|\bthanks\b", text) \
            and (not is_body_like(text) or re.search(r"ETOL|Archive|[Mm]arxists|On-?[Ll]ine|Internet|Website|blog",
                                                     text)):
        header.credits.append(text)
        header.last_field = "credit"
        report.guess(f"transcription credit from line {no}: {short(text)}")
        return True
    if RIGHTS_LINE.match(text):
        header.last_field = "rights"
        report.guess(f"dropped rights line {no}: {short(text)}")
        return True
    bracket = re.fullmatch(r"\[(?P<value>[^\[\]]+)\]", text)
    if bracket and looks_bibliographic(text) and not is_date_line(text):
        _add_source(header, bracket["value"].strip(), no, report)
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


def _take_mark(header: Header, text: str, no: int, where: str) -> str:
    """Takes a note marker off the end of a title or source line and remembers it."""
    match = HEADER_MARK.search(text)
    if not match:
        return text
    header.marks.append((match["n"], no, where))
    return text[: match.start()].rstrip()


def _add_source(header: Header, value: str, no: int, report: Report) -> None:
    """The source; a further source line (a publisher, a year, a second part) is added to it."""
    value = _take_mark(header, _field_value(value), no, "source line")
    if not value:
        return
    if header.source:
        joiner = " " if header.source.endswith(".") and value[:1].isupper() else ", "
        header.source = header.source.rstrip(" ,;") + joiner + value
        report.guess(f"source continued on line {no}: {short(value)}")
        return
    header.source = value
    report.guess(f"source from line {no}: {short(value)}")


def _title_and_author(groups: list[list[Line]], header: Header, report: Report) -> None:
    """Assigns the short lines at the top: a collection's heading, the author, the title."""
    groups = [list(g) for g in groups]

    def remove(line: Line) -> None:
        for group in groups:
            if line in group:
                group.remove(line)
        groups[:] = [g for g in groups if g]

    def all_lines() -> list[Line]:
        return [line for group in groups for line in group]

    # a collection's heading: "Works of Frederick Engels 1877", "Marx-Engels Correspondence 1871"
    for line in all_lines()[:1]:
        collection = COLLECTION_LINE.match(line.text)
        if collection and len(all_lines()) > 1:
            if collection["name"] and is_name_like(collection["name"]):
                header.author = collection["name"].strip()
                report.guess(f"author from the collection's heading on line {line.no}: {header.author}")
            else:
                report.guess(f"line {line.no} is the collection's heading, not the title: {short(line.text)}")
            remove(line)
    for line in all_lines():
        by = BY_LINE.match(line.text)
        if by and is_name_like(by["name"]):
            header.author = header.author or by["name"].strip()
            report.guess(f"author from line {line.no}: {by['name'].strip()}")
            remove(line)
            break
    for line in all_lines():
        pseudonym = PSEUDONYM.match(line.text)
        if pseudonym and header.author is None:
            _set_pseudonym(header, pseudonym, line.no, report)
            remove(line)
            break
    for line in all_lines():
        combined = re.match(r"^(?P<author>[^:–—]{3,50}?)\s*(?::|\s[–—])\s+(?P<title>.+)$", line.text)
        others_named = any(is_name_like(other.text) for other in all_lines() if other is not line)
        if combined and header.author is None and is_name_like(combined["author"]) \
                and not COLLECTION_LINE.match(line.text) and not others_named:
            header.author = combined["author"].strip()
            report.guess(f"author and title from line {line.no}: {short(line.text)}")
            group = next(g for g in groups if line in g)
            rest = group[group.index(line) + 1:]
            _set_title(header, [Line(line.no, combined["title"], 0)] + rest, report)
            for extra in [line] + rest:
                remove(extra)
            break
    if header.author is None:
        names = [line for line in all_lines() if is_name_like(line.text)]
        if names and (len(all_lines()) > 1 or header.title):
            name = names[0]
            header.author = name.text.rstrip(",")
            report.guess(f"author from line {name.no}: {header.author}")
            remove(name)
    if header.title is None and groups:
        last = groups[-1]
        before = groups[:-1]
        if before and PART_HEADING.match(last[0].text) and len(last[0].text.split()) <= 8:
            book = before[0]
            _set_title(header, book[:1], report)
            header.subtitle = ": ".join(_take_mark(header, line.text, line.no, "title") for line in last)
            report.guess(f"subtitle (the part of the book) from line {last[0].no}: {short(header.subtitle)}")
            year = re.search(r"(?:,\s*|\s\()(1[5-9]\d\d|20\d\d)\)?$", header.subtitle)
            if year:  # "Preface to the First Edition, 1884"
                header.add_date(RANK_HEADER, is_date_line(year[1]), last[-1].no, "the part's heading")
            for line in book[1:] + [line for group in before[1:] for line in group]:
                report.check(f"line {line.no} was not kept in the title: {short(line.text)}")
        else:
            _set_title(header, last, report)
            for group in before:
                for line in group:
                    report.guess(f"line {line.no} is a heading above the title, not kept: {short(line.text)}")
    if header.author is None and header.title:
        letter = LETTER_HEADING.match(header.title)
        possessive = POSSESSIVE_TITLE.match(header.title)
        if letter and (known := known_author(letter["who"])):
            header.author = known
            report.guess(f"author from the letter's heading: {known}")
        elif possessive and is_name_like(possessive["name"]):
            header.author_hint = header.author_hint or (possessive["name"], 0, "the title")


def _set_pseudonym(header: Header, match: re.Match, no: int, report: Report) -> None:
    real = match["real"].strip()
    header.author = known_author(real) or real
    report.check(f"line {no}: the text is signed with a pseudonym, {match['pseudonym']}; the author is set to "
                 f"the name in brackets, {header.author}")


def known_author(name: str) -> str | None:
    """"Engels" -> "Frederick Engels", "L. Trotsky" -> "Leon Trotsky" (for well-known signatures)."""
    words = name.replace(".", ". ").split()
    if not words:
        return None
    surname = words[-1].lower()
    matches = {full for (initial, last), full in KNOWN_AUTHORS.items()
               if last == surname and (len(words) == 1 or words[0][0].lower() == initial)}
    return matches.pop() if len(matches) == 1 else None


JOINING_WORDS = {"of", "the", "and", "to", "for", "in", "on", "a", "an", "with", "from", "by", "at", "de", "der",
                 "die", "das", "des", "du", "la", "le", "les", "et", "und", "y", "el", "del", "von", "zur", "zum"}


def _set_title(header: Header, lines: list[Line], report: Report) -> None:
    """The title from a group of lines: a heading broken over two lines is joined when the first
    line plainly runs on ("… Edition of / The Eighteenth Brumaire"), otherwise the second line
    is the subtitle. A date at the end of the title goes to the date; a note marker to the notes."""
    if not lines:
        return
    first = lines[0]
    text = _take_mark(header, first.text.strip(), first.no, "title")
    rest = [_take_mark(header, line.text.strip(), line.no, "title") for line in lines[1:]]
    while rest and (text.split()[-1].lower() in JOINING_WORDS or text.endswith(("-", "–", ",")) or rest[0][:1].islower()):
        text = join_title(text, rest.pop(0))
        report.guess(f"the title runs on from line {first.no} to the next line")
    found = find_date(text)
    if found and not text[found.end:].strip(" .)]") and found.start > 0:
        before = text[: found.start]
        parenthesised = before.rstrip().endswith(("(", "["))
        remainder = before.rstrip(" ,;–—-([").strip()
        if remainder and (found.precision >= 2 or parenthesised):
            header.add_date(RANK_HEADER, found, first.no, "title line")
            report.guess(f"date taken off the title on line {first.no}: {found.text}")
            text = remainder
    header.title = text
    report.guess(f"title from line {first.no}: {short(text)}")
    if rest:
        header.subtitle = " ".join(rest)
        report.guess(f"subtitle from line {lines[1].no}: {short(header.subtitle)}")


def join_title(text: str, following: str) -> str:
    return text + following if text.endswith("-") else text + " " + following


def choose_date(header: Header, report: Report) -> tuple[str | None, str | None]:
    """The best-ranked date; a more precise date that agrees with it refines it."""
    if not header.dates:
        return None, None
    ranked = sorted(header.dates, key=lambda d: d[0])
    rank, best, no, origin = ranked[0]
    for other_rank, other, other_no, other_origin in ranked[1:]:
        if header.letters > 1 and other_origin == "dateline":
            continue  # the first letter's day is not the date of the page's letters
        if other.precision > best.precision and other.iso.startswith(best.iso) and other_rank <= RANK_LETTER:
            best, no, origin = other, other_no, other_origin
    if header.letters > 1 and origin == "dateline":
        report.check(f"the page holds {header.letters} letters: the date is the first letter's (line {no})")
    if ranked[0][0] >= RANK_PUBLISHED:
        report.check(f"date {best.iso} taken from the publication details on line {no}: check the date of writing")
    report.guess(f"date from line {no} ({origin}): {best.iso} ({best.text})")
    if re.search(r"/\s*\d\d$", best.text):
        report.check(f"date {best.text} on line {no} has a two-digit year, read as {best.iso[:4]}: check the century")
    return best.iso, (best.text if best.text != best.iso else None)

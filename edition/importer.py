"""Importing raw archive texts: plain text as copied from an archive -> a text file.

`edition import RAW.txt` reads a text as copied from the Marxists Internet
Archive (MIA), the Encyclopaedia of Trotskyism On-Line (ETOL), a MediaWiki
mirror or the like, and writes it in the text format described in the README:
YAML front matter, then a Markdown body.

The importer works from the general habits of such archives, never from
particular files, and it is conservative: what it is sure of it does (and
lists in `guesses`), what it only suspects it leaves as it was and lists in
`review`.  The words of the text are kept, in their order; only the archive's
furniture (navigation, credits, header fields) is moved or dropped.

The pipeline:

1. clean the lines (white space, invisible characters) and drop navigation
   lines ("Main Page", "Next | Previous", "Last updated: …", "Retrieved from …");
2. read the header: title, author, date lines, MIA fields ("Written:",
   "Source:" …), ETOL lines ("From Fourth International, …", "Transcribed &
   marked up by …"), bracketed sources ("[Writings of …, p. 44]"), "Extract";
3. cut the body into blocks at blank lines and take off the letter furniture
   (an opening date line, closing lines and signatures) and a trailing notes
   section;
4. turn blocks into paragraphs (hard-wrapped lines are joined; list items and
   paragraphs written without blank lines between them are split);
5. classify paragraphs: section headings, numbered lists, block quotes,
   capitalised lead-ins;
6. write Markdown: escape what Markdown would misread, turn note markers into
   `[^n]`, put the front matter on top.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

import yaml

__all__ = ["ImportResult", "import_text", "suggest_filename"]


@dataclass(frozen=True)
class ImportResult:
    markdown: str        # the whole file: front matter + body
    front_matter: dict   # what went into the front matter
    guesses: list[str]   # what it guessed ("title from line 3: …", "heading at line 40: …")
    review: list[str]    # what needs a human look ("no date found", "line 12 may be a heading")


# --------------------------------------------------------------------------
# Working data

@dataclass
class Line:
    no: int       # 1-based line number in the raw text
    text: str     # stripped, inner runs of spaces collapsed
    indent: int   # leading white space (a tab counts 4)


@dataclass
class Para:
    no: int                 # line number of its first line
    text: str
    nlines: int = 1         # how many raw lines were joined
    block: int = 0          # index of the blank-line block it came from
    indented: bool = False  # all its lines indented more than the text's usual
    kind: str = "para"      # para | heading | item | quote
    item: tuple | None = None  # (ordinal, delimiter, label kind) for list items


@dataclass
class Notes:
    no: int                                   # line of the notes heading
    notes: list[tuple[str, list[str], int]]   # (number, paragraphs, line)


@dataclass
class Report:
    guesses: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)

    def guess(self, message: str) -> None:
        self.guesses.append(message)

    def check(self, message: str) -> None:
        self.review.append(message)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# --------------------------------------------------------------------------
# Dates

_MONTH_NAMES = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
MON = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
       r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?")
YEAR = r"(?P<y>1[5-9]\d\d|20\d\d)"
DAY = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th)?"
DASH = r"\s*(?:[-–—/]|to|and)\s*"
QUALIFIER = r"(?:(?:Early|Late|Mid|early|late|mid)[-\s]+)"
SEASON = r"(?:Spring|Summer|Autumn|Fall|Winter)"

# (pattern, precision): precision 3 = day, 2 = month, 1 = year
_DATE_PATTERNS = [
    (re.compile(r"\b(?P<y>1[5-9]\d\d|20\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"), 3),
    (re.compile(rf"\b[0-3]?\d(?:st|nd|rd|th)?{DASH}[0-3]?\d(?:st|nd|rd|th)?\s+(?P<mon>{MON}),?\s+{YEAR}\b"), 2),
    (re.compile(rf"\b(?P<mon>{MON})\s+[0-3]?\d(?:st|nd|rd|th)?{DASH}[0-3]?\d(?:st|nd|rd|th)?,?\s+{YEAR}\b"), 2),
    (re.compile(rf"\b{MON}{DASH}{MON},?\s+{YEAR}\b"), 1),
    (re.compile(rf"\b{DAY}\s+(?P<mon>{MON}),?\s+{YEAR}\b"), 3),
    (re.compile(rf"\b(?P<mon>{MON})\s+{DAY},?\s+{YEAR}\b"), 3),
    (re.compile(rf"\b(?:{QUALIFIER}|Beginning of|End of)?(?P<mon>{MON}),?\s+{YEAR}\b"), 2),
    (re.compile(rf"\b{QUALIFIER}?(?:{SEASON}(?:\s+of)?,?\s+)?{YEAR}\b"), 1),  # "Summer 1932", "Late 1932", "1932"
    (re.compile(rf"\b(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.{YEAR}\b"), 3),
    (re.compile(rf"\b{YEAR}\s*[-–—]\s*(?:1[5-9]\d\d|20\d\d|\d\d)\b"), 1),
]


@dataclass(frozen=True)
class FoundDate:
    iso: str
    text: str      # the source's wording
    start: int
    end: int
    precision: int


def find_date(text: str) -> FoundDate | None:
    """The first (and, at the same place, the longest) date expression in text."""
    best: FoundDate | None = None
    for pattern, precision in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            found = _found(match, precision)
            if found is None:
                continue
            if best is None or (found.start, -(found.end - found.start)) < (best.start, -(best.end - best.start)):
                best = found
            break
    return best


def _found(match: re.Match, precision: int) -> FoundDate | None:
    groups = match.groupdict()
    year = int(groups["y"])
    month = 0
    if groups.get("mon"):
        month = _MONTH_NAMES[groups["mon"][:3].lower()]
    elif groups.get("m"):
        month = int(groups["m"])
    iso = f"{year:04d}"
    if precision >= 2 and month:
        if not 1 <= month <= 12:
            return None
        iso += f"-{month:02d}"
    if precision >= 3 and groups.get("d"):
        day = int(groups["d"])
        try:
            datetime.date(year, month, day)
        except ValueError:
            return None
        iso += f"-{day:02d}"
    return FoundDate(iso, match.group(0).strip(), match.start(), match.end(), precision)


def is_date_line(text: str) -> FoundDate | None:
    """A line that is a date, or a place and a date ("Prinkipo, March 1, 1932")."""
    inner = text.strip().strip("()[]").strip().rstrip(".").strip()
    if not inner or len(inner) > 70:
        return None
    found = find_date(inner)
    if found is None or inner[found.end:].strip(" .,)"):
        return None
    place = inner[: found.start].strip(" ,–—-")
    if place and not _is_place(place):
        return None
    return found


def _is_place(text: str) -> bool:
    words = text.replace(",", " ").split()
    if not 1 <= len(words) <= 5:
        return False
    return all(w[0].isupper() and w not in TITLE_WORDS or w.lower() in ("de", "del", "la", "on", "am")
               for w in words)


# --------------------------------------------------------------------------
# Words and names

SMALL_WORDS = {
    "a", "an", "the", "and", "or", "nor", "but", "of", "to", "in", "on", "at", "for", "by",
    "with", "from", "as", "into", "upon", "onto", "vs", "vs.", "via", "per", "than", "its",
    "de", "la", "le", "du", "des", "der", "die", "das", "und", "von", "van", "y", "el",
}
PARTICLES = {"de", "da", "del", "della", "van", "von", "der", "den", "la", "le", "du", "y", "e", "di", "ten", "ter"}
# Capitalised words that start titles and slogans, never names.
TITLE_WORDS = {
    "The", "A", "An", "On", "To", "For", "Of", "In", "And", "Or", "At", "By", "With", "From",
    "Letter", "Letters", "Open", "Speech", "Report", "Reply", "Answer", "Notes", "Note",
    "Against", "Why", "What", "Whither", "How", "Where", "Who", "When", "Is", "Are", "Was",
    "Our", "My", "Your", "Its", "Their", "Toward", "Towards", "About", "Once", "Again",
    "More", "Some", "Two", "Three", "New", "Long", "Live", "Down", "Forward", "Onward",
    "Victory", "Workers", "Party", "War", "Revolution", "Soviet", "Socialism", "Communism",
    "Communist", "Socialist", "Fourth", "Third", "Second", "First", "International",
    "Union", "State", "Congress", "Conference", "Program", "Programme", "Theses",
    "Resolution", "Declaration", "Manifesto", "Statement", "Appeal", "Interview", "Article",
    "Introduction", "Preface", "Conclusion", "Postscript", "Appendix", "Chapter", "Part",
    "Section", "Book", "Volume", "Archive", "Index", "Page", "Contents", "Dear", "Comrades",
    "Comrade", "Friends", "Yours", "Regards", "Greetings", "Written", "Source", "Extract",
}
# Authors whose signatures archives print with initials ("L. Trotsky").
KNOWN_AUTHORS = {
    ("l", "trotsky"): "Leon Trotsky", ("n", "lenin"): "V. I. Lenin", ("v", "lenin"): "V. I. Lenin",
    ("k", "marx"): "Karl Marx", ("f", "engels"): "Frederick Engels",
    ("r", "luxemburg"): "Rosa Luxemburg", ("n", "sedova"): "Natalia Sedova",
    ("j", "cannon"): "James P. Cannon", ("m", "shachtman"): "Max Shachtman",
}


def _is_name_word(word: str) -> bool:
    if re.fullmatch(r"(?:[A-Z]\.){1,3}|[A-Z][a-z]?\.", word):
        return True  # initials: "L.", "L.D.", "Wm."
    parts = [p for p in re.split(r"[-’']", word) if p]
    return bool(parts) and all(p[0].isupper() and p.isalpha() for p in parts)


def is_name_like(text: str, max_words: int = 5) -> bool:
    """Looks like a person's name: "Leon Trotsky", "John G. Wright", "L.D."."""
    words = text.strip().rstrip(",").split()
    if not 1 <= len(words) <= max_words:
        return False
    if len(words) == 1 and not re.fullmatch(r"(?:[A-Z]\.){2,3}", words[0]):
        return False
    named = 0
    for word in words:
        if word in PARTICLES:
            continue
        if word in TITLE_WORDS or not _is_name_word(word):
            return False
        named += 1
    return named >= 1


def is_title_case(text: str) -> bool:
    """Every significant word capitalised ("What the Nazis Failed to Understand")."""
    words = [w.strip("“”\"‘’'()[],:;.!?") for w in text.split()]
    words = [w for w in words if w and any(c.isalpha() for c in w)]
    if not words:
        return False
    for index, word in enumerate(words):
        if index > 0 and word.lower() in SMALL_WORDS:
            continue
        if not word[0].isupper():
            return False
    return True


def is_all_caps(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 3 and all(c.isupper() for c in letters)


def ends_sentence(text: str) -> bool:
    """Ends with a full stop, colon … (closing quotes and note markers after it allowed)."""
    text = re.sub(r"(?:\s?(?:\[\d{1,3}\]|\*\d{1,3}|\(\d{1,3}\)|[⁰¹²³⁴⁵⁶⁷⁸⁹]+))+$", "", text)
    return bool(re.search(r"[.!?:;…][”’\"')\]]*$", text))


# --------------------------------------------------------------------------
# 1. Lines and navigation

_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad"), None)

NAV_PATTERNS = [re.compile(p, re.IGNORECASE) for p in (
    r"^(main page|index|contents|table of contents|home|top|top of (the )?page|back to top|"
    r"next|previous|prev|back|up|search|navigation|navigation menu|views|read|edit|"
    r"view history|view source|tools|personal tools|namespaces|variants|more|page|discussion|"
    r"log in|create account|what links here|related changes|special pages|printable version|"
    r"permanent link|page information|cite this page|languages|privacy policy|disclaimers|"
    r"random page|recent changes|help|print|print this page|\[edit\])$",
    r"^from marxists(-[a-z]+)?$",
    r"^from wikipedia, the free encyclopedia$",
    r"^jump to\b.*(navigation|search)",
    r"^last (updated|modified)( on)?\b",
    r"^this page was last (edited|modified)\b",
    r"^retrieved from\b",
    r"^\(redirected from\b.*\)$",
    r"^(hidden )?categor(y|ies)\s*:",
    r"^about marxists\b",
    r"^(return|go back|back) to\b[^.!?]{0,60}$",
    r"^(next|previous|prev)\s*(»|›|>|:|chapter|section|page|letter|article)",
    r"^(«|‹|<)\s*(previous|prev|back)",
    r"^(https?://|www\.)\S+$",
    r"^(mia|marxists internet archive)\s*(>|»|:)",
)]


def clean_lines(raw: str) -> list[Line]:
    lines = []
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    for number, original in enumerate(text.split("\n"), start=1):
        original = original.translate(_INVISIBLE).replace("\t", "    ").rstrip()
        stripped = original.strip()
        indent = len(original) - len(original.lstrip())
        lines.append(Line(number, re.sub(r"[ ]{2,}", " ", stripped), indent))
    return lines


def is_nav_line(text: str) -> bool:
    if not text:
        return False
    if any(p.search(text) for p in NAV_PATTERNS):
        return True
    return _is_link_list(text) or _is_archive_label(text)


def _is_link_list(text: str) -> bool:
    """Link labels separated by "|": "Wright Archive | Trotskyist Writers Index | ETOL Main Page"."""
    parts = [p.strip() for p in re.split(r"\s*[|¦]\s*", text)]
    if len(parts) < 2:
        return False
    parts = [p for p in parts if p]
    return len(text) <= 200 and bool(parts) and all(len(p.split()) <= 7 and not re.search(r"[!?;,]$", p)
                                                    for p in parts)


def _is_archive_label(text: str) -> bool:
    """"Leon Trotsky Internet Archive", "Wright Archive", "Writers Index"."""
    words = text.split()
    return (len(words) <= 6 and is_title_case(text)
            and re.search(r"\b(Archive|Index|Main Page|Home Page|Library)$", text) is not None)


def drop_navigation(lines: list[Line], report: Report) -> list[Line]:
    kept = []
    for line in lines:
        if is_nav_line(line.text):
            report.guess(f"dropped navigation line {line.no}: {_short(line.text)}")
            kept.append(Line(line.no, "", 0))
        else:
            kept.append(line)
    return kept


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
        if SALUTATION.match(text) or is_body_like(text) or _is_place_over_date(lines, index):
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
    return (len(text) <= 40 and ("," in text or len(words) == 1) and _is_place(text.rstrip("."))
            and not is_name_like(text) and not is_date_line(text))


def _is_place_over_date(lines: list[Line], index: int) -> bool:
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
        report.guess(f"transcription credit from line {no}: {_short(text)}")
    else:
        report.guess(f"dropped rights line {no}: {_short(text)}")
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
        report.guess(f"transcription credit from line {no}: {_short(text)}")
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
        report.check(f"line {no}: a second source line was not used: {_short(value)}")
        return
    header.source = value
    report.guess(f"source from line {no}: {_short(value)}")


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
            report.guess(f"author and title from line {line.no}: {_short(line.text)}")
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
        report.check(f"line {extra.no}: joined to the title as a subtitle: {_short(extra.text)}")


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
    report.guess(f"title from line {no}: {_short(text)}")


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


# --------------------------------------------------------------------------
# 3. Blocks, letter furniture, notes

Block = list  # list[Line]


def split_blocks(lines: list[Line]) -> list[Block]:
    blocks, current = [], []
    for line in lines:
        if line.text:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def take_dateline(blocks: list[Block], header: Header, report: Report) -> list[Line]:
    """An opening date line ("November 6, 1944", "Coyoacan, May 3, 1938"), perhaps under a place line."""
    if not blocks:
        return []
    block = blocks[0]
    taken = 2 if len(block) > 1 and _is_place_over_date(block, 0) else 1
    found = is_date_line(block[taken - 1].text)
    if not found or block[taken - 1].text.startswith(("(", "[")):
        return []
    blocks[0] = block[taken:]
    if not blocks[0]:
        blocks.pop(0)
    header.add_date(RANK_LETTER, found, block[taken - 1].no, "dateline")
    report.guess(f"dateline at line {block[0].no}: " + " / ".join(line.text for line in block[:taken]))
    return block[:taken]


VALEDICTION = re.compile(
    r"^(?:(?:with|my|our|best|warm(?:est)?|kind(?:est)?|fraternal|comradely|friendly|revolutionary|"
    r"bolshevik|communist|socialist|cordial|hearty|heartiest|heartfelt|many|firm|affectionate)\b.{0,40}?"
    r"\b(?:greetings?|regards|wishes|salutes?|thanks|love|handshakes?|kisses)"
    r"|yours\b[^.!?]{0,40}|\w+ly yours|yours \w+ly|fraternally|comradely|cordially|sincerely|faithfully|"
    r"respectfully|affectionately|greetings|regards|salud|salut|love|ever yours|all the best)\s*[,.!]?$",
    re.IGNORECASE)
PS_LINE = re.compile(r"^P\.\s?P?\.?\s?S\.|^PS\b|^P\.S\b")


def is_valediction(text: str) -> bool:
    return len(text.split()) <= 8 and VALEDICTION.match(text) is not None


def is_signature_name(text: str, after_valediction: bool = False) -> bool:
    name = re.sub(r"^(your|yours|ever yours)[,\s]+", "", text, flags=re.IGNORECASE).rstrip(",")
    if is_name_like(name, max_words=4):
        return True
    if after_valediction and re.fullmatch(r"[A-Z][\w’'.-]+\.?", name):
        return name not in TITLE_WORDS  # a single name or pseudonym: "Crux"
    return False


def _closing_kind(text: str, previous: str | None) -> str | None:
    if len(text) > 70:
        return None
    if is_valediction(text):
        return "valediction"
    if is_date_line(text):
        return "date"
    if is_signature_name(text, after_valediction=previous is not None and is_valediction(previous)):
        return "name"
    return None


def take_signature(blocks: list[Block], report: Report) -> tuple[list[Line], list[Block]]:
    """Closing lines at the end of the text; returns them and any P.S. blocks after them."""
    postscripts: list[Block] = []
    while blocks and PS_LINE.match(blocks[-1][0].text):
        postscripts.insert(0, blocks.pop())
    signature: list[Line] = []
    while blocks and len(signature) < 8:
        block = blocks[-1]
        before = blocks[-2][-1].text if len(blocks) > 1 else None  # the line before this block
        keep = len(block)
        while keep > 0:
            previous = block[keep - 2].text if keep > 1 else before
            if _closing_kind(block[keep - 1].text, previous) is None:
                break
            keep -= 1
        if keep == len(block):
            break
        if keep > 0:  # closing lines under the last paragraph, without a blank line
            if ends_sentence(block[keep - 1].text):  # … and not the end of a wrapped sentence
                signature[0:0] = block[keep:]
                blocks[-1] = block[:keep]
            break
        signature[0:0] = block
        blocks.pop()
    if not signature:
        blocks.extend(postscripts)
        return [], []
    report.guess("signature at line" + (f"s {signature[0].no}–{signature[-1].no}" if len(signature) > 1
                                         else f" {signature[0].no}") + ": "
                 + " / ".join(line.text for line in signature))
    return signature, postscripts


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


# --------------------------------------------------------------------------
# 4. Paragraphs

LIST_MARKER = re.compile(
    r"^(?:\((?P<p>\d{1,2}|[a-zA-Z]|[ivxIVX]{1,5})\)|(?P<t>\d{1,2}|[a-zA-Z]|[ivxIVX]{1,5})(?P<d>[.)]))\s+(?=\S)")
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10,
         "xi": 11, "xii": 12, "xiii": 13, "xiv": 14, "xv": 15}


def list_marker(text: str) -> tuple[str, list[tuple[str, int]], int] | None:
    """(form, [(kind, ordinal) …], length) for "1.", "2)", "(a)", "iv." …"""
    match = LIST_MARKER.match(text)
    if not match:
        return None
    token = match["p"] or match["t"]
    form = "(x)" if match["p"] else "x" + match["d"]
    readings: list[tuple[str, int]] = []
    if token.isdigit():
        readings.append(("num", int(token)))
    else:
        if len(token) == 1:
            readings.append(("lower" if token.islower() else "upper", ord(token.lower()) - 96))
        if token.lower() in ROMAN and (token.islower() or token.isupper()):
            readings.append(("lroman" if token.islower() else "uroman", ROMAN[token.lower()]))
    return form, readings, match.end()


def find_list_runs(texts: list[str | None]) -> list[tuple[int, int, str]]:
    """Runs (start, end exclusive, kind) of ≥2 consecutive items numbered 1, 2, 3 … (or a, b, c …)."""
    markers = [list_marker(t) if t is not None else None for t in texts]
    runs, index = [], 0
    while index < len(markers):
        marker = markers[index]
        found = None
        for kind, ordinal in marker[1] if marker else []:
            if ordinal != 1 or kind in ("upper", "uroman"):
                continue  # "I.", "A." number sections and name initials more often than list items
            end = index + 1
            while end < len(markers) and markers[end] and markers[end][0] == marker[0] \
                    and (kind, end - index + 1) in markers[end][1]:
                end += 1
            if end - index >= 2 and (found is None or end > found[1]):
                found = (index, end, kind)
        if found:
            runs.append(found)
            index = found[1]
        else:
            index += 1
    return runs


def join_lines(texts: list[str]) -> str:
    """Joins hard-wrapped lines: a space between, none after a dash or hyphen that ends a word."""
    result = ""
    for text in texts:
        if not result:
            result = text
        elif re.search(r"\w[-–—]$", result):
            result += text
        else:
            result += " " + text
    return result


def block_to_paras(block: Block, index: int, base_indent: int, report: Report) -> list[Para]:
    """Splits a block into paragraphs (list items, unblanked paragraphs) and joins wrapped lines."""
    starts = {0}
    line_texts = [line.text for line in block]
    eligible = [t if k == 0 or ends_sentence(line_texts[k - 1]) else None for k, t in enumerate(line_texts)]
    for start, end, _ in find_list_runs(eligible):
        starts.update(range(start, end))
    widest = max(len(t) for t in line_texts)
    # a block of three or more lines that all end a sentence: one paragraph a line
    every_line = len(block) >= 3 and all(ends_sentence(t) for t in line_texts[:-1])
    unblanked = []
    for k in range(1, len(block)):
        previous, line = block[k - 1], block[k]
        if k in starts or not ends_sentence(previous.text):
            continue
        if not re.match(r"[\"“‘'(\[A-Z0-9]", line.text):
            continue
        one_per_line = every_line or len(previous.text) > 110
        short_last = len(block) >= 3 and widest >= 50 and len(previous.text) < 0.6 * widest
        indented = line.indent > base_indent and previous.indent <= base_indent
        if one_per_line or short_last or indented:
            starts.add(k)
            unblanked.append(str(line.no))
    if unblanked:
        report.guess(f"new paragraph at line{'s' if len(unblanked) > 1 else ''} {', '.join(unblanked)} "
                     "(no blank line before)")
    paras = []
    bounds = sorted(starts) + [len(block)]
    for a, b in zip(bounds, bounds[1:]):
        lines = block[a:b]
        for line in lines[:-1]:
            if re.search(r"[a-z]-$", line.text):
                report.check(f"line {line.no}: hyphen at the end of a wrapped line kept: {_short(line.text[-30:], 30)}")
        paras.append(Para(no=lines[0].no, text=join_lines([l.text for l in lines]), nlines=len(lines),
                          block=index, indented=all(l.indent >= base_indent + 2 for l in lines)))
    return paras


def blocks_to_paras(blocks: list[Block], report: Report) -> list[Para]:
    """Paragraphs of all blocks; "indented" is measured against the text's usual indent."""
    indents = [line.indent for block in blocks for line in block]
    base = min(set(indents), key=lambda i: (-indents.count(i), i)) if indents else 0
    paras: list[Para] = []
    for index, block in enumerate(blocks):
        paras.extend(block_to_paras(block, index, base, report))
    first_line_indents = sum(len(b) > 1 and b[0].indent > base >= b[1].indent for b in blocks)
    if first_line_indents >= 2:  # paragraphs open with an indent: only longer indented runs are quotes
        for para in paras:
            para.indented = para.indented and para.nlines > 1
    return paras


# --------------------------------------------------------------------------
# 5. Classifying paragraphs

EDIT_SUFFIX = re.compile(r"\s*\[edit\]$")
SECTION_WORDS = {"introduction", "conclusion", "conclusions", "postscript", "appendix", "preface", "foreword",
                 "afterword", "epilogue", "prologue", "summary", "addendum", "supplement"}
ROMAN_HEADING = re.compile(r"^(?:(?:Chapter|Part|Section|Book)\s+)?(?:[IVXLC]{1,7}|\d{1,2}|One|Two|Three|Four|Five|"
                           r"Six|Seven|Eight|Nine|Ten)\.?$", re.IGNORECASE)
LEAD_IN = re.compile(r"^(?P<number>(?:[IVXLC]{1,6}|\d{1,3}|[A-Z])\.\s+)?"
                     r"(?P<words>(?:[A-Z][A-Z0-9’'\-]*,?\s+){0,7}[A-Z][A-Z0-9’'\-]*[.:])\s+(?=\S)")
OPEN_QUOTES = "“\"‘«„"
QUOTE_END = re.compile(r"[”\"’»][.,;]?(?:\s*[(\[][^()\[\]]{1,60}[)\]])?\.?$")


def heading_verdict(para: Para, previous: Para | None, following: Para | None) -> str | None:
    """"yes" for a section heading, "maybe" for a doubtful one, None for body text."""
    text = EDIT_SUFFIX.sub("", para.text)
    words = text.split()
    if para.nlines != 1 or len(words) > 12 or len(text) > 90 or not text[0].isalnum():
        return None
    if SALUTATION.match(text) or is_date_line(text) or lead_in(text) or list_marker(text):
        if not ROMAN_HEADING.match(text):
            return None
    if ROMAN_HEADING.match(text) or text.lower().rstrip(":") in SECTION_WORDS:
        return "yes" if previous and following else "maybe"
    if text[-1] in ".,;:" and not text.endswith("..."):
        return None
    capitalised = is_title_case(text) or is_all_caps(text)
    if text[-1] in "!?":
        return "maybe" if capitalised and previous and following else None
    if previous is None or following is None:
        return "maybe" if capitalised and len(words) >= 2 and not is_name_like(text) else None
    if len(words) == 1:
        if is_all_caps(text) and len(text) >= 4 and ends_sentence(previous.text):
            return "yes"  # "THESES"
        return "maybe" if capitalised else None
    if capitalised and "," not in text:
        opens = re.match(r"[\"“‘'(A-Z0-9]", following.text) is not None
        if ends_sentence(previous.text) and not previous.text.endswith(":") and opens:
            return "yes"
        return "maybe"
    if len(words) <= 8 and text[0].isupper() and not ends_sentence(text):
        return "maybe"
    return None


def lead_in(text: str) -> tuple[str, str, str] | None:
    """A capitalised lead-in: "THE BOLSHEVIK PARTY." at the start of a paragraph (perhaps after
    a section number "II."); returns (number, words, rest)."""
    match = LEAD_IN.match(text)
    if not match:
        return None
    words = match["words"]
    letters = sum(c.isalpha() for c in words)
    if letters < 4 or (len(words.split()) == 1 and letters < 5):
        return None
    if not any(c.islower() or c.isdigit() or c in OPEN_QUOTES for c in text[match.end():match.end() + 40]):
        return None  # the whole paragraph is in capitals
    return (match["number"] or "").strip(), words, text[match.end():]


def is_quoted(text: str) -> bool:
    return text[:1] in OPEN_QUOTES and QUOTE_END.search(text) is not None


def classify(paras: list[Para], report: Report) -> None:
    """Marks list items, headings and block quotes (in place)."""
    _mark_lists(paras, report)
    _mark_quotes(paras, report)
    for index, para in enumerate(paras):
        if para.kind != "para":
            continue
        previous = paras[index - 1] if index > 0 else None
        following = paras[index + 1] if index + 1 < len(paras) else None
        verdict = heading_verdict(para, previous, following)
        if verdict == "yes":
            para.kind = "heading"
            para.text = EDIT_SUFFIX.sub("", para.text)
            report.guess(f"heading at line {para.no}: {para.text}")
        elif verdict == "maybe":
            report.check(f"line {para.no} may be a heading: {_short(para.text)}")
        elif para.indented:
            para.kind = "quote"
            report.check(f"line {para.no}: indented paragraph set as a block quote: {_short(para.text, 40)}")
        elif is_quoted(para.text):
            report.check(f"line {para.no}: paragraph in quotation marks may be a block quote: {_short(para.text, 40)}")


def _mark_lists(paras: list[Para], report: Report) -> None:
    for start, end, kind in find_list_runs([p.text for p in paras]):
        for ordinal, para in enumerate(paras[start:end], start=1):
            form, _, length = list_marker(para.text)
            para.kind = "item"
            para.item = (ordinal, "." if form == "x." else ")", kind)
            para.text = para.text[length:]
        report.guess(f"numbered list at lines {paras[start].no}–{paras[end - 1].no} ({end - start} items)")
        if kind != "num":
            report.check(f"line {paras[start].no}: list labelled with letters or roman numerals "
                         "is numbered 1, 2, 3 … in Markdown")


def _mark_quotes(paras: list[Para], report: Report) -> None:
    """Quoted paragraphs introduced by a colon; a quote may run over several paragraphs."""
    index = 1
    while index < len(paras):
        previous, para = paras[index - 1], paras[index]
        if not (para.kind == "para" and previous.text.endswith(":") and para.text[:1] in OPEN_QUOTES):
            index += 1
            continue
        end = index
        while not QUOTE_END.search(paras[end].text) and end + 1 < len(paras) \
                and paras[end + 1].kind == "para" and paras[end + 1].text[:1] in OPEN_QUOTES:
            end += 1
        if QUOTE_END.search(paras[end].text):
            for quoted in paras[index:end + 1]:
                quoted.kind = "quote"
            report.check(f"line {para.no}: quoted paragraph after a colon set as a block quote: "
                         f"{_short(para.text, 40)}")
            index = end + 1
        else:
            index += 1


# --------------------------------------------------------------------------
# 6. Markdown

def escape_inline(text: str) -> str:
    """Escapes what Markdown (CommonMark + the reader's extensions) would misread."""
    text = text.replace("\\", "\\\\")
    text = re.sub(r"([*_`\[\]~^$])", r"\\\1", text)
    text = re.sub(r"<(?=[A-Za-z/!?])", r"\\<", text)
    text = re.sub(r"&(?=#?\w+;)", r"\\&", text)
    text = re.sub(r"(?<!\w)@(?=\w)", r"\\@", text)
    text = re.sub(r"\((?=(?:c|r|tm|p)\))", r"\\(", text, flags=re.IGNORECASE)  # typographer: (c) -> ©
    text = re.sub(r"\+(?=-)", r"\\+", text)
    text = re.sub(r",(?=,)", r",\\", text)
    text = re.sub(r"([?!])(?=\1\1\1)", r"\1\\", text)
    return text


def escape_start(text: str) -> str:
    """Escapes a block's first characters that would start a heading, list, quote, div …"""
    if re.match(r"^(?:#|>|[-+](?:\s|$)|[:|=]|\d{1,9}[.)](?:\s|$))", text):
        match = re.match(r"^\d{1,9}", text)
        if match:
            return text[: match.end()] + "\\" + text[match.end():]
        return "\\" + text
    if re.match(r"^\((?:\d{1,2}|[a-zA-Z]|[ivxlcdmIVXLCDM]{1,6})\)(?:\s|$)", text):
        return "\\" + text
    # pandoc's fancy lists; a single capital with a full stop needs two spaces ("L. Trotsky" is safe)
    match = re.match(r"^(?:[a-z]|[ivxlcdm]{1,6}|[IVXLCDM]{2,6})(?=[.)](?:\s|$))|^[A-Z](?=\)(?:\s|$))", text)
    if match:
        return text[: match.end()] + "\\" + text[match.end():]
    return text


class NoteLinker:
    """Turns in-text note markers ("[1]", "*1", "(1)", "¹") into [^1], each once, in reading order."""

    STYLES = {
        "bracket": r"\[(\d{1,3})\]",
        "superscript": rf"({SUP_CLASS}+)",
        "star": r"\*(\d{1,3})\b",
        "paren": r"(?<=[^\s(])\s?\((\d{1,3})\)",
    }

    def __init__(self, numbers: list[str], texts: list[str], report: Report):
        self.numbers = numbers
        self.pending = list(numbers)
        self.pattern = None
        self.report = report
        if numbers:
            self.style = self._choose_style(" ".join(texts))
            if self.style:
                self.pattern = re.compile(self.STYLES[self.style])
                if self.style == "paren":
                    report.check("note markers in the form (1) were turned into [^1]: check each")

    def _choose_style(self, body: str) -> str | None:
        best, best_hits = None, 0
        for style, pattern in self.STYLES.items():
            found = {self._number(m.group(1)) for m in re.finditer(pattern, body)}
            hits = len(found & set(self.numbers))
            if hits > best_hits:
                best, best_hits = style, hits
        return best

    @staticmethod
    def _number(token: str) -> str:
        if token[0] in SUPERSCRIPTS:
            return str(int("".join(str(SUPERSCRIPTS.index(c)) for c in token)))
        return str(int(token))

    def link(self, text: str) -> str:
        """Replaces the markers with sentinels (\\x00n\\x01) that `finish` turns into [^n]."""
        if not self.pattern or not self.pending:
            return text

        def replace(match: re.Match) -> str:
            number = self._number(match.group(1))
            if self.pending and number == self.pending[0]:
                self.pending.pop(0)
                return f"\x00{number}\x01"
            return match.group(0)

        return self.pattern.sub(replace, text)

    def unmatched(self) -> list[str]:
        return list(self.pending)


def finish(text: str) -> str:
    return re.sub(r"\x00(\d+)\x01", r"[^\1]", text)


def render_text(text: str, linker: NoteLinker | None, smallcaps: bool = True) -> str:
    """A paragraph's Markdown: lead-in as small caps, escapes, note references."""
    if linker:
        text = linker.link(text)
    found = lead_in(text) if smallcaps else None
    if found:
        number, words, rest = found
        number = escape_start(escape_inline(number)) + " " if number else ""
        return f"{number}[{escape_inline(words)}]{{.smallcaps}} " + finish(escape_inline(rest))
    return finish(escape_start(escape_inline(text)))


def render_body(paras: list[Para], linker: NoteLinker) -> list[str]:
    """Markdown blocks for the paragraphs; consecutive list items form one list."""
    out: list[str] = []
    index = 0
    while index < len(paras):
        para = paras[index]
        if para.kind == "item":
            end = index + 1
            while end < len(paras) and paras[end].kind == "item" and paras[end].item[0] != 1:
                end += 1
            items = paras[index:end]
            tight = len({item.block for item in items}) == 1  # written without blank lines between
            out.append(("\n" if tight else "\n\n").join(
                f"{item.item[0]}{item.item[1]} {render_text(item.text, linker)}" for item in items))
            index = end
            continue
        if para.kind == "heading":
            text = render_text(para.text, linker, smallcaps=False)
            out.append("## " + (text[:-1] + "\\#" if text.endswith("#") else text))
        elif para.kind == "quote":
            quote = [render_text(para.text, linker)]
            while index + 1 < len(paras) and paras[index + 1].kind == "quote" \
                    and paras[index + 1].indented == para.indented:
                index += 1
                quote.append(render_text(paras[index].text, linker))
            out.append("\n>\n".join("> " + q for q in quote))
        else:
            out.append(render_text(para.text, linker))
        index += 1
    return out


def render_div(name: str, lines: list[Line]) -> str:
    inner = "\n\n".join(finish(escape_start(escape_inline(line.text))) for line in lines)
    return f"::: {name}\n{inner}\n:::"


def render_notes(notes: Notes | None) -> list[str]:
    out = []
    for number, paragraphs, _ in notes.notes if notes else []:
        first = escape_start(escape_inline(paragraphs[0]))
        rest = "".join("\n\n    " + escape_start(escape_inline(p)) for p in paragraphs[1:])
        out.append(f"[^{number}]: {first}{rest}")
    return out


def front_matter_yaml(front: dict) -> str:
    """YAML as a person would write it: `date: 1926-01-09`, `date: 1941-08`, `date: 1932` unquoted."""
    dumped = dict(front)
    date = dumped.get("date")
    if isinstance(date, str):
        if re.fullmatch(r"\d{4}-\d\d-\d\d", date):
            dumped["date"] = datetime.date.fromisoformat(date)
        elif re.fullmatch(r"\d{4}", date):
            dumped["date"] = int(date)
    return yaml.safe_dump(dumped, allow_unicode=True, sort_keys=False, width=10_000)


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
        report.guess(f"source from line {header.published[1]} (first published): {_short(header.source)}")
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


# --------------------------------------------------------------------------
# File names

def slugify(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"['’]", "", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def suggest_filename(front_matter: dict) -> str:
    """"1926-01-09-trotsky-letter-to-bukharin.md": date, author's surname, title."""
    parts = []
    date = front_matter.get("date")
    if date:
        parts.append(str(date))
    author = front_matter.get("author")
    if isinstance(author, list):
        author = author[0] if author else None
    if author:
        words = [w for w in str(author).split() if w.lower() not in PARTICLES]
        if words:
            parts.append(slugify(words[-1]))
    title = slugify(str(front_matter.get("title") or ""))
    if len(title) > 60:
        title = title[:60].rsplit("-", 1)[0]
    if title:
        parts.append(title)
    name = "-".join(p for p in parts if p)
    return (name or "untitled") + ".md"

"""Dates as archives write them, in several languages; datelines."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from .words import TITLE_WORDS

# Month names as archives print them: English, German, French, Spanish, Italian and
# Russian transliterated (nominative and genitive, in the common romanisations).
_MONTHS = {
    1: "january jan januar jänner janvier janv enero gennaio yanvar yanvarya ianvar ianvaria janvarja",
    2: "february feb februar février fevrier févr fevr febrero febbraio fevral fevralya fevralia",
    3: "march mar märz maerz mars marzo mart marta",
    4: "april apr avril avr abril aprile aprel aprelya aprelia",
    5: "may mai mayo maggio maya maia",
    6: "june jun juni juin junio giugno iyun iyunya iiun iiunia",
    7: "july jul juli juillet juil julio luglio iyul iyulya iiul iiulia",
    8: "august aug août aout agosto avgust avgusta",
    9: "september sep sept septembre septiembre setiembre settembre sentyabr sentyabrya sentiabr sentiabria",
    10: "october oct oktober okt octobre octubre ottobre oktyabr oktyabrya oktiabr oktiabria",
    11: "november nov novembre noviembre noyabr noyabrya noiabr noiabria",
    12: "december dec dezember dez décembre decembre déc diciembre dicembre dekabr dekabrya dekabria",
}
_MONTH_NAMES = {name: month for month, names in _MONTHS.items() for name in names.split()}
_ENGLISH_CAPITALISED = (r"Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
                        r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?")
_FOREIGN = sorted((n for n in _MONTH_NAMES if len(n) >= 3 and not re.fullmatch(
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|"
    r"january|february|march|april|june|july|august|september|october|november|december|sept", n)),
    key=len, reverse=True)
# English names capitalised (so that "may" in a sentence is not a month); other languages in any case
MON = rf"(?:(?:{_ENGLISH_CAPITALISED})|(?i:{'|'.join(_FOREIGN)}))\.?(?!\w)"
YEAR = r"(?P<y>1[5-9]\d\d|20\d\d)"
ORDINAL = r"(?:st|nd|rd|th|er|re|º|°)?"
DAY = rf"(?P<d>[0-3]?\d){ORDINAL}"
DASH = r"\s*(?:[-–—/]|to|and)\s*"
QUALIFIER = r"(?:(?:Early|Late|Mid|early|late|mid)[-\s]+)"
SEASON = r"(?:Spring|Summer|Autumn|Fall|Winter)"

# (pattern, precision): precision 3 = day, 2 = month, 1 = year
_DATE_PATTERNS = [
    (re.compile(r"\b(?P<y>1[5-9]\d\d|20\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"), 3),
    (re.compile(rf"\b[0-3]?\d{ORDINAL}{DASH}[0-3]?\d{ORDINAL}\.?\s+(?P<mon>{MON}),?\s+{YEAR}\b"), 2),
    (re.compile(rf"\b(?P<mon>{MON})\s+[0-3]?\d{ORDINAL}{DASH}[0-3]?\d{ORDINAL},?\s+{YEAR}\b"), 2),
    (re.compile(rf"\b{MON}{DASH}{MON},?\s+{YEAR}\b"), 1),
    # "12 May 1938", "12. Mai 1938", "12 de mayo de 1938", "le 1er mai 1938", "12 maya 1938 g."
    (re.compile(rf"\b{DAY}\.?\s+(?:de\s+)?(?P<mon>{MON}),?\s+(?:de\s+|del\s+)?{YEAR}\b"), 3),
    (re.compile(rf"\b(?P<mon>{MON})\s+{DAY},?\s+{YEAR}\b"), 3),
    # "May 3/44": a two-digit year (the century is assumed: see `find_date`)
    (re.compile(rf"\b(?P<mon>{_ENGLISH_CAPITALISED})\.?\s+{DAY}\s*/\s*(?P<yy>\d\d)\b"), 3),
    (re.compile(rf"\b(?:{QUALIFIER}|Beginning of|End of)?(?P<mon>{MON}),?\s+(?:de\s+)?{YEAR}\b"), 2),
    (re.compile(rf"\b{QUALIFIER}?(?:{SEASON}(?:\s+of)?,?\s+)?{YEAR}\b"), 1),  # "Summer 1932", "Late 1932", "1932"
    (re.compile(rf"\b(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)\.{YEAR}\b"), 3),
    (re.compile(rf"\b{YEAR}\s*[-–—]\s*(?:1[5-9]\d\d|20\d\d|\d\d)\b"), 1),
]


def month_number(name: str) -> int:
    return _MONTH_NAMES[name.strip(". ").lower()]


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
    year = int(groups["y"]) if groups.get("y") else 1900 + int(groups["yy"])
    month = 0
    if groups.get("mon"):
        month = month_number(groups["mon"])
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
    inner = re.sub(r"(?<=\d)\s+g(?:oda)?\.?$", "", inner)  # Russian "12 maya 1938 g."
    if not inner or len(inner) > 70:
        return None
    found = find_date(inner)
    if found is None or inner[found.end:].strip(" .,)"):
        return None
    place = re.sub(r"[\[\]]", "", inner[: found.start]).strip(" ,–—-")  # "[London,] November 23, 1871"
    place = re.sub(r"(?:^|[\s,])(?:le|den|am|el|the|on|im)$", "", place, flags=re.IGNORECASE).strip(" ,")
    if place and not is_place(place):
        return None
    return found


def is_place(text: str) -> bool:
    words = text.replace(",", " ").split()
    if not 1 <= len(words) <= 5:
        return False
    return all(w[0].isupper() and w not in TITLE_WORDS or w.lower() in ("de", "del", "la", "on", "am")
               for w in words)


_YEARLESS = re.compile(rf"^(?:(?P<place>[^\d]{{2,40}}?),?\s+)?(?:{DAY}\.?\s+(?:de\s+)?{MON}|{MON}\s+(?P<d2>[0-3]?\d){ORDINAL})$")


def is_yearless_date_line(text: str) -> bool:
    """A letter's closing date without a year: "London, 18 March", "May 3", "Paris, le 12 mai"."""
    inner = text.strip().strip("()[]").strip().rstrip(".").strip()
    match = _YEARLESS.match(inner)
    if not match:
        return False
    place = re.sub(r"(?:^|[\s,])(?:le|den|am|el|the|on|im)$", "", (match["place"] or "").strip(" ,"),
                   flags=re.IGNORECASE).strip(" ,")
    return not place or is_place(place)

"""Dates as archives write them, in several languages; datelines."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from .words import TITLE_WORDS

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
    if place and not is_place(place):
        return None
    return found


def is_place(text: str) -> bool:
    words = text.replace(",", " ").split()
    if not 1 <= len(words) <= 5:
        return False
    return all(w[0].isupper() and w not in TITLE_WORDS or w.lower() in ("de", "del", "la", "on", "am")
               for w in words)

"""Stage 1, lines and cleaning: white space, invisible characters, navigation and other cruft; blocks."""

from __future__ import annotations

import re

from .base import Line, Report, short
from .words import is_title_case

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
            report.guess(f"dropped navigation line {line.no}: {short(line.text)}")
            kept.append(Line(line.no, "", 0))
        else:
            kept.append(line)
    return kept



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

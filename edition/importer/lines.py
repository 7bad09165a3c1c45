"""Stage 1, lines and cleaning: white space, invisible characters, navigation and other cruft; blocks."""

from __future__ import annotations

import re

from .base import Line, Report, short
from .words import is_title_case

# --------------------------------------------------------------------------
# 1. Lines and navigation

_INVISIBLE = dict.fromkeys(map(ord, "\ufeff\u200b\u200c\u200d\u2060\u00ad"), None)
_INVISIBLE.update(dict.fromkeys([*range(0x00, 0x09), 0x0b, *range(0x0e, 0x20), 0x7f], None))  # control characters

NAV_PATTERNS = [re.compile(p, re.IGNORECASE) for p in (
    r"^(main page|index|contents|table of contents|home|top|top of (the )?page|back to top|"
    r"next|previous|prev|back|up|search|navigation|navigation menu|views|read|edit|"
    r"view history|view source|tools|personal tools|namespaces|variants|more|page|discussion|"
    r"log in|create account|what links here|related changes|special pages|printable version|"
    r"permanent link|page information|cite this page|languages|privacy policy|disclaimers|"
    r"random page|recent changes|help|print|print this page|\[edit\]|special pages\s*:?|tools\s*:?|"
    r"actions\s*:?|general\s*:?|in other projects)$",
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
    r"^[^<>»|]{1,40}(\s+(>|»|›)\s+[^<>»|]{1,60}){2,}$",    # breadcrumbs: "Home > Archive > Connolly"
    r"^download\s+(as\s+)?(pdf|epub|mobi|e-?book|word|rtf)\b.{0,20}$",
    r"^\[?(german|french|russian|spanish|italian|english|original)( language)?( original| version| text)?\]?$",
    r"^table of contents\s*:",
    r"^(to )?top( of (the )?page)?\s*[↑^]?$",
    r"^(share|share this|print|email|tweet|like)\s*(:|this)?$",
)]

# The first line of a blog's or a reprint site's comment form, in several languages; it and
# everything after it are dropped.
COMMENT_FORM = re.compile(
    r"^(?:leave a (?:reply|comment)|post a comment|add (?:a )?comment|\d+ (?:comments?|responses?)|"
    r"comments?\s*(?:\(\d+\))?:?|responses?|your email address will not be published\b.*|"
    r"kommentar(?:e)?(?: verfassen| schreiben| hinterlassen)?|schreibe einen kommentar|"
    r"hinterlasse einen kommentar|deine e-mail-adresse wird nicht veröffentlicht\b.*|"
    r"laisser un commentaire|laissez un commentaire|poster un commentaire|ajouter un commentaire|"
    r"votre adresse (?:e-mail|de messagerie) ne sera pas publiée\b.*|"
    r"deja una respuesta|deja un comentario|dejar un comentario|publicar (?:un|el) comentario|"
    r"tu dirección de correo electrónico no será publicada\b.*|"
    r"lascia un commento|оставить комментарий|добавить комментарий)[.!:]?$", re.IGNORECASE)



MOJIBAKE = re.compile("â€[™“”˜œ\u009d¦“–—]|Ã[©¨¤¶¼ª«§¡­³±º¹²´]")


def repair_mojibake(text: str) -> str:
    """UTF-8 read as Windows-1252 ("Trotskyâ€™s", "KÃ¤uzchen"), as copies of pages often have it:
    decoded again when that removes every such sequence and breaks nothing."""
    if not MOJIBAKE.search(text):
        return text
    repaired = []
    for line in text.split("\n"):
        if MOJIBAKE.search(line):
            try:
                line = line.encode("cp1252").decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                pass
        repaired.append(line)
    return "\n".join(repaired)


def clean_lines(raw: str) -> list[Line]:
    lines = []
    text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = repair_mojibake(text)
    for number, original in enumerate(text.split("\n"), start=1):
        original = original.translate(_INVISIBLE).replace("\t", "    ").rstrip()
        stripped = original.strip()
        indent = len(original) - len(original.lstrip())
        lines.append(Line(number, collapse_spaces(stripped), indent))
    return lines


def collapse_spaces(text: str) -> str:
    """Runs of spaces become one; a lone no-break space stays, one among others becomes a space."""
    return re.sub(r"[ \u00a0]{2,}", " ", text)


def cut_comment_form(lines: list[Line], report: Report) -> list[Line]:
    """A comment form in the second half of the page: it and all after it are dropped."""
    filled = [index for index, line in enumerate(lines) if line.text]
    for position, index in enumerate(filled):
        if position < len(filled) // 2 or not COMMENT_FORM.match(lines[index].text):
            continue
        report.guess(f"dropped a comment form from line {lines[index].no} to the end: {short(lines[index].text)}")
        return lines[:index] + [Line(line.no, "", 0) for line in lines[index:]]
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
        if line.text and line.hint == "nav":
            report.guess(f"dropped navigation line {line.no} (the page marks it so): {short(line.text)}")
            kept.append(Line(line.no, "", 0))
        elif is_nav_line(line.text):
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

"""Stage 3, letter furniture: an opening dateline, closing lines, signatures and postscripts."""

from __future__ import annotations

import re

from .base import Line, Report
from .words import TITLE_WORDS, ends_sentence, is_name_like
from .dates import is_date_line, is_yearless_date_line
from .lines import Block
from .header import PSEUDONYM, RANK_LETTER, SALUTATION, Header, is_place_over_date


def take_dateline(blocks: list[Block], header: Header, report: Report) -> list[Line]:
    """An opening date line ("November 6, 1944", "Coyoacan, May 3, 1938"), perhaps under a place line."""
    if not blocks:
        return []
    if len(blocks) >= 2 and _is_heading_line(blocks[0]) and _opens_letter(blocks, 1, True) \
            and not SALUTATION.match(blocks[1][0].text):
        # a letter under its own heading ("I", "Engels to Bebel"): the dateline stays under the heading
        block = blocks[1]
        taken = 2 if len(block) > 1 and is_place_over_date(block, 0) else 1
        for line in block[:taken]:
            line.hint = "div:dateline"
        if taken < len(block):
            blocks[1:2] = [block[:taken], block[taken:]]
        header.add_date(RANK_LETTER, is_date_line(block[taken - 1].text), block[taken - 1].no, "dateline")
        report.guess(f"dateline at line {block[0].no}, under the heading {blocks[0][0].text!r}: "
                     + " / ".join(line.text for line in block[:taken]))
        return []
    if len(blocks) >= 3 and not is_date_line(blocks[0][0].text) and len(blocks[1]) <= 2 \
            and is_date_line(blocks[1][-1].text) and SALUTATION.match(blocks[2][0].text):
        # a paragraph of the archive's before the letter's dateline: the dateline stays where it is,
        # but its date is the letter's
        line = blocks[1][-1]
        header.add_date(RANK_LETTER, is_date_line(line.text), line.no, "dateline")
        report.guess(f"line {line.no} is the letter's dateline, under a paragraph that comes before the letter")
        return []
    block = blocks[0]
    taken = 2 if len(block) > 1 and is_place_over_date(block, 0) else 1
    found = is_date_line(block[taken - 1].text)
    text = block[taken - 1].text
    if not found or (text.startswith(("(", "[")) and not re.match(r"^\[[^\]]{2,30}\]\s+\S", text)):
        return []
    blocks[0] = block[taken:]
    if not blocks[0]:
        blocks.pop(0)
    header.add_date(RANK_LETTER, found, block[taken - 1].no, "dateline")
    report.guess(f"dateline at line {block[0].no}: " + " / ".join(line.text for line in block[:taken]))
    return block[:taken]


def split_address(blocks: list[Block], report: Report) -> None:
    """An inside address over a salutation ("Mr. John Smith / Editor, The Nation / New York"): its
    lines are kept apart, one paragraph a line, instead of being joined as wrapped lines. So is a
    salutation written under it without a blank line."""
    for index, block in enumerate(blocks[:3]):
        lines = [line.text for line in block]
        salutation = next((k for k, text in enumerate(lines) if SALUTATION.match(text)), None)
        address = lines[:salutation] if salutation is not None else lines
        if salutation is None and not (index + 1 < len(blocks) and SALUTATION.match(blocks[index + 1][0].text)):
            continue
        if not 2 <= len(address) <= 6 or not all(_is_address_line(text) for text in address):
            continue
        blocks[index: index + 1] = [[line] for line in block]
        report.check(f"lines {block[0].no}–{block[len(address) - 1].no} above the salutation are kept one paragraph "
                     "a line (an inside address?)")
        return


def _is_address_line(text: str) -> bool:
    return len(text.split()) <= 8 and not re.search(r"[a-z]{3,}[.!?]$", text) and text[:1].isupper()


VALEDICTION = re.compile(
    r"^(?:(?:with|my|our|best|warm(?:est)?|kind(?:est)?|fraternal|comradely|friendly|revolutionary|"
    r"bolshevik|communist|socialist|cordial|hearty|heartiest|heartfelt|many|firm|affectionate)\b.{0,40}?"
    r"\b(?:greetings?|regards|wishes|salutes?|thanks|love|handshakes?|kisses)"
    r"|[^.!?]{0,40}\b(?:greetings?|regards|thanks|wishes)\s+(?:from|to\s+(?:you|all)(?:\s+from)?)"
    r"|yours\b[^.!?]{0,40}|\w+ly yours|yours \w+ly|fraternally|comradely|cordially|sincerely|faithfully|"
    r"respectfully|affectionately|greetings|regards|salud|salut|love|ever yours|all the best|adieu|"
    # German, French, Spanish, Italian closings
    r"(?:mit\s+)?(?:\w+em\s+)?gru(?:ß|ss)(?:en)?|(?:mit\s+)?(?:\w+en\s+)?grü(?:ß|ss)en|dein|deine|ihr|ihre|euer|eure|"
    r"salut(?:ations)?(?:\s+\w+){0,2}|fraternellement|cordialement|bien\s+à\s+(?:vous|toi)|(?:à\s+)?(?:toi|vous)|"
    r"(?:con\s+)?(?:\w+\s+)?saludos(?:\s+\w+){0,2}|un\s+abrazo(?:\s+\w+){0,2}|fraternalmente|tuyo|suyo|"
    r"saluti(?:\s+\w+){0,2}|fraternamente|tuo|vostro)\s*[,.!]?$",
    re.IGNORECASE)
PS_LINE = re.compile(r"^P\.\s?P?\.?\s?S\.|^PS\b|^P\.S\b")


def is_valediction(text: str) -> bool:
    return len(text.split()) <= 8 and VALEDICTION.match(text) is not None


def is_signature_name(text: str, after_valediction: bool = False) -> bool:
    name = re.sub(r"^(your|yours|ever yours)[,\s]+", "", text, flags=re.IGNORECASE).rstrip(",")
    if is_name_like(name, max_words=4) or PSEUDONYM.match(name):
        return True
    if after_valediction and re.fullmatch(r"[A-Z][\w’'.-]+\.?", name):
        return name not in TITLE_WORDS  # a single name or pseudonym: "Crux"
    return False


def _closing_kind(text: str, previous: str | None) -> str | None:
    if len(text) > 70:
        return None
    if is_valediction(text):
        return "valediction"
    if is_date_line(text) or (previous is not None and is_yearless_date_line(text)):
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


def split_letters(blocks: list[Block], report: Report) -> int:
    """A page that holds several letters (a correspondence, "Two Letters to …"): where closing
    lines are followed, perhaps after a heading ("II", "Engels to Bebel"), by a dateline or a
    salutation, one letter ends and the next begins. The earlier letters' closing lines and the
    later letters' datelines are set apart as blocks whose lines carry the hint "div:signature"
    or "div:dateline" (the last letter's own are taken by take_signature, the first's by
    take_dateline). Changes blocks in place; returns how many letters the page holds."""
    letters = 1
    start = 0  # where the current letter begins
    index = 1
    while index < len(blocks):
        heading = _is_heading_line(blocks[index]) and index + 1 < len(blocks)
        opening = index + 1 if heading else index
        if not _opens_letter(blocks, opening, heading):
            index += 1
            continue
        letter = blocks[start:index]
        signature, postscripts = take_signature(letter, Report())
        if heading:  # a short line over the next dateline may be the last line of this letter's signature
            trial = blocks[start:opening]
            signed, signed_postscripts = take_signature(trial, Report())
            if signed and signed[-1] is blocks[index][-1] \
                    and (len(signed) > 1 or is_signature_name(blocks[index][0].text)):
                letter, signature, postscripts = trial, signed, signed_postscripts
                index = opening
        if not letter or not any(_closing_kind(line.text, None) in ("valediction", "name") for line in signature):
            index += 1
            continue
        for line in signature:
            line.hint = "div:signature"
        replaced = letter + [signature] + postscripts
        shift = len(replaced) - (index - start)
        blocks[start:index] = replaced
        index, opening = index + shift, opening + shift
        report.guess(f"a letter ends at line {signature[-1].no} and another begins at line {blocks[index][0].no}: "
                     "the first one's closing lines are set apart: " + " / ".join(line.text for line in signature))
        block = blocks[opening]
        taken = 2 if len(block) > 1 and is_place_over_date(block, 0) else 1
        if is_date_line(block[taken - 1].text) and not block[taken - 1].text.startswith("("):
            for line in block[:taken]:
                line.hint = "div:dateline"
            if taken < len(block):
                blocks[opening: opening + 1] = [block[:taken], block[taken:]]
            report.guess(f"dateline of the next letter at line {block[0].no}: "
                         + " / ".join(line.text for line in block[:taken]))
        start = index
        index = opening + 1
        letters += 1
    return letters


def _is_heading_line(block: Block) -> bool:
    """One short line that is no sentence: "II", "2.", "Engels to Bebel"."""
    if len(block) != 1:
        return False
    text = block[0].text
    return len(text.split()) <= 8 and (not ends_sentence(text) or re.fullmatch(r"[IVXLC\d]{1,6}\.", text) is not None) \
        and not SALUTATION.match(text) and not is_date_line(text) and not is_valediction(text)


def _opens_letter(blocks: list[Block], at: int, after_heading: bool) -> bool:
    """A salutation, or a dateline under a heading or over a salutation."""
    block = blocks[at]
    if SALUTATION.match(block[0].text):
        return True
    taken = 2 if len(block) > 1 and is_place_over_date(block, 0) else 1
    line = block[taken - 1].text
    if not is_date_line(line) or len(line.split()) > 8 or line.startswith("("):
        return False
    following = block[taken] if len(block) > taken else (blocks[at + 1][0] if at + 1 < len(blocks) else None)
    return after_heading or (following is not None and SALUTATION.match(following.text) is not None)

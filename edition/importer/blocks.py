"""Stage 5, blocks: paragraphs out of blocks, then headings, lists and block quotes."""

from __future__ import annotations

import re

from .base import Para, Report, short
from .words import ends_sentence, is_all_caps, is_name_like, is_title_case
from .dates import is_date_line
from .lines import Block
from .header import SALUTATION

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
    if block[0].hint.startswith("div:"):  # a letter's furniture inside a page of letters (letter.split_letters)
        return [Para(no=block[0].no, text="\n".join(line.text for line in block), nlines=len(block), block=index,
                     kind=block[0].hint[4:], hint=block[0].hint)]
    if block[0].hint == "verse":
        return [Para(no=block[0].no, text="\n".join(line.text for line in block), nlines=len(block),
                     block=index, kind="verse", hint="verse",
                     italics=tuple(p for line in block for p in line.italics))]
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
                report.check(f"line {line.no}: hyphen at the end of a wrapped line kept: {short(line.text[-30:], 30)}")
        if lines[0].hint == "verse":  # a poem's lines stay lines
            paras.append(Para(no=lines[0].no, text="\n".join(l.text for l in lines), nlines=len(lines),
                              block=index, kind="verse", hint="verse",
                              italics=tuple(p for l in lines for p in l.italics)))
            continue
        paras.append(Para(no=lines[0].no, text=join_lines([l.text for l in lines]), nlines=len(lines),
                          block=index, indented=all(l.indent >= base_indent + 2 for l in lines),
                          hint=lines[0].hint, italics=tuple(p for l in lines for p in l.italics)))
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

SEPARATOR = re.compile(r"^(?:\*\s*){1,5}$|^⁂$|^(?:[-–—_]\s*){3,}$|^§$|^x\s+x\s+x$")
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
    if ROMAN_HEADING.match(text):
        return "yes" if following else "maybe"
    if text.lower().rstrip(":") in SECTION_WORDS:
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
    if re.match(r"[\"“‘'„«]?[a-z]", following.text):
        return None  # the sentence runs on into the next paragraph ("The factory system contains / “the germ …")
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
    quoted = sum(para.hint == "quote" for para in paras)
    if quoted > len(paras) / 2:  # the page sets its whole text in a <blockquote> for the layout
        for para in paras:
            para.hint = "" if para.hint == "quote" else para.hint
    for index, para in enumerate(paras):
        if para.kind == "para" and SEPARATOR.match(para.text):
            para.kind = "break"
            report.guess(f"separator at line {para.no}: {para.text}")
            continue
        if para.kind == "para" and para.hint == "quote":
            para.kind = "quote"
            continue
        if para.kind == "para" and para.hint in ("h2", "h3", "h4", "h5", "h6") and para.nlines == 1 \
                and len(para.text) <= 200 and not is_date_line(para.text) and not SALUTATION.match(para.text):
            para.kind = "heading"
            report.guess(f"heading at line {para.no} (an <{para.hint}> in the page): {short(para.text)}")
            continue
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
            report.check(f"line {para.no} may be a heading: {short(para.text)}")
        elif para.indented:
            para.kind = "quote"
            report.check(f"line {para.no}: indented paragraph set as a block quote: {short(para.text, 40)}")
        elif is_quoted(para.text):
            report.check(f"line {para.no}: paragraph in quotation marks may be a block quote: {short(para.text, 40)}")


def _mark_lists(paras: list[Para], report: Report) -> None:
    """Numbered paragraphs become a list. Markdown numbers lists with digits only, so a list labelled
    with letters or roman numerals ("(a)", "b)", "iv.") stays paragraphs that begin with their labels."""
    for start, end, kind in find_list_runs([p.text if p.kind == "para" else None for p in paras]):
        if kind != "num":
            for para in paras[start:end]:
                para.kind = "para" if para.hint == "quote" else "labelled"  # a quoted list stays a quote
            report.guess(f"list labelled with letters or roman numerals at lines {paras[start].no}–"
                         f"{paras[end - 1].no} ({end - start} items): kept as paragraphs that begin with "
                         "their labels")
            continue
        for ordinal, para in enumerate(paras[start:end], start=1):
            form, _, length = list_marker(para.text)
            para.kind = "item"
            para.item = (ordinal, "." if form == "x." else ")", kind)
            para.text = para.text[length:]
        report.guess(f"numbered list at lines {paras[start].no}–{paras[end - 1].no} ({end - start} items)")


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
                         f"{short(para.text, 40)}")
            index = end + 1
        else:
            index += 1

"""Stage 6, the Markdown writer: escapes, note references, divs, front matter, file names."""

from __future__ import annotations

import datetime
import re
import unicodedata

import yaml
from markdown_it import MarkdownIt

from .base import Line, Notes, Para, Report
from .words import PARTICLES
from .notes import SUPERSCRIPTS, SUP_CLASS
from .blocks import lead_in

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
    """Turns in-text note markers ("[1]", "[1*]", "*1", "(1)", "¹") into [^1] / [^1*], each once,
    in reading order within its series."""

    STYLES = {
        "bracket": r"[ \u00a0]?\[(\d{1,3}\*?)\]",
        "superscript": rf"[ \u00a0]?({SUP_CLASS}+)",
        "star": r"(?<![\w*])\*(\d{1,3})\b(?!\*)",
        "paren": r"(?<=[^\s(])\s?\((\d{1,3}\*?)\)",
    }

    def __init__(self, numbers: list[str], texts: list[str], report: Report):
        self.numbers = numbers
        self.pending = {series: [n for n in numbers if n.endswith("*") == (series == "*")] for series in ("", "*")}
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
        star = "*" if token.endswith("*") else ""
        return str(int(token.rstrip("*"))) + star

    def take(self, number: str) -> bool:
        """Marks note `number` as placed (for a marker found elsewhere, e.g. in the title)."""
        pending = self.pending["*" if number.endswith("*") else ""]
        if number in pending:
            pending.remove(number)
            return True
        return False

    def link(self, text: str) -> str:
        """Replaces the markers with sentinels (\\x00n\\x01) that `finish` turns into [^n]."""
        if not self.pattern or not any(self.pending.values()):
            return text

        def replace(match: re.Match) -> str:
            number = self._number(match.group(1))
            pending = self.pending["*" if number.endswith("*") else ""]
            if pending and number == pending[0]:
                pending.pop(0)
                return f"\x00{number.replace('*', 's')}\x01"  # "*" would be escaped
            return match.group(0)

        return self.pattern.sub(replace, text)

    def unmatched(self) -> list[str]:
        return self.pending[""] + self.pending["*"]


def finish(text: str) -> str:
    return re.sub(r"\x00(\d+)(s?)\x01", lambda m: f"[^{m[1]}{'*' if m[2] else ''}]", text)


def render_text(text: str, linker: NoteLinker | None, smallcaps: bool = True,
                italics: tuple[str, ...] = ()) -> str:
    """A paragraph's Markdown: lead-in as small caps, escapes, note references, italics."""
    if linker:
        text = linker.link(text)
    found = lead_in(text) if smallcaps else None
    if found:
        number, words, rest = found
        number = escape_start(escape_inline(number)) + " " if number else ""
        return emphasize(f"{number}[{escape_inline(words)}]{{.smallcaps}} " + finish(escape_inline(rest)), italics)
    return emphasize(finish(escape_start(escape_inline(text))), italics)


_INLINE = MarkdownIt("commonmark")


def emphasize(markdown: str, phrases: tuple[str, ...]) -> str:
    """Sets the phrases (in order) in italics: `*phrase*`, each only where CommonMark reads the
    asterisks as emphasis (a phrase it would not, e.g. glued to a letter after a quotation mark,
    stays roman)."""
    if not phrases:
        return markdown
    cursor = 0
    count = _emphases(markdown)
    for phrase in phrases:
        escaped = escape_inline(phrase)
        at = markdown.find(escaped, cursor)
        if at < 0:
            continue
        candidate = markdown[:at] + "*" + escaped + "*" + markdown[at + len(escaped):]
        if _emphases(candidate) == count + 1:
            markdown, count = candidate, count + 1
            cursor = at + len(escaped) + 2
    return markdown


def _emphases(markdown: str) -> int:
    return sum(child.type == "em_open" for token in _INLINE.parse(markdown) if token.children
               for child in token.children)


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
                f"{item.item[0]}{item.item[1]} {render_text(item.text, linker, italics=item.italics)}" for item in items))
            index = end
            continue
        if para.kind == "break":
            out.append("* * *")
            index += 1
            continue
        if para.kind in ("dateline", "signature"):
            out.append(render_div(para.kind, para.text.split("\n")))
            index += 1
            continue
        if para.kind == "verse":
            lines = [render_text(line, linker, smallcaps=False, italics=para.italics)
                     for line in para.text.split("\n")]
            out.append("\\\n".join(lines))
            index += 1
            continue
        if para.kind == "heading":
            text = render_text(para.text, linker, smallcaps=False, italics=para.italics)
            out.append("## " + (text[:-1] + "\\#" if text.endswith("#") else text))
        elif para.kind == "quote":
            quote = [render_text(para.text, linker, italics=para.italics)]
            while index + 1 < len(paras) and paras[index + 1].kind == "quote" \
                    and paras[index + 1].indented == para.indented:
                index += 1
                quote.append(render_text(paras[index].text, linker, italics=paras[index].italics))
            out.append("\n>\n".join("> " + q for q in quote))
        else:
            out.append(render_text(para.text, linker, italics=para.italics))
        index += 1
    return out


def render_div(name: str, lines: list[Line] | list[str]) -> str:
    texts = [line if isinstance(line, str) else line.text for line in lines]
    inner = "\n\n".join(finish(escape_start(escape_inline(text))) for text in texts)
    return f"::: {name}\n{inner}\n:::"


def render_notes(notes: Notes | None) -> list[str]:
    """The notes as footnote definitions; a second series' notes begin with their label in italics."""
    out = []
    for number, paragraphs, _ in notes.notes if notes else []:
        label = notes.added[number][0] if number in notes.added else notes.labels.get("*" if number.endswith("*") else "")
        written = [escape_start(escape_inline(p)) for p in paragraphs]
        phrases = list(notes.italics.get(number, ()))
        for index, paragraph in enumerate(written):  # each paragraph takes its phrases, in order
            taken = 0
            while taken < len(phrases) and escape_inline(phrases[taken]) in paragraph:
                taken += 1
            written[index] = emphasize(paragraph, tuple(phrases[:taken]))
            del phrases[:taken]
        if label:
            written[0] = f"*{escape_inline(label)}* {written[0]}"
        out.append(f"[^{number}]: " + "\n\n    ".join(written))
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
    if author and parts and title.startswith(parts[-1] + "-"):
        parts.pop()  # "Marx to Kugelmann" by Marx: "1871-04-12-marx-to-kugelmann"
    if len(title) > 60:
        title = title[:60].rsplit("-", 1)[0]
    if title:
        parts.append(title)
    name = "-".join(p for p in parts if p)
    return (name or "untitled") + ".md"

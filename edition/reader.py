"""Reading texts: Markdown with YAML front matter -> model blocks and notes.

The Markdown is CommonMark with the typographer (curly quotes, dashes),
pandoc-style spans (`[words]{.smallcaps}`), fenced divs (`::: signature`)
and footnotes (`[^1]`, the text's own notes).
"""

from __future__ import annotations

import re
from pathlib import Path

from markdown_it import MarkdownIt
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.footnote import footnote_plugin

from . import model as m
from .errors import Collector, Location, did_you_mean
from .ids import slugify, text_id, unique
from .schema import Field, check_mapping
from .source import (SourceUnreadable, calendar_problem, control_characters, long_words, parse_yaml, read_text_file,
                     shown, split_front_matter)

FRONT_MATTER_FIELDS = {
    "title": Field(str, required=True),
    "subtitle": Field(str),
    "author": Field((str, list), required=True),
    "date": Field(str, required=True),
    "date_text": Field(str),
    "source": Field(str, required=True),
    "transcription": Field(str),
    "language": Field(str),
    "extract": Field(bool),
}
SPAN_CLASSES = ("smallcaps", "person")  # small caps; a reference to the register of persons
MAX_NESTING = 24  # block quotes, list items and divs inside one another
LINK_SCHEMES = re.compile(r"^(https?://|mailto:)", re.IGNORECASE)  # where a text's links may go
ISO_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")


EM_DASH = re.compile(r"(^|[^-])---(?=[^-]|$)", re.MULTILINE)
EN_DASH = re.compile(r"(^|[^-])--(?=[^-]|$)", re.MULTILINE)


def _dashes_and_ellipses(state) -> None:
    """The typographer's dashes and ellipses, and nothing else: markdown-it's
    own "replacements" would also turn a list's "(c)" into "©"."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        for child in token.children:
            if child.type == "text" and ("--" in child.content or "..." in child.content):
                text = EM_DASH.sub("\\1—", child.content)
                text = EN_DASH.sub("\\1–", text)
                child.content = text.replace("...", "…")


def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"typographer": True})
    md.enable(["smartquotes"])
    md.core.ruler.before("smartquotes", "dashes_and_ellipses", _dashes_and_ellipses)
    md.use(attrs_plugin, spans=True)
    md.use(footnote_plugin)
    md.use(container_plugin, name="div", validate=lambda params, *rest: True)
    md.disable("html_block")  # raw HTML is not part of the text format
    md.disable("html_inline")
    # markdown-it drops what lies deeper than maxNesting without a word; parse deep enough
    # that the builder sees (and reports) anything nested beyond MAX_NESTING.
    md.options["maxNesting"] = 4 * MAX_NESTING + 8
    return md


MARKDOWN = _markdown()


def read_source(root: Path, relative_path: str, problems: Collector) -> str | None:
    """The words of one text file, or None (reported) if it cannot be read."""
    try:
        return read_text_file(root / relative_path, relative_path)
    except SourceUnreadable as error:
        problems.add(error.location, error.message)
        return None


def read_text(root: Path, relative_path: str, problems: Collector,
              default_language: str = "", cache=None, source: str | None = None) -> m.Text | None:
    """Reads one text file (unless its `source` is given); reports problems
    and returns None if unusable. With a `cache.TextCache`, an unchanged text
    is not parsed again."""
    if source is None:
        source = read_source(root, relative_path, problems)
    if source is None:
        return None
    if cache is None:
        return parse_text(source, relative_path, problems, default_language)
    key = cache.key(relative_path, source, default_language)
    text = cache.get(key)
    if text is None:
        text = parse_text(source, relative_path, problems, default_language)
        if text is not None:
            cache.put(key, text)
    return text


def parse_text(source: str, path: str, problems: Collector, default_language: str = "") -> m.Text | None:
    before = len(problems.diagnostics)
    source = control_characters(source, path, problems)
    front, body, body_line = split_front_matter(source)
    if front is None:
        problems.add(Location(path, 1, 1), "no front matter: a text starts with a '---' line, "
                     "then title, author, date and source, then '---'")
        return None
    if front == "" and body == "":
        problems.add(Location(path, 1, 1), "front matter is not closed by a '---' line")
        return None
    data = parse_yaml(front, path, problems, line_offset=1)
    meta = _text_meta(data, path, problems, default_language)
    if not body.strip():
        problems.add(Location(path, body_line, 1), "the text is empty")
        return None
    long_words(body, path, problems, body_line - 1)
    stem = Path(path).stem
    blocks, notes = _parse_body(body, path, body_line - 1, problems, text_id(stem))
    if meta is None or len(problems.diagnostics) > before:
        return None
    return m.Text(id=text_id(stem), path=path, meta=meta, blocks=blocks, notes=notes,
                  location=Location(path, 1, 1))


def _text_meta(data, path: str, problems: Collector, default_language: str) -> m.TextMeta | None:
    where = Location(path, 1, 1)
    values = check_mapping(data, FRONT_MATTER_FIELDS, where, "the front matter", problems)
    if values is None:
        return None
    authors = values.get("author", ())
    if isinstance(authors, str):
        authors = (authors,)
    elif authors:
        bad = [a for a in authors if not isinstance(a, str) or not a.strip()]
        if bad:
            problems.add(data.value_location["author"], '"author" must be a name or a list of names')
        authors = tuple(str(a) for a in authors)
    date = values.get("date", "")
    if date and not ISO_DATE.match(date):
        problems.add(data.value_location["date"],
                     f'"date" must be an ISO date (YYYY, YYYY-MM or YYYY-MM-DD), not "{date}"; '
                     'keep the source\'s wording in "date_text"')
    elif date and calendar_problem(date):
        problems.add(data.value_location["date"],
                     calendar_problem(date) + '; keep the source\'s wording in "date_text"')
    language = values.get("language", "") or default_language
    if language and not LANGUAGE_TAG.match(language):
        problems.add(data.value_location.get("language", where), f'"{language}" is not a language tag such as "en" or "de-CH"')
    if not {"title", "author", "date", "source"} <= values.keys():
        return None
    return m.TextMeta(
        title=values["title"].strip(), subtitle=values.get("subtitle", ""), authors=tuple(authors),
        date=date, date_text=values.get("date_text", ""), source=values["source"].strip(),
        transcription=values.get("transcription", ""), language=language,
        extract=values.get("extract", False),
    )


def parse_blocks(markdown: str, path: str, line_offset: int, problems: Collector) -> tuple[m.Block, ...]:
    """Block Markdown without notes (editorial notes, headnotes). A process
    that loads an edition again (`edition watch`) parses again only the
    notes that changed or moved: the blocks of a sound note are kept, by its
    words and place (the blocks carry their locations), in `_PARSED`."""
    plain = _plain_paragraph(markdown, path, line_offset)
    if plain is not None:
        return plain
    key = (markdown, path, line_offset)
    blocks = _PARSED.get(key)
    if blocks is not None:
        return blocks
    before = len(problems.diagnostics)
    blocks, notes = _parse_body(markdown, path, line_offset, problems, id_prefix="", allow_notes=False)
    if len(problems.diagnostics) == before:  # a note with problems is parsed (and reported) every time
        if len(_PARSED) >= MAX_PARSED:
            _PARSED.clear()
        _PARSED[key] = blocks
    return blocks


_PARSED: dict[tuple[str, str, int], tuple[m.Block, ...]] = {}
MAX_PARSED = 50_000  # notes and headnotes: a few times the largest edition's

# Most notes are one line of words: nothing in them that Markdown reads as
# markup (no emphasis, link, span, escape, entity, code, straight quote for the
# typographer, nothing at the start that opens a list, heading, quote or code).
# Such a line is one paragraph of one string, its dashes and ellipses set as
# the typographer sets them: made here without parsing (the same model).
PLAIN_LINE = re.compile(r"[^\x00-\x1f\x7f-\x9f\u2028\u2029\\`*_\[\]<>&{}'\"~|]+")
PLAIN_START = re.compile(r"[^\W\d_]|[(“‘]")  # a letter, or an opening bracket or curly quote


def _plain_paragraph(markdown: str, path: str, line_offset: int) -> tuple[m.Block, ...] | None:
    """The blocks of `markdown` if it is one plain line (see PLAIN_LINE), else None."""
    if not PLAIN_LINE.fullmatch(markdown) or not PLAIN_START.match(markdown) or markdown[-1].isspace():
        return None
    if "--" in markdown or "..." in markdown:
        markdown = EN_DASH.sub("\\1–", EM_DASH.sub("\\1—", markdown)).replace("...", "…")
    return (m.Paragraph((m.Str(markdown),), Location(path, 1 + line_offset, 1)),)


def parse_inlines(markdown: str, where: Location, problems: Collector) -> tuple[m.Inline, ...]:
    """Inline Markdown (a correction's emended reading), with the texts' rules."""
    tokens = MARKDOWN.parseInline(markdown)
    builder = _BlockBuilder([markdown], where.path, where.line - 1, problems, "", allow_notes=False)
    return builder.inlines(tokens[0]) if tokens else (m.Str(markdown),)


def _parse_body(body: str, path: str, line_offset: int, problems: Collector, id_prefix: str,
                allow_notes: bool = True):
    env: dict = {}
    tokens = MARKDOWN.parse(body, env)
    builder = _BlockBuilder(body.split("\n"), path, line_offset, problems, id_prefix, allow_notes)
    blocks = builder.blocks(tokens)
    for key, note_id in env.get("footnotes", {}).get("refs", {}).items():
        if note_id == -1:  # defined, never referred to: markdown-it drops it
            label = key[1:]
            problems.add(builder._footnote_location(label), f"note [^{label}] is never referred to in the text")
    return blocks, builder.notes()


class _BlockBuilder:
    """Turns markdown-it's flat token stream into model blocks."""

    def __init__(self, lines, path, line_offset, problems, id_prefix, allow_notes):
        self.lines = lines
        self.path = path
        self.line_offset = line_offset
        self.problems = problems
        self.id_prefix = id_prefix
        self.allow_notes = allow_notes
        self.heading_ids: set[str] = set()
        self.footnotes: dict[int, tuple[str, tuple[m.Block, ...], Location]] = {}
        self.references: list[int] = []  # footnote ids in reading order
        self.referred: set[int] = set()  # the same, for quick look-up
        self.depth = 0  # how many block quotes, list items and divs enclose the current block
        self.too_deep = False
        self._footnote_lines: dict[str, Location] | None = None

    def location(self, token, needle: str = "") -> Location:
        line = (token.map[0] if token.map else 0)
        col = 1
        if needle and line < len(self.lines):
            found = self.lines[line].find(needle)
            col = found + 1 if found >= 0 else 1
        return Location(self.path, line + 1 + self.line_offset, col)

    def blocks(self, tokens) -> tuple[m.Block, ...]:
        result, index = self._blocks_until(tokens, 0, None)
        return result

    def _nested(self, tokens, index, closing: str, token):
        """The blocks inside a quote, list item or div, one level deeper."""
        self.depth += 1
        if self.depth > MAX_NESTING and not self.too_deep:
            self.too_deep = True
            self.problems.add(self.location(token), f"block quotes and lists are nested more than {MAX_NESTING} "
                              "deep here: no page can set them; nest them less deeply")
        try:
            return self._blocks_until(tokens, index, closing)
        finally:
            self.depth -= 1

    def _blocks_until(self, tokens, index, closing: str | None):
        result: list[m.Block] = []
        while index < len(tokens):
            token = tokens[index]
            kind = token.type
            if closing and kind == closing:
                return tuple(result), index + 1
            if kind == "paragraph_open":
                inline = tokens[index + 1]
                result.append(m.Paragraph(self.inlines(inline), self.location(token)))
                index += 3
            elif kind == "heading_open":
                inline = tokens[index + 1]
                level = int(token.tag[1])
                children = self.inlines(inline)
                where = self.location(token)
                if level == 1:
                    self.problems.add(where, "a '#' heading: the text's title comes from its front matter; "
                                      "use '##' for a section heading")
                heading_id = ""
                if self.id_prefix:
                    heading_id = unique(f"{self.id_prefix}-{slugify(m.plain_text(children), 40)}", self.heading_ids)
                result.append(m.Heading(max(level, 2), children, where, heading_id))
                index += 3
            elif kind == "blockquote_open":
                inner, index = self._nested(tokens, index + 1, "blockquote_close", token)
                result.append(m.BlockQuote(inner, self.location(token)))
            elif kind in ("bullet_list_open", "ordered_list_open"):
                items = []
                where = self.location(token)
                start = int(token.attrs.get("start", 1)) if kind == "ordered_list_open" else 1
                close = kind.replace("_open", "_close")
                index += 1
                while tokens[index].type != close:
                    item_token = tokens[index]
                    inner, index = self._nested(tokens, index + 1, "list_item_close", item_token)
                    items.append(m.ListItem(inner, self.location(item_token)))
                index += 1
                result.append(m.ListBlock(kind == "ordered_list_open", start, tuple(items), where))
            elif kind == "container_div_open":
                name = token.info.strip().lstrip("{").rstrip("}").strip().lstrip(".")
                where = self.location(token, ":::")
                inner, index = self._nested(tokens, index + 1, "container_div_close", token)
                if name not in m.DivisionKind.ALL and not self.too_deep:
                    self.problems.add(where, f'unknown block "::: {name}"{did_you_mean(name, m.DivisionKind.ALL)}; '
                                      f'known: {", ".join(m.DivisionKind.ALL)}')
                    result.extend(inner)
                elif name in m.DivisionKind.ALL:
                    result.append(m.Division(name, inner, where))
                else:
                    result.extend(inner)
            elif kind == "hr":
                result.append(m.ThematicBreak(self.location(token)))
                index += 1
            elif kind in ("fence", "code_block"):
                result.append(m.Preformatted(token.content.rstrip("\n"), self.location(token)))
                index += 1
            elif kind == "footnote_block_open":
                index = self._footnote_block(tokens, index + 1)
            else:
                index += 1
        return tuple(result), index

    def _footnote_block(self, tokens, index) -> int:
        while tokens[index].type != "footnote_block_close":
            token = tokens[index]
            if token.type == "footnote_open":
                note_id, label = token.meta["id"], token.meta["label"]
                inner, index = self._blocks_until(tokens, index + 1, "footnote_close")
                if label is not None:  # an inline note (reported where it is) has none
                    self.footnotes[note_id] = (label, inner, self._footnote_location(label))
            else:
                index += 1
        return index + 1

    def _footnote_location(self, label: str) -> Location:
        if self._footnote_lines is None:  # one pass over the lines for all the notes of the text
            self._footnote_lines = {}
            for number, line in enumerate(self.lines):
                stripped = line.lstrip()
                if stripped.startswith("[^") and "]:" in stripped:
                    found = stripped[2 : stripped.index("]:")]
                    self._footnote_lines.setdefault(found, Location(
                        self.path, number + 1 + self.line_offset, len(line) - len(stripped) + 1))
        return self._footnote_lines.get(label, Location(self.path, 1 + self.line_offset, 1))

    def inlines(self, inline_token) -> tuple[m.Inline, ...]:
        stack: list[tuple[str, list, dict]] = [("root", [], {})]
        for child in inline_token.children or ():
            kind = child.type
            top = stack[-1][1]
            if kind == "text":
                self._text(child.content, top, inline_token)
            elif kind in ("softbreak",):
                top.append(m.Str(" "))
            elif kind == "hardbreak":
                top.append(m.LineBreak())
            elif kind == "code_inline":
                top.append(m.Code(child.content))
            elif kind in ("em_open", "strong_open", "link_open", "span_open"):
                stack.append((kind, [], dict(child.attrs)))
            elif kind in ("em_close", "strong_close", "link_close", "span_close"):
                opened, children, attrs = stack.pop()
                stack[-1][1].append(self._container(opened, tuple(children), attrs, inline_token))
            elif kind == "footnote_ref":
                if child.meta.get("label") is None:  # an inline note, ^[…]
                    self.problems.add(self.location(inline_token, "^["), "an inline note ^[…]: write a mark [^1] "
                                      "in the text and the note on a line of its own, '[^1]: …'")
                    continue
                if not self.allow_notes:
                    self.problems.add(self.location(inline_token, "[^"), "a note cannot have notes of its own")
                    continue
                note_id = child.meta["id"]
                if note_id in self.referred:
                    self.problems.add(self.location(inline_token, f"[^{child.meta['label']}]"),
                                      f'note [^{child.meta["label"]}] is referred to more than once')
                    continue
                self.references.append(note_id)
                self.referred.add(note_id)
                top.append(m.NoteRef(label=child.meta["label"]))
            elif kind == "image":
                self.problems.add(self.location(inline_token, "!["), "images are not supported in texts")
        while len(stack) > 1:  # unbalanced: keep the words
            _, children, _ = stack.pop()
            stack[-1][1].extend(children)
        return _merge_strings(stack[0][1])

    def _text(self, content: str, out: list, inline_token) -> None:
        if "[^" in content:
            label = re.search(r"\[\^([^\]]*)\]", content)
            shown = label.group(0) if label else "[^"
            self.problems.add(self.location(inline_token, shown),
                              f"note {shown} has no text: add a line '{shown}: …'")
        out.append(m.Str(content))

    def _container(self, opened, children, attrs, inline_token):
        if opened == "em_open":
            return m.Emphasis(children)
        if opened == "strong_open":
            return m.Strong(children)
        if opened == "link_open":
            href = str(attrs.get("href", ""))
            if not LINK_SCHEMES.match(href):
                self.problems.add(self.location(inline_token, "]("),
                                  f'a link to "{shown(href)}": a text may link only to web addresses (https://…) '
                                  "or mail (mailto:…); a path would break in the book")
                return _Group(children)
            return m.Link(href, children)
        classes = str(attrs.get("class", "")).split()
        unknown = [c for c in classes if c not in SPAN_CLASSES] + [k for k in attrs if k != "class"]
        if unknown or not classes:
            name = unknown[0] if unknown else "{}"
            self.problems.add(self.location(inline_token, "{"),
                              f'unknown span attribute "{name}"{did_you_mean(name, SPAN_CLASSES)}; '
                              'use [words]{.smallcaps}, or [a name]{.person} to refer to the register of persons')
            return _Group(children)
        if "smallcaps" in classes:
            children = (m.SmallCaps(children),)
        return m.PersonRef(children) if "person" in classes else children[0]

    def notes(self) -> tuple[m.Note, ...]:
        notes = []
        for note_id in self.references:
            if note_id in self.footnotes:
                label, blocks, where = self.footnotes[note_id]
                notes.append(m.Note(kind=m.NoteKind.AUTHOR, blocks=blocks, location=where))
        for note_id, (label, blocks, where) in self.footnotes.items():
            if note_id not in self.referred:
                self.problems.add(where, f"note [^{label}] is never referred to in the text")
        return tuple(notes)


class _Group(tuple):
    """Children of a rejected span; flattened by `_merge_strings`."""


def _merge_strings(nodes) -> tuple[m.Inline, ...]:
    """Adjacent strings joined into one (in linear time: a paragraph of
    thousands of lines has thousands of pieces)."""
    result: list[m.Inline] = []
    pending: list[str] = []  # the pieces of the string that ends `result`

    def flush():
        if pending:
            result.append(m.Str("".join(pending)))
            pending.clear()

    for node in nodes:
        if isinstance(node, _Group):
            flush()
            result.extend(node)
            if result and isinstance(result[-1], m.Str):
                pending.append(result.pop().text)
        elif isinstance(node, m.Str):
            if pending or node.text:
                pending.append(node.text)
        else:
            flush()
            result.append(node)
    flush()
    return tuple(result)

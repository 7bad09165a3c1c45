"""Rendering the model's blocks and inline content to (X)HTML fragments.

`HtmlRenderer` has one method per node type; the EPUB and print renderers
override only what differs (how a note mark links to its note, what a
signature block is called). Every string from the model is escaped here or by
Jinja2's autoescape; the result is `Markup`, safe to put into a template.
"""

from __future__ import annotations

import re

from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from . import __version__
from . import model as m

TEMPLATES = Path(__file__).parent / "templates"
PERSON_REF_SIGN = "\u2192"  # → before a name: see the register of persons


def make_env(subfolder: str, override: Path | None = None) -> jinja2.Environment:
    """The one Jinja2 environment: autoescape, strict undefined, and a project
    folder (`styles/templates/<subfolder>`) searched before the built-ins."""
    folders = [str(override)] if override and override.is_dir() else []
    folders.append(str(TEMPLATES / subfolder))
    folders.append(str(TEMPLATES))
    # Sandboxed when the project overrides a template: overrides come with the project, and may come from
    # anyone. The tool's own templates alone need no sandbox, which costs a call for every attribute read.
    sandboxed = bool(folders[0] != str(TEMPLATES / subfolder) and any(Path(folders[0]).rglob("*")))
    kind = jinja2.Environment
    if sandboxed:
        from jinja2.sandbox import SandboxedEnvironment as kind
    return kind(
        loader=ConfinedLoader(folders),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_bytecode_cache(sandboxed),
    )


def _bytecode_cache(sandboxed: bool) -> jinja2.BytecodeCache | None:
    """Compiled templates, kept between runs in the user's cache folder
    (usercache.py): compiling the templates costs more than rendering a small
    book. An entry is used only for the same template source (Jinja2 checks a
    hash of it); its name says whether it was compiled for the sandbox (the
    code differs) and by which version of this program, with the settings above."""
    from .usercache import folder

    where = folder("templates")
    pattern = f"{__version__}-{'sandboxed' if sandboxed else 'own'}-%s.cache"
    return jinja2.FileSystemBytecodeCache(str(where), pattern) if where else None


def template_problem(error: jinja2.TemplateError):
    """An `InvalidEdition` for an error in a template (a project's override):
    a syntax error, or something the sandbox does not allow, at its line."""
    from .errors import Diagnostic, InvalidEdition, Location

    filename, line = getattr(error, "filename", None), getattr(error, "lineno", None)
    trace = error.__traceback__
    while trace is not None and not filename:  # the sandbox's errors: the template's frame has the line
        if trace.tb_frame.f_code.co_filename.endswith(".j2"):
            filename, line = trace.tb_frame.f_code.co_filename, trace.tb_lineno
        trace = trace.tb_next
    from jinja2.sandbox import SecurityError

    if isinstance(error, SecurityError):
        message = f"the template may not do this: {error}"
    else:
        message = f"error in the template: {getattr(error, 'message', None) or error}"
    return InvalidEdition([Diagnostic(Location(filename or "a template", line or 1), message)])


class ConfinedLoader(jinja2.FileSystemLoader):
    """Loads a template only if it lies, after following links, inside the
    folder it was found in: a project's template override may not read a
    file from elsewhere (see confine.py)."""

    def get_source(self, environment, template):
        for folder in self.searchpath:  # the first that has it is the one FileSystemLoader reads
            candidate = Path(folder) / template
            if candidate.is_file():
                if not candidate.resolve().is_relative_to(Path(folder).resolve()):
                    from .errors import Diagnostic, InvalidEdition, Location

                    raise InvalidEdition([Diagnostic(Location(str(candidate)), "the template is a link to a file "
                                                     "outside its folder: copy the file in instead")])
                break
        return super().get_source(environment, template)


class HtmlRenderer:
    """XHTML-compatible HTML for blocks and inlines (void elements self-closed)."""

    heading_offset = 1  # model level 2 (a section of a text) -> <h3>

    # --- entry points ---
    def blocks(self, blocks) -> Markup:
        return joined("\n", [self.block(b) for b in blocks])

    def inlines(self, inlines) -> Markup:
        out, mark = [], None  # an index mark waiting for the word it stands before
        for node in inlines:
            if mark is not None and isinstance(node, m.Str) and node.text[:1].strip():
                word, space, rest = node.text.partition(" ")
                out.append(self.named_word(mark, self.inline(m.Str(word))))
                node, mark = m.Str(space + rest), None
            elif mark is not None:
                out.append(self.index_mark(mark))
                mark = None
            if isinstance(node, m.IndexMark):
                mark = node
            elif not isinstance(node, m.Str) or node.text:
                out.append(self.inline(node))
        if mark is not None:
            out.append(self.index_mark(mark))
        return joined("", out)

    def named_word(self, mark: m.IndexMark, word: Markup) -> Markup:
        """The first word of a name, holding the index's target: an empty
        element would do, but WeasyPrint breaks lines badly around one."""
        return fill('<span class="index-mark" id="%s">%s</span>', mark.id, word)

    def block(self, block) -> Markup:
        return getattr(self, _method_name(block))(block)

    def inline(self, node) -> Markup:
        return getattr(self, _method_name(node))(node)

    # --- blocks ---
    def paragraph(self, block: m.Paragraph) -> Markup:
        return fill("<p>%s</p>", self.inlines(block.children))

    def heading(self, block: m.Heading) -> Markup:
        level = min(6, block.level + self.heading_offset)
        return Markup('<h%d id="%s">%s</h%d>') % (level, block.id, self.inlines(block.children), level)

    def block_quote(self, block: m.BlockQuote) -> Markup:
        return Markup("<blockquote>\n%s\n</blockquote>") % self.blocks(block.blocks)

    def list_block(self, block: m.ListBlock) -> Markup:
        items = Markup("\n").join(Markup("<li>%s</li>") % self.list_item_content(i) for i in block.items)
        if not block.ordered:
            return Markup("<ul>\n%s\n</ul>") % items
        start = Markup(' start="%d"') % block.start if block.start != 1 else Markup("")
        return Markup("<ol%s>\n%s\n</ol>") % (start, items)

    def list_item_content(self, item: m.ListItem) -> Markup:
        if len(item.blocks) == 1 and isinstance(item.blocks[0], m.Paragraph):
            return self.inlines(item.blocks[0].children)  # a tight list item
        return self.blocks(item.blocks)

    def division(self, block: m.Division) -> Markup:
        return Markup('<div class="%s">\n%s\n</div>') % (block.kind, self.blocks(block.blocks))

    def thematic_break(self, block: m.ThematicBreak) -> Markup:
        return Markup('<hr class="section-break"/>')

    def preformatted(self, block: m.Preformatted) -> Markup:
        return Markup("<pre>%s</pre>") % block.text

    # --- inlines ---
    def str(self, node: m.Str) -> Markup:
        return escape(node.text)

    def code(self, node: m.Code) -> Markup:
        return Markup("<code>%s</code>") % node.text

    def line_break(self, node: m.LineBreak) -> Markup:
        return Markup("<br/>")

    def emphasis(self, node: m.Emphasis) -> Markup:
        return fill("<i>%s</i>", self.inlines(node.children))

    def strong(self, node: m.Strong) -> Markup:
        return fill("<b>%s</b>", self.inlines(node.children))

    def small_caps(self, node: m.SmallCaps) -> Markup:
        return fill('<span class="smallcaps">%s</span>', self.inlines(node.children))

    def link(self, node: m.Link) -> Markup:
        return Markup('<a href="%s">%s</a>') % (node.url, self.inlines(node.children))

    def emendation(self, node: m.Emendation) -> Markup:
        return Markup('<span class="emendation" id="%s">%s</span>') % (
            node.correction_id, self.inlines(node.children))

    def note_ref(self, node: m.NoteRef) -> Markup:
        return Markup('<a class="noteref" id="%s" href="#%s">%d</a>') % (node.ref_id, node.note_id, node.number)

    def person_ref(self, node: m.PersonRef) -> Markup:
        """A name that refers to its entry in the register of persons: a link
        to it, led by an arrow (where links are not seen, as in print, the
        arrow says so); the arrow is not read out."""
        return Markup('<a class="person-ref" href="%s"><span class="person-ref-sign" aria-hidden="true">%s</span>'
                      '%s</a>') % (self.person_href(node.person_id), PERSON_REF_SIGN, self.inlines(node.children))

    def person_href(self, person_id: str) -> str:
        return f"#{person_id}"

    def index_mark(self, node: m.IndexMark) -> Markup:
        """Where a person is named: the target of the index of names."""
        return fill('<span class="index-mark" id="%s"></span>', node.id)


UNSAFE = re.compile(r"[&<>'\"]")  # what `escape` changes


def fill(template: str, *values) -> Markup:
    """`Markup(template) % values`, made faster (markupsafe wraps every value
    in a helper and makes a Markup of each): a value that is markup already
    goes in as it is, a number as a number, any other is escaped as `escape`
    escapes it; one Markup is made, of the whole."""
    return Markup(template % tuple(value if isinstance(value, (Markup, int)) else _escaped(str(value))
                                   for value in values))


def _escaped(text: str) -> str:
    return str(escape(text)) if UNSAFE.search(text) else text


def joined(separator: str, parts: list) -> Markup:
    """`Markup(separator).join(parts)`, without escaping again what is
    markup already (every part, as a rule: escaping each costs more than
    rendering it)."""
    return Markup(separator.join(part if isinstance(part, Markup) else escape(part) for part in parts))


def _method_name(node) -> str:
    kind = type(node)
    name = _METHOD_NAMES.get(kind)
    if name is None:
        name = _METHOD_NAMES[kind] = "".join("_" + c.lower() if c.isupper() else c for c in kind.__name__).lstrip("_")
    return name


_METHOD_NAMES: dict[type, str] = {}  # a node's type -> the renderer's method for it: SmallCaps -> small_caps


def plain(inlines) -> str:
    """Words only: for titles in navigation, running heads and metadata."""
    return m.plain_text(inlines)

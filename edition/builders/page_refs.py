"""Page references printed as text once their pages are known.

The stylesheet asks WeasyPrint for the page of a link's target with
`target-counter(attr(href url), folio)`: the contents, the notes' "p. 12",
the emendations' pages, the register's pages. WeasyPrint fills the number
in itself, but a page holding one is laid out, found to miss the number,
and laid out again in another round over the document — some pages twice
more. In the sample that is every page of the contents and the back matter,
a third of the pages laid out; in a long book its lists of targets are
searched for every anchor of every page, which grows with the square of the
book.

The book is laid out at least twice anyway (pdf.py, `lay_out_book`): the
first layout shows where every anchor is, and a later one prints the page
facts read from it. So from the second layout on, the numbers are printed
as text:

- `literal_css(stylesheets)` rewrites each rule whose `content` holds such
  a `target-counter()` into the same rule with `attr(data-tc-COUNTER-STYLE)`
  in its place (only the `page` and `folio` counters, in decimal or roman;
  anything else is left to WeasyPrint);
- `number_links(html, anchor_pages, folios, wanted)` gives each internal link
  those attributes, from the pages of the layout before.

The layout that prints them is checked like every other page fact: its own
anchors must be on the pages it printed (`Book.anchor_pages`, compared by
`lay_out_book`), or the book is laid out again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .pdf_labels import Folios, roman

COUNTERS = ("page", "folio")
STYLES = {"decimal": str, "lower-roman": roman, "upper-roman": lambda number: roman(number).upper()}


@dataclass(frozen=True)
class Reference:
    """One kind of page reference the stylesheet prints: a counter in a style."""

    counter: str
    style: str

    @property
    def attribute(self) -> str:
        return f"data-tc-{self.counter}-{self.style}"

    def value(self, index: int, folios: Folios) -> str:
        """The counter's value on page `index` (0-based), as WeasyPrint would print it."""
        if self.counter == "page":
            number = index + 1
        else:  # the folio counter: reset on the front matter's pages, counted from the body's first page
            number = 0 if folios.is_front(index) else index - folios.body_start + 1
        if number <= 0 and self.style != "decimal":
            return str(number)  # CSS falls back to decimal outside a roman style's range
        return STYLES[self.style](number)


@dataclass(frozen=True)
class LiteralStyles:
    """The rules that print page references as text, and the references they need."""

    css: str
    references: tuple[Reference, ...]


def literal_css(stylesheets: list[str]) -> LiteralStyles:
    """Rules overriding every `content` with a `target-counter(attr(href url), …)`
    in `stylesheets` (CSS texts, in cascade order) by the same content with
    the number taken from the link's attribute. Same selectors, so the same
    rules win as before; placed after the stylesheets."""
    import tinycss2

    rules: list[str] = []
    references: dict[Reference, None] = {}
    for text in stylesheets:
        for rule in tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True):
            if rule.type != "qualified-rule":
                continue  # at-rules (@page, @media) are left as they are
            for declaration in tinycss2.parse_declaration_list(rule.content, skip_comments=True,
                                                               skip_whitespace=True):
                if declaration.type != "declaration" or declaration.lower_name != "content":
                    continue
                found: list[Reference] = []
                value = [_literal(token, found) for token in declaration.value]
                if not found:
                    continue
                references.update(dict.fromkeys(found))
                important = " !important" if declaration.important else ""
                rules.append(f"{tinycss2.serialize(rule.prelude).strip()} "
                             f"{{ content: {tinycss2.serialize(value).strip()}{important}; }}")
    return LiteralStyles("\n".join(rules), tuple(references))


def _literal(token, found: list[Reference]):
    """`token`, or for a page reference `attr(data-tc-…)` in its place."""
    import tinycss2.ast as ast

    if token.type != "function" or token.lower_name != "target-counter":
        return token
    args = [part for part in token.arguments if part.type not in ("whitespace", "comment")]
    args = [part for part in args if not (part.type == "literal" and part.value == ",")]
    if len(args) not in (2, 3) or not _is_href(args[0]) or args[1].type != "ident":
        return token
    counter = args[1].lower_value
    style = args[2].lower_value if len(args) == 3 and args[2].type == "ident" else "decimal"
    if counter not in COUNTERS or style not in STYLES or (len(args) == 3 and args[2].type != "ident"):
        return token
    reference = Reference(counter, style)
    found.append(reference)
    return ast.FunctionBlock(token.source_line, token.source_column, "attr",
                             [ast.IdentToken(token.source_line, token.source_column, reference.attribute)])


def _is_href(token) -> bool:
    if token.type != "function" or token.lower_name != "attr":
        return False
    words = [part.lower_value for part in token.arguments if part.type == "ident"]
    return words == ["href", "url"]


INTERNAL_LINK = re.compile(r'<a\b([^>]*?)\shref="#([^"]+)"')


def number_links(html: str, anchor_pages: dict[str, int], folios: Folios,
                 references: tuple[Reference, ...]) -> str:
    """`html` with each internal link to an anchor of `anchor_pages`
    (id -> 0-based page) carrying its target's page in every `references` form."""
    if not references:
        return html

    def numbered(match: re.Match) -> str:
        index = anchor_pages.get(match.group(2))
        if index is None:
            return match.group(0)
        values = "".join(f' {reference.attribute}="{reference.value(index, folios)}"'
                         for reference in references)
        return f"{match.group(0)}{values}"

    return INTERNAL_LINK.sub(numbered, html)

"""The document model: plain, immutable records of an edition.

The model describes a book — its metadata, texts, blocks, inline content,
notes and corrections — and nothing of the formats it is rendered to.
`annotate.resolve` returns a fully resolved `Edition`: corrections applied,
notes anchored and numbered, every id assigned (ids are derived from the
content, so they are the same on every run).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

from .errors import Location

# --- inline content ---------------------------------------------------------


@dataclass(frozen=True)
class Str:
    text: str


@dataclass(frozen=True)
class Code:
    text: str


@dataclass(frozen=True)
class LineBreak:
    pass


@dataclass(frozen=True)
class Emphasis:
    children: tuple["Inline", ...]


@dataclass(frozen=True)
class Strong:
    children: tuple["Inline", ...]


@dataclass(frozen=True)
class SmallCaps:
    children: tuple["Inline", ...]


@dataclass(frozen=True)
class Link:
    url: str
    children: tuple["Inline", ...]


@dataclass(frozen=True)
class NoteRef:
    """The mark of a note in the text. `label` is the text's own footnote
    label ("1") or "" for an editorial note; `number` and `id`s are set when
    the notes of a text are numbered."""

    label: str
    number: int = 0
    note_id: str = ""
    ref_id: str = ""


@dataclass(frozen=True)
class Emendation:
    """A corrected reading: `children` are shown, `original` is what the
    source has. `correction_id` names the `Correction` it comes from."""

    original: str
    children: tuple["Inline", ...]
    correction_id: str


@dataclass(frozen=True)
class IndexMark:
    """A place where a person of the register is named: the index of names
    points here. It has no words; `id` is unique in the edition."""

    id: str
    person_id: str


@dataclass(frozen=True)
class PersonRef:
    """Words that refer the reader to a person's entry in the register
    (written `[Besedovsky]{.person}`): the words are one of the person's
    forms; `person_id` is set when the persons are indexed."""

    children: tuple["Inline", ...]
    person_id: str = ""


@dataclass(frozen=True)
class PageBreak:
    """Where a page of the print edition begins (`label` is its folio, "iii"
    or "12"). Only an edition paginated from a built print edition has them."""

    id: str
    label: str


Inline = Union[Str, Code, LineBreak, Emphasis, Strong, SmallCaps, Link, NoteRef, Emendation, IndexMark, PersonRef,
               PageBreak]
CONTAINER_INLINES = (Emphasis, Strong, SmallCaps, Link, Emendation, PersonRef)

# --- blocks -----------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    children: tuple[Inline, ...]
    location: Location


@dataclass(frozen=True)
class Heading:
    level: int  # 2 = section of a text, 3 = sub-section
    children: tuple[Inline, ...]
    location: Location
    id: str = ""


@dataclass(frozen=True)
class BlockQuote:
    blocks: tuple["Block", ...]
    location: Location


@dataclass(frozen=True)
class ListItem:
    blocks: tuple["Block", ...]
    location: Location


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    start: int
    items: tuple[ListItem, ...]
    location: Location


class DivisionKind:
    """The letter furniture a text may set apart."""

    SIGNATURE = "signature"
    DATELINE = "dateline"
    SALUTATION = "salutation"
    ALL = (SIGNATURE, DATELINE, SALUTATION)


@dataclass(frozen=True)
class Division:
    kind: str  # one of DivisionKind.ALL
    blocks: tuple["Block", ...]
    location: Location


@dataclass(frozen=True)
class ThematicBreak:
    location: Location


@dataclass(frozen=True)
class Preformatted:
    text: str
    location: Location


Block = Union[Paragraph, Heading, BlockQuote, ListBlock, Division, ThematicBreak, Preformatted]

# --- notes and corrections --------------------------------------------------


class NoteKind:
    AUTHOR = "author"  # the text's own note (the author's or an earlier editor's)
    EDITORIAL = "editorial"  # a note of this edition, from the manifest


@dataclass(frozen=True)
class Note:
    kind: str
    blocks: tuple[Block, ...]
    location: Location  # where the note is written (text file or manifest)
    number: int = 0
    id: str = ""
    ref_id: str = ""


@dataclass(frozen=True)
class Correction:
    find: str
    replace: str
    reason: str
    location: Location  # the correction in the manifest
    occurrence: int = 0  # 0: the reading must occur exactly once
    id: str = ""
    text_location: Location | None = None  # where the reading is in the text
    context: str = ""  # the emended reading in its sentence, for the list of emendations


@dataclass(frozen=True)
class EditorialNote:
    """An unresolved note of the manifest: attach `blocks` after `at`."""

    at: str
    blocks: tuple[Block, ...]
    location: Location
    occurrence: int = 0


# --- persons named in the texts ----------------------------------------------


@dataclass(frozen=True)
class Occurrence:
    """One place where a person is named: the mark's id, the text it is in,
    and the note (its id and number) when it is in a note rather than in the
    text itself (or its headnote)."""

    mark_id: str
    text_id: str
    note_id: str = ""
    note_number: int = 0
    words: str = ""  # the form as the text has it

    @property
    def in_note(self) -> bool:
        return bool(self.note_id)


@dataclass(frozen=True)
class Person:
    """A person of the register: `name` as it is indexed ("Bukharin, Nikolai
    Ivanovich"), the forms that name them in the texts, life dates as the
    register prints them, a one-line identification, and every occurrence."""

    id: str
    name: str
    forms: tuple[str, ...]
    dates: str
    about: tuple[Inline, ...]  # who they were, in a line (inline Markdown: titles in italics)
    location: Location
    texts: tuple[str, ...] = ()  # only these text files are searched; () = all
    occurrences: tuple[Occurrence, ...] = ()


# --- texts and the edition --------------------------------------------------


@dataclass(frozen=True)
class TextMeta:
    title: str
    authors: tuple[str, ...]
    date: str  # ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD
    source: str
    date_text: str = ""
    subtitle: str = ""
    transcription: str = ""
    language: str = ""
    extract: bool = False

    @property
    def date_shown(self) -> str:
        return self.date_text or self.date


@dataclass(frozen=True)
class Text:
    id: str  # stable, from the file name: "1926-01-09-trotsky-letter-to-bukharin"
    path: str  # as written in the manifest
    meta: TextMeta
    blocks: tuple[Block, ...]
    notes: tuple[Note, ...] = ()
    corrections: tuple[Correction, ...] = ()
    headnote: tuple[Block, ...] = ()
    location: Location | None = None

    @property
    def headings(self) -> tuple[Heading, ...]:
        return tuple(block for block in self.blocks if isinstance(block, Heading))


@dataclass(frozen=True)
class Part:
    title: str  # "" when the manifest has no parts
    texts: tuple[Text, ...]
    id: str = ""


@dataclass(frozen=True)
class Version:
    number: str
    date: str
    changes: str


class TrimSize:
    """Page sizes a print edition can have, as CSS `size` values."""

    SIZES = {"a5": "A5", "a4": "A4", "6x9in": "6in 9in", "letter": "letter"}


@dataclass(frozen=True)
class Metadata:
    title: str
    language: str
    identifier: str
    date: str
    editor: str = ""
    subtitle: str = ""
    publisher: str = ""
    rights: str = ""
    description: str = ""
    version: str = ""
    modified: str = ""  # the current version's date, ISO
    slug: str = ""
    trim: str = "a5"
    cover: str = ""  # a cover image named by the manifest, or "" to generate one
    bleed: bool = False  # print profile: crop marks and 3 mm bleed
    tagged_pdf: bool = False
    keywords: tuple[str, ...] = ()
    hyphenation: tuple[str, ...] = ()  # word-break exceptions for print: 'pro-le-tar-i-at'
    signature: int = 2  # print: the page count is padded to a multiple of this (2: the book ends on a verso)


@dataclass(frozen=True)
class PrintPage:
    """A page of the print edition: its folio and the `PageBreak` (its id and
    text) where it begins; a page without words of a text (blank, or a
    text's part title) points at the next page that has them."""

    label: str
    mark_id: str
    text_id: str


@dataclass(frozen=True)
class Edition:
    root: str  # the project folder (where the manifest is)
    metadata: Metadata
    front: tuple[Text, ...]
    parts: tuple[Part, ...]
    versions: tuple[Version, ...] = ()
    styles_dir: str = "styles"
    persons: tuple[Person, ...] = ()  # the register, sorted by name
    print_pages: tuple[PrintPage, ...] = ()  # the print edition's pages, when it paginates this one

    @property
    def texts(self) -> tuple[Text, ...]:
        return tuple(text for part in self.parts for text in part.texts)

    @property
    def has_parts(self) -> bool:
        return any(part.title for part in self.parts)

    @property
    def corrections(self) -> tuple[tuple[Text, Correction], ...]:
        return tuple((text, c) for text in self.front + self.texts for c in text.corrections)

    @property
    def authors(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for text in self.texts:
            for author in text.meta.authors:
                seen.setdefault(author, None)
        return tuple(seen)


def plain_text(inlines) -> str:
    """The words of inline content, without its note marks."""
    out: list[str] = []
    for node in inlines:
        if isinstance(node, (Str, Code)):
            out.append(node.text)
        elif isinstance(node, LineBreak):
            out.append(" ")
        elif isinstance(node, CONTAINER_INLINES):
            out.append(plain_text(node.children))
    return "".join(out)


def block_plain_text(block) -> str:
    if isinstance(block, (Paragraph, Heading)):
        return plain_text(block.children)
    if isinstance(block, (BlockQuote, Division, ListItem)):
        return "\n".join(block_plain_text(b) for b in block.blocks)
    if isinstance(block, ListBlock):
        return "\n".join(block_plain_text(item) for item in block.items)
    if isinstance(block, Preformatted):
        return block.text
    return ""


def emendations_in(blocks) -> dict[str, "Emendation"]:
    """The emendations shown in `blocks`, by correction id, in reading order."""
    found: dict[str, Emendation] = {}

    def inlines(nodes):
        for node in nodes:
            if isinstance(node, Emendation):
                found.setdefault(node.correction_id, node)
            if isinstance(node, CONTAINER_INLINES):
                inlines(node.children)

    def walk(items):
        for block in items:
            if isinstance(block, (Paragraph, Heading)):
                inlines(block.children)
            elif isinstance(block, (BlockQuote, Division, ListItem)):
                walk(block.blocks)
            elif isinstance(block, ListBlock):
                walk(block.items)

    walk(blocks)
    return found


def corrections_in_reading_order(text: "Text") -> tuple["Correction", ...]:
    """A text's corrections in the order their emendations stand in it (the
    manifest may list them in any order); any not shown come last."""
    order = {correction_id: n for n, correction_id in enumerate(emendations_in(text.blocks))}
    return tuple(sorted(text.corrections, key=lambda c: order.get(c.id, len(order))))

"""The typeset PDF: one print HTML document rendered by WeasyPrint.

`PdfBuilder.render` builds a `Book` (the template context: plain records made
from the model), renders `templates/pdf/book.html.j2` with it and lays the
result out with `styles/print.css`, in one layout pass. Every page number the
book prints is resolved by WeasyPrint within that pass: the folios (roman in
the front matter from the page counter, arabic in the body from the `folio`
counter, which only body pages advance, so the body's first page is 1
wherever it falls), the contents, the notes' page of reference, the pages of
the emendations, and "Notes to pages 12–30" (`target-counter()`, forward
references included). Only one thing is decided before the layout: whether a
text's notes are "to page 7" (the text fits on one page) or "to pages 7–9";
`settle` checks that guess against the layout and, only when it was wrong,
the book is laid out once more.

A finisher then adds what WeasyPrint does not write: `/PageLabels` matching
the printed folios, a stable producer, viewer preferences. The output is
reproducible: dates come from the manifest (or `SOURCE_DATE_EPOCH`), the
file identifier from the edition's identifier and version, never the clock.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import re
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from xml.etree import ElementTree

import pydyf
from markupsafe import Markup, escape

from .. import model as m
from ..errors import BuildFailed
from ..hyphenation import Exceptions
from ..locale import Words, long_date, page_ranges, shown_date, words
from ..render import HtmlRenderer, make_env, plain
from ..stylesheet import print_fetcher
from ..typography import typeset
from . import Builder, BuildOptions, balance, total_fit
from .flush import flush_bottoms
from .pdf_links import one_link_per_reference
from .pdf_index import IndexEntry, RegisterEntry, index_entries, index_stylesheet, register_entries, settle_index
from .drawing import exact_glyph_advances
from .line_breaking import trailing_spaces_hang
from .page_refs import LiteralStyles, literal_css, number_links
from .pdf_labels import Folios
from .pdf_tags import tagging
from .register import refers_to_register

PRODUCER = "edition"
MAX_PASSES = 4
BODY_START = "body-start"  # the id of the first element of the body
BOOK_END = "book-end"  # an empty element after the colophon: the pages after it are padding
PRINT_VARIANT = "pdf/x-4"
BLEED_MM = 3  # what is printed past the trim (print profile, `bleed: true`)
SHEET_MM = 10  # how far the sheet reaches past the trim: the bleed, then the slug with the crop marks
PRESS_PROFILE = Path(__file__).resolve().parents[1] / "data" / "FOGRA39L-coated.icc"
PENDING = "\u2026"  # what "Notes to pages …" says before the pages are known


# --- page geometry -----------------------------------------------------------


@dataclass(frozen=True)
class Geometry:
    """The page of one trim size: CSS `size`, margins (mirrored: `inner` at
    the spine), the body type size, and how far a text's opening is dropped
    (so that its title stands about a third of the way down the page)."""

    size: str
    inner: str
    outer: str
    top: str
    bottom: str
    font_size: str
    drop: str


GEOMETRY = {
    "a5": Geometry("A5", "17mm", "23mm", "19mm", "25mm", "10.5pt", "46mm"),
    "6x9in": Geometry("6in 9in", "18mm", "24mm", "20mm", "27mm", "11pt", "52mm"),
    "letter": Geometry("letter", "30mm", "46mm", "26mm", "36mm", "12pt", "64mm"),
    "a4": Geometry("A4", "30mm", "45mm", "27mm", "37mm", "12pt", "68mm"),
}
assert GEOMETRY.keys() == m.TrimSize.SIZES.keys()
assert all(GEOMETRY[key].size == size for key, size in m.TrimSize.SIZES.items())


# --- the template context ----------------------------------------------------


@dataclass(frozen=True)
class TextView:
    """A text as the book sets it: its opening (title, byline, date, source,
    headnote) and its body."""

    id: str
    end_id: str  # an empty element after the text's last block
    title: str
    subtitle: str
    byline: str
    date: str
    source: str  # "Source: …. Transcribed by …."
    extract: bool
    language: str  # "" when it is the edition's language
    headnote: Markup
    body: Markup
    front: bool  # front matter: roman folios, signed at the end, no source block


@dataclass(frozen=True)
class PartView:
    id: str
    title: str
    texts: tuple[TextView, ...]


@dataclass(frozen=True)
class ContentsEntry:
    kind: str  # "front", "part", "text" or "back"
    target: str
    title: str
    byline: str = ""
    roman: bool = False  # the page is in the front matter


@dataclass(frozen=True)
class NoteView:
    id: str
    ref_id: str
    number: int
    editorial: bool
    first: Markup  # the words of the first paragraph, which the number and the page lead
    rest: Markup  # the other blocks
    running_head: str = ""  # "Notes to pages 11–23": the marks of all notes on the page where this one starts


@dataclass(frozen=True)
class NoteGroup:
    """The notes of one text: "Letter to Nikolai Bukharin / Notes to pages 1–12".
    The layout prints the pages, from the text's first element to its end."""

    id: str
    text_id: str
    end_id: str
    title: str
    heading: str  # "Notes to pages 1–12" or "Notes to page 7", filled in once the pages are known
    running_head: str  # the running head of the page where the group starts
    roman: bool
    notes: tuple[NoteView, ...]


@dataclass(frozen=True)
class EmendationView:
    target: str  # the id of the emended reading in the text
    reading: Markup  # this edition's reading
    source: str  # the source's reading
    reason: str


@dataclass(frozen=True)
class EmendationGroup:
    title: str
    roman: bool
    items: tuple[EmendationView, ...]


@dataclass(frozen=True)
class VersionView:
    number: str
    date: str
    changes: str


@dataclass(frozen=True)
class Book:
    """Everything the print template shows."""

    language: str
    words: Words  # the fixed words of the edition's language
    document_title: str  # as the manifest writes it, for the PDF's metadata
    title: str  # as the book prints it
    subtitle: str
    editor: str
    publisher: str
    rights: str
    identifier: str
    year: str
    version: str
    version_date: str
    authors: tuple[str, ...]
    subject: str
    keywords: str
    created: str  # W3C dates for the PDF's metadata
    modified: str
    profile: str  # "screen" or "print"
    bleed: bool  # crop marks and bleed
    sheet: str  # the CSS bleed: how far the sheet reaches past the trim ("10mm")
    signature: int  # the page count is padded to a multiple of this: 2 (a book ends on a verso), 4, 8, 16 or 32
    has_parts: bool
    geometry: Geometry
    front: tuple[TextView, ...]
    parts: tuple[PartView, ...]
    contents: tuple[ContentsEntry, ...]
    note_groups: tuple[NoteGroup, ...]
    has_author_notes: bool  # besides the edition's own
    has_editorial_notes: bool  # the edition's own; labelled as such only where the texts have notes too
    emendation_groups: tuple[EmendationGroup, ...]
    versions: tuple[VersionView, ...]
    register: tuple[RegisterEntry, ...] = ()  # persons named in the texts
    refers_to_register: bool = False  # a note refers to the register (→ Name): the notes say so
    index: tuple[IndexEntry, ...] = ()  # the index of names; its pages filled in from layout
    padding: int = 0  # blank pages after the colophon, to make the page count a multiple of `signature`
    anchor_pages: tuple = ()  # (id, page index) of every anchor, from the layout before: page references as text


# --- rendering the model for print --------------------------------------------


class PrintRenderer(HtmlRenderer):
    """The print HTML: a text's title is its <h1>, so a section heading is
    <h2>; headings carry their outline label (notes stripped); a note mark is
    a superscript link to the endnote, which links back."""

    heading_offset = 0

    def __init__(self, exceptions: Exceptions = Exceptions({})):
        self.exceptions = exceptions
        self.in_heading = False

    def str(self, node: m.Str) -> Markup:
        return tracked(node.text) if self.in_heading else self.exceptions.mark(node.text)

    def heading(self, block: m.Heading) -> Markup:
        level = min(6, block.level + self.heading_offset)
        self.in_heading = True  # headings are set in tracked small caps
        try:
            return Markup('<h%d id="%s" data-bookmark="%s">%s</h%d>') % (
                level, block.id, plain(block.children), self.inlines(block.children), level)
        finally:
            self.in_heading = False

    def note_ref(self, node: m.NoteRef) -> Markup:
        """The mark, joined to the word or punctuation before it (U+2060, which
        draws nothing): it never opens a line."""
        return Markup('\u2060<a class="noteref" id="%s" href="#%s">%d</a>') % (node.ref_id, node.note_id, node.number)

    def note(self, note: m.Note) -> tuple[Markup, Markup]:
        """An endnote as (the words of its first paragraph, its other blocks):
        the template leads the first paragraph with the number and the page."""
        blocks = note.blocks
        if blocks and isinstance(blocks[0], m.Paragraph):
            return self.inlines(blocks[0].children), self.blocks(blocks[1:])
        return Markup(""), self.blocks(blocks)


def tracked(words: str) -> Markup:
    """`words` escaped for letter-spaced small caps: a letter and the
    apostrophe after it are set without the tracking, which would otherwise
    open a gap before the apostrophe ("WORKERS ’ STATE")."""
    pieces = re.split(r"(\w[\u2019'])", words)
    return Markup("").join(Markup('<span class="untracked">%s</span>') % piece if index % 2 else escape(piece)
                           for index, piece in enumerate(pieces))


def typographic(words: str) -> str:
    """Straight quotes made curly, for titles written in the manifest or front
    matter (the texts' own words are already curled by the reader)."""
    opening = r"(^|[\s(\[\u2014\u2013/-])"
    words = re.sub(opening + "'", "\\1\u2018", words).replace("'", "\u2019")
    return re.sub(opening + '"', "\\1\u201c", words).replace('"', "\u201d")


def byline(authors, conjunction: str = "and") -> str:
    authors = list(authors)
    if len(authors) <= 2:
        return f" {conjunction} ".join(authors)
    return ", ".join(authors[:-1]) + f" {conjunction} " + authors[-1]


def sentences(*parts: str) -> str:
    """Parts joined as sentences: each ends with a full stop unless it has one."""
    kept = [part.strip() for part in parts if part.strip()]
    return " ".join(part if part.endswith((".", "!", "?", ":", "…")) else part + "." for part in kept)


def document_dates(metadata: m.Metadata, environ=os.environ) -> tuple[str, str]:
    """(created, modified) as W3C dates for the PDF's CreationDate and
    ModDate: both SOURCE_DATE_EPOCH when it is set (the reproducible-builds
    convention); else the edition's publication date and the date of its
    current version, both from the manifest. Never the clock."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            stamp = datetime.fromtimestamp(int(epoch), tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        except (ValueError, OverflowError, OSError):
            raise BuildFailed(f"SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds") from None
        return stamp, stamp
    modified = metadata.modified or metadata.date
    return min(metadata.date, modified), modified


def file_identifier(metadata: m.Metadata) -> bytes:
    """The first half of the PDF's /ID: the same for the same edition and
    version, different for a new version."""
    return hashlib.sha256(f"{metadata.identifier}\n{metadata.version}".encode()).hexdigest()[:32].encode()


def make_book(edition: m.Edition, profile: str, renderer: PrintRenderer | None = None) -> Book:
    """The template context for `edition` (page numbers still unknown)."""
    meta = edition.metadata
    language = meta.language
    fixed = words(language)
    renderer = renderer or PrintRenderer(Exceptions.of(meta.hyphenation))

    def view(text: m.Text, front: bool) -> TextView:
        info = text.meta
        own_language = info.language if info.language and info.language != language else ""
        source = sentences(f"{fixed.source}:", page_ranges(info.source, fixed), info.transcription)
        return TextView(
            id=text.id, end_id=f"{text.id}-end", title=typographic(info.title), subtitle=typographic(info.subtitle),
            byline=byline(info.authors, fixed["and"]), date=shown_date(info.date, info.date_text, language),
            source=source,
            extract=info.extract, language=own_language, headnote=renderer.blocks(text.headnote),
            body=renderer.blocks(text.blocks), front=front)

    front = tuple(view(text, True) for text in edition.front)
    front_ids = {text.id for text in edition.front}
    parts = tuple(PartView(part.id, typographic(part.title), tuple(view(text, False) for text in part.texts))
                  for part in edition.parts)

    pending = fixed.text("notes_to_pages", pages=PENDING)
    note_groups = tuple(
        NoteGroup(id=f"{text.id}-notes", text_id=text.id, end_id=f"{text.id}-end", title=typographic(text.meta.title),
                  heading=pending, running_head=pending, roman=text.id in front_ids,
                  notes=tuple(NoteView(note.id, note.ref_id, note.number, note.kind == m.NoteKind.EDITORIAL,
                                       *renderer.note(note)) for note in text.notes))
        for text in edition.front + edition.texts if text.notes)

    emendation_groups = []
    for text in edition.front + edition.texts:
        if not text.corrections:
            continue
        shown = m.emendations_in(text.blocks)
        items = tuple(EmendationView(c.id, renderer.inlines(shown[c.id].children), shown[c.id].original, c.reason)
                      for c in m.corrections_in_reading_order(text))
        emendation_groups.append(EmendationGroup(typographic(text.meta.title), text.id in front_ids, items))

    contents = [ContentsEntry("front", t.id, t.title, roman=True) for t in front]
    for part in parts:
        if part.title:
            contents.append(ContentsEntry("part", part.id, part.title))
        contents.extend(ContentsEntry("text", t.id, t.title, f"{t.byline}, {t.date}") for t in part.texts)
    if note_groups:
        contents.append(ContentsEntry("back", "notes", fixed.notes))
    register, index = register_entries(edition, renderer.inlines), index_entries(edition)
    if register:
        contents.insert(len(contents) - bool(note_groups),  # before the notes, which may refer to it
                        ContentsEntry("back", "persons", fixed.register))
    if emendation_groups:
        contents.append(ContentsEntry("back", "emendations", fixed.emendations))
    if index:
        contents.append(ContentsEntry("back", "index", fixed.index_of_names))

    created, modified = document_dates(meta)
    authors = edition.authors or ((meta.editor,) if meta.editor else ())
    keywords = meta.keywords or edition.authors
    return Book(
        language=language, words=fixed, document_title=meta.title, title=typographic(meta.title),
        subtitle=typographic(meta.subtitle), editor=meta.editor,
        publisher=meta.publisher, rights=meta.rights, identifier=meta.identifier, year=meta.date[:4],
        version=meta.version, version_date=long_date(meta.modified or meta.date, language),
        authors=authors, subject=meta.description or meta.subtitle or meta.title, keywords=", ".join(keywords),
        created=created, modified=modified, profile=profile, bleed=meta.bleed and profile == "print",
        sheet=f"{SHEET_MM}mm", signature=meta.signature if profile == "print" else 2,
        has_parts=edition.has_parts, geometry=GEOMETRY[meta.trim], front=front, parts=parts,
        contents=tuple(contents), note_groups=note_groups,
        has_author_notes=any(not note.editorial for group in note_groups for note in group.notes),
        has_editorial_notes=any(note.editorial for group in note_groups for note in group.notes),
        emendation_groups=tuple(emendation_groups), register=register, index=index,
        refers_to_register=bool(register) and refers_to_register(edition),
        versions=tuple(VersionView(v.number, long_date(v.date, language), v.changes)
                       for v in reversed(edition.versions)))


# --- layout ------------------------------------------------------------------


@dataclass(frozen=True)
class PageMap:
    """Where the anchors of a laid-out document are: id -> page index."""

    pages: dict

    @classmethod
    def of(cls, document) -> "PageMap":
        found: dict[str, int] = {}
        for index, page in enumerate(document.pages):
            for anchor in page.anchors:
                found.setdefault(anchor, index)
        return cls(found)

    def __getitem__(self, anchor: str) -> int:
        return self.pages[anchor]

    def folios(self) -> Folios:
        """The numbering the layout gave: arabic from the page of the body's first element."""
        return Folios(self[BODY_START]) if BODY_START in self.pages else Folios(0)


def settle(book: Book, layout: PageMap) -> Book:
    """`book` with the page facts `layout` shows: the pages of each text with
    notes, the index's pages joined, and the running head of each notes page
    (the pages of the marks of all the notes on it)."""
    folios = layout.folios()
    fixed = book.words

    def pages(first: int, last: int) -> str:
        if last > first:
            return fixed.text("notes_to_pages", pages=folios.span(first, last))
        return fixed.text("notes_to_page", page=folios.label(first))

    marks_on: dict[int, list[int]] = {}  # notes page -> pages of the marks of the notes starting on it
    for group in book.note_groups:
        for note in group.notes:
            marks_on.setdefault(layout[note.id], []).append(layout[note.ref_id])
    heads = {page: pages(min(marks), max(marks)) for page, marks in marks_on.items()}
    groups = []
    for group in book.note_groups:
        notes = tuple(replace(note, running_head=heads[layout[note.id]]) for note in group.notes)
        groups.append(replace(group, heading=pages(layout[group.text_id], layout[f"{group.text_id}-end"]),
                              running_head=notes[0].running_head, notes=notes))
    padding = -(layout[BOOK_END] + 1) % book.signature if BOOK_END in layout.pages else 0
    return replace(book, note_groups=tuple(groups), padding=padding,
                   index=settle_index(book.index, layout.pages, folios, fixed.index_note_mark),
                   anchor_pages=tuple(layout.pages.items()))


@dataclass(frozen=True)
class Press:
    """What lays a book out: the print template, the stylesheet and the fonts,
    loaded once per build."""

    template: object  # a jinja2 Template
    stylesheets: tuple  # weasyprint CSS: the print stylesheet, the register's and the index's
    fonts: object  # a weasyprint FontConfiguration
    base_url: str  # where the stylesheet's fonts and images are found
    fetcher: object  # serves only the project's files: see confine.py
    literal: LiteralStyles = LiteralStyles("", ())  # the stylesheets' page references, printed as text

    @classmethod
    def for_styles(cls, styles: Path, project: Path) -> "Press":
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        stylesheet_path = styles / "print.css"
        if not stylesheet_path.is_file():
            raise BuildFailed(f"{stylesheet_path}: the print stylesheet is missing")
        css = stylesheet_path.read_text(encoding="utf-8", errors="replace")
        if "counter(page" in css and "counter(folio" not in css:  # an older print.css: folios run from page 1
            raise BuildFailed(f"{stylesheet_path}: the body's folios must come from the \"folio\" counter "
                              "(counter(folio), target-counter(…, folio)); copy the counter rules of the "
                              "default print.css (`edition new` writes one)")
        environment = make_env("pdf", styles / "templates" / "pdf")
        environment.filters["tracked"] = tracked
        template = environment.get_template("book.html.j2")
        fonts = FontConfiguration()
        fetcher = print_fetcher(stylesheet_path, project)
        persons_path = index_stylesheet(styles, project)
        stylesheets = (CSS(filename=str(stylesheet_path), font_config=fonts, url_fetcher=fetcher),
                       CSS(filename=str(persons_path), font_config=fonts,
                           url_fetcher=print_fetcher(persons_path, project)))
        literal = literal_css([css, persons_path.read_text(encoding="utf-8", errors="replace")])
        return cls(template, stylesheets, fonts, str(styles.resolve()) + os.sep, fetcher, literal)

    def html(self, book: Book) -> str:
        return self.template.render(book=book)

    def lay_out_numbered(self, html: str, book: Book):
        """`lay_out(html)`; once a layout has shown where the book's anchors
        are, with the page of each link's target printed as text (see page_refs.py)."""
        if not book.anchor_pages:
            return self.lay_out(html)
        pages = PageMap(dict(book.anchor_pages))
        return self.lay_out(number_links(html, pages.pages, pages.folios(), self.literal.references),
                            self.literal.css)

    def lay_out(self, html: str, extra_css: str = ""):
        """One WeasyPrint layout of `html` (with `extra_css` after the
        stylesheets): a weasyprint Document."""
        from weasyprint import CSS, HTML

        stylesheets = list(self.stylesheets)
        if extra_css:
            stylesheets.append(CSS(string=extra_css, font_config=self.fonts))
        with trailing_spaces_hang():
            return HTML(string=html, base_url=self.base_url, url_fetcher=self.fetcher).render(
                stylesheets=stylesheets, font_config=self.fonts)


@dataclass(frozen=True)
class Layout:
    """A laid-out book: the document, the HTML it was laid out from, and where its anchors are."""

    document: object
    html: str
    pages: PageMap


def lay_out_book(press: Press, book: Book, progress=lambda stage: None) -> Layout:
    """The book laid out, again until the page facts it prints ("Notes to
    pages …", the notes' running heads, the index, the padding) are the
    ones its layout shows: two passes, rarely three. The line breaks of the
    paragraphs the first layout sets loosely are chosen over each whole
    paragraph, with the same number of lines (see total_fit.py), as are a
    heading's of more than one line (balance.py), and set so from the second
    pass on."""
    planned = None  # chosen once, on the first layout, so that the passes settle
    for attempt in range(1, MAX_PASSES + 1):
        progress("pdf: layout" + (f", pass {attempt}" if attempt > 1 else ""))
        html = total_fit.apply(press.html(book), planned)
        document = press.lay_out_numbered(html, book)
        pages = PageMap.of(document)
        settled = settle(book, pages)
        if planned is None:
            progress("pdf: choosing line breaks")
            planned = total_fit.plan(document, html) | balance.plan(document, html)
            if planned:
                book = settled
                continue
        elif attempt == 2:
            missed = total_fit.misses(document, html, planned)
            progress(f"pdf: line breaks chosen for {len(planned)} paragraphs, {len(missed)} not set so")
        if settles(book, settled):
            return Layout(document, html, pages)
        book = settled
    raise BuildFailed(f"pdf: the page numbers did not settle after {MAX_PASSES} layout passes")


def settles(book: Book, settled: Book) -> bool:
    """Whether the layout of `book` shows the page facts it printed. Its
    anchors' pages count only if it printed page numbers from them; if not,
    WeasyPrint filled the numbers in itself, right whatever the pages."""
    if not book.anchor_pages:
        settled = replace(settled, anchor_pages=())
    return settled == book


def make_up(layout: Layout, book: Book) -> None:
    """What is done to a laid-out book before it is written, in place: the
    short pages inside its texts made up to the full page (flush.py), and one
    link annotation per reference (pdf_links.py)."""
    flush_bottoms(layout, book)
    one_link_per_reference(layout.document)


class _DropSubsetNotice(logging.Filter):
    """WeasyPrint warns on every build when the system lacks HarfBuzz-Subset
    and it subsets fonts with fontTools instead. The fonts are still embedded
    and subset correctly, so the notice is noise for an editor."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "instead of HarfBuzz-Subset" not in str(record.msg)


logging.getLogger("weasyprint").addFilter(_DropSubsetNotice())


class PdfBuilder(Builder):
    name = "pdf"
    suffix = ".pdf"

    last_html = ""  # the HTML of the last layout (bench/run.py lays it out with plain WeasyPrint)
    last_layout = None  # the last Layout: the EPUB takes the print edition's pages from it (pagemap.py)
    last_printed = None  # the print edition's pages when the PDF was laid out in parallel

    def render(self, edition: m.Edition, options: BuildOptions) -> bytes:
        edition = typeset(edition)  # every metadata string curled, the /Title too
        styles = Path(options.styles_dir) if options.styles_dir else Path(edition.root) / edition.styles_dir
        press = Press.for_styles(styles, Path(edition.root))
        options.progress("pdf: preparing the book")
        book = make_book(edition, options.profile)
        parallel = self.render_in_parallel(press, book, edition, styles, options)
        if parallel is not None:
            return parallel
        layout = lay_out_book(press, book, options.progress)
        self.last_html, self.last_layout = layout.html, layout
        make_up(layout, book)
        options.progress("pdf: writing")
        return write_pdf(layout.document, layout.pages.folios(), edition.metadata, book)

    def render_in_parallel(self, press: Press, book: Book, edition: m.Edition, styles: Path,
                           options: BuildOptions) -> bytes | None:
        """The PDF laid out in worker processes (pdf_parallel.py), when the
        book is long enough and `options.jobs` allows more than one; else None."""
        from . import pdf_parallel

        jobs = pdf_parallel.jobs_wanted(options.jobs)
        if not pdf_parallel.in_parallel(book, edition.metadata.tagged_pdf, jobs, options.parallel_min_pages):
            return None
        done = pdf_parallel.render_in_parallel(press, book, edition.metadata, styles, Path(edition.root), jobs,
                                               options.progress, options.chunks or None)
        if done is None:
            return None
        self.last_html, self.last_layout, self.last_printed = "", None, done.printed
        return done.data

    def printed_pages(self):
        """The print edition's pages for the EPUB (pagemap.py), from the last render."""
        from .pagemap import PrintedPages

        if self.last_layout is not None:
            return PrintedPages.of(self.last_layout)
        return self.last_printed


def write_pdf(document, folios: Folios, metadata: m.Metadata, book: Book) -> bytes:
    """The PDF of a laid-out `document`, finished (page labels, producer …),
    reproducible, and in the print profile ready for a press."""
    tags = tagging(book.words) if metadata.tagged_pdf else contextlib.nullcontext()
    with _portable_subsets(bool(os.environ.get("SOURCE_DATE_EPOCH", "").strip())), _font_timestamps_from(metadata), \
            tags, exact_glyph_advances():
        data = document.write_pdf(
            finisher=Finisher(folios, metadata.title, file_identifier(metadata).decode()),
            pdf_identifier=file_identifier(metadata),
            pdf_variant=PRINT_VARIANT if book.profile == "print" else None,
            pdf_tags=metadata.tagged_pdf,
        )
    return for_press(data, book.bleed) if book.profile == "print" else data


def for_press(data: bytes, bleed: bool) -> bytes:
    """The print profile's PDF made ready for a press (PDF/X-4, which
    WeasyPrint declares): the press's output intent (FOGRA39, coated paper)
    and, with a bleed, a BleedBox 3 mm past the trim, so that the crop marks
    stand outside it in the slug. Text is K-only black from the style sheet."""
    import io

    import pikepdf

    pdf = pikepdf.open(io.BytesIO(data))
    profile = pikepdf.Stream(pdf, PRESS_PROFILE.read_bytes())
    profile["/N"] = 4
    pdf.Root.OutputIntents = pikepdf.Array([pikepdf.Dictionary(
        Type=pikepdf.Name.OutputIntent, S=pikepdf.Name.GTS_PDFX,
        OutputConditionIdentifier=pikepdf.String("FOGRA39"),
        OutputCondition=pikepdf.String("Offset printing, ISO 12647-2:2004/Amd 1, coated paper (paper types 1 and 2)"),
        RegistryName=pikepdf.String("http://www.color.org"),
        Info=pikepdf.String("Coated FOGRA39 (ISO 12647-2:2004)"),
        DestOutputProfile=pdf.make_indirect(profile))])
    if bleed:
        set_bleed_boxes(pdf)
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


def set_bleed_boxes(pdf) -> None:
    """Each page of `pdf` (pikepdf) given a BleedBox `BLEED_MM` past its TrimBox."""
    import pikepdf

    reach = BLEED_MM * 72 / 25.4
    for page in pdf.pages:
        left, bottom, right, top = (float(v) for v in page.TrimBox)
        page.BleedBox = pikepdf.Array([left - reach, bottom - reach, right + reach, top + reach])


@contextlib.contextmanager
def _portable_subsets(portable: bool):
    """WeasyPrint subsets the embedded fonts with the system's HarfBuzz-Subset
    when it has one (libharfbuzz-subset0 ≥ 4.1) and with fontTools otherwise,
    and the two give different bytes. With `portable` (SOURCE_DATE_EPOCH is
    set: the reproducible-builds convention), fontTools is used on every system,
    so the bytes depend on Python packages only. It costs about 1.5 s on the
    sample, so other builds take the faster HarfBuzz where it is installed."""
    if not portable:
        yield
        return
    from weasyprint.pdf import fonts

    saved, fonts.harfbuzz_subset = fonts.harfbuzz_subset, None
    try:
        yield
    finally:
        fonts.harfbuzz_subset = saved


@contextlib.contextmanager
def _font_timestamps_from(metadata: m.Metadata):
    """Font subsetting with fontTools stamps each subset's `head` table with
    the time, unless SOURCE_DATE_EPOCH is set: set it, for the write only,
    to the current version's date, so the embedded fonts are reproducible."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        yield
        return
    day = datetime.strptime(metadata.modified or metadata.date, "%Y-%m-%d").replace(tzinfo=timezone.utc)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(day.timestamp()))
    try:
        yield
    finally:
        del os.environ["SOURCE_DATE_EPOCH"]


@dataclass(frozen=True)
class Finisher:
    """Adds to WeasyPrint's PDF what it does not write itself."""

    folios: Folios
    title: str
    identifier: str = ""  # the file identifier: the XMP packet's document id is made from it

    def __call__(self, document, pdf: pydyf.PDF) -> None:
        numbers = pydyf.Array()
        for label_range in self.folios.ranges():
            numbers.extend((label_range.first, pydyf.Dictionary({"S": f"/{label_range.style}"})))
        pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": numbers})
        pdf.catalog["PageMode"] = "/UseOutlines"
        pdf.catalog["ViewerPreferences"] = pydyf.Dictionary({"DisplayDocTitle": "true"})
        pdf.info["Producer"] = pydyf.String(PRODUCER)
        accessible = "StructTreeRoot" in pdf.catalog  # our structure tree (pdf_tags.py): declared PDF/UA-1
        if accessible and "Metadata" not in pdf.catalog:
            document.metadata.include_in_pdf(pdf, "ua", 1, conformance=None, compress=True)
        if "Metadata" in pdf.catalog:  # the XMP packet names the producer too
            _restamp_xmp(pdf, self.identifier, accessible)


XMP = {"pdf": "http://ns.adobe.com/pdf/1.3/", "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
       "xmpMM": "http://ns.adobe.com/xap/1.0/mm/", "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#"}


def _restamp_xmp(pdf: pydyf.PDF, identifier: str, accessible: bool) -> None:
    """The XMP packet WeasyPrint wrote, with our producer, a document id made
    from the file identifier (WeasyPrint's PDF/X-4 packet has a random one)
    and, for a tagged PDF, the PDF/UA-1 declaration."""
    reference = pdf.catalog["Metadata"]
    stream = next(o for o in pdf.objects if isinstance(o, pydyf.Stream) and o.reference == reference)
    packet = b"".join(stream.stream)
    start, end = packet.index(b"<rdf:RDF"), packet.index(b"</rdf:RDF>") + len(b"</rdf:RDF>")
    rdf = ElementTree.fromstring(packet[start:end])
    for element in rdf.iter():
        if f"{{{XMP['pdf']}}}Producer" in element.attrib:
            element.attrib[f"{{{XMP['pdf']}}}Producer"] = PRODUCER
        if element.tag == f"{{{XMP['xmpMM']}}}DocumentID" and identifier:
            element.text = f"xmp.did:{identifier[:8]}-{identifier[8:12]}-{identifier[12:16]}-" \
                           f"{identifier[16:20]}-{identifier[20:32]}"
    if accessible:
        description = rdf.find(f"{{{XMP['rdf']}}}Description")
        description.attrib[f"{{{XMP['pdfuaid']}}}part"] = "1"
    stream.stream = [packet[:start] + ElementTree.tostring(rdf, encoding="utf-8").split(b"?>", 1)[-1].lstrip()
                     + packet[end:]]

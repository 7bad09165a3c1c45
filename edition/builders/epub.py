"""The EPUB 3 builder: one XHTML file per text, endnotes that pop up, a nav
document and an NCX, packaged with ebooklib and re-packed reproducibly.

Every content document, the navigation document and the NCX are rendered by
Jinja2 templates in `edition/templates/epub/` from the records below (the
templates hold no logic); ebooklib writes the package document (metadata,
manifest, spine, guide) and the zip, which `epubzip.repack` then makes
byte-for-byte reproducible. Nothing is fetched and nothing reads the clock:
`dcterms:modified` is the date of the edition's current version.

Reading order: cover, title page, colophon, contents (the nav document),
front matter, [part title pages and] texts, [persons named,] notes, list of
emendations, [index of names].
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from ebooklib import epub
from markupsafe import Markup

from .. import model as m
from ..cache import digest, whole_program
from ..errors import BuildFailed
from ..locale import long_date, page_ranges, shown_date, words
from ..render import HtmlRenderer, fill, make_env, plain
from ..stylesheet import checked, epub_media_type
from ..typography import typeset
from . import Builder, BuildOptions
from .cover import FONT_FILES, CoverText, draw_cover
from .epubzip import build_timestamp, repack, utc_midnight
from . import epub_index as persons
from .register import refers_to_register

XHTML = "application/xhtml+xml"
NCX = "application/x-dtbncx+xml"
STYLESHEET = "css/epub.css"
COVER_PAGE = "cover.xhtml"
TITLE_PAGE = "titlepage.xhtml"
COLOPHON = "colophon.xhtml"
NAV = "nav.xhtml"
CONTENTS = "contents.xhtml"
NOTES = "endnotes.xhtml"
EMENDATIONS = "emendations.xhtml"
IMAGE_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}

# Front-matter texts whose title names their role get its semantics.
FRONT_SEMANTICS = {
    "introduction": ("introduction", "doc-introduction"),
    "preface": ("preface", "doc-preface"),
    "foreword": ("foreword", "doc-foreword"),
    "prologue": ("prologue", "doc-prologue"),
    "acknowledgements": ("acknowledgments", "doc-acknowledgments"),
    "acknowledgments": ("acknowledgments", "doc-acknowledgments"),
}

ACCESSIBILITY_SUMMARY = (
    "This publication is text only, apart from its cover image, which has a text alternative. It has a "
    "table of contents, structural headings, landmarks and a logical reading order. The reader’s own "
    "typeface, size and colours are respected. Notes and emendations are linked to and from the text. "
    "How it was checked: the tool that made it builds it in its test suite and checks it there with Ace "
    "by DAISY 1.4 (no violations) and EPUBCheck (no errors or warnings), and lays its pages out in a "
    "browser engine under a reading system’s style sheet (justified text, another typeface, white on "
    "black) to check that alignment and contrast hold.")
CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"


# --- rendering the model to XHTML -------------------------------------------


class EpubRenderer(HtmlRenderer):
    """XHTML for an EPUB: a note mark links into the one endnotes file, the
    letter furniture gets its structural semantics, and only web and mail
    links stay links (a reading system has nothing else to open)."""

    def __init__(self, editorial_note_ids: frozenset[str] = frozenset(), label_notes: bool = False):
        self.editorial_note_ids = editorial_note_ids
        self.label_notes = label_notes  # only where an edition has both kinds of note

    def note_ref(self, node: m.NoteRef) -> Markup:
        kind = "noteref editorial" if node.note_id in self.editorial_note_ids else "noteref"
        return fill('<a href="%s#%s" id="%s" class="%s" epub:type="noteref" role="doc-noteref">%d</a>',
                    NOTES, node.note_id, node.ref_id, kind, node.number)

    in_link = False  # rendering the words of a link (a name that refers to the register): no link inside

    def person_ref(self, node: m.PersonRef) -> Markup:
        self.in_link = True
        try:
            return super().person_ref(node)
        finally:
            self.in_link = False

    def person_href(self, person_id: str) -> str:
        return f"{persons.REGISTER}#{person_id}"

    def page_break(self, node: m.PageBreak) -> Markup:
        """Where a page of the print edition begins (see pagemap.py)."""
        return Markup('<span epub:type="pagebreak" role="doc-pagebreak" id="%s" aria-label="%s"></span>') % (
            node.id, node.label)

    def division(self, block: m.Division) -> Markup:
        if block.kind == m.DivisionKind.SIGNATURE:
            lines = self.lines(block)
            return Markup('<footer class="signature" epub:type="z3998:signature">\n%s\n</footer>') % lines
        if block.kind == m.DivisionKind.DATELINE:
            return Markup('<div class="dateline">\n%s\n</div>') % self.lines(block)
        if block.kind == m.DivisionKind.SALUTATION:
            inner = self.blocks(block.blocks)
            return Markup('<div class="salutation" epub:type="z3998:salutation">\n%s\n</div>') % inner
        return super().division(block)

    def lines(self, block: m.Division) -> Markup:
        """A right-aligned division's paragraphs, one line each, as <div>s: a
        reading system's `p { text-align: justify !important }` (Readium CSS)
        would otherwise set them flush left."""
        return Markup("\n").join(
            Markup('<div class="line">%s</div>') % self.inlines(b.children) if isinstance(b, m.Paragraph)
            else self.block(b) for b in block.blocks)

    def emendation(self, node: m.Emendation) -> Markup:
        """The emended words link to their entry in the list of emendations
        (unless they hold a link or a note mark: links do not nest)."""
        if self.in_link or _holds_links(node.children):
            return super().emendation(node)
        return fill('<a class="emendation" id="%s" href="%s#%s-entry">%s</a>',
                    node.correction_id, EMENDATIONS, node.correction_id, self.inlines(node.children))

    def link(self, node: m.Link) -> Markup:
        if not node.url.lower().startswith(("http://", "https://", "mailto:")):
            return self.inlines(node.children)
        return super().link(node)

    def endnote(self, note: m.Note, backlink: str) -> Markup:
        """A note's blocks, its kind shown first (for an editorial note) and
        a link back to its mark last, both inside the paragraphs when it can."""
        labelled = self.label_notes and self._editorial(note)
        label = Markup('<span class="note-label">Editor’s note.</span> ') if labelled else Markup("")
        # A no-break space: the arrow never goes to a line of its own.
        back = Markup('\u00a0<a href="%s" class="backlink" epub:type="backlink" role="doc-backlink" '
                      'aria-label="Back to the text, note %d">↩\ufe0e</a>') % (backlink, note.number)
        out: list[Markup] = []
        blocks = note.blocks
        if label and not (blocks and isinstance(blocks[0], m.Paragraph)):
            out.append(Markup("<p>%s</p>") % label.rstrip())
        for index, block in enumerate(blocks):
            first, last = index == 0, index == len(blocks) - 1
            if isinstance(block, m.Paragraph) and (first or last):
                out.append(fill("<p>%s%s%s</p>", label if first else Markup(""), self.inlines(block.children),
                                back if last else Markup("")))
            else:
                out.append(self.block(block))
        if not (blocks and isinstance(blocks[-1], m.Paragraph)):
            out.append(Markup("<p>%s</p>") % back.lstrip("\u00a0"))
        return Markup("\n").join(out)

    def _editorial(self, note: m.Note) -> bool:
        return note.kind == m.NoteKind.EDITORIAL


# --- what the templates are given -------------------------------------------


@dataclass(frozen=True)
class Page:
    """What every XHTML page needs: its <title>, language and place in the book."""

    title: str
    lang: str
    matter: str  # frontmatter | bodymatter | backmatter
    stylesheet: str = STYLESHEET


@dataclass(frozen=True)
class CoverView:
    src: str
    alt: str


@dataclass(frozen=True)
class TitlePageView:
    title: str
    subtitle: str
    editor: str
    publisher: str


@dataclass(frozen=True)
class SourceView:
    title: str
    href: str
    authors: str
    date: str
    source: str
    transcription: str
    extract: bool
    lang: str  # "" when it is the edition's language


@dataclass(frozen=True)
class VersionView:
    number: str
    date_iso: str
    date: str
    changes: str


@dataclass(frozen=True)
class ColophonView:
    title: str
    subtitle: str
    editor: str
    publisher: str
    version: str
    version_date_iso: str
    version_date: str
    identifier: str
    rights: str
    description: str
    sources: tuple[SourceView, ...]
    versions: tuple[VersionView, ...]
    generated_cover: bool


@dataclass(frozen=True)
class TextView:
    id: str
    title: str
    subtitle: str
    authors: str
    date_iso: str
    date: str
    source: str
    extract: bool
    epub_type: str  # "" for a front-matter text of no known kind
    role: str
    headnote: Markup
    body: Markup
    apparatus_lang: str  # the edition's language where the text has another, else ""


@dataclass(frozen=True)
class PartView:
    id: str
    title: str


@dataclass(frozen=True)
class NoteView:
    id: str
    editorial: bool
    lang: str
    body: Markup


@dataclass(frozen=True)
class NoteGroup:
    id: str
    title: str
    href: str
    lang: str
    notes: tuple[NoteView, ...]


@dataclass(frozen=True)
class EmendationView:
    id: str  # the entry's, which the emended words link to
    href: str
    context: str
    source_reading: str
    emended: Markup
    reason: str


@dataclass(frozen=True)
class EmendationGroup:
    id: str
    title: str
    href: str
    lang: str
    items: tuple[EmendationView, ...]


@dataclass(frozen=True)
class NavPoint:
    title: str
    href: str
    children: tuple["NavPoint", ...] = ()
    lang: str = ""  # where the title's language is not the edition's


@dataclass(frozen=True)
class Landmark:
    type: str
    href: str
    title: str


@dataclass(frozen=True)
class NcxPoint:
    id: str
    play_order: int
    title: str
    src: str
    children: tuple["NcxPoint", ...] = ()


@dataclass(frozen=True)
class PageTarget:
    """A page of the print edition, for the nav's page-list and the NCX's pageList."""

    label: str
    href: str
    play_order: int
    kind: str  # the NCX's type: "front" (roman folios) or "normal"
    value: int  # the folio as a number


@dataclass(frozen=True)
class NcxView:
    uid: str
    title: str
    lang: str
    depth: int
    points: tuple[NcxPoint, ...]
    pages: tuple[PageTarget, ...] = ()
    max_page: int = 0


@dataclass(frozen=True)
class Document:
    """One XHTML file of the spine."""

    id: str  # its manifest id
    href: str  # its path inside the package folder
    content: bytes
    properties: tuple[str, ...] = ()


@dataclass(frozen=True)
class Resource:
    id: str
    href: str
    media_type: str
    content: bytes


# --- the builder --------------------------------------------------------------


class EpubBuilder(Builder):
    name = "epub"
    suffix = ".epub"

    def render(self, edition: m.Edition, options: BuildOptions) -> bytes:
        curled = typeset(edition)  # every metadata string curled, as the texts are
        keys = {}
        if options.cache is not None and not edition.print_pages:
            from ..cache import key_of

            # A text the loader took from (or put into) the cache keeps its key through `typeset`,
            # which changes only what its key covers (its words, the program).
            for text, curled_text in zip(edition.front + edition.texts, curled.front + curled.texts):
                key = key_of(text)
                if key is not None:
                    keys[id(curled_text)] = key
        book = _BookWriter(curled, _Styles.find(curled, options), options.progress, options.cache, keys)
        edition = curled
        data = book.package()
        deflated = options.cache.deflated if getattr(options.cache, "in_memory", False) else None
        return repack(data, build_timestamp(edition.metadata.modified or edition.metadata.date), deflated)


@dataclass(frozen=True)
class _Styles:
    stylesheet: Path
    fonts: Path
    templates: Path  # the project's template overrides, searched first
    persons_stylesheet: Path  # the register's and the index's
    resources: tuple[tuple[str, Path], ...] = ()  # (href in the book, file): the fonts and images the CSS uses

    @staticmethod
    def find(edition: m.Edition, options: BuildOptions) -> "_Styles":
        """The project's own styles where it has them, the tool's otherwise."""
        from ..project import default_styles_dir

        default = default_styles_dir()
        own = options.styles_dir or Path(edition.root) / edition.styles_dir
        stylesheet = own / "epub.css" if (own / "epub.css").is_file() else default / "epub.css"
        fonts = own / "fonts"
        if not all((fonts / name).is_file() and (fonts / name).resolve().is_relative_to(Path(edition.root).resolve())
                   for name in FONT_FILES):  # the project's own, not links to files elsewhere
            fonts = default / "fonts"
        used = checked(stylesheet, Path(edition.root), "epub").files  # confined to the project: see stylesheet.py
        folder = PurePosixPath(STYLESHEET).parent
        resources = tuple(sorted((str(folder / p.relative_to(stylesheet.parent.resolve()).as_posix()), p)
                                 for p in used))
        persons_css = own / "persons.css"
        if not (persons_css.is_file() and persons_css.resolve().is_relative_to(Path(edition.root).resolve())):
            persons_css = default / "persons.css"
        checked(persons_css, Path(edition.root), "epub")
        return _Styles(stylesheet, fonts, own / "templates" / "epub", persons_css, resources)


class _BookWriter:
    """Renders every file of one edition's EPUB and hands them to ebooklib."""

    def __init__(self, edition: m.Edition, styles: _Styles, progress=lambda stage: None, cache=None,
                 keys: dict[int, str] | None = None):
        self.edition = edition
        self.progress = progress
        self.meta = edition.metadata
        self.styles = styles
        self.env = make_env("epub", styles.templates)
        kinds = {note.kind for text in edition.front + edition.texts for note in text.notes}
        self.note_kinds = kinds
        self.words = words(edition.metadata.language)
        self.env.globals["words"] = self.words  # the fixed words of the edition's language
        self.renderer = EpubRenderer(frozenset(
            note.id for text in edition.front + edition.texts for note in text.notes
            if note.kind == m.NoteKind.EDITORIAL), label_notes=len(kinds) > 1)
        self.noted = tuple(text for text in edition.front + edition.texts if text.notes)
        self.emended = tuple(text for text in edition.front + edition.texts if text.corrections)
        self.named = persons.named(edition)
        # The documents of the texts, and their notes, rendered before: by the text's key in the cache.
        self.cache = cache
        self.keys = keys or {}
        self.rendered: dict[int, tuple[bytes, tuple[Markup, ...]]] = {}
        if self.keys:
            # Model records have a `repr` of all their fields (a pickle's bytes depend on which strings
            # happen to be one object).
            self.context = digest(whole_program(), repr((self.meta, self.renderer.label_notes, bool(self.named))),
                                  *_folder_contents(styles.templates))

    # --- the package ---
    def package(self) -> bytes:
        cover_image = self.cover_image()
        self.progress("epub: rendering the pages")
        documents = self.documents(cover_image)
        self.progress("epub: packaging")
        book = epub.EpubBook()
        book.metadata[epub.NAMESPACES["OPF"]].pop("generator", None)  # it names the library's version
        book.IDENTIFIER_ID = "pub-id"
        self.describe(book)
        book.set_cover(cover_image.href, cover_image.content, create_page=False)
        book.add_item(epub.EpubItem(uid="css", file_name=STYLESHEET, media_type="text/css",
                                    content=self.styles.stylesheet.read_bytes()))
        for number, (href, path) in enumerate(self.styles.resources, start=1):
            book.add_item(epub.EpubItem(uid=f"style-file-{number}", file_name=href,
                                        media_type=epub_media_type(path), content=path.read_bytes()))
        book.add_item(epub.EpubItem(uid="ncx", file_name="toc.ncx", media_type=NCX, content=self.ncx()))
        if self.named:
            book.add_item(epub.EpubItem(uid="persons-css", file_name=persons.STYLESHEET, media_type="text/css",
                                        content=self.styles.persons_stylesheet.read_bytes()))
        spine = []
        for document in documents:
            item = epub.EpubItem(uid=document.id, file_name=document.href, media_type=XHTML,
                                 content=document.content)
            item.properties = list(document.properties)
            book.add_item(item)
            if "nav" not in document.properties:  # the contents page is the nav's place in reading order
                spine.append(item)
        book.spine = spine  # the spine's toc="ncx" names the NCX by its id
        book.guide = [
            {"type": "cover", "href": COVER_PAGE, "title": self.words.cover},
            {"type": "title-page", "href": TITLE_PAGE, "title": self.words.title_page},
            {"type": "toc", "href": CONTENTS, "title": self.words.contents},
            {"type": "text", "href": self.start_of_body(), "title": self.words.start},
        ]
        out = io.BytesIO()
        writer = _Writer(out, book, {
            "mtime": utc_midnight(self.meta.modified or self.meta.date),
            "raise_exceptions": True,
            "epub3_pages": False,  # would list every element with an epub:type and an id
            "epub3_landmark": False,
            "play_order": {"enabled": False},
            "compresslevel": 0,  # repack compresses every entry again: once is enough
        })
        writer.language = self.meta.language
        writer.process()
        writer.write()
        return out.getvalue()

    def describe(self, book: epub.EpubBook) -> None:
        """The package metadata, accessibility metadata included."""
        meta = self.meta
        book.set_identifier(meta.identifier)
        book.add_metadata("DC", "title", meta.title, {"id": "title"})
        book.add_metadata(None, "meta", "main", {"refines": "#title", "property": "title-type"})
        if meta.subtitle:
            book.add_metadata("DC", "title", meta.subtitle, {"id": "subtitle"})
            book.add_metadata(None, "meta", "subtitle", {"refines": "#subtitle", "property": "title-type"})
        book.set_language(meta.language)
        # A collection as libraries catalogue it: each author of its texts is a
        # creator (MARC relator "aut"), in order of appearance; the editor,
        # who made the collection, a contributor ("edt").
        for number, author in enumerate(self.edition.authors, start=1):
            book.add_author(author, role="aut", uid=f"creator-{number}")  # its own id each: see ebooklib
            if len(self.edition.authors) > 1:
                book.add_metadata(None, "meta", str(number), {"refines": f"#creator-{number}",
                                                              "property": "display-seq"})
        if meta.editor:
            book.add_metadata("DC", "contributor", meta.editor, {"id": "editor"})
            book.add_metadata(None, "meta", "edt", {"refines": "#editor", "property": "role",
                                                    "scheme": "marc:relators"})
        for name, value in (("publisher", meta.publisher), ("rights", meta.rights),
                            ("description", meta.description), ("date", meta.date)):
            if value:
                book.add_metadata("DC", name, value)
        for source in dict.fromkeys(text.meta.source for text in self.edition.texts):
            book.add_metadata("DC", "source", source)
        for keyword in meta.keywords:
            book.add_metadata("DC", "subject", keyword)
        if self.edition.print_pages:  # the print edition's pages are marked: name it as their source
            source = print_edition(meta)
            # `pageBreakSource` (Page Source Identification, W3C Publishing CG 2023; the DAISY Knowledge Base's
            # advice) is unprefixed: it is meant for the EPUB meta properties vocabulary after EPUB 3.3, and
            # EPUBCheck accepts it there (the `a11y:` vocabulary has no such property: a11y:pageBreakSource is
            # an error). EPUB 3.3's own way, a `dc:source` refined as `source-of` `pagination`, stays for the
            # reading systems that know only that.
            book.add_metadata(None, "meta", source, {"property": "pageBreakSource"})
            book.add_metadata("DC", "source", source, {"id": "print-source"})
            book.add_metadata(None, "meta", "pagination", {"refines": "#print-source", "property": "source-of"})
            book.add_metadata(None, "meta", "printPageNumbers", {"property": "schema:accessibilityFeature"})
        for prop, values in (
            ("schema:accessMode", ("textual",)),
            ("schema:accessModeSufficient", ("textual",)),
            ("schema:accessibilityFeature", ("alternativeText", "displayTransformability", "readingOrder",
                                             "structuralNavigation", "tableOfContents")),
            ("schema:accessibilityHazard", ("none",)),
            ("schema:accessibilitySummary", (ACCESSIBILITY_SUMMARY,)),
            ("dcterms:conformsTo", (CONFORMANCE,)),
            ("a11y:certifiedBy", tuple(filter(None, (meta.publisher or meta.editor,)))),
        ):
            for value in values:
                book.add_metadata(None, "meta", value, {"property": prop})

    # --- the files ---
    def cover_image(self) -> Resource:
        if self.meta.cover:
            path = Path(self.edition.root) / self.meta.cover
            media_type = IMAGE_TYPES.get(path.suffix.lower())
            if media_type is None:
                raise BuildFailed(f"{self.meta.cover}: a cover must be a JPEG or PNG image")
            try:
                content = path.read_bytes()
            except OSError as error:
                raise BuildFailed(f"{self.meta.cover}: cannot read the cover: {error.strerror or error}") from None
            return Resource("cover-img", f"images/cover{path.suffix.lower()}", media_type, content)
        self.progress("epub: drawing the cover")
        text = CoverText(self.meta.title, self.meta.subtitle, self.meta.editor, self.meta.publisher)
        return Resource("cover-img", "images/cover.jpg", "image/jpeg", draw_cover(text, self.styles.fonts))

    def documents(self, cover_image: Resource) -> list[Document]:
        docs = [
            self.page("cover", COVER_PAGE, "cover.xhtml.j2", Page(self.words.cover, self.meta.language, "frontmatter"),
                      cover=CoverView(cover_image.href, self.cover_alt())),
            self.page("titlepage", TITLE_PAGE, "titlepage.xhtml.j2",
                      Page(self.meta.title, self.meta.language, "frontmatter"),
                      titlepage=TitlePageView(self.meta.title, self.meta.subtitle, self.meta.editor,
                                              self.meta.publisher)),
            self.page("colophon", COLOPHON, "colophon.xhtml.j2",
                      Page(self.words.colophon, self.meta.language, "frontmatter"),
                      colophon=self.colophon_view()),
            self.page("contents", CONTENTS, "contents.xhtml.j2",
                      Page(self.words.contents, self.meta.language, "frontmatter"),
                      toc=tuple(point for point in self.toc() if point.href != CONTENTS)),
            self.page("nav", NAV, "nav.xhtml.j2", Page(self.words.contents, self.meta.language, "frontmatter"),
                      properties=("nav",), toc=self.toc(), landmarks=self.landmarks(), pages=self.print_pages()),
        ]
        docs += [self.text_document(text, front=True) for text in self.edition.front]
        for part in self.edition.parts:
            if part.title:
                docs.append(self.page(part.id, f"{part.id}.xhtml", "part.xhtml.j2",
                                      Page(part.title, self.meta.language, "bodymatter"),
                                      part=PartView(part.id, part.title)))
            docs += [self.text_document(text, front=False) for text in part.texts]
        if self.named:
            docs.append(self.page("persons", persons.REGISTER, "persons.xhtml.j2",
                                  Page(self.words.register, self.meta.language, "backmatter"),
                                  register=persons.register_entries(self.edition, self.renderer.inlines),
                                  index_href=persons.INDEX, persons_stylesheet=persons.STYLESHEET))
        if self.noted:
            docs.append(self.page("endnotes", NOTES, "endnotes.xhtml.j2",
                                  Page(self.words.notes, self.meta.language, "backmatter"), groups=self.note_groups(),
                                  key=self.notes_key(), register_href=self.register_href()))
        if self.emended:
            docs.append(self.page("emendations", EMENDATIONS, "emendations.xhtml.j2",
                                  Page(self.words.emendations, self.meta.language, "backmatter"),
                                  groups=self.emendation_groups()))
        if self.named:
            docs.append(self.page("index", persons.INDEX, "index.xhtml.j2",
                                  # The index is a <section epub:type="index" role="doc-index">, as EPUB Indexes
                                  # allows; the manifest's "index" property would put it on <body>, where no
                                  # ARIA role can match it (Ace: epub-type-has-matching-role).
                                  Page(self.words.index_of_names, self.meta.language, "backmatter"),
                                  groups=persons.index_groups(self.edition, href_of, NOTES, self.words.note_abbr),
                                  register_href=persons.REGISTER, persons_stylesheet=persons.STYLESHEET,
                                  by_page=bool(self.edition.print_pages)))
        return docs

    def page(self, doc_id: str, href: str, template: str, page: Page, properties: tuple[str, ...] = (),
             **context) -> Document:
        content = self.env.get_template(template).render(page=page, **context)
        return Document(doc_id, href, content.encode("utf-8"), properties)

    def text_document(self, text: m.Text, front: bool) -> Document:
        return Document(text.id, href_of(text), self.text_and_notes(text, front)[0])

    def text_and_notes(self, text: m.Text, front: bool) -> tuple[bytes, tuple[Markup, ...]]:
        """The text's document and its notes' bodies, from the cache where they were rendered before."""
        done = self.rendered.get(id(text))
        if done is not None:
            return done
        key = self.keys.get(id(text))
        if key is not None:
            key = digest(self.context, key, "front" if front else "body")
            found = self.cache.get_whole("epub", key)
            if (isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], bytes)
                    and isinstance(found[1], tuple) and len(found[1]) == len(text.notes)
                    and all(type(body) is Markup for body in found[1])):
                done = found
        if done is None:
            done = (self.render_text(text, front).content, tuple(
                self.renderer.endnote(note, f"{href_of(text)}#{note.ref_id}") for note in text.notes))
            if key is not None:
                self.cache.put_whole("epub", key, done)
        self.rendered[id(text)] = done
        return done

    def render_text(self, text: m.Text, front: bool) -> Document:
        epub_type, role = ("chapter", "doc-chapter")
        if front:
            epub_type, role = FRONT_SEMANTICS.get(text.meta.title.strip().lower(), ("", ""))
        meta = text.meta
        view = TextView(
            id=text.id, title=meta.title, subtitle=meta.subtitle, authors=join_names(meta.authors),
            date_iso="" if front else meta.date,
            date="" if front else shown_date(meta.date, meta.date_text, self.meta.language),
            source="" if front else page_ranges(meta.source, self.words), extract=meta.extract,
            epub_type=epub_type, role=role,
            headnote=self.renderer.blocks(text.headnote), body=self.renderer.blocks(text.blocks),
            apparatus_lang=self.meta.language if self.lang_if_other(text) else "")
        page = Page(meta.title, self.lang(text), "frontmatter" if front else "bodymatter")
        return self.page(text.id, href_of(text), "text.xhtml.j2", page, text=view)

    def cover_alt(self) -> str:
        words = [self.meta.title]
        if self.meta.subtitle:
            words.append(self.meta.subtitle)
        if self.meta.editor:
            words.append(f"edited by {self.meta.editor}")
        return "Cover: " + ", ".join(words)

    def colophon_view(self) -> ColophonView:
        meta = self.meta
        sources = tuple(
            SourceView(title=t.meta.title, href=href_of(t), authors=join_names(t.meta.authors),
                       date=shown_date(t.meta.date, t.meta.date_text, meta.language),
                       source=sentence(page_ranges(t.meta.source, self.words)),
                       transcription=sentence(t.meta.transcription), extract=t.meta.extract,
                       lang=self.lang_if_other(t))
            for t in self.edition.texts)
        versions = tuple(VersionView(v.number, v.date, long_date(v.date, meta.language), v.changes)
                         for v in self.edition.versions)
        version_date = meta.modified or meta.date
        return ColophonView(
            title=meta.title, subtitle=meta.subtitle, editor=meta.editor, publisher=meta.publisher,
            version=meta.version, version_date_iso=version_date, version_date=long_date(version_date, meta.language),
            identifier=meta.identifier, rights=meta.rights, description=meta.description, sources=sources,
            versions=versions, generated_cover=not meta.cover)

    def note_groups(self) -> tuple[NoteGroup, ...]:
        groups = []
        front = {id(text) for text in self.edition.front}
        for text in self.noted:
            bodies = self.text_and_notes(text, id(text) in front)[1]
            notes = tuple(
                NoteView(id=note.id, editorial=note.kind == m.NoteKind.EDITORIAL,
                         lang="" if note.kind == m.NoteKind.EDITORIAL else self.lang_if_other(text), body=body)
                for note, body in zip(text.notes, bodies))
            groups.append(NoteGroup(f"notes-{text.id}", text.meta.title, href_of(text), self.lang_if_other(text),
                                    notes))
        return tuple(groups)

    def register_href(self) -> str:
        """The register, when a note refers to it (the notes' key then says how), else ""."""
        return persons.REGISTER if self.named and refers_to_register(self.edition) else ""

    def notes_key(self) -> str:
        """What the notes are, said once at the head of the notes."""
        if len(self.note_kinds) > 1:
            return ""  # the template says which are the edition's: they are labelled
        if m.NoteKind.EDITORIAL in self.note_kinds:
            return self.words.notes_all_ours
        return self.words.notes_all_texts

    def emendation_groups(self) -> tuple[EmendationGroup, ...]:
        groups = []
        for text in self.emended:
            shown = m.emendations_in(text.blocks)
            items = tuple(
                EmendationView(id=f"{c.id}-entry", href=f"{href_of(text)}#{c.id}", context=c.context,
                               source_reading=shown[c.id].original if c.id in shown else c.find,
                               emended=self.renderer.inlines(shown[c.id].children) if c.id in shown
                               else Markup.escape(c.replace),
                               reason=c.reason.rstrip("."))
                for c in m.corrections_in_reading_order(text))
            groups.append(EmendationGroup(f"emendations-{text.id}", text.meta.title, href_of(text),
                                          self.lang_if_other(text), items))
        return tuple(groups)

    # --- navigation ---
    def toc(self) -> tuple[NavPoint, ...]:
        """Front matter, parts → texts → section headings, back matter."""
        points = [NavPoint(self.words.title_page, TITLE_PAGE), NavPoint(self.words.colophon, COLOPHON),
                  NavPoint(self.words.contents, CONTENTS)]
        points += [self.text_point(text) for text in self.edition.front]
        for part in self.edition.parts:
            texts = tuple(self.text_point(text) for text in part.texts)
            if part.title:
                points.append(NavPoint(part.title, f"{part.id}.xhtml", texts))
            else:
                points += texts
        if self.named:
            points.append(NavPoint(self.words.register, persons.REGISTER))
        if self.noted:
            points.append(NavPoint(self.words.notes, NOTES))
        if self.emended:
            points.append(NavPoint(self.words.emendations, EMENDATIONS))
        if self.named:
            points.append(NavPoint(self.words.index_of_names, persons.INDEX))
        return tuple(points)

    def text_point(self, text: m.Text) -> NavPoint:
        href, lang = href_of(text), self.lang_if_other(text)
        sections: list[NavPoint] = []
        for heading in text.headings:
            point = NavPoint(plain(heading.children).strip(), f"{href}#{heading.id}", lang=lang)
            if heading.level > 2 and sections:
                last = sections[-1]
                sections[-1] = NavPoint(last.title, last.href, last.children + (point,), lang)
            else:
                sections.append(point)
        return NavPoint(text.meta.title, href, tuple(sections), lang)

    def landmarks(self) -> tuple[Landmark, ...]:
        fixed = self.words
        marks = [Landmark("cover", COVER_PAGE, fixed.cover), Landmark("titlepage", TITLE_PAGE, fixed.title_page),
                 Landmark("toc", CONTENTS, fixed.contents),
                 Landmark("bodymatter", self.start_of_body(), fixed.start)]
        if self.noted:
            marks.append(Landmark("endnotes", NOTES, fixed.notes))
        if self.named:
            marks.append(Landmark("index", persons.INDEX, self.words.index_of_names))
        return tuple(marks)

    def print_pages(self) -> tuple[PageTarget, ...]:
        """The print edition's pages, when it paginates this one (see pagemap.py)."""
        texts = {text.id: text for text in self.edition.front + self.edition.texts}
        return tuple(PageTarget(page.label, f"{href_of(texts[page.text_id])}#{page.mark_id}", 0,
                                "normal" if page.label.isdigit() else "front",
                                int(page.label) if page.label.isdigit() else roman_value(page.label))
                     for page in self.edition.print_pages)

    def start_of_body(self) -> str:
        first = self.edition.parts[0]
        return f"{first.id}.xhtml" if first.title else href_of(first.texts[0])

    def ncx(self) -> bytes:
        """The EPUB 2 table of contents: the nav's toc, two levels at most
        (Kindle shows no more), numbered in reading order."""
        counter = iter(range(1, 10**6))

        def points(entries, depth):
            result = []
            for entry in entries:
                number = next(counter)
                children = points(entry.children, depth + 1) if depth < 2 else ()
                result.append(NcxPoint(f"navpoint-{number}", number, entry.title, entry.href, children))
            return tuple(result)

        tree = points(self.toc(), 1)
        depth = 2 if any(point.children for point in tree) else 1
        orders: dict[str, int] = {}  # a blank page shares its target, so its play order, with the next
        for page in self.print_pages():
            if page.href not in orders:
                orders[page.href] = next(counter)
        pages = tuple(replace(page, play_order=orders[page.href]) for page in self.print_pages())
        view = NcxView(self.meta.identifier, self.meta.title, self.meta.language, depth, tree, pages,
                       max((page.value for page in pages), default=0))
        return self.env.get_template("toc.ncx.j2").render(ncx=view).encode("utf-8")

    # --- languages ---
    def lang(self, text: m.Text) -> str:
        return text.meta.language or self.meta.language

    def lang_if_other(self, text: m.Text) -> str:
        return "" if self.lang(text) == self.meta.language else self.lang(text)


class _Writer(epub.EpubWriter):
    """ebooklib's writer, with the publication's language on <package> (for
    the package's own strings: Ace's "epub-lang")."""

    language = ""

    def _write_opf_file(self, root):
        root.set("{http://www.w3.org/XML/1998/namespace}lang", self.language)
        super()._write_opf_file(root)


# --- small helpers ------------------------------------------------------------


def roman_value(folio: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    total = 0
    for letter, following in zip(folio, folio[1:] + " "):
        value = values[letter]
        total += -value if values.get(following, 0) > value else value
    return total


def print_edition(meta: m.Metadata) -> str:
    """The print edition whose pages the EPUB marks, named as uniquely as the
    edition can: title, the print edition, version and its date."""
    version = f", version {meta.version}" if meta.version else ""
    return f"{meta.title}, print edition (PDF){version} of {meta.modified or meta.date}"


def _holds_links(inlines) -> bool:
    return any(isinstance(node, (m.Link, m.NoteRef, m.PersonRef))
               or (isinstance(node, m.CONTAINER_INLINES) and _holds_links(node.children)) for node in inlines)


def _folder_contents(folder: Path) -> list[bytes]:
    """The names and bytes of every file under `folder` (a project's template
    overrides), for a key: a link is not followed (it may lead out of the
    project, which the template loader refuses), its target's name stands for it."""
    if not folder.is_dir() or folder.is_symlink():
        return [str(folder).encode()] if folder.is_symlink() else []
    found = []
    for top, folders, files in os.walk(folder):  # links to folders are not entered
        folders.sort()
        for name in sorted(folders + files):
            path = Path(top) / name
            found.append(path.relative_to(folder).as_posix().encode())
            if path.is_symlink():
                found.append(b"link to " + os.readlink(path).encode("utf-8", "surrogateescape"))
            elif path.is_file():
                found.append(path.read_bytes())
    return found


def href_of(text: m.Text) -> str:
    return f"{text.id}.xhtml"


def join_names(names) -> str:
    names = list(names)
    if len(names) < 3:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def sentence(words: str) -> str:
    """`words` ending with a full stop, unless they end with punctuation already."""
    words = words.strip()
    return words if not words or words[-1] in ".!?…" else words + "."

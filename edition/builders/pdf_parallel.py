"""The PDF laid out in parallel: the book's texts in worker processes, joined.

A book is a sequence of texts that each open on a recto, so the number of
pages a text takes does not depend on the folios printed in its margins, nor
on the texts before it. The body is cut into *chunks* of consecutive texts,
and:

1. **Pass 1**: each chunk is laid out in a worker process of its own
   (spawned; each builds its own `Press`, since WeasyPrint's documents and
   fonts cannot cross processes) by `pdf.lay_out_book`, the one-process
   pipeline, on a `Book` of the chunk's texts only: whatever that pipeline
   does to a document (fitting paragraphs, settling) is done to the chunk.
   The worker sends back its page count, the anchors on each page, the
   bookmarks and the first words of each page (for the EPUB's page list),
   and keeps its laid-out document.
2. **The frame**: the main process lays out the whole book with each body
   text replaced by *stub* pages: one empty page per page of the text, holding
   the text's anchors on the page where the chunk set them. So the front
   matter (contents) and the back matter (notes with their pages of reference,
   "Notes to pages …", emendations, index of names, the padding to the
   signature) are laid out by the same pipeline and the same `target-counter()`s
   as in one process, with the real page of every anchor. Meanwhile:
3. **Pass 2**: each worker learns its chunk's first folio (the page counts of
   the chunks before it) and sets the folios of its pages again: only the
   margin boxes are laid out again (WeasyPrint makes them after the pages,
   from the page counters: the `folio` counter is shifted), the pages' flow
   is not touched. The worker writes its PDF.
4. **Join** (pikepdf): the frame's PDF (finished as in one process: page
   labels, document info, XMP, the print profile) with its stub pages
   replaced by the chunks' pages; the named destinations of all the pieces
   merged (a link names its target, so links into another chunk land right:
   each chunk holds stub targets for the links it cannot resolve, on a page
   of its own that the join drops); the outline made, as WeasyPrint makes it,
   from the bookmarks of every page of the book.

The result is the same book as the one-process build (tests/test_pdf_parallel.py
compares them page by page). Not in parallel: a tagged PDF (the structure
trees of the pieces would need merging), and a book whose HTML does not have
the default template's shape; `render_in_parallel` returns None for them and
the one-process path builds the book.
"""

from __future__ import annotations

import copy
import io
import multiprocessing
import os
import pickle
import re
import traceback
from dataclasses import dataclass, fields, replace
from pathlib import Path
from types import SimpleNamespace

from markupsafe import Markup, escape

from .. import model as m
from ..confine import Refused
from ..errors import BuildFailed
from .drawing import exact_glyph_advances
from .pagemap import PrintedPages, page_words
from .pdf import (BODY_START, BOOK_END, Book, PageMap, PartView, Press, _font_timestamps_from,
                  _portable_subsets, file_identifier, lay_out_book, make_up, set_bleed_boxes, write_pdf,
                  PRINT_VARIANT)

PAGE_LETTERS = 2200  # letters of body text on an A5 page, about: to guess a book's length before laying it out
MIN_PAGES = 240  # a shorter book is laid out in one process: starting the workers costs more than it saves
MAX_CHUNK_PAGES = 180  # a chunk of ~225 pages took ~430 MB in its worker (K=10): this keeps one under 400 MB

# What a chunk's document leaves out: everything but its texts (and part titles).
CHUNK_CSS = """
.half-title, .title-page, .imprint, .contents, .colophon { display: none !important; }
.chunk-end { break-before: right; height: 1px; }
"""
FRAME_CSS = """
.page-stub { height: 1px; }
.page-stub + .page-stub { break-before: page; }
"""
CHUNK_END = "chunk-end"
BOOK_END_TAG = '<div class="book-end"'  # the chunk's end is marked before it
_ID = re.compile(r'\sid="([^"]+)"')
_HREF = re.compile(r'\shref="#([^"]+)"')


class Unsplittable(Exception):
    """The book cannot be laid out in parallel; it is built in one process."""


def jobs_wanted(jobs: int) -> int:
    """`--jobs`: 0 means one worker per core this process may run on."""
    if jobs > 0:
        return jobs
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def estimated_pages(book: Book) -> int:
    letters = sum(len(re.sub(r"<[^>]*>", "", str(text.headnote) + str(text.body)))
                  for part in book.parts for text in part.texts)
    return letters // PAGE_LETTERS


def in_parallel(book: Book, tagged: bool, jobs: int, min_pages: int | None = None) -> bool:
    """Whether the book is laid out in parallel: more than one worker asked
    for, more than one text, not tagged, and long enough to pay for it."""
    min_pages = MIN_PAGES if min_pages is None else min_pages
    texts = sum(len(part.texts) for part in book.parts)
    return jobs > 1 and texts > 1 and not tagged and estimated_pages(book) >= min_pages


# --- cutting the book -----------------------------------------------------------


@dataclass(frozen=True)
class Chunk:
    book: Book  # the chunk's texts (their part titles where a part opens here), nothing else
    first_id: str  # the id of its first element: a part's title or its first text
    text_ids: tuple[str, ...]
    part_ids: tuple[str, ...]


def cut(book: Book, count: int) -> list[Chunk]:
    """The body's texts in `count` runs of consecutive texts of about equal length."""
    placed = [(number, text) for number, part in enumerate(book.parts) for text in part.texts]
    count = max(1, min(count, len(placed)))
    sizes = [len(text.body) + len(text.headnote) for _, text in placed]
    total, runs, run, done = sum(sizes), [], [], 0
    for index, (item, size) in enumerate(zip(placed, sizes)):
        run.append(item)
        done += size
        left = len(placed) - index - 1
        if len(runs) < count - 1 and (done >= total * (len(runs) + 1) / count or left == count - 1 - len(runs)):
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    chunks = []
    for run in runs:
        parts, part_ids, first_id = [], [], ""
        for number in sorted({number for number, _ in run}):
            part = book.parts[number]
            texts = tuple(text for n, text in run if n == number)
            opens = texts[0].id == part.texts[0].id and bool(part.title)
            parts.append(PartView(part.id, part.title if opens else "", texts))
            if opens:
                part_ids.append(part.id)
            first_id = first_id or (part.id if opens else texts[0].id)
        chunk_book = replace(book, front=(), parts=tuple(parts), contents=(), note_groups=(),
                             emendation_groups=(), register=(), index=(), signature=1, padding=0)
        chunks.append(Chunk(chunk_book, first_id, tuple(text.id for _, text in run), tuple(part_ids)))
    return chunks


@dataclass(frozen=True)
class ChunkPress(Press):
    """The press of a chunk: the book's HTML with the end of the chunk marked
    (a page of its own after a recto break, so a chunk of odd length ends
    with the blank verso the book has there) holding `stubs`, targets of the
    chunk's links that other pieces hold."""

    stubs: tuple[str, ...] = ()

    def html(self, book: Book) -> str:
        html = super().html(book)
        at = html.rfind(BOOK_END_TAG)
        if at < 0:
            raise Unsplittable("the print template has no book-end element")
        spans = "".join(f'<span id="{escape(name)}"></span>' for name in self.stubs)
        return html[:at] + f'<div class="chunk-end" id="{CHUNK_END}">{spans}</div>\n' + html[at:]


def chunk_press(press: Press, book: Book) -> ChunkPress:
    """`press` for the chunk `book`: its links to targets outside it get stubs."""
    from weasyprint import CSS

    plain = {f.name: getattr(press, f.name) for f in fields(Press)}
    plain["stylesheets"] = press.stylesheets + (CSS(string=CHUNK_CSS, font_config=press.fonts),)
    html = press.html(book)
    present = set(_ID.findall(html))
    wanted = [name for name in dict.fromkeys(_HREF.findall(html)) if name not in present]
    return ChunkPress(**plain, stubs=tuple(wanted))


# --- the workers -----------------------------------------------------------------


@dataclass(frozen=True)
class ChunkFacts:
    """What a worker sends back after laying its chunk out (the chunk-end page left out)."""

    pages: int
    anchors: tuple[tuple[str, ...], ...]  # the anchors of each page
    words: tuple[str, ...]  # the first words of each page's type area
    bookmarks: tuple[tuple[float, tuple], ...]  # (height, bookmarks) of each page, as WeasyPrint keeps them


class MarginBoxes:
    """Records the margin boxes WeasyPrint makes for the last layout, so that
    they can be made again with other counter values (the folios) without
    laying the pages out again."""

    def __init__(self):
        self.records = []  # (page box, layout context, page number) of the last layout

    def __enter__(self):
        import weasyprint.layout as layout

        self.module, self.original = layout, layout.make_margin_boxes

        def recording(context, page, state):
            if self.records and self.records[-1][1] is not context:
                self.records = []  # a new layout: the earlier one's margins are not wanted
            self.records.append((page, context, context.current_page))
            return self.original(context, page, state)

        layout.make_margin_boxes = recording
        return self

    def __exit__(self, *exc):
        self.module.make_margin_boxes = self.original

    def shift_folios(self, document, by: int) -> None:
        """The margin boxes of `document`'s pages made again with the `folio` counter `by` more."""
        from weasyprint.formatting_structure import boxes
        from weasyprint.layout.background import layout_backgrounds

        made = {id(page_box): (context, number) for page_box, context, number in self.records}
        if any(id(page._page_box) not in made for page in document.pages):
            raise Unsplittable("the chunk's margin boxes were not recorded")
        for page in document.pages:
            page_box = page._page_box
            context, number = made[id(page_box)]
            context.current_page = number
            state = copy.deepcopy(context.page_maker[number][3])
            state[1]["folio"] = [value + by for value in state[1].get("folio", [0])]
            margins = self.original(context, page_box, state)
            page_box.children = tuple(child for child in page_box.children
                                      if not isinstance(child, boxes.MarginBox)) + tuple(margins)
            layout_backgrounds(page_box, context.get_image_from_uri)
        self.records = []


def _work(conn, slots, styles: Path, project: Path, book: Book, metadata: m.Metadata) -> None:
    """A worker: lays out one chunk, reports its facts, waits for its first
    folio, sets its folios and sends back its PDF."""
    try:
        press = chunk_press(Press.for_styles(styles, project), book)
        # What a worker sends, it sends after giving back its slot: the main process reads the
        # workers in order, and a worker blocked in a send must not keep the others from working.
        with slots, MarginBoxes() as margins:
            layout = lay_out_book(press, book)
            make_up(layout, book)
            document = layout.document
            count = len(document.pages) - 1  # the last page is the chunk's end
            if count < 1 or layout.pages.pages.get(CHUNK_END) != count:
                raise Unsplittable("the chunk's end is not on a page of its own at its end")
            facts = ChunkFacts(
                count, tuple(tuple(page.anchors) for page in document.pages),
                tuple(page_words(page) for page in document.pages[:count]),
                tuple((page.height, tuple(page.bookmarks)) for page in document.pages[:count]))
        conn.send(("facts", facts))
        first_folio = conn.recv()
        if first_folio is None:
            return
        with slots:
            margins.shift_folios(document, first_folio - 1)
            data = _write_piece(document, metadata, book)
        del layout, document
        conn.send(("pdf", data))
    except Unsplittable as reason:
        conn.send(("unsplittable", str(reason)))
    except Refused as refused:  # a style sheet or a text asked for a file outside the project
        conn.send(("refused", refused.diagnostic))
    except BaseException as error:  # noqa: BLE001 (sent to the main process, which raises it)
        conn.send(("error", _portable(error)))
    finally:
        conn.close()


def _portable(error: BaseException) -> BaseException:
    """`error` if it crosses to the main process whole, else a BuildFailed that says what it was."""
    try:
        again = pickle.loads(pickle.dumps(error))
        if type(again) is type(error) and str(again) == str(error):
            return error
    except Exception:  # noqa: BLE001 (an exception that does not pickle)
        pass
    return BuildFailed(f"pdf: a layout process failed: {type(error).__name__}: {error}\n"
                       + "".join(traceback.format_exception(error)))


def _write_piece(document, metadata: m.Metadata, book: Book) -> bytes:
    """A piece's PDF as `pdf.write_pdf` writes a book's, unfinished (the join finishes the book)."""
    portable = bool(os.environ.get("SOURCE_DATE_EPOCH", "").strip())
    with _portable_subsets(portable), _font_timestamps_from(metadata), exact_glyph_advances():
        return document.write_pdf(pdf_identifier=file_identifier(metadata),
                                  pdf_variant=PRINT_VARIANT if book.profile == "print" else None)


# --- the frame ------------------------------------------------------------------


def frame_of(book: Book, chunks: list[Chunk], facts: list[ChunkFacts]) -> Book:
    """`book` with each body text replaced by stub pages holding its anchors."""
    stubs: dict[str, list[list[str]]] = {}
    for chunk, fact in zip(chunks, facts):
        where = {}
        for number, names in enumerate(fact.anchors[:fact.pages]):
            for name in names:
                where.setdefault(name, number)
        own = {BODY_START, BOOK_END, *chunk.part_ids}
        for text_id in chunk.text_ids:
            own |= {text_id, f"{text_id}-end"}
        for text_id in chunk.text_ids:
            first, last = where[text_id], where[f"{text_id}-end"]
            pages = [[] for _ in range(last - first + 1)]
            for number in range(first, last + 1):
                pages[number - first] = [name for name in fact.anchors[number]
                                         if name not in own and where.get(name) == number]
            stubs[text_id] = pages

    def stubbed(text):
        body = Markup("").join(
            Markup('<div class="page-stub">%s</div>') % Markup("").join(
                Markup('<span id="%s"></span>') % name for name in names)
            for names in stubs[text.id])
        return replace(text, headnote=Markup(""), body=body, source="")

    parts = tuple(replace(part, texts=tuple(stubbed(text) for text in part.texts)) for part in book.parts)
    return replace(book, parts=parts)


def frame_press(press: Press) -> Press:
    from weasyprint import CSS

    return replace(press, stylesheets=press.stylesheets + (CSS(string=FRAME_CSS, font_config=press.fonts),))


# --- the whole ------------------------------------------------------------------


@dataclass
class Parallel:
    data: bytes
    printed: PrintedPages
    pages: PageMap  # where every anchor of the book is


def render_in_parallel(press: Press, book: Book, metadata: m.Metadata, styles: Path, project: Path, jobs: int,
                       progress=lambda stage: None, chunk_count: int | None = None) -> Parallel | None:
    """The book's PDF laid out by `jobs` workers at a time; None when it
    cannot be split (the caller builds it in one process)."""
    chunks = cut(book, chunk_count or max(jobs, -(-estimated_pages(book) // MAX_CHUNK_PAGES)))
    if len(chunks) < 2:
        return None
    context = multiprocessing.get_context("spawn")
    slots = context.BoundedSemaphore(jobs)
    workers = []
    progress(f"pdf: laying out {len(chunks)} parts in {jobs} processes")
    try:
        for chunk in chunks:
            mine, theirs = context.Pipe()
            process = context.Process(target=_work, args=(theirs, slots, styles, project, chunk.book, metadata),
                                      daemon=True)
            process.start()
            theirs.close()
            workers.append((process, mine))
        facts = [_receive(conn, "facts") for _, conn in workers]
        if any(fact is None for fact in facts):
            return None
        folio = 1
        for fact, (_, conn) in zip(facts, workers):
            conn.send(folio)
            folio += fact.pages
        progress("pdf: the front and back matter")
        frame = frame_of(book, chunks, facts)
        layout = lay_out_book(frame_press(press), frame, progress)
        make_up(layout, frame)
        starts = _check(layout.pages, chunks, facts)
        frame_pdf = write_pdf(layout.document, layout.pages.folios(), metadata, frame)
        pieces = [_receive(conn, "pdf") for _, conn in workers]
        if any(piece is None for piece in pieces):
            return None
        progress("pdf: joining")
        return _join(frame_pdf, layout, book, pieces, chunks, facts, starts)
    except Unsplittable:
        return None
    finally:
        for process, conn in workers:
            try:
                if process.is_alive():
                    conn.send(None)
            except OSError:
                pass
            conn.close()
        for process, _ in workers:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()


def _receive(conn, kind: str):
    try:
        what, value = conn.recv()
    except EOFError:
        raise BuildFailed("pdf: a layout process ended without a word (out of memory?)") from None
    if what == kind:
        return value
    if what == "unsplittable":
        return None
    if what == "refused":
        raise Refused(value)
    raise value


def _check(pages: PageMap, chunks: list[Chunk], facts: list[ChunkFacts]) -> list[int]:
    """The frame's page where each chunk starts, checked against the chunks:
    every text and its end on the same page of its chunk."""
    starts, at = [], pages[chunks[0].first_id]
    for chunk, fact in zip(chunks, facts):
        if pages[chunk.first_id] != at:
            raise Unsplittable(f"the frame puts {chunk.first_id} on page {pages[chunk.first_id]}, not {at}")
        where = {}
        for number, names in enumerate(fact.anchors[:fact.pages]):
            for name in names:
                where.setdefault(name, number)
        for text_id in chunk.text_ids:
            for name in (text_id, f"{text_id}-end"):
                if pages[name] - at != where[name]:
                    raise Unsplittable(f"the frame's stub of {text_id} does not take its pages")
        starts.append(at)
        at += fact.pages
    return starts


def _join(frame_pdf: bytes, layout, book: Book, pieces: list[bytes], chunks, facts, starts) -> Parallel:
    import pikepdf
    from weasyprint.document import Document

    pdf = pikepdf.open(io.BytesIO(frame_pdf))
    frame_pages = len(pdf.pages)
    body_first, body_end = starts[0], starts[-1] + facts[-1].pages
    frame_dests = _dests(pdf)
    old = list(pdf.pages)
    place = {}  # frame page objgen -> index in the book, for the kept frame pages
    sources = []  # for each page of the book: ("frame", index) or (chunk number, index)
    for index in range(body_first):
        sources.append(("frame", index))
    for number, fact in enumerate(facts):
        sources.extend((number, index) for index in range(fact.pages))
    sources.extend(("frame", index) for index in range(body_end, frame_pages))

    opened = [pikepdf.open(io.BytesIO(data)) for data in pieces]
    del pdf.pages[body_first:body_end]
    at = body_first
    for number, piece in enumerate(opened):
        for index in range(facts[number].pages):
            pdf.pages.insert(at, piece.pages[index])
            at += 1
    for index, page in enumerate(old):
        if index < body_first or index >= body_end:
            place[page.objgen] = index if index < body_first else index - body_end + at
    if len(pdf.pages) != frame_pages:
        raise Unsplittable(f"the joined book has {len(pdf.pages)} pages, the frame {frame_pages}")

    # Named destinations: each where its page now is.
    names: dict[str, pikepdf.Array] = {}
    for name, dest in frame_dests:
        if dest[0].objgen in place:
            names.setdefault(name, dest)
    for number, piece in enumerate(opened):
        home = {page.objgen: index for index, page in enumerate(piece.pages)}
        for name, dest in _dests(piece):
            index = home.get(dest[0].objgen)
            if index is not None and index < facts[number].pages:
                names.setdefault(name, pikepdf.Array([pdf.pages[starts[number] + index].obj, *list(dest)[1:]]))
    tree = pikepdf.NameTree.new(pdf)
    for name in sorted(names):
        tree[name] = names[name]
    pdf.Root.Names.Dests = tree.obj

    # The outline, from every page's bookmarks, as WeasyPrint makes it.
    frame_doc = layout.document
    shown = []
    for kind, index in sources:
        if kind == "frame":
            page = frame_doc.pages[index]
            shown.append(SimpleNamespace(height=page.height, bookmarks=page.bookmarks))
        else:
            height, bookmarks = facts[kind].bookmarks[index]
            shown.append(SimpleNamespace(height=height, bookmarks=list(bookmarks)))
    tree = Document.make_bookmark_tree(SimpleNamespace(pages=shown), 0.75, transform_pages=True)
    if "/Outlines" in pdf.Root:
        del pdf.Root.Outlines
    if tree:
        _add_outlines(pdf, tree)

    if book.bleed:
        set_bleed_boxes(pdf)
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)

    # Where every anchor is, and the pages' first words, for the EPUB.
    anchors: dict[str, int] = {}
    words = []
    for number, (kind, index) in enumerate(sources):
        if kind == "frame":
            page = frame_doc.pages[index]
            names_here, first_words = page.anchors, page_words(page)
        else:
            names_here, first_words = facts[kind].anchors[index], facts[kind].words[index]
        for name in names_here:
            anchors.setdefault(name, number)
        words.append(first_words)
    pages = PageMap(anchors)
    folios = pages.folios()
    printed = PrintedPages(tuple((folios.label(index), text) for index, text in enumerate(words)), anchors)
    return Parallel(out.getvalue(), printed, pages)


def _dests(pdf) -> list:
    """The named destinations of a PDF as WeasyPrint writes them (a flat name tree)."""
    import pikepdf

    if "/Names" not in pdf.Root or "/Dests" not in pdf.Root.Names:
        return []
    return [(str(name), dest) for name, dest in pikepdf.NameTree(pdf.Root.Names.Dests).items()]


def _add_outlines(pdf, tree) -> None:
    """The outline of `tree` (WeasyPrint's bookmark tree), written as WeasyPrint writes it."""
    import pikepdf

    def add(items, parent):
        count, made = len(items), []
        for title, (page, x, y), children, state in items:
            outline = pdf.make_indirect(pikepdf.Dictionary(
                Title=pikepdf.String(title), Dest=pikepdf.Array([pdf.pages[page].obj, pikepdf.Name.XYZ, x, y, 0])))
            kids, kids_count = add(children, outline)
            outline.Count = -kids_count if state == "closed" else kids_count
            if state != "closed":
                count += kids_count
            if made:
                outline.Prev = made[-1]
                made[-1].Next = outline
            if kids:
                outline.First, outline.Last = kids[0], kids[-1]
            outline.Parent = parent
            made.append(outline)
        return made, count

    root = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Outlines))
    made, count = add(tree, root)
    root.Count, root.First, root.Last = count, made[0], made[-1]
    pdf.Root.Outlines = root

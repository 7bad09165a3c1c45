"""The EPUB builder: the sample edition and a small case with parts, front
matter notes, another language and markup-like strings (tests/roots/epub-parts)
are each built once per session, unzipped, and read as a reading system would:
package document, nav, NCX and XHTML. EPUBCheck runs on both, side by side."""

from __future__ import annotations

import io
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import urldefrag

import pytest
from lxml import etree

import edition
from edition import model as m
from edition.builders import BuildOptions
from edition.builders.epub import EpubBuilder, EpubRenderer
from edition.errors import BuildFailed
from edition.locale import page_ranges, words
from edition.typography import typeset

from .helpers import MANIFEST, ONE_NOTE, write_project

MANIFEST_WITH_NOTE = MANIFEST.replace("  - file: texts/one.md\n", "  - file: texts/one.md\n" + ONE_NOTE)

PARTS_MANIFEST = Path(__file__).parent / "roots" / "epub-parts" / "manifest.yaml"
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
    "c": "urn:oasis:names:tc:opendocument:xmlns:container",
}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_DECLARATION = re.compile(rb"""^<\?xml version=["']1\.0["'] encoding=["']utf-8["']\?>""", re.IGNORECASE)


@dataclass
class Book:
    """A built EPUB, unzipped: members by name, parsed on demand."""

    edition: m.Edition
    path: Path
    data: bytes

    @cached_property
    def zip(self) -> zipfile.ZipFile:
        return zipfile.ZipFile(io.BytesIO(self.data))

    @cached_property
    def opf_path(self) -> str:
        container = etree.fromstring(self.zip.read("META-INF/container.xml"))
        return container.find(".//c:rootfile", NS).get("full-path")

    @cached_property
    def folder(self) -> str:
        return self.opf_path.rsplit("/", 1)[0] + "/"

    @cached_property
    def opf(self):
        return etree.fromstring(self.zip.read(self.opf_path))

    def xml(self, href: str):
        return etree.fromstring(self.zip.read(self.folder + href))

    @cached_property
    def manifest(self) -> dict[str, etree._Element]:
        return {item.get("id"): item for item in self.opf.findall("opf:manifest/opf:item", NS)}

    @cached_property
    def spine(self) -> list[str]:
        """The spine's hrefs, in reading order."""
        return [self.manifest[ref.get("idref")].get("href") for ref in self.opf.findall("opf:spine/opf:itemref", NS)]

    @cached_property
    def xhtml(self) -> list[str]:
        items = self.manifest.values()
        return [item.get("href") for item in items if item.get("media-type") == "application/xhtml+xml"]

    @cached_property
    def nav_href(self) -> str:
        return next(i.get("href") for i in self.manifest.values() if "nav" in (i.get("properties") or "").split())

    @cached_property
    def ncx_href(self) -> str:
        toc_id = self.opf.find("opf:spine", NS).get("toc")
        return self.manifest[toc_id].get("href")

    def dc(self, name: str) -> list[str]:
        return [e.text for e in self.opf.findall(f"opf:metadata/dc:{name}", NS)]

    def meta(self, prop: str) -> list[str]:
        return [e.text for e in self.opf.findall(f"opf:metadata/opf:meta[@property='{prop}']", NS)]


def words_of(element) -> str:
    """An element's words as a reader sees them: line breaks as spaces, runs of white space as one."""
    for br in element.iter("{*}br"):
        br.tail = " " + (br.tail or "")
    return " ".join("".join(element.itertext()).split())


def _build(manifest: Path | None, loaded: m.Edition | None, folder: Path) -> Book:
    """The book built, and its edition as the book sets it (metadata strings
    curled by the typographer; `test_metadata_strings_are_set_by_the_typographer`
    checks that against the manifest's own words)."""
    book = loaded or edition.load(manifest)
    path = EpubBuilder().build(book, folder, BuildOptions())
    return Book(typeset(book), path, path.read_bytes())


@pytest.fixture(scope="session")
def sample(sample_edition, tmp_path_factory) -> Book:
    return _build(None, sample_edition, tmp_path_factory.mktemp("sample-epub"))


@pytest.fixture(scope="session")
def parts(tmp_path_factory) -> Book:
    return _build(PARTS_MANIFEST, None, tmp_path_factory.mktemp("parts-epub"))


@pytest.fixture(scope="session")
def bare(tmp_path_factory) -> Book:
    """The least an edition can be: no subtitle, editor, publisher, versions,
    notes or corrections; a text dated by its year only."""
    root = tmp_path_factory.mktemp("bare-project")
    manifest = write_project(root, texts={"one.md": """\
        ---
        title: One
        author: A. Writer
        date: "1930"
        source: Somewhere
        ---

        Some words.
        """})
    return _build(manifest, None, root / "build")


@pytest.fixture(scope="session")
def epubcheck_reports(sample, parts, bare) -> dict[str, list[str]]:
    """EPUBCheck on the three books at once (a JVM each, ~10 s): the small
    case through `run_epubcheck`, which `edition check --epubcheck` calls,
    the others through the checker on the built file."""
    from edition.epubcheck import check_file, run_epubcheck

    with ThreadPoolExecutor(max_workers=3) as pool:
        on_sample = pool.submit(check_file, sample.path)
        on_bare = pool.submit(check_file, bare.path)
        on_parts = pool.submit(run_epubcheck, parts.edition)
        return {"sample": [str(message) for message in on_sample.result()], "parts": on_parts.result(),
                "bare": [str(message) for message in on_bare.result()]}


@pytest.fixture(params=["sample", "parts"])
def book(request) -> Book:
    return request.getfixturevalue(request.param)


# --- validity and the container ---------------------------------------------


@pytest.mark.parametrize("case", ["sample", "parts", "bare"])
def test_epubcheck_reports_no_errors_and_no_warnings(epubcheck_reports, case):
    messages = epubcheck_reports[case]
    assert messages == [], "\n".join(messages)


def test_mimetype_comes_first_and_is_stored(book):
    first = book.zip.infolist()[0]
    assert first.filename == "mimetype"
    assert first.compress_type == zipfile.ZIP_STORED
    assert first.extra == b""
    assert book.zip.read(first) == b"application/epub+zip"


def test_entries_have_one_fixed_order_time_and_mode(book):
    infos = book.zip.infolist()
    names = [info.filename for info in infos]
    assert names[:3] == ["mimetype", "META-INF/container.xml", book.opf_path]
    assert names[3:] == sorted(names[3:])
    year, month, day = (int(n) for n in book.edition.metadata.modified.split("-"))
    assert {info.date_time for info in infos} == {(year, month, day, 0, 0, 0)}
    assert {info.external_attr >> 16 for info in infos} == {0o100644}


def test_two_builds_are_byte_identical(sample, tmp_path):
    again = EpubBuilder().build(sample.edition, tmp_path, BuildOptions())
    assert again.read_bytes() == sample.data


def test_source_date_epoch_sets_the_entries_time(sample, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    path = EpubBuilder().build(sample.edition, tmp_path, BuildOptions())
    with zipfile.ZipFile(path) as built:
        assert {info.date_time for info in built.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        opf = built.read("EPUB/content.opf").decode()
    modified = f'<meta property="dcterms:modified">{sample.edition.metadata.modified}T00:00:00Z</meta>'
    assert modified in opf  # still the manifest's version date


def test_every_file_has_an_xml_declaration_and_every_document_a_language(book):
    for name in book.zip.namelist():
        if name.endswith((".xhtml", ".opf", ".ncx", ".xml")):
            assert XML_DECLARATION.match(book.zip.read(name)), name
    for href in book.xhtml:
        root = book.xml(href)
        assert root.get("lang") and root.get("lang") == root.get(XML_LANG), href


def test_nothing_is_fetched_or_scripted(book):
    for item in book.manifest.values():
        assert "://" not in item.get("href")
        assert not {"remote-resources", "scripted"} & set((item.get("properties") or "").split())
    for href in book.xhtml:
        root = book.xml(href)
        assert not root.findall(".//x:script", NS), href
        for element in root.iter():
            assert not (element.get("src") or "").startswith(("http:", "https:")), href
    css = book.zip.read(book.folder + "css/epub.css").decode()
    assert "@import" not in css and "url(" not in css


# --- structure ----------------------------------------------------------------


def test_a_bare_edition_has_no_empty_back_matter(bare):
    assert bare.spine == ["cover.xhtml", "titlepage.xhtml", "colophon.xhtml", "contents.xhtml", "text-one.xhtml"]
    assert bare.dc("title") == ["Test Edition"] and bare.dc("contributor") == []
    assert bare.meta("dcterms:modified") == ["2026-01-01T00:00:00Z"]
    time = bare.xml("text-one.xhtml").find(".//x:time", NS)
    assert (time.get("datetime"), time.text) == ("1930", "1930")


def test_reading_order(sample):
    texts = [f"{t.id}.xhtml" for t in sample.edition.texts]
    front = [f"{t.id}.xhtml" for t in sample.edition.front]
    assert sample.spine == ["cover.xhtml", "titlepage.xhtml", "colophon.xhtml", "contents.xhtml", *front, *texts,
                            "persons.xhtml", "endnotes.xhtml", "emendations.xhtml", "index.xhtml"]
    assert sample.nav_href not in sample.spine  # the contents page stands for it in reading order


def test_parts_have_title_pages_before_their_texts(parts):
    assert parts.spine[4:] == ["text-preface.xhtml", "part-1.xhtml", "text-letter.xhtml", "part-2.xhtml",
                               "text-brief.xhtml", "endnotes.xhtml", "emendations.xhtml"]
    part = parts.xml("part-1.xhtml").find(".//x:section", NS)
    assert part.get(EPUB_TYPE) == "part" and part.findtext("x:h2", namespaces=NS) == "Part One: Letters & <Papers>"


def test_cover_is_in_the_manifest_with_the_cover_image_property(sample):
    from PIL import Image

    covers = [i for i in sample.manifest.values() if "cover-image" in (i.get("properties") or "").split()]
    assert len(covers) == 1 and covers[0].get("media-type") == "image/jpeg"
    image = Image.open(io.BytesIO(sample.zip.read(sample.folder + covers[0].get("href"))))
    assert (image.format, image.size) == ("JPEG", (1600, 2560))
    assert sample.opf.find("opf:metadata/opf:meta[@name='cover']", NS).get("content") == covers[0].get("id")
    page = sample.xml("cover.xhtml")
    img = page.find(".//x:img", NS)
    assert img.get("src") == covers[0].get("href") and "The Degenerated Workers" in img.get("alt")


def test_a_cover_named_by_the_manifest_is_used(tmp_path):
    from PIL import Image

    manifest = write_project(tmp_path, manifest="""\
        edition:
          title: Covered
          language: en
          identifier: urn:uuid:00000000-0000-4000-8000-000000000002
          date: 2026-01-01
          cover: art/front.png
        texts:
          - file: texts/one.md
        """)
    (tmp_path / "art").mkdir()
    Image.new("RGB", (400, 640), (10, 20, 30)).save(tmp_path / "art" / "front.png")
    book = _build(manifest, None, tmp_path / "build")
    cover = book.manifest["cover-img"]
    assert (cover.get("href"), cover.get("media-type"), cover.get("properties")) == (
        "images/cover.png", "image/png", "cover-image")
    assert book.zip.read(book.folder + "images/cover.png") == (tmp_path / "art" / "front.png").read_bytes()
    assert "EB Garamond" not in book.zip.read(book.folder + "colophon.xhtml").decode()


def test_a_missing_cover_is_reported_at_its_manifest_line(tmp_path):
    manifest = write_project(tmp_path, manifest="""\
        edition:
          title: Uncovered
          language: en
          identifier: urn:uuid:00000000-0000-4000-8000-000000000003
          date: 2026-01-01
          cover: art/missing.jpg
        texts:
          - file: texts/one.md
        """)
    with pytest.raises(edition.InvalidEdition, match=r'manifest.yaml:6:10: the cover "art/missing.jpg" does not exist'):
        edition.load(manifest)


def test_title_page(sample):
    page = sample.xml("titlepage.xhtml").find(".//x:section", NS)
    assert page.get(EPUB_TYPE) == "titlepage"
    assert page.findtext("x:header/x:h1", namespaces=NS) == sample.edition.metadata.title
    words = words_of(page)
    assert sample.edition.metadata.subtitle in words and f"Edited by {sample.edition.metadata.editor}" in words


def test_colophon_names_version_sources_rights_credits_and_history(parts):
    page = parts.xml("colophon.xhtml")
    words = words_of(page)
    meta = parts.edition.metadata
    assert "Version 1.1, January 15, 2026." in words
    assert f"Edited by {meta.editor}." in words and meta.rights in words and meta.identifier in words
    for text in parts.edition.texts:
        assert text.meta.source in words
    assert "Transcribed by <T> & Co." in words and "Co.." not in words
    history = [words_of(li) for li in page.findall(".//x:section[@class='revisions']//x:li", NS)]
    assert history == ["Version 1.0, June 1, 2025: First edition.",
                       "Version 1.1, January 15, 2026: Corrected <things> & stuff."]
    assert "EB Garamond" in words  # the generated cover's typeface is credited


def test_each_text_opens_with_title_author_date_and_source(sample):
    for text in sample.edition.texts:
        section = sample.xml(f"{text.id}.xhtml").find(".//x:section", NS)
        assert section.get(EPUB_TYPE) == "chapter" and section.get("role") == "doc-chapter"
        header = section.find("x:header", NS)
        assert header.findtext("x:h2", namespaces=NS) == text.meta.title
        assert header.findtext("x:p[@class='byline']", namespaces=NS) == " and ".join(text.meta.authors)
        time = header.find("x:p[@class='date']/x:time", NS)
        assert time.get("datetime") == text.meta.date and time.text
        source = page_ranges(text.meta.source, words(sample.edition.metadata.language))  # "pp. 44–46", as in print
        assert "".join(header.find("x:p[@class='source']", NS).itertext()) == f"Source: {source}"
        assert (header.find("x:p[@class='extract']", NS) is not None) == text.meta.extract
    assert any(text.meta.extract for text in sample.edition.texts)


def test_headnotes_are_set_apart_before_the_text(sample):
    for text in sample.edition.texts:
        section = sample.xml(f"{text.id}.xhtml").find(".//x:section", NS)
        children = list(section)
        headnote = section.find("x:div[@class='headnote']", NS)
        assert (headnote is not None) == bool(text.headnote), text.id
        if headnote is not None:
            assert children.index(headnote) == 1 and headnote.get("role") == "note"


def test_front_matter_has_its_own_file_and_semantics(sample):
    intro = sample.xml("text-introduction.xhtml")
    assert intro.find("x:body", NS).get(EPUB_TYPE) == "frontmatter"
    section = intro.find(".//x:section", NS)
    assert section.get(EPUB_TYPE) == "introduction" and section.get("role") == "doc-introduction"


def test_letter_furniture_and_text_semantics(parts):
    body = parts.xml("text-letter.xhtml").find(".//x:section", NS)
    assert body.find("x:div[@class='dateline']", NS) is not None
    assert body.find("x:div[@class='salutation']", NS).get(EPUB_TYPE) == "z3998:salutation"
    signature = body.find("x:footer[@class='signature']", NS)
    assert signature.get(EPUB_TYPE) == "z3998:signature" and len(signature.findall("x:div[@class='line']", NS)) == 2
    assert body.find("x:blockquote/x:p", NS) is not None
    assert body.find("x:ol/x:li", NS) is not None and body.find("x:ul/x:li", NS) is not None
    assert body.find(".//x:span[@class='smallcaps']", NS).text == "SOME WORDS"
    assert [h.tag.split("}")[1] for h in body.iter("{*}h3", "{*}h4")] == ["h3", "h4", "h3"]
    link = body.find(".//x:a[@href='https://example.org/a?b=1&c=2']", NS)
    assert link is not None and link.text == "link"


def test_a_text_in_another_language_says_so(parts):
    page = parts.xml("text-brief.xhtml")
    assert page.get("lang") == "de"
    label = page.find(".//x:p[@class='source']/x:span", NS)
    assert (label.text, label.get("lang")) == ("Source:", "en")
    nav_link = parts.xml(parts.nav_href).find(".//x:a[@href='text-brief.xhtml']", NS)
    assert nav_link.get("lang") == "de"


# --- navigation ---------------------------------------------------------------


def _toc_hrefs(book: Book) -> list[str]:
    nav = book.xml(book.nav_href).find(".//x:nav[@id='toc']", NS)
    return [a.get("href") for a in nav.iter("{*}a")]


def _in_text_order(hrefs, book: Book) -> list[str]:
    texts = {f"{t.id}.xhtml" for t in book.edition.texts}
    return list(dict.fromkeys(h for h in (urldefrag(h)[0] for h in hrefs) if h in texts))


def test_nav_lists_every_text_in_manifest_order(book):
    nav = book.xml(book.nav_href).find(".//x:nav[@id='toc']", NS)
    assert nav.get(EPUB_TYPE) == "toc" and nav.get("role") == "doc-toc"
    assert _in_text_order(_toc_hrefs(book), book) == [f"{t.id}.xhtml" for t in book.edition.texts]
    titles = {a.get("href"): a.text for a in nav.iter("{*}a")}
    for text in book.edition.texts:
        assert titles[f"{text.id}.xhtml"] == text.meta.title


def test_nav_nests_parts_texts_and_sections(parts):
    nav = parts.xml(parts.nav_href).find(".//x:nav[@id='toc']", NS)
    part = nav.xpath("x:ol/x:li[x:a/@href='part-1.xhtml']", namespaces=NS)[0]
    text = part.xpath("x:ol/x:li[x:a/@href='text-letter.xhtml']", namespaces=NS)[0]
    sections = [a.text for a in text.findall("x:ol/x:li/x:a", NS)]
    assert sections == ["First Section", "Second Section"]  # the note mark is not in the title
    assert text.find("x:ol/x:li/x:ol/x:li/x:a", NS).text == "A Sub-section"


def test_sample_nav_lists_section_headings(sample):
    wright = next(t for t in sample.edition.texts if t.headings)
    hrefs = _toc_hrefs(sample)
    for heading in wright.headings:
        assert f"{wright.id}.xhtml#{heading.id}" in hrefs


def test_landmarks(book):
    nav = book.xml(book.nav_href).find(".//x:nav[@id='landmarks']", NS)
    assert nav.get(EPUB_TYPE) == "landmarks" and nav.get("hidden") == "hidden"
    marks = {a.get(EPUB_TYPE): a.get("href") for a in nav.iter("{*}a")}
    first = book.edition.parts[0]
    start = f"{first.id}.xhtml" if first.title else f"{first.texts[0].id}.xhtml"
    expected = {"cover": "cover.xhtml", "titlepage": "titlepage.xhtml", "toc": "contents.xhtml",
                "bodymatter": start, "endnotes": "endnotes.xhtml"}
    if any(person.occurrences for person in book.edition.persons):
        expected["index"] = "index.xhtml"
    assert marks == expected


def test_ncx_lists_every_text_in_order_two_levels_deep(book):
    ncx = book.xml(book.ncx_href)
    assert ncx.find("ncx:head/ncx:meta[@name='dtb:uid']", NS).get("content") == book.edition.metadata.identifier
    points = list(ncx.iter("{*}navPoint"))
    assert [int(p.get("playOrder")) for p in points] == list(range(1, len(points) + 1))
    assert len({p.get("id") for p in points}) == len(points)
    for point in points:
        assert len(list(point.iterancestors("{*}navPoint"))) < 2  # no deeper than two levels (Kindle)
        assert point.findtext("ncx:navLabel/ncx:text", namespaces=NS).strip()
    srcs = [p.find("ncx:content", NS).get("src") for p in points]
    assert _in_text_order(srcs, book) == [f"{t.id}.xhtml" for t in book.edition.texts]
    depth = int(ncx.find("ncx:head/ncx:meta[@name='dtb:depth']", NS).get("content"))
    assert depth == max(len(list(p.iterancestors("{*}navPoint"))) + 1 for p in points)


# --- notes and emendations ----------------------------------------------------


def test_every_noteref_resolves_to_an_endnote_whose_backlink_returns(book):
    endnotes = book.xml("endnotes.xhtml")
    section = endnotes.find(".//x:section[@id='endnotes']", NS)
    assert section.get(EPUB_TYPE) == "endnotes" and section.get("role") == "doc-endnotes"
    notes = {li.get("id"): li for li in section.iter("{*}li") if li.get(EPUB_TYPE) == "endnote"}
    seen = 0
    for href in book.xhtml:
        for ref in book.xml(href).iter("{*}a"):
            if ref.get(EPUB_TYPE) != "noteref":
                continue
            seen += 1
            assert ref.get("role") == "doc-noteref"
            assert len(ref) == 0 and ref.text.isdigit()  # no <sup> inside: it breaks pop-ups in Apple Books
            target, fragment = urldefrag(ref.get("href"))
            assert target == "endnotes.xhtml" and fragment in notes, ref.get("href")
            backlinks = [a for a in notes[fragment].iter("{*}a") if a.get("role") == "doc-backlink"]
            assert [a.get("href") for a in backlinks] == [f"{href}#{ref.get('id')}"]
    model_notes = [n for t in book.edition.front + book.edition.texts for n in t.notes]
    assert seen == len(notes) == len(model_notes) > 0


def test_endnotes_are_grouped_by_text_and_numbered_per_text(book):
    groups = book.xml("endnotes.xhtml").findall(".//x:section[@class='note-group']", NS)
    noted = [t for t in book.edition.front + book.edition.texts if t.notes]
    assert [g.findtext("x:h3/x:a", namespaces=NS) for g in groups] == [t.meta.title for t in noted]
    for group, text in zip(groups, noted):
        items = group.findall("x:ol/x:li", NS)
        assert [li.get("id") for li in items] == [n.id for n in text.notes]
        assert [n.number for n in text.notes] == list(range(1, len(items) + 1))


def test_editorial_notes_are_labelled_only_where_there_are_two_kinds(book):
    page = book.xml("endnotes.xhtml")
    notes = {li.get("id"): li for li in page.iter("{*}li")}
    all_notes = [note for text in book.edition.front + book.edition.texts for note in text.notes]
    both_kinds = len({note.kind for note in all_notes}) == 2
    for note in all_notes:
        li = notes[note.id]
        editorial = note.kind == m.NoteKind.EDITORIAL
        assert ("editorial" in li.get("class").split()) == editorial
        label = li.find(".//x:span[@class='note-label']", NS)
        assert (label is not None and label.text == "Editor’s note.") == (editorial and both_kinds)
    key = words_of(page.find(".//x:p[@class='key']", NS))
    assert ("the others are the texts’ own" in key) == both_kinds


def test_one_kind_of_note_is_not_labelled(tmp_path):
    manifest = write_project(tmp_path, MANIFEST_WITH_NOTE, {"one.md": "Some words. Another paragraph here."})
    page = _build(manifest, None, tmp_path / "build").xml("endnotes.xhtml")
    assert page.find(".//x:span[@class='note-label']", NS) is None
    assert words_of(page.find(".//x:p[@class='key']", NS)) == "All the notes are this edition’s."


def test_both_kinds_of_note_are_in_the_small_case(parts):
    kinds = {note.kind for text in parts.edition.front + parts.edition.texts for note in text.notes}
    assert kinds == {m.NoteKind.EDITORIAL, m.NoteKind.AUTHOR}


def test_emendations_list_every_correction_with_its_place_and_reason(book):
    page = book.xml("emendations.xhtml")
    entries = page.findall(".//x:li", NS)
    corrections = {correction.id: (text, correction) for text, correction in book.edition.corrections}
    assert len(entries) == len(corrections) > 0
    listed = []
    for entry in entries:
        link = entry.find("x:p[@class='place']/x:a", NS)
        target, fragment = urldefrag(link.get("href"))
        text, correction = corrections[fragment]
        assert target == f"{text.id}.xhtml"
        listed.append((target, fragment))
        place = book.xml(target).find(f".//*[@id='{fragment}']", NS)
        assert place is not None and place.get("class") == "emendation"
        words = words_of(entry)
        assert f"Source: {' '.join(correction.find.split())}" in words
        if correction.reason:
            assert f"Reason: {correction.reason.rstrip('.')}" in words
    # each text's entries in the order their places stand in the text (the manifest may list them in any order)
    for target in dict.fromkeys(t for t, _ in listed):
        in_text = [e.get("id") for e in book.xml(target).iter() if e.get("class") == "emendation"]
        assert [f for t, f in listed if t == target] == [i for i in in_text if (target, i) in listed]


# --- metadata -----------------------------------------------------------------


def test_package_metadata(book):
    meta = book.edition.metadata
    assert book.opf.get("unique-identifier") == book.opf.find("opf:metadata/dc:identifier", NS).get("id")
    assert book.dc("identifier") == [meta.identifier]
    assert book.dc("title") == [meta.title] + ([meta.subtitle] if meta.subtitle else [])
    refines = {e.get("refines"): e.text for e in book.opf.findall("opf:metadata/opf:meta[@property='title-type']", NS)}
    assert refines == {"#title": "main", **({"#subtitle": "subtitle"} if meta.subtitle else {})}
    creators = book.opf.findall("opf:metadata/dc:creator", NS)
    assert [c.text for c in creators] == list(book.edition.authors)
    ids = [c.get("id") for c in creators]
    assert len(set(ids)) == len(ids)
    roles = {e.get("refines"): e.text for e in book.opf.findall("opf:metadata/opf:meta[@property='role']", NS)}
    assert all(roles[f"#{i}"] == "aut" for i in ids)
    contributor = book.opf.find("opf:metadata/dc:contributor", NS)
    assert contributor.text == meta.editor and roles[f"#{contributor.get('id')}"] == "edt"
    assert book.dc("language") == [meta.language]
    assert book.dc("publisher") == [meta.publisher] and book.dc("rights") == [meta.rights]
    assert book.dc("description") == [meta.description] and book.dc("date") == [meta.date]
    assert book.dc("source") == list(dict.fromkeys(t.meta.source for t in book.edition.texts))
    assert book.meta("dcterms:modified") == [f"{meta.modified}T00:00:00Z"]
    assert book.opf.find("opf:metadata/opf:meta[@name='generator']", NS) is None


def test_accessibility_metadata(book):
    assert book.meta("schema:accessMode") == ["textual"]
    assert book.meta("schema:accessModeSufficient") == ["textual"]
    assert {"structuralNavigation", "tableOfContents", "readingOrder", "alternativeText"} <= set(
        book.meta("schema:accessibilityFeature"))
    assert book.meta("schema:accessibilityHazard") == ["none"]
    assert book.meta("schema:accessibilitySummary")[0]
    assert book.meta("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert book.meta("a11y:certifiedBy")


# --- escaping -------------------------------------------------------------------


def test_markup_in_the_manifest_and_the_texts_comes_out_as_text(parts):
    assert parts.dc("title") == ["Fish & Chips <script>alert(‘title’)</script>", "Letters <b>& Papers</b>"]
    assert parts.dc("subject") == ["letters", "tests & <checks>"]
    letter = parts.xml("text-letter.xhtml")
    assert letter.findtext("x:head/x:title", namespaces=NS) == "A Letter <script>alert(‘x’)</script> & Co."
    assert letter.find(".//x:header/x:h2", NS).text == "A Letter <script>alert(‘x’)</script> & Co."
    headnote = letter.find(".//x:div[@class='headnote']/x:p", NS)
    assert "".join(headnote.itertext()) == "A headnote with emphasis & <tags>."
    assert "".join(letter.find(".//x:blockquote/x:p", NS).itertext()) == "A quoted passage & <more>."
    for href in parts.xhtml:
        root = parts.xml(href)
        assert not [e for e in root.iter() if isinstance(e.tag, str) and e.tag.split("}")[-1] in ("script", "b")], href
    ncx_titles = [t.text for t in parts.xml(parts.ncx_href).iter("{*}text")]
    assert "Fish & Chips <script>alert(‘title’)</script>" in ncx_titles


# --- the renderer and the stylesheet ---------------------------------------------


def test_renderer_links_note_marks_into_the_endnotes_without_sup():
    ref = m.NoteRef(label="", number=3, note_id="text-a-note-3", ref_id="text-a-noteref-3")
    html = EpubRenderer(frozenset({"text-a-note-3"})).note_ref(ref)
    assert html == ('<a href="endnotes.xhtml#text-a-note-3" id="text-a-noteref-3" class="noteref editorial" '
                    'epub:type="noteref" role="doc-noteref">3</a>')


def test_renderer_keeps_only_web_and_mail_links():
    renderer = EpubRenderer()
    words = (m.Str("click"),)
    assert renderer.link(m.Link("javascript:alert(1)", words)) == "click"
    assert renderer.link(m.Link("https://example.org/?a=1&b=2", words)) == (
        '<a href="https://example.org/?a=1&amp;b=2">click</a>')


def test_stylesheet_respects_the_readers_typeface(repo_root):
    css = (repo_root / "styles" / "epub.css").read_text(encoding="utf-8")
    assert "font-family" not in css and "@font-face" not in css
    assert "hyphens: auto" in css and "adobe-hyphenate: auto" in css
    assert "all-small-caps" in css


def test_epubcheck_report_keeps_errors_and_warnings_with_their_place():
    from edition.epubcheck import parse_report

    report = {"messages": [
        {"ID": "RSC-012", "severity": "ERROR", "message": "Fragment identifier is not defined.",
         "locations": [{"path": "EPUB/a.xhtml", "line": 19, "column": 224}]},
        {"ID": "RSC-017", "severity": "WARNING", "message": "Deprecated.", "suggestion": "Drop it.",
         "locations": [{"path": "EPUB/b.xhtml", "line": 3, "column": 1}, {"path": "EPUB/c.xhtml", "line": 4}]},
        {"ID": "ACC-007", "severity": "USAGE", "message": "A hint.", "locations": []},
    ]}
    assert [str(message) for message in parse_report(report)] == [
        "EPUB/a.xhtml:19:224: EPUBCheck ERROR RSC-012: Fragment identifier is not defined.",
        "EPUB/b.xhtml:3:1: EPUBCheck WARNING RSC-017: Deprecated. (Drop it.)",
        "EPUB/c.xhtml:4:1: EPUBCheck WARNING RSC-017: Deprecated. (Drop it.)",
    ]


# --- what readers see: typography, contents, emendations, creators, style ----------


def test_metadata_strings_are_set_by_the_typographer(parts):
    """The manifest's straight quotes come out curly wherever the title is:
    package, title page, colophon, NCX, cover, contents and <title>."""
    raw = edition.load(PARTS_MANIFEST).metadata.title
    assert "'" in raw
    title = raw.replace("'title'", "‘title’")
    assert parts.dc("title")[0] == title
    assert parts.xml("titlepage.xhtml").findtext(".//x:h1", namespaces=NS) == title
    assert parts.xml("titlepage.xhtml").findtext("x:head/x:title", namespaces=NS) == title
    assert words_of(parts.xml("colophon.xhtml").find(".//x:p[@class='edition-title']", NS)).startswith(title)
    assert parts.xml(parts.ncx_href).findtext("ncx:docTitle/ncx:text", namespaces=NS) == title
    assert parts.xml("cover.xhtml").find(".//x:img", NS).get("alt").startswith(f"Cover: {title}")
    for href in parts.xhtml:
        assert "'" not in "".join(parts.xml(href).find("x:body", NS).itertext()).replace("alert('x')", ""), href


def test_an_html_contents_page_in_reading_order_lists_what_the_nav_lists(book):
    page = book.xml("contents.xhtml").find(".//x:section[@id='contents']", NS)
    assert page.get(EPUB_TYPE) == "toc" and page.get("role") == "doc-toc"
    hrefs = [a.get("href") for a in page.iter("{*}a")]
    assert hrefs == [h for h in _toc_hrefs(book) if h != "contents.xhtml"]
    assert book.spine.index("contents.xhtml") < book.spine.index(urldefrag(hrefs[-1])[0])
    guide = {r.get("type"): r.get("href") for r in book.opf.findall("opf:guide/opf:reference", NS)}
    assert guide["toc"] == "contents.xhtml"  # where Kindle looks for the HTML contents


def test_emended_words_and_their_list_entries_link_both_ways(book):
    page = book.xml("emendations.xhtml")
    entries = {li.get("id"): li for li in page.iter("{*}li") if li.get("id")}
    for text, correction in book.edition.corrections:
        place = book.xml(f"{text.id}.xhtml").find(f".//*[@id='{correction.id}']", NS)
        assert place.tag == "{http://www.w3.org/1999/xhtml}a" and place.get("class") == "emendation"
        target, fragment = urldefrag(place.get("href"))
        assert target == "emendations.xhtml" and fragment in entries
        back = entries[fragment].find("x:p[@class='place']/x:a", NS).get("href")
        assert back == f"{text.id}.xhtml#{correction.id}"


def test_every_author_is_a_creator_in_order_and_the_editor_a_contributor(sample):
    creators = sample.opf.findall("opf:metadata/dc:creator", NS)
    assert [c.text for c in creators] == list(sample.edition.authors)
    refines = {(e.get("refines"), e.get("property")): e.text for e in sample.opf.findall("opf:metadata/opf:meta", NS)}
    if len(creators) > 1:
        assert [refines[(f"#{c.get('id')}", "display-seq")] for c in creators] == [
            str(n) for n in range(1, len(creators) + 1)]
    for creator in creators:
        assert refines[(f"#{creator.get('id')}", "role")] == "aut"
    if sample.edition.metadata.editor:
        editor = sample.opf.find("opf:metadata/dc:contributor", NS)
        assert refines[(f"#{editor.get('id')}", "role")] == "edt"


def test_the_package_names_its_language(book):
    assert book.opf.get("{http://www.w3.org/XML/1998/namespace}lang") == book.edition.metadata.language


def test_stylesheet_is_safe_in_reading_systems_that_drop_or_misread_rules(repo_root):
    """No viewport units (Kobo's RMSDK); no lower-casing small caps where a
    converter drops @supports (Calibre's AZW3); signatures kept on one page."""
    import tinycss2

    css = (repo_root / "styles" / "epub.css").read_text(encoding="utf-8")
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    plain = {tinycss2.serialize(r.prelude).strip(): tinycss2.serialize(r.content)
             for r in rules if r.type == "qualified-rule"}
    assert not re.search(r"\d(vh|vw|vmin|vmax)\b", css)
    assert not any("text-transform" in body and "lowercase" in body for body in plain.values())
    assert "break-inside: avoid" in plain[".signature"] and "page-break-inside: avoid" in plain[".signature"]

"""The register of persons and the index of names: the manifest's `persons`,
occurrences in the model, the EPUB's index and register, the PDF's index
with page numbers, and `edition check`'s hints.

One small project is built once for the module (EPUB and PDF); the sample
edition's EPUB, with its register, is checked by EPUBCheck in test_epub.
"""

from __future__ import annotations

import random
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pypdf
import pytest

import edition
from edition import model as m
from edition.builders import BuildOptions, build_all
from edition.builders.epub import EpubBuilder
from edition.cli import main

from .helpers import diagnostics_of, write_project

REPO = Path(__file__).resolve().parents[1]
STYLES = REPO / "styles"
EPUB_NS = "http://www.idpf.org/2007/ops"
XHTML_NS = "http://www.w3.org/1999/xhtml"

# Four-letter names, which hyphenation leaves whole, so the PDF's text shows them.
WORDS = ("the committee met again and debate went on into night with every speaker answering one before "
         "nobody giving way question regime party workers cells district press meeting resolution vote").split()


def filler(rng: random.Random, sentences: int) -> str:
    """Sentences of common words in an order that does not repeat (each page begins somewhere else)."""
    return "".join(" ".join(rng.choice(WORDS) for _ in range(14)).capitalize() + ". " for _ in range(sentences))


PERSONS = """\
persons:
  - name: Abel, Karl
    forms: [Abel, Karl Abel]
    born: 1880
    died: 1940
    about: A person named on many pages.
  - name: Bode, Ida
    forms: [Bode]
    dates: c. 1890–1950
    about: A person named once in the text and once in a note, author of *Letters*.
  - name: Cato, Otto
    forms: [Cato]
    texts: [texts/two.md]
    about: Named in both texts, indexed only in the second.
  - name: Dorn, Eva
    forms: [Dorn]
    about: Declared but never named.
"""
MANIFEST = """\
edition:
  title: Test Edition
  language: en
  identifier: urn:uuid:00000000-0000-4000-8000-000000000013
  date: 2026-01-01
texts:
  - file: texts/one.md
    headnote: Karl Abel wrote this.
    notes:
      - at: the first page
        note: On [Abel]{.person} see the register; Bode wrote to him.
  - file: texts/two.md
""" + PERSONS


def _one() -> str:
    rng = random.Random(13)
    paragraphs = ["Abel opened on the first page. Abelson and Kabel are other words; Abel’s friend Cato spoke."]
    for number in range(14):
        name = "Abel" if number < 9 else "someone"
        paragraphs.append(f"{filler(rng, 6)}Here {name} spoke.")
        if number == 11:
            paragraphs.append(f"{filler(rng, 2)}Bode answered. Meanwhile Bode’s letter arrived.")
    paragraphs.append("Moreover Abel closed.")
    return "\n\n".join(paragraphs)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("persons")
    return write_project(root, MANIFEST, {"one.md": _one(), "two.md": "Cato and Abel met Bode at last."})


@pytest.fixture(scope="module")
def loaded(project) -> m.Edition:
    return edition.load(project)


@pytest.fixture(scope="module")
def built(loaded, project) -> tuple[Path, Path]:
    """Both formats built together, as `edition build` does: the EPUB carries the PDF's pages."""
    epub_path, pdf_path = build_all(loaded, project.parent / "build", ("epub", "pdf"), BuildOptions(styles_dir=STYLES))
    return epub_path, pdf_path


@pytest.fixture(scope="module")
def epub(built) -> zipfile.ZipFile:
    return zipfile.ZipFile(built[0])


@pytest.fixture(scope="module")
def pdf(built) -> pypdf.PdfReader:
    return pypdf.PdfReader(built[1])


def person(loaded: m.Edition, name: str) -> m.Person:
    return next(p for p in loaded.persons if p.name == name)


# --- the model --------------------------------------------------------------------


def test_occurrences_are_whole_words_in_text_headnote_and_notes(loaded):
    abel = person(loaded, "Abel, Karl")
    words = [o.words for o in abel.occurrences]
    # The headnote's "Karl Abel" is one occurrence (the longer form wins); "Abelson", "Kabel" are not Abel.
    assert words[0] == "Karl Abel"
    assert words.count("Abel") == len(words) - 1
    one = [o for o in abel.occurrences if o.text_id == loaded.texts[0].id]
    assert len([o for o in one if not o.in_note]) == 1 + 2 + 9 + 1  # headnote, "Abel" and "Abel’s" first, 9, last
    assert [o.note_number for o in one if o.in_note] == [1]
    assert len([o for o in abel.occurrences if o.text_id == loaded.texts[1].id]) == 1


def test_every_occurrence_has_a_mark_in_its_place(loaded):
    marks = {}

    def walk(nodes, text_id):
        for node in nodes:
            if isinstance(node, m.IndexMark):
                marks[node.id] = (text_id, node.person_id)
            if isinstance(node, m.CONTAINER_INLINES):
                walk(node.children, text_id)

    from edition.annotate import units_of

    for text in loaded.texts:
        blocks = text.headnote + text.blocks + tuple(b for note in text.notes for b in note.blocks)
        for unit in units_of(blocks):
            walk(unit.inlines, text.id)
            for node_index, node in enumerate(unit.inlines):  # a mark stands right before the name
                if isinstance(node, m.IndexMark):
                    after = m.plain_text(unit.inlines[node_index + 1:])
                    assert re.match(r"(Karl )?Abel|Bode|Cato", after), after[:20]
    expected = {o.mark_id: (o.text_id, p.id) for p in loaded.persons for o in p.occurrences}
    assert marks == expected


def test_a_person_limited_to_texts_is_found_only_there(loaded):
    cato = person(loaded, "Cato, Otto")
    assert {o.text_id for o in cato.occurrences} == {loaded.texts[1].id}


def test_register_is_sorted_and_dates_are_shown(loaded):
    assert [p.name for p in loaded.persons] == ["Abel, Karl", "Bode, Ida", "Cato, Otto", "Dorn, Eva"]
    assert person(loaded, "Abel, Karl").dates == "1880–1940"
    assert person(loaded, "Bode, Ida").dates == "c. 1890–1950"
    assert person(loaded, "Dorn, Eva").occurrences == ()


def test_bad_persons_are_reported_with_their_place(tmp_path):
    manifest = MANIFEST.replace(PERSONS, """\
persons:
  - name: Abel, Karl
    forms: [Abel]
    born: 1880
    dates: 1880–1940
    about: Both kinds of dates.
  - name: Bode, Ida
    forms: [Abel]
    about: Shares a form.
  - name: Cato, Otto
    texts: [texts/three.md]
    about: Limited to a text the edition lacks.
  - name: Dorn, Eva
    form: [Dorn]
""")
    found = diagnostics_of(write_project(tmp_path, manifest, {"one.md": "Abel on the first page.", "two.md": "Cato."}))
    assert found == [
        'manifest.yaml:17:5: give either "dates" or "born"/"died", not both',
        'manifest.yaml:19:5: the form "Abel" names both "Abel, Karl" (line 14) and "Bode, Ida": limit them to '
        'different texts with "texts"',
        'manifest.yaml:22:5: "Cato, Otto" is limited to "texts/three.md", which is not a text of this edition',
        'manifest.yaml:25:5: a person has no "about"',
        'manifest.yaml:26:5: unknown key "form" in a person (did you mean "forms"?)',
    ]


def test_a_note_refers_to_the_register_by_a_form_of_the_name(loaded):
    note = loaded.texts[0].notes[0]
    refs = [node for node in note.blocks[0].children if isinstance(node, m.PersonRef)]
    assert [(ref.person_id, m.plain_text(ref.children)) for ref in refs] == [("person-abel-karl", "Abel")]
    assert "Abel" in [o.words for o in person(loaded, "Abel, Karl").occurrences if o.note_id == note.id]


def test_a_reference_to_no_person_of_the_register_is_reported(tmp_path):
    manifest = MANIFEST.replace("On [Abel]{.person} see", "On [Abell]{.person} and [Cato]{.person} see")
    found = diagnostics_of(write_project(tmp_path / "a", manifest, {"one.md": "Abel on the first page.",
                                                                    "two.md": "Cato."}))
    assert found == [  # Cato is limited to the second text
        'manifest.yaml:11:1: "[Abell]{.person}" names no person of the register (did you mean \'Abel\'?): '
        'the words must be one of a person\'s "forms" (and the person not limited to other texts)',
        'manifest.yaml:11:1: "[Cato]{.person}" names no person of the register: the words must be one of a '
        'person\'s "forms" (and the person not limited to other texts)']
    bare = MANIFEST.replace(PERSONS, "")
    found = diagnostics_of(write_project(tmp_path / "b", bare, {"one.md": "Abel on the first page.", "two.md": "."}))
    assert found == ['manifest.yaml:11:1: "[Abel]{.person}" refers to the register of persons, but no person '
                     'declared in "persons" is named here']


def test_check_hints_at_persons_never_named_and_names_not_declared(tmp_path, capsys):
    manifest = MANIFEST
    body = _one() + ("\n\nAt the end Ivanov came. Then Ivanov left, and Ivanov wrote to Ivanov."
                     "\n\nSo ruled the Presidium, as the Presidium and the Presidium and then the Presidium did."
                     "\n\nPrinted (New York, 1930), again (New York, 1931), (New York) and (New York).")
    path = write_project(tmp_path, manifest, {"one.md": body, "two.md": "Cato met Abel."})
    assert main(["check", "--manifest", str(path)]) == 0
    out = capsys.readouterr().out
    assert 'manifest.yaml:27:5: hint: "Dorn, Eva" is declared in "persons" but never named' in out
    assert 'texts/one.md:' in out and '"Ivanov" is named 4 times but is not declared in "persons"' in out
    assert '"Abel"' not in out and '"Committee"' not in out and '"Here"' not in out
    assert '"Presidium"' not in out  # a body: "the Presidium"
    assert '"York"' not in out  # always "New York": part of a longer name


# --- the EPUB ---------------------------------------------------------------------


def xhtml(epub: zipfile.ZipFile, name: str) -> ElementTree.Element:
    return ElementTree.fromstring(epub.read(f"EPUB/{name}"))


def ids_in(epub: zipfile.ZipFile, name: str) -> set[str]:
    return {e.get("id") for e in xhtml(epub, name).iter() if e.get("id")}


def test_epub_index_links_to_every_occurrence(epub, loaded):
    index = xhtml(epub, "index.xhtml")
    section = next(index.iter(f"{{{XHTML_NS}}}section"))
    assert (section.get(f"{{{EPUB_NS}}}type"), section.get("role")) == ("index", "doc-index")
    entries = [e for e in index.iter() if e.get(f"{{{EPUB_NS}}}type") == "index-entry"]
    terms = ["".join(t.itertext()) for e in entries for t in e.iter()
             if t.get(f"{{{EPUB_NS}}}type") == "index-term"]
    assert terms == ["Abel, Karl", "Bode, Ida", "Cato, Otto"]  # Dorn is never named
    for entry, name in zip(entries, terms):
        hrefs = [a.get("href") for a in entry.iter() if a.get(f"{{{EPUB_NS}}}type") == "index-locator"]
        expected = person(loaded, name).occurrences
        targets = [href.split("#")[1] for href in hrefs]
        assert set(targets) <= {o.mark_id for o in expected}
        # every text and note that names the person is linked (a page or a note once: see below)
        assert {o.text_id for o in expected} == {target.rsplit("-name-", 1)[0] for target in targets}
        assert {o.note_id for o in expected if o.in_note} == {
            o.note_id for o in expected if o.mark_id in targets and o.in_note}
        for href in hrefs:
            file, anchor = href.split("#")
            assert anchor in ids_in(epub, file), href
            target = next(e for e in xhtml(epub, file).iter() if e.get("id") == anchor)
            assert target.get("class") == "index-mark"


def test_epub_register_and_navigation(epub):
    register = xhtml(epub, "persons.xhtml")
    names = ["".join(dt.itertext()) for dt in register.iter(f"{{{XHTML_NS}}}dt")]
    assert names == ["Abel, Karl (1880–1940)", "Bode, Ida (c. 1890–1950)", "Cato, Otto"]
    about = list(register.iter(f"{{{XHTML_NS}}}dd"))[1]
    assert [i.text for i in about.iter(f"{{{XHTML_NS}}}i")] == ["Letters"]  # inline Markdown: titles in italics
    nav = epub.read("EPUB/nav.xhtml").decode()
    assert '<a epub:type="index" href="index.xhtml">' in nav
    assert 'href="persons.xhtml"' in nav
    opf = epub.read("EPUB/content.opf").decode()
    assert re.search(r'<item href="index.xhtml" id="index" media-type="application/xhtml\+xml"/>', opf)
    index = xhtml(epub, "index.xhtml")
    section = next(index.iter(f"{{{XHTML_NS}}}section"))
    assert (section.get(f"{{{EPUB_NS}}}type"), section.get("role")) == ("index", "doc-index")
    assert "EPUB/css/persons.css" in epub.namelist()


def test_epub_note_links_the_name_to_its_register_entry(epub):
    notes = xhtml(epub, "endnotes.xhtml")
    refs = [a for a in notes.iter(f"{{{XHTML_NS}}}a") if a.get("class") == "person-ref"]
    assert [(a.get("href"), "".join(a.itertext())) for a in refs] == [("persons.xhtml#person-abel-karl", "→Abel")]
    sign = next(iter(refs[0]))
    assert (sign.get("aria-hidden"), sign.text) == ("true", "→")  # the arrow is not read out
    # the index's mark holds the name inside the link (no empty element before it)
    assert [span.get("class") for span in refs[0].iter(f"{{{XHTML_NS}}}span")] == ["person-ref-sign", "index-mark"]
    assert "person-abel-karl" in ids_in(epub, "persons.xhtml")
    keys = ["".join(p.itertext()) for p in notes.iter(f"{{{XHTML_NS}}}p") if p.get("class") == "key"]
    assert "A name led by an arrow (→) links to its entry in Persons Named in the Texts." in keys


# --- the PDF ----------------------------------------------------------------------


def collapse(indices: list[int], labels, suffix: str = "") -> list[str]:
    runs: list[list[int]] = []
    for index in sorted(set(indices)):
        if runs and index == runs[-1][-1] + 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return [labels[r[0]] + (f"–{labels[r[-1]]}" if len(r) > 1 else "") + suffix for r in runs]


def test_pdf_index_pages_are_the_pages_where_the_names_are(pdf):
    def page_of(anchor):
        return pdf.get_destination_page_number(pdf.named_destinations[anchor])

    register, notes, index = page_of("persons"), page_of("notes"), page_of("index")
    assert register < notes < index
    labels = pdf.page_labels
    texts = [" ".join(page.extract_text().split()) for page in pdf.pages]
    index_text = " ".join(texts[index:index + 2])
    shown = {}
    for name, form in (("Abel, Karl", "Abel"), ("Bode, Ida", "Bode"), ("Cato, Otto", "Cato")):
        in_text = [i for i in range(register) if re.search(rf"\b{form}\b", texts[i])]
        in_notes = [i for i in range(notes, index) if re.search(rf"\b{form}\b", texts[i])]
        if name == "Cato, Otto":  # limited to the second text
            second = page_of("text-two")
            in_text = [i for i in in_text if i >= second]
        expected = collapse(in_text, labels) + collapse(in_notes, labels, "n")
        locator = r"[0-9ivxlc]+(?:–[0-9ivxlc]+)?n?"
        match = re.search(rf"{re.escape(name)} ({locator}(?:, {locator})*)", index_text)
        assert match, (name, index_text)
        shown[name] = match.group(1).split(", ")
        assert shown[name] == expected, name
    assert len(shown["Abel, Karl"]) < len([1 for t in texts[:register] if "Abel" in t])  # pages collapsed
    assert any("–" in label for label in shown["Abel, Karl"])
    assert any(label.endswith("n") for label in shown["Bode, Ida"])


def test_pdf_note_refers_to_the_register_and_its_page(pdf):
    def page_of(anchor):
        return pdf.get_destination_page_number(pdf.named_destinations[anchor])

    register, notes = page_of("persons"), page_of("notes")
    words = " ".join(pdf.pages[notes].extract_text().split())
    assert f"has an entry in Persons Named in the Texts (p. {pdf.page_labels[register]})." in words
    assert "→Abel see the register" in words
    links = [a.get_object() for a in pdf.pages[notes].get("/Annots", [])]
    targets = {pdf.get_destination_page_number(pdf.named_destinations[str(a["/Dest"])]) if "/Dest" in a
               else None for a in links}
    assert register in targets  # the name links to the register in the PDF too


# --- the print edition's pages in the EPUB ------------------------------------------------


def plain_letters(words: str) -> str:
    """Letters only, lower case: note numbers, spaces, hyphens and quotes do not count."""
    return "".join(c for c in words.casefold() if c.isalpha())


def test_each_page_break_stands_where_that_page_of_the_pdf_begins(epub, pdf):
    labels = pdf.page_labels
    page_text = {labels[i]: plain_letters(page.extract_text()) for i, page in enumerate(pdf.pages)}
    checked = 0
    for name in sorted(n for n in epub.namelist() if n.startswith("EPUB/text-")):
        source = epub.read(name).decode()
        marks = re.finditer(r'<span epub:type="pagebreak" role="doc-pagebreak" id="page-([^"]+)" '
                            r'aria-label="([^"]+)"></span>', source)
        for number, mark in enumerate(marks):
            assert mark.group(1) == mark.group(2)
            # A text's opening page shows its title, byline and source around the headnote: fewer letters.
            following = plain_letters(re.sub(r"<[^>]+>", " ", source[mark.end():mark.end() + 2000]))
            after = following[:15 if number == 0 else 40]
            beginning = page_text[mark.group(1)][:120]  # the running head and a word cut at the break come first
            assert after in beginning, (mark.group(1), after, beginning)
            checked += 1
    assert checked >= 5


def test_page_list_nav_and_ncx_list_every_page_of_the_texts(epub, pdf):
    nav = epub.read("EPUB/nav.xhtml").decode()
    listed = re.findall(r'<li><a href="([^"#]+)#(page-[^"]+)">([^<]+)</a></li>', nav)
    labels = [label for _, _, label in listed]
    first, last = pdf.page_labels.index("1"), pdf.page_labels.index(labels[-1])
    assert labels == pdf.page_labels[first:last + 1]  # blank pages too, listed at the next page
    for href, anchor, _ in listed:
        assert anchor in ids_in(epub, href)
    ncx = epub.read("EPUB/toc.ncx").decode()
    assert len(re.findall(r"<pageTarget ", ncx)) == len(listed)
    assert f'<meta name="dtb:totalPageCount" content="{len(listed)}"/>' in ncx
    opf = epub.read("EPUB/content.opf").decode()
    assert ">printPageNumbers<" in opf and 'property="source-of">pagination<' in opf
    # the print edition, named once as the source of the pages (unprefixed: there is no a11y:pageBreakSource)
    sources = re.findall(r'<meta property="pageBreakSource">([^<]+)</meta>', opf)
    assert sources == ["Test Edition, print edition (PDF) of 2026-01-01"]
    assert f'<dc:source id="print-source">{sources[0]}</dc:source>' in opf


def test_epubcheck_accepts_the_paginated_epub(built):
    from edition.epubcheck import check_file

    assert [str(message) for message in check_file(built[0])] == []


def test_an_epub_built_without_the_pdf_has_no_page_list(loaded, tmp_path):
    path = EpubBuilder().build(loaded, tmp_path, BuildOptions(styles_dir=STYLES))
    with zipfile.ZipFile(path) as book:
        everything = "".join(book.read(n).decode() for n in book.namelist() if n.endswith((".xhtml", ".opf", ".ncx")))
    assert "pagebreak" not in everything and "page-list" not in everything and "pageList" not in everything
    assert "printPageNumbers" not in everything and "pagination" not in everything
    assert "pageBreakSource" not in everything and "print edition" not in everything
    # without pages, the index links to every place in a text by the text's title, then 2, 3 …
    entry = next(e for e in ElementTree.fromstring(zipfile.ZipFile(path).read("EPUB/index.xhtml")).iter()
                 if e.get("id") == "index-person-abel-karl")
    labels = [a.text for a in entry.iter() if a.get(f"{{{EPUB_NS}}}type") == "index-locator"]
    abel = [o for o in person(loaded, "Abel, Karl").occurrences if not o.in_note]
    assert len([label for label in labels if not label.startswith("n.")]) == len(abel)
    assert labels[:3] == ["One", "2", "3"]


def test_the_paginated_epub_index_names_the_pages_of_the_pdf_index(epub, pdf):
    index = xhtml(epub, "index.xhtml")
    entry = next(e for e in index.iter() if e.get("id") == "index-person-abel-karl")
    in_epub = [a.text for a in entry.iter() if a.get(f"{{{EPUB_NS}}}type") == "index-locator"
               and not a.text.startswith("n.")]
    labels = pdf.page_labels
    index_page = pdf.get_destination_page_number(pdf.named_destinations["index"])
    printed = " ".join(pdf.pages[index_page].extract_text().split())
    ranges = re.search(r"Abel, Karl ([0-9–, ]+?)(?:, \d+n|$| [A-Z])", printed).group(1).split(", ")
    in_pdf = []
    for item in ranges:
        first, _, last = item.partition("–")
        in_pdf += labels[labels.index(first):labels.index(last or first) + 1]
    assert in_epub == in_pdf


def test_an_emended_name_that_refers_to_the_register_is_one_link():
    from edition.builders.epub import EpubRenderer

    name = m.PersonRef((m.Emendation("Abell", (m.Str("Abel"),), "c-1"),), "person-abel-karl")
    shown = str(EpubRenderer().inline(name))
    assert shown.count("<a ") == 1 and '<span class="emendation" id="c-1">Abel</span>' in shown  # links do not nest


def test_register_and_index_speak_the_edition_language(tmp_path):
    """A German edition: the register, the index, their keys and the notes' key in German, from the catalogue."""
    from edition.locale import words

    german = words("de")
    root = write_project(tmp_path, MANIFEST.replace("language: en", "language: de"),
                         {"one.md": _one(), "two.md": "Cato and Abel met Bode at last."})
    path = EpubBuilder().build(edition.load(root), tmp_path / "out", BuildOptions(styles_dir=STYLES))
    with zipfile.ZipFile(path) as book:
        register, index, notes = (xhtml(book, name) for name in ("persons.xhtml", "index.xhtml", "endnotes.xhtml"))
        nav = book.read("EPUB/nav.xhtml").decode()

    def text(tree):
        return " ".join("".join(tree.itertext()).split())

    assert german.register in text(register) and german.index_of_names in text(register)
    assert german.index_of_names in text(index) and german.register in text(index)
    assert "Index of Names" not in text(index) and "Persons Named" not in text(index)
    assert "Ein Name mit vorangestelltem Pfeil (→)" in text(notes)
    assert german.register in nav and german.index_of_names in nav and "Index of Names" not in nav
    labels = [a.text for a in index.iter() if a.get(f"{{{EPUB_NS}}}type") == "index-locator"]
    assert any(label.startswith("Anm.\u00a0") for label in labels) and not any(label.startswith("n.") for label in labels)


def test_a_page_that_opens_with_the_apparatus_is_placed_at_the_texts_first_words():
    """A page may open with the end of a source line (set after the headnote
    in print, not part of the texts): its marker goes where the text's words
    on it begin, not to the next page."""
    from edition.builders.pagemap import _find, letters

    stream, _ = letters("An earlier paragraph ends here. What constitutes the basis of the regime in the USSR? "
                        "Let us recount the essential elements.")
    page = "York 1973, p. 44-46”). Copied from a reprint site. What constitutes the basis of the regime in the USSR?"
    assert _find(page, stream, 0) == stream.index("whatconstitutes")
    assert _find("Words that no text of the edition holds at all, not one of them, anywhere.", stream, 0) is None


def test_the_name_finder_finds_what_one_alternation_of_all_forms_finds():
    """The finder goes from word to word with a dict of the forms' first
    words; its occurrences are those of the plain definition, one
    alternation of every form (longest first) tried at every position."""
    from edition.annotate import fold
    from edition.errors import Location
    from edition.persons import _Finder

    where = Location("manifest.yaml", 1, 1)
    names = {"Bukharin, Nikolai Ivanovich": ("Bukharin", "Nikolai Ivanovich", "N. I. Bukharin", "Nikolai"),
             "Ivanov": ("Ivanov", "Ivanov’s brother"), "de Gaulle": ("de Gaulle",), "Abd": ("’Abd", "x_y")}
    persons = tuple(m.Person(id=f"p{n}", name=name, forms=forms, dates="", about=(), location=where)
                    for n, (name, forms) in enumerate(names.items()))
    words = ["Bukharin", "Nikolai", "Ivanovich", "N.", "I.", "Ivanov", "Ivanov’s", "brother", "de", "Gaulle",
             "Gaullist", "’Abd", "x_y", "x_yz", "aBukharin", "Bukharin_", "Bukharin2", "and", "the", ",", "—"]
    rng = random.Random(12)
    passages = ["".join(rng.choice(words) + rng.choice([" ", "  ", "\n", "", ", ", "\u00a0"])
                        for _ in range(rng.randrange(1, 30))) for _ in range(300)]
    for chosen in (persons[:3], persons):  # only forms that begin with a word; and one that does not
        finder = _Finder.for_text(chosen, "texts/a.md")
        forms = {" ".join(fold(f).split()): person for f, person in finder.persons.items()}
        body = "|".join(re.escape(fold(f)).replace(r"\ ", r"\s+") for f in sorted(forms, key=lambda f: (-len(f), f)))
        plain = re.compile(rf"(?<!\w)(?:{body})(?!\w)")
        expected = [[(hit.start(), hit.end(), forms[" ".join(hit.group().split())]) for hit in plain.finditer(fold(p))]
                    for p in passages]
        assert finder.find_all(passages) == expected
        assert sum(map(len, expected)) > 100

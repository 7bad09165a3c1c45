"""The register of persons and the index of names: the manifest's `persons`,
occurrences in the model, the EPUB's index and register, the PDF's index
with page numbers, and `edition check`'s hints.

One small project is built once for the module (EPUB and PDF); the sample
edition's EPUB, with its register, is checked by EPUBCheck in test_epub.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

import pypdf
import pytest

import edition
from edition import model as m
from edition.builders import BuildOptions
from edition.builders.epub import EpubBuilder
from edition.builders.pdf import PdfBuilder
from edition.cli import main

from .helpers import diagnostics_of, write_project

REPO = Path(__file__).resolve().parents[1]
STYLES = REPO / "styles"
EPUB_NS = "http://www.idpf.org/2007/ops"
XHTML_NS = "http://www.w3.org/1999/xhtml"

# Four-letter names, which hyphenation leaves whole, so the PDF's text shows them.
FILLER = ("The committee met again and the debate went on into the night, with every speaker "
          "answering the one before and nobody giving way on the question of the regime. ")
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
    about: A person named once in the text and once in a note.
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
        note: On Abel see the register; Bode wrote to him.
  - file: texts/two.md
""" + PERSONS


def _one() -> str:
    paragraphs = ["Abel opened on the first page. Abelson and Kabel are other words; Abel’s friend Cato spoke."]
    for number in range(14):
        name = "Abel" if number < 9 else "someone"
        paragraphs.append(f"{FILLER * 3}Here {name} spoke.")
        if number == 11:
            paragraphs.append(f"{FILLER}Bode answered. Meanwhile Bode’s letter arrived.")
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
def epub(loaded, project) -> zipfile.ZipFile:
    path = EpubBuilder().build(loaded, project.parent / "build", BuildOptions(styles_dir=STYLES))
    return zipfile.ZipFile(path)


@pytest.fixture(scope="module")
def pdf(loaded, project) -> pypdf.PdfReader:
    path = PdfBuilder().build(loaded, project.parent / "build", BuildOptions(styles_dir=STYLES))
    return pypdf.PdfReader(path)


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


def test_check_hints_at_persons_never_named_and_names_not_declared(tmp_path, capsys):
    manifest = MANIFEST
    body = _one() + "\n\nAt the end Ivanov came. Then Ivanov left, and Ivanov wrote to Ivanov."
    path = write_project(tmp_path, manifest, {"one.md": body, "two.md": "Cato met Abel."})
    assert main(["check", "--manifest", str(path)]) == 0
    out = capsys.readouterr().out
    assert 'manifest.yaml:27:5: hint: "Dorn, Eva" is declared in "persons" but never named' in out
    assert 'texts/one.md:' in out and '"Ivanov" is named 4 times but is not declared in "persons"' in out
    assert '"Abel"' not in out and '"Committee"' not in out and '"Here"' not in out


# --- the EPUB ---------------------------------------------------------------------


def xhtml(epub: zipfile.ZipFile, name: str) -> ElementTree.Element:
    return ElementTree.fromstring(epub.read(f"EPUB/{name}"))


def ids_in(epub: zipfile.ZipFile, name: str) -> set[str]:
    return {e.get("id") for e in xhtml(epub, name).iter() if e.get("id")}


def test_epub_index_links_to_every_occurrence(epub, loaded):
    index = xhtml(epub, "index.xhtml")
    body = index.find(f"{{{XHTML_NS}}}body")
    assert body.get(f"{{{EPUB_NS}}}type") == "index"
    entries = [e for e in index.iter() if e.get(f"{{{EPUB_NS}}}type") == "index-entry"]
    terms = ["".join(t.itertext()) for e in entries for t in e.iter()
             if t.get(f"{{{EPUB_NS}}}type") == "index-term"]
    assert terms == ["Abel, Karl", "Bode, Ida", "Cato, Otto"]  # Dorn is never named
    for entry, name in zip(entries, terms):
        hrefs = [a.get("href") for a in entry.iter() if a.get(f"{{{EPUB_NS}}}type") == "index-locator"]
        expected = person(loaded, name).occurrences
        targets = [href.split("#")[1] for href in hrefs]
        assert set(targets) <= {o.mark_id for o in expected}
        # every occurrence in a text has its own link; a note is linked once
        assert set(targets) >= {o.mark_id for o in expected if not o.in_note}
        for href in hrefs:
            file, anchor = href.split("#")
            assert anchor in ids_in(epub, file), href
            target = next(e for e in xhtml(epub, file).iter() if e.get("id") == anchor)
            assert target.get("class") == "index-mark"


def test_epub_register_and_navigation(epub):
    register = xhtml(epub, "persons.xhtml")
    names = ["".join(dt.itertext()) for dt in register.iter(f"{{{XHTML_NS}}}dt")]
    assert names == ["Abel, Karl (1880–1940)", "Bode, Ida (c. 1890–1950)", "Cato, Otto"]
    nav = epub.read("EPUB/nav.xhtml").decode()
    assert '<a epub:type="index" href="index.xhtml">' in nav
    assert 'href="persons.xhtml"' in nav
    opf = epub.read("EPUB/content.opf").decode()
    assert re.search(r'<item href="index.xhtml" id="index" media-type="application/xhtml\+xml" '
                     r'properties="index"', opf)
    assert "EPUB/css/persons.css" in epub.namelist()


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

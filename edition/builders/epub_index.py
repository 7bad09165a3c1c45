"""The EPUB's register of persons and index of names.

The register (`persons.xhtml`, "Persons named in the texts") lists each
person with life dates and a one-line identification. The index
(`index.xhtml`) follows EPUB Indexes 1.0: `epub:type="index"`, groups by
initial letter, and for each person an `index-entry` whose `index-locator`
links go to every place where they are named. An e-book has no pages, so a
locator names the text (then 2, 3 … for further occurrences in it) or the
note ("n. 4") where the name stands.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from .. import model as m
from .register import RegisterEntry, named, register_entries  # noqa: F401 (the builders take them from here)
from ..annotate import units_of
from ..persons import sort_key

REGISTER = "persons.xhtml"
INDEX = "index.xhtml"
STYLESHEET = "css/persons.css"


@dataclass(frozen=True)
class Locator:
    href: str
    label: str
    lead: str = ""  # words set before the link: "; " or ", n. "


@dataclass(frozen=True)
class IndexEntry:
    id: str
    name: str
    register_href: str
    locators: tuple[Locator, ...]


@dataclass(frozen=True)
class IndexGroup:
    id: str
    letter: str
    entries: tuple[IndexEntry, ...]




def index_groups(edition: m.Edition, text_href, notes_href: str, note_abbr: str = "n.") -> tuple[IndexGroup, ...]:
    """The index's entries, grouped by initial letter. `text_href(text)` is
    the file of a text; `notes_href` the file of the notes. Where the EPUB
    carries the print edition's pages, a text's places are named by page
    (each page once, linked to the first place on it), as the PDF's index has
    them; otherwise by the text's title and then 2, 3 …; a note by
    `note_abbr` and its number ("n. 4")."""
    texts = {text.id: text for text in edition.front + edition.texts}
    pages = mark_pages(edition)
    entries = []
    for person in named(edition):
        locators: list[Locator] = []
        for text_id, occurrences in groupby(person.occurrences, key=lambda o: o.text_id):
            occurrences = list(occurrences)
            text, title = texts[text_id], texts[text_id].meta.title
            in_text = [o for o in occurrences if not o.in_note]
            in_notes = {o.note_number: o for o in reversed(occurrences) if o.in_note}  # the first in each note
            targets: list[tuple[str, m.Occurrence]] = []
            if in_text and all(o.mark_id in pages for o in in_text):
                by_page: dict[str, m.Occurrence] = {}
                for occurrence in in_text:
                    by_page.setdefault(pages[occurrence.mark_id], occurrence)
                targets = list(by_page.items())
                lead = ("; " if locators else "") + title + " "
            else:
                targets = [(title if n == 0 else str(n + 1), o) for n, o in enumerate(in_text)]
                lead = "; " if locators else ""
            for n, (label, occurrence) in enumerate(targets):
                locators.append(Locator(f"{text_href(text)}#{occurrence.mark_id}", label, lead if n == 0 else ", "))
            for n, (number, occurrence) in enumerate(sorted(in_notes.items())):
                if n:
                    note_lead = ", "
                elif in_text:
                    note_lead = ", "
                else:
                    note_lead = ("; " if locators else "") + title + ", "
                locators.append(Locator(f"{notes_href}#{occurrence.mark_id}", f"{note_abbr}\u00a0{number}", note_lead))
        entries.append(IndexEntry(f"index-{person.id}", person.name, f"{REGISTER}#{person.id}", tuple(locators)))
    groups = []
    for letter, members in groupby(entries, key=lambda e: sort_key(e.name)[0][:1].upper()):
        groups.append(IndexGroup(f"index-group-{letter.lower() or 'other'}", letter, tuple(members)))
    return tuple(groups)


def mark_pages(edition: m.Edition) -> dict[str, str]:
    """The print page (folio) of each index mark in the texts, where the
    edition carries the print edition's page breaks; else nothing."""
    found: dict[str, str] = {}
    if not edition.print_pages:
        return found

    def walk(nodes, current):
        for node in nodes:
            if isinstance(node, m.PageBreak):
                current = node.label
            elif isinstance(node, m.IndexMark) and current:
                found[node.id] = current
            elif isinstance(node, m.CONTAINER_INLINES):
                current = walk(node.children, current)
        return current

    for text in edition.front + edition.texts:
        current = ""
        for unit in units_of(text.headnote + text.blocks):
            current = walk(unit.inlines, current)
    return found

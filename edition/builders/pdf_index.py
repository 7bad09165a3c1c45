"""The print edition's register of persons and index of names.

The register ("Persons named in the texts") lists each person with life
dates and a one-line identification. The index gives, for each person, the
pages where they are named: consecutive pages collapsed ("12–14"), pages of
the notes marked "n" ("87n"), each number a link to the first occurrence it
stands for.

Page numbers come from layout. Before the pages are known every occurrence
is a link whose number CSS fills in (`target-counter()`), so even a single
layout pass gives right numbers; `settle_index` then collapses them from the
page map of the pass, which the index cannot disturb: it comes after every
page it names.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .. import model as m
from .register import RegisterEntry, register_entries  # noqa: F401 (pdf.py takes them from here)
from .pdf_labels import Folios

STYLESHEET = "persons-print.css"  # in the project's styles/, else the tool's


@dataclass(frozen=True)
class IndexPages:
    """One locator as printed: "12–14" or "87n", linked to `target`."""

    target: str
    label: str


@dataclass(frozen=True)
class IndexEntry:
    person_id: str
    name: str
    marks: tuple[tuple[str, bool], ...]  # (mark id, in a note) of every occurrence, in reading order
    pages: tuple[IndexPages, ...] = ()  # () until a layout pass has placed the marks



def index_entries(edition: m.Edition) -> tuple[IndexEntry, ...]:
    return tuple(IndexEntry(p.id, p.name, tuple((o.mark_id, o.in_note) for o in p.occurrences))
                 for p in edition.persons if p.occurrences)


def settle_index(entries: tuple[IndexEntry, ...], pages: dict[str, int], folios: Folios,
                 note_mark: str = "n") -> tuple[IndexEntry, ...]:
    """`entries` with their locators collapsed from the page of each mark;
    pages of the notes marked `note_mark` ("90n")."""
    return tuple(replace(entry, pages=collapse(entry.marks, pages, folios, note_mark)) for entry in entries)


def collapse(marks, pages: dict[str, int], folios: Folios, note_mark: str = "n") -> tuple[IndexPages, ...]:
    """Runs of consecutive pages as one locator, text and notes apart:
    pages 3, 4, 5 of the text and 90 of the notes give "3–5, 90n"."""
    first_mark: dict[tuple[int, bool], str] = {}
    for mark, in_note in marks:
        if mark in pages:
            first_mark.setdefault((pages[mark], in_note), mark)
    out: list[IndexPages] = []
    for in_note in (False, True):
        numbers = sorted(page for page, note in first_mark if note == in_note)
        run: list[int] = []
        for page in numbers + [None]:
            if run and (page is None or page != run[-1] + 1 or folios.is_front(page) != folios.is_front(run[0])):
                label = folios.span(run[0], run[-1]) + (note_mark if in_note else "")
                out.append(IndexPages(first_mark[(run[0], in_note)], label))
                run = []
            if page is not None:
                run.append(page)
    out.sort(key=lambda p: pages[p.target])
    return tuple(out)


def index_stylesheet(styles: Path, project: Path) -> Path:
    """The stylesheet of the register and the index: the project's own, if it
    has one inside the project (not a link to a file elsewhere)."""
    from ..project import default_styles_dir

    own = styles / STYLESHEET
    inside = own.is_file() and own.resolve().is_relative_to(project.resolve())
    return own if inside else default_styles_dir() / STYLESHEET

"""The register of persons as both builders show it: one entry per person
the texts name, in the manifest's order of the register."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from .. import model as m


@dataclass(frozen=True)
class RegisterEntry:
    id: str
    name: str
    dates: str
    about: Markup  # rendered by the builder's renderer: titles in italics


def named(edition: m.Edition) -> tuple[m.Person, ...]:
    """The persons of the register that the texts name."""
    return tuple(p for p in edition.persons if p.occurrences)


def register_entries(edition: m.Edition, inlines) -> tuple[RegisterEntry, ...]:
    """The entries, each identification rendered by `inlines` (a renderer's)."""
    return tuple(RegisterEntry(p.id, p.name, p.dates, inlines(p.about)) for p in named(edition))


def refers_to_register(edition: m.Edition) -> bool:
    """Whether a note, headnote or text refers to the register (`PersonRef`):
    then the notes say what the sign before such a name means."""
    from ..annotate import units_of

    def holds(inlines) -> bool:
        return any(isinstance(node, m.PersonRef)
                   or (isinstance(node, m.CONTAINER_INLINES) and holds(node.children)) for node in inlines)

    return any(holds(unit.inlines)
               for text in edition.front + edition.texts
               for blocks in (text.headnote, text.blocks, *(note.blocks for note in text.notes))
               for unit in units_of(blocks))

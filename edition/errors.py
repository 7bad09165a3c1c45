"""Diagnostics and the errors that carry them.

Every problem the tool finds in an edition is a `Diagnostic` with the place it
comes from (`FILE:LINE:COL`). Loading and checking collect all of them and
raise one `EditionError` at the end, so an editor sees every problem at once.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file; `line` and `col` are 1-based."""

    path: str
    line: int = 1
    col: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}"


@dataclass(frozen=True)
class Diagnostic:
    location: Location
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class EditionError(Exception):
    """Base of the tool's errors; `code` is the process exit status."""

    code = 1

    def __init__(self, diagnostics: Iterable[Diagnostic] | str):
        if isinstance(diagnostics, str):
            self.diagnostics: tuple[Diagnostic, ...] = ()
            text = diagnostics
        else:
            self.diagnostics = tuple(sorted(set(diagnostics), key=_diagnostic_order))
            text = "\n".join(str(d) for d in self.diagnostics)
        super().__init__(text)


class InvalidEdition(EditionError):
    """The manifest or the texts have problems; the diagnostics say which."""

    code = 1


class UsageError(EditionError):
    code = 2


class BuildFailed(EditionError):
    """A builder could not write its output (I/O, a missing tool)."""

    code = 3


class ToolMissing(EditionError):
    """A tool the command needs (Java, for EPUBCheck) is missing or would not run."""

    code = 4


def _diagnostic_order(diagnostic: Diagnostic):
    return (diagnostic.location, diagnostic.message)


class Collector:
    """Collects diagnostics while loading; `raise_if_any` ends the stage."""

    def __init__(self) -> None:
        self.diagnostics: list[Diagnostic] = []

    def add(self, location: Location, message: str) -> None:
        self.diagnostics.append(Diagnostic(location, message))

    def extend(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics.extend(diagnostics)

    def __bool__(self) -> bool:
        return bool(self.diagnostics)

    def raise_if_any(self) -> None:
        if self.diagnostics:
            raise InvalidEdition(self.diagnostics)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean "x"?)' for the closest choice, or ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""

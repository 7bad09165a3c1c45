"""The importer's working data: lines, paragraphs, notes and the report of guesses and doubts."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ImportResult:
    markdown: str        # the whole file: front matter + body
    front_matter: dict   # what went into the front matter
    guesses: list[str]   # what it guessed ("title from line 3: …", "heading at line 40: …")
    review: list[str]    # what needs a human look ("no date found", "line 12 may be a heading")
    body_lines: tuple[int, ...] = ()  # the source's lines that went into the body and its notes


@dataclass
class Line:
    no: int       # 1-based line number in the raw text
    text: str     # stripped, inner runs of spaces collapsed
    indent: int   # leading white space (a tab counts 4)
    hint: str = ""  # what the HTML says the line is ("h1", "info", "quote", "note" …); "" for plain text
    italics: tuple[str, ...] = ()  # phrases the HTML sets in italics (<em>, <i>, <cite>), in order


@dataclass
class Para:
    no: int                 # line number of its first line
    text: str
    nlines: int = 1         # how many raw lines were joined
    block: int = 0          # index of the blank-line block it came from
    indented: bool = False  # all its lines indented more than the text's usual
    kind: str = "para"      # para | heading | item | labelled | quote | verse | break
    #                         | dateline | signature (inside a page of letters)
    hint: str = ""          # the HTML's hint for its first line (see html.py)
    italics: tuple[str, ...] = ()  # phrases in italics, in order (from HTML)
    item: tuple | None = None  # (ordinal, delimiter, label kind) for list items


@dataclass
class Notes:
    """The notes sections at the end of a text. A note's number is "1" in the author's series and
    "1*" in a second series (a translator's or an archive editor's notes, marked [1*] or 1*.)."""
    no: int                                   # line of the (first) notes heading
    notes: list[tuple[str, list[str], int]]   # (number, paragraphs, line)
    labels: dict[str, str] = field(default_factory=dict)  # series ("" or "*") -> "Translator’s note."
    lines: set[int] = field(default_factory=set)           # the source lines of the notes
    italics: dict[str, tuple[str, ...]] = field(default_factory=dict)  # number -> phrases in italics (HTML)
    # a third party's text taken out of the body (a reprint site's introduction, the archive's remark
    # after the notes): number -> (its label, where its mark goes: "start" or "end" of the text)
    added: dict[str, tuple[str, str]] = field(default_factory=dict)

    def add(self, paragraphs: list[str], line: int, label: str, place: str,
            italics: tuple[str, ...] = ()) -> str:
        """Adds a note to the second series; returns its number."""
        number = f"{1 + sum(n.endswith('*') for n, _, _ in self.notes)}*"
        self.notes.append((number, paragraphs, line))
        self.added[number] = (label, place)
        if italics:
            self.italics[number] = italics
        self._order_added()
        return self.notes[-1][0] if place == "end" else next(n for n, (_, p) in self.added.items() if p == "start")

    def _order_added(self) -> None:
        """The added notes take their numbers in reading order: those marked at the start first."""
        numbers = sorted(self.added, key=lambda n: int(n[:-1]))
        wanted = sorted(numbers, key=lambda n: (self.added[n][1] == "end", int(n[:-1])))
        rename = dict(zip(wanted, numbers))
        if all(old == new for old, new in rename.items()):
            return
        self.notes = sorted(((rename.get(n, n), paras, line) for n, paras, line in self.notes),
                            key=lambda note: (note[0].endswith("*"), int(note[0].rstrip("*"))))
        self.added = {rename[n]: value for n, value in self.added.items()}
        self.italics = {rename.get(n, n): value for n, value in self.italics.items()}


@dataclass
class Report:
    guesses: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)

    def guess(self, message: str) -> None:
        self.guesses.append(message)

    def check(self, message: str) -> None:
        self.review.append(message)


def short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def lines(first: int, last: int) -> str:
    """"lines 19–21", or "line 4" when both are one (an HTML page may be a single line)."""
    return f"line {first}" if first == last else f"lines {first}–{last}"

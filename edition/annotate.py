"""Resolving an edition: read the texts the manifest lists, apply the
corrections, anchor the editorial notes, number every note, assign ids.

Corrections come first, so a note may quote an emended reading. All problems
of all texts are collected before anything is raised.
"""

from __future__ import annotations

import bisect
import difflib
import re
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

from . import model as m
from .errors import Collector, Location
from .manifest import Manifest, TextEntry
from .reader import parse_inlines, read_source, read_text
from .source import shown as show_invisible

QUOTE_FOLD = (("‘", "'"), ("’", "'"), ("‛", "'"), ("′", "'"), ("“", '"'), ("”", '"'), ("„", '"'), ("″", '"'),
              ("\u00a0", " "))


def fold(text: str) -> str:
    """A same-length form of `text` for matching: curly quotes made straight.
    (A few `str.replace` calls: `str.translate` with a mapping is a hundred
    times slower on non-ASCII text, and every paragraph is folded.)"""
    for curly, straight in QUOTE_FOLD:
        if curly in text:
            text = text.replace(curly, straight)
    return text


def fold_phrase(phrase: str) -> str:
    phrase = re.sub(r"\s+", " ", phrase.strip())
    phrase = phrase.replace("---", "—").replace("--", "–").replace("...", "…")
    return fold(phrase)


# --- where phrases can be found --------------------------------------------


@dataclass(frozen=True)
class Unit:
    """A run of inline content that phrases are matched in (a paragraph, a
    heading); `path` leads to it from the text's blocks."""

    path: tuple
    inlines: tuple
    location: Location

    @cached_property
    def words(self) -> str:
        return m.plain_text(self.inlines)

    @cached_property
    def folded(self) -> str:
        """`words` folded for matching, once per unit however many phrases
        are looked for (same length, so offsets carry over)."""
        return fold(self.words)


def units_of(blocks, reuse=()) -> list[Unit]:
    """The units of `blocks`. A unit of `reuse` whose inline content is
    still the same object is kept, with the folded words it has computed."""
    found: list[Unit] = []
    _collect_units(blocks, (), {(unit.path, id(unit.inlines)): unit for unit in reuse}, found)
    return found


def _collect_units(blocks, path, kept, found) -> None:
    for index, block in enumerate(blocks):
        here = path + (index,)
        if isinstance(block, (m.Paragraph, m.Heading)):
            found.append(kept.get((here, id(block.children))) or Unit(here, block.children, block.location))
        elif isinstance(block, (m.BlockQuote, m.Division, m.ListItem)):
            _collect_units(block.blocks, here, kept, found)
        elif isinstance(block, m.ListBlock):
            _collect_units(block.items, here, kept, found)


def replace_unit(blocks, path, inlines):
    """`blocks` with the inline content at `path` replaced."""
    index, rest = path[0], path[1:]
    block = blocks[index]
    if not rest:
        new = replace(block, children=inlines)
    elif isinstance(block, m.ListBlock):
        new = replace(block, items=replace_unit(block.items, rest, inlines))
    else:
        new = replace(block, blocks=replace_unit(block.blocks, rest, inlines))
    return blocks[:index] + (new,) + blocks[index + 1 :]


def replace_units(blocks, changes: dict) -> tuple:
    """`blocks` with the inline content at each path of `changes` replaced,
    in one walk (replacing them one by one would copy the blocks each time)."""
    if not changes:
        return blocks
    by_index: dict = {}
    for path, inlines in changes.items():
        by_index.setdefault(path[0], {})[path[1:]] = inlines
    out = list(blocks)
    for index, inner in by_index.items():
        block = blocks[index]
        if () in inner:
            out[index] = replace(block, children=inner[()])
        elif isinstance(block, m.ListBlock):
            out[index] = replace(block, items=replace_units(block.items, inner))
        else:
            out[index] = replace(block, blocks=replace_units(block.blocks, inner))
    return tuple(out)


@dataclass(frozen=True)
class Match:
    unit: Unit
    start: int
    end: int


class Haystack:
    """The folded words of many units joined into one string (a separator
    that no phrase holds between them), so that a phrase is looked for with
    one `str.find` over the whole text; `starts` maps an offset back to its
    unit and the offset within it."""

    SEPARATOR = "\x00"

    def __init__(self, units: list[Unit]):
        self.units = units
        self.starts: list[int] = []
        offset = 0
        for unit in units:
            self.starts.append(offset)
            offset += len(unit.folded) + 1
        self.text = self.SEPARATOR.join(unit.folded for unit in units)

    def find(self, phrase: str) -> list[Match]:
        needle = fold_phrase(phrase)
        matches: list[Match] = []
        if not needle or self.SEPARATOR in needle:
            return matches
        at = self.text.find(needle)
        while at >= 0:
            index = bisect.bisect_right(self.starts, at) - 1
            start = at - self.starts[index]
            matches.append(Match(self.units[index], start, start + len(needle)))
            at = self.text.find(needle, at + 1)
        return matches


def find_phrase(units: list[Unit], phrase: str) -> list[Match]:
    """Every place of `phrase` in `units`, in reading order (quotes and
    runs of white space folded)."""
    return Haystack(units).find(phrase)


def nearest_passages(units: list[Unit], phrase: str, limit: int = 2) -> list[tuple[str, Location]]:
    """The passages of the text most like `phrase`, best first."""
    needle = fold_phrase(phrase)
    size = max(1, len(needle.split()))
    scored = []
    for unit in units:
        words = unit.words.split()
        for i in range(0, max(1, len(words) - size + 1)):
            window = " ".join(words[i : i + size])
            matcher = difflib.SequenceMatcher(None, needle.lower(), fold(window).lower(), autojunk=False)
            if matcher.real_quick_ratio() < 0.5 or matcher.quick_ratio() < 0.5:
                continue
            scored.append((matcher.ratio(), window, unit.location))
    scored.sort(key=lambda s: (-s[0], s[2].line))
    seen, best = set(), []
    for ratio, window, where in scored:
        if ratio < 0.6 or window in seen:
            continue
        seen.add(window)
        best.append((window, where))
        if len(best) == limit:
            break
    return best


def _pick(matches: list[Match], occurrence: int, what: str, phrase: str, text: m.Text, units,
          where: Location, problems: Collector) -> Match | None:
    quoted = f'"{show_invisible(phrase)}"'  # invisible characters written out: \u200d
    if not matches:
        hint = "; ".join(f'"{show_invisible(w)}" (line {loc.line})' for w, loc in nearest_passages(units, phrase))
        problems.add(where, f"{what} {quoted} is not in {text.path}" + (f"; did you mean {hint}?" if hint else ""))
        return None
    if occurrence:
        if occurrence > len(matches):
            problems.add(where, f"{what} {quoted} occurs {len(matches)} time(s) in {text.path}, "
                         f"so there is no occurrence {occurrence}")
            return None
        return matches[occurrence - 1]
    if len(matches) > 1:
        lines = ", ".join(str(match.unit.location.line) for match in matches)
        problems.add(where, f"{what} {quoted} occurs {len(matches)} times in {text.path} (lines {lines}); "
                     "add \"occurrence: N\" or quote a longer phrase")
        return None
    return matches[0]


# --- changing inline content at a place in its words ------------------------


def insert_at(inlines, position: int, node) -> tuple:
    """`node` inserted after `position` characters of words. At a boundary it
    goes at the outermost level, after any note marks already there."""
    offset = 0
    for index, child in enumerate(inlines):
        length = len(m.plain_text((child,)))
        if offset < position < offset + length:
            cut = position - offset
            if isinstance(child, m.Str):
                new = (m.Str(child.text[:cut]), node, m.Str(child.text[cut:]))
            else:
                new = (replace(child, children=insert_at(child.children, cut, node)),)
            return inlines[:index] + new + inlines[index + 1 :]
        offset += length
        if length and offset == position:
            after = index + 1
            while after < len(inlines) and isinstance(inlines[after], m.NoteRef):
                after += 1
            return inlines[:after] + (node,) + inlines[after:]
    return tuple(inlines) + (node,)


class CannotWrap(Exception):
    """The range crosses a change of style, or holds a note mark."""


def wrap_range(inlines, start: int, end: int, make) -> tuple:
    """The words [start, end) replaced by `make(the inlines they were)`."""
    before, middle, after, offset = [], [], [], 0
    for index, child in enumerate(inlines):
        length = len(m.plain_text((child,)))
        child_start, child_end = offset, offset + length
        offset = child_end
        if not length:  # a note mark
            if child_start <= start:
                before.append(child)
            elif child_start >= end:
                after.append(child)
            else:
                raise CannotWrap()
        elif child_end <= start:
            before.append(child)
        elif child_start >= end:
            after.append(child)
        elif start <= child_start and child_end <= end:
            middle.append(child)
        elif isinstance(child, m.Str):
            a, b = max(start, child_start) - child_start, min(end, child_end) - child_start
            if child.text[:a]:
                before.append(m.Str(child.text[:a]))
            middle.append(m.Str(child.text[a:b]))
            if child.text[b:]:
                after.append(m.Str(child.text[b:]))
        elif child_start <= start and end <= child_end:  # the range lies inside this container
            inner = wrap_range(child.children, start - child_start, end - child_start, make)
            return tuple(before) + (replace(child, children=inner),) + tuple(inlines[index + 1 :])
        else:
            raise CannotWrap()
    return tuple(before) + (make(tuple(middle)),) + tuple(after)


# --- resolving --------------------------------------------------------------


def resolve(manifest: Manifest, problems: Collector, cache=None) -> m.Edition | None:
    """The fully resolved Edition, or None after reporting every problem.
    With a `cache.TextCache` that keeps whole texts, a text whose file, entry
    in the manifest and register of persons are as before (and the program,
    and the edition's language) is taken resolved from it."""
    from .persons import index_text, register  # it matches with this module's helpers

    language = manifest.metadata.language
    whole = cache is not None and cache.whole_texts
    if whole:
        from .cache import digest, forget_keys, whole_program

        forget_keys()
        # What of the register a text's resolution uses: each person's id, forms and texts (not their
        # place in the manifest, which a longer entry above moves, nor their words in the register).
        named = tuple((person.id, person.forms, person.texts) for person in manifest.persons)
        context = digest(whole_program(), language, repr(named))
    resolved: dict[int, tuple[m.Text, dict]] = {}  # by the text's identity: indexed, and its occurrences
    keys: dict[int, str] = {}  # by the text's identity: the key of its entry in the cache
    todo: list[tuple[m.Text, str | None]] = []  # resolved here, to be indexed once every text is sound

    def texts_of(entries):
        out = []
        for entry in entries:
            key = source = None
            if whole:
                source = read_source(manifest.root, entry.file, problems)
                if source is None:
                    continue
                key = digest(context, entry.file, source, repr(entry))
                found = cache.get_whole("text", key)
                if isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], m.Text):
                    resolved[id(found[0])] = found
                    keys[id(found[0])] = key
                    out.append(found[0])
                    continue
            text = _resolve_text(entry, manifest.root, language, problems, cache, source)
            if text:
                todo.append((text, key))
                if key is not None:
                    keys[id(text)] = key
                out.append(text)
        return tuple(out)

    front = texts_of(manifest.front)
    parts = []
    for number, part in enumerate(manifest.parts, start=1):
        parts.append((part.title, texts_of(part.texts), f"part-{number}" if part.title else ""))
    if problems:
        return None
    for text, key in todo:
        before = len(problems.diagnostics)
        indexed, occurrences = index_text(text, manifest.persons, problems)
        resolved[id(text)] = (indexed, occurrences)
        if key is not None and len(problems.diagnostics) == before:
            cache.put_whole("text", key, (indexed, occurrences))
    if problems:
        return None
    if whole:  # a builder handed these very texts may reuse what it rendered from them
        from .cache import remember

        for identity, key in keys.items():
            remember(resolved[identity][0], key)

    def final(texts):
        return tuple(resolved[id(text)][0] for text in texts)

    edition = m.Edition(root=str(manifest.root), metadata=manifest.metadata, front=final(front),
                        parts=tuple(m.Part(title, final(texts), part_id) for title, texts, part_id in parts),
                        versions=manifest.versions)
    if manifest.persons:
        occurrences = [resolved[id(text)][1] for text in front + tuple(t for _, ts, _ in parts for t in ts)]
        edition = replace(edition, persons=register(manifest.persons, occurrences))
    return edition


def _resolve_text(entry: TextEntry, root: Path, language: str, problems: Collector, cache,
                  source: str | None = None) -> m.Text | None:
    text = read_text(root, entry.file, problems, default_language=language, cache=cache, source=source)
    if text is None:  # reported (a missing file at the manifest's line that names it)
        return None
    before = len(problems.diagnostics)
    notes_by_label = {f"own:{n}": note for n, note in enumerate(text.notes)}
    blocks = _label_own_refs(text.blocks)
    blocks, corrections = _apply_corrections(text, blocks, entry.corrections, problems)
    blocks, editorial = _anchor_notes(text, blocks, entry.notes, problems)
    if len(problems.diagnostics) > before:
        return None
    notes_by_label.update(editorial)
    blocks, notes = _number_notes(text.id, blocks, notes_by_label)
    return replace(text, blocks=blocks, notes=notes, corrections=corrections, headnote=entry.headnote)


def _label_own_refs(blocks):
    """Give the text's own note marks the labels `own:0`, `own:1` … in reading order."""
    counter = iter(range(10**9))

    def relabel(inlines):
        out = []
        for node in inlines:
            if isinstance(node, m.NoteRef):
                out.append(replace(node, label=f"own:{next(counter)}"))
            elif isinstance(node, m.CONTAINER_INLINES):
                out.append(replace(node, children=relabel(node.children)))
            else:
                out.append(node)
        return tuple(out)

    return replace_units(blocks, {unit.path: relabel(unit.inlines) for unit in units_of(blocks)})


def _apply_corrections(text: m.Text, blocks, corrections, problems: Collector):
    done = []
    units: list[Unit] = []
    for number, correction in enumerate(corrections, start=1):
        units = units_of(blocks, reuse=units)
        matches = find_phrase(units, correction.find)
        match = _pick(matches, correction.occurrence, "the reading", correction.find, text, units,
                      correction.location, problems)
        if match is None:
            continue
        correction_id = f"{text.id}-emendation-{number}"
        shown = parse_inlines(correction.replace, correction.location, problems)
        original = match.unit.words[match.start : match.end]
        try:
            inlines = wrap_range(match.unit.inlines, match.start, match.end,
                                 lambda _old: m.Emendation(original, shown, correction_id))
        except CannotWrap:
            problems.add(correction.location, f'the reading "{correction.find}" crosses a change of style '
                         "(italics, small caps …) or a note mark in the text: correct each part separately")
            continue
        blocks = replace_unit(blocks, match.unit.path, inlines)
        done.append(replace(correction, id=correction_id, text_location=match.unit.location,
                            context=_context(match)))
    return blocks, tuple(done)


def _context(match: Match, width: int = 30) -> str:
    words = match.unit.words
    start = max(0, match.start - width)
    start = words.find(" ", start) + 1 if start > 0 else 0
    end = min(len(words), match.end + width)
    end = words.rfind(" ", 0, end) if end < len(words) else end
    if end <= match.end:
        end = match.end
    return ("…" if start > 0 else "") + words[start:end].strip() + ("…" if end < len(words) else "")


# After a phrase, a note mark passes the rest of its word, a possessive, and
# the closing punctuation and quotes that follow ("Ivanovich:" -> "Ivanovich:¹",
# "Shlichter’s" -> "Shlichter’s¹", "Politburo.”" -> "Politburo.”¹"). It stays
# before a dash and inside a closing bracket (the phrase is the bracket's).
REST_OF_WORD = re.compile(r"\w*(?:['’]s\b)?")
CLOSING = re.compile(r"[.,;:!?…’”'\"»›]*")


def mark_position(words: str, end: int) -> int:
    """Where the mark of a note whose phrase ends at `end` of `words` goes."""
    if end and (words[end - 1].isalnum()):
        end = REST_OF_WORD.match(words, end).end()
    return CLOSING.match(words, end).end()


def _anchor_notes(text: m.Text, blocks, notes, problems: Collector):
    placed = []
    units = units_of(blocks)
    haystack = Haystack(units)
    for index, note in enumerate(notes):
        matches = haystack.find(note.at)
        match = _pick(matches, note.occurrence, "the note's phrase", note.at, text, units, note.location, problems)
        if match is not None:
            placed.append((match, index, note))
    editorial = {}
    placed = [(mark_position(match.unit.words, match.end), match, index, note) for match, index, note in placed]
    # Note marks have no length, so inserting one leaves every other offset valid.
    placed.sort(key=lambda p: (p[1].unit.path, p[0], p[2]))
    current = {unit.path: unit.inlines for unit in units}
    units_by_path = dict(current)
    for position, match, index, note in placed:
        label = f"editorial:{index}"
        current[match.unit.path] = insert_at(current[match.unit.path], position, m.NoteRef(label=label))
        editorial[label] = m.Note(kind=m.NoteKind.EDITORIAL, blocks=note.blocks, location=note.location)
    changed = {path: inlines for path, inlines in current.items() if inlines is not units_by_path[path]}
    return replace_units(blocks, changed), editorial


def _number_notes(text_id: str, blocks, notes_by_label):
    ordered = []

    def number(inlines):
        out = []
        for node in inlines:
            if isinstance(node, m.NoteRef):
                n = len(ordered) + 1
                note = replace(notes_by_label[node.label], number=n, id=f"{text_id}-note-{n}",
                               ref_id=f"{text_id}-noteref-{n}")
                ordered.append(note)
                out.append(replace(node, number=n, note_id=note.id, ref_id=note.ref_id))
            elif isinstance(node, m.CONTAINER_INLINES):
                out.append(replace(node, children=number(node.children)))
            else:
                out.append(node)
        return tuple(out)

    return replace_units(blocks, {unit.path: number(unit.inlines) for unit in units_of(blocks)}), tuple(ordered)

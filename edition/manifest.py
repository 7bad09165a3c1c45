"""Reading `manifest.yaml`: the edition's metadata, its versions, and the
texts in reading order with their headnotes, notes and corrections.

This stage checks the manifest's shape and collects every problem; anchoring
notes and corrections in the texts is `annotate`'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from . import model as m
from .confine import Outside, inside
from .errors import Collector, Location, did_you_mean
from .ids import slugify
from .reader import LANGUAGE_TAG, parse_blocks
from .schema import Field, check_mapping
from .source import (SourceUnreadable, YamlList, YamlMap, calendar_problem, parse_manifest_yaml,
                     read_text_file)

TOP_FIELDS = {
    "edition": Field(dict, required=True),
    "versions": Field(list),
    "front": Field(list),
    "texts": Field(list),
    "parts": Field(list),
    "persons": Field(list),  # the register of persons: see persons.py
}
EDITION_FIELDS = {
    "title": Field(str, required=True),
    "subtitle": Field(str),
    "editor": Field(str),
    "publisher": Field(str),
    "language": Field(str, required=True),
    "identifier": Field(str, required=True),
    "date": Field(str, required=True),
    "rights": Field(str),
    "licence": Field(str),
    "description": Field(str),
    "version": Field(str),
    "slug": Field(str),
    "trim": Field(str),
    "cover": Field(str),
    "bleed": Field(bool),
    "tagged_pdf": Field(bool),
    "keywords": Field(list),
    "hyphenation": Field(list),
    "signature": Field(int),
}
VERSION_FIELDS = {"version": Field(str, required=True), "date": Field(str, required=True),
                  "changes": Field(str, required=True)}
PART_FIELDS = {"title": Field(str, required=True), "texts": Field(list, required=True)}
TEXT_FIELDS = {"file": Field(str, required=True), "headnote": Field(str), "notes": Field(list),
               "corrections": Field(list)}
FRONT_FIELDS = {"file": Field(str, required=True)}
NOTE_FIELDS = {"at": Field(str, required=True), "note": Field(str, required=True),
               "occurrence": Field(int, positive=True)}
CORRECTION_FIELDS = {"find": Field(str, required=True), "replace": Field(str, required=True),
                     "reason": Field(str), "occurrence": Field(int, positive=True)}
FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SIGNATURES = (2, 4, 8, 16, 32)
WORD_BREAKS = re.compile(r"^[^\W\d_]+(?:-[^\W\d_]+)*$")


@dataclass(frozen=True)
class TextEntry:
    file: str
    location: Location
    headnote: tuple[m.Block, ...] = ()
    notes: tuple[m.EditorialNote, ...] = ()
    corrections: tuple[m.Correction, ...] = ()


@dataclass(frozen=True)
class PartEntry:
    title: str
    texts: tuple[TextEntry, ...]


@dataclass(frozen=True)
class Manifest:
    path: str  # as shown in messages
    root: Path  # the project folder
    metadata: m.Metadata
    versions: tuple[m.Version, ...]
    front: tuple[TextEntry, ...]
    parts: tuple[PartEntry, ...]
    persons: tuple[m.Person, ...] = ()


def load_manifest(manifest_path: Path, problems: Collector, shown_as: str = "", memo: dict | None = None
                  ) -> Manifest | None:
    """The manifest read and checked, or None (reported). `memo` (a watcher's)
    keeps the YAML of its texts' entries between builds: see `parse_manifest_yaml`."""
    shown = shown_as or str(manifest_path)
    try:
        source = read_text_file(manifest_path, shown)
    except SourceUnreadable as error:
        problems.add(error.location, error.message)
        return None
    before = len(problems.diagnostics)
    data = parse_manifest_yaml(source, shown, problems, memo)
    if data is None and len(problems.diagnostics) > before:
        return None  # the YAML itself is broken: reported
    top = check_mapping(data, TOP_FIELDS, Location(shown, 1, 1), "the manifest", problems)
    if top is None:
        return None
    reader = _ManifestReader(shown, manifest_path.parent, problems)
    versions = reader.versions(data)
    metadata = reader.metadata(data, versions)
    front = reader.front(data)
    parts = reader.parts(data)
    from .persons import read_persons  # persons.py matches with annotate's helpers, which import this module

    persons = read_persons(data, problems, files=reader.files_seen)
    if metadata is None:  # reported; the texts are still read, so that every problem is listed at once
        metadata = m.Metadata(title="", language="", identifier="", date="")
    return Manifest(shown, manifest_path.parent, metadata, versions, front, parts, persons)


class _ManifestReader:
    def __init__(self, path: str, root: Path, problems: Collector):
        self.path = path
        self.root = root
        self.problems = problems
        self.files_seen: dict[str, Location] = {}

    def metadata(self, data: YamlMap, versions) -> m.Metadata | None:
        if "edition" not in data:
            return None
        block = data["edition"]
        if block is None:
            return None  # reported: "edition" is empty
        values = check_mapping(block, EDITION_FIELDS, data.key_location["edition"], '"edition"', self.problems)
        if values is None or not {"title", "language", "identifier", "date"} <= values.keys():
            return None
        where = block.value_location
        for key in ("date",):
            if not FULL_DATE.match(values[key]):
                self.problems.add(where[key], f'"{key}" must be a date written YYYY-MM-DD, not "{values[key]}"')
            elif calendar_problem(values[key]):
                self.problems.add(where[key], calendar_problem(values[key]))
        if not LANGUAGE_TAG.match(values["language"]):
            self.problems.add(where["language"], f'"{values["language"]}" is not a language tag such as "en"')
        trim = values.get("trim", "a5").lower()
        if trim not in m.TrimSize.SIZES:
            self.problems.add(where["trim"], f'unknown trim size "{trim}"{did_you_mean(trim, m.TrimSize.SIZES)}; '
                              f'known: {", ".join(m.TrimSize.SIZES)}')
            trim = "a5"
        keywords = tuple(str(k) for k in values.get("keywords", ()))
        hyphenation = self.hyphenation(values.get("hyphenation", ()))
        signature = values.get("signature", 2)
        if signature not in SIGNATURES:
            self.problems.add(where["signature"], f'"signature" is the number of pages the printer folds '
                              f'together: one of {", ".join(map(str, SIGNATURES))}, not {signature}')
            signature = 2
        version = values.get("version", "")
        modified = values["date"]
        if versions:
            newest = versions[-1]
            if version and version != newest.number:
                self.problems.add(where["version"], f'"version" is {version} but the newest entry of "versions" is '
                                  f'{newest.number}; add a "versions" entry for it')
            version = version or newest.number
            modified = newest.date
        if values.get("cover"):
            problem = project_file_problem(self.root, values["cover"], "the cover") or \
                _image_problem(self.root / values["cover"])
            if problem:
                self.problems.add(where["cover"], problem)
        rights = values.get("rights", "")
        if values.get("licence"):
            rights = f"{rights} {values['licence']}".strip()
        slug = values.get("slug") or slugify(values["title"])
        if slugify(slug) != slug:
            self.problems.add(where["slug"], f'"slug" names the output files: use lower-case letters, digits and '
                              f'hyphens, e.g. "{slugify(slug)}"')
        return m.Metadata(
            title=values["title"], subtitle=values.get("subtitle", ""), editor=values.get("editor", ""),
            publisher=values.get("publisher", ""), language=values["language"],
            identifier=values["identifier"], date=values["date"], rights=rights,
            description=values.get("description", ""), version=version, modified=modified, slug=slug,
            trim=trim, cover=values.get("cover", ""), bleed=values.get("bleed", False),
            tagged_pdf=values.get("tagged_pdf", False), keywords=keywords, hyphenation=hyphenation,
            signature=signature,
        )

    def hyphenation(self, words) -> tuple[str, ...]:
        """The word-break exceptions: words of letters, hyphens where a break is allowed."""
        kept = []
        for index, word in enumerate(words):
            if not isinstance(word, str) or not WORD_BREAKS.match(word):
                self.problems.add(words.item_location[index], '"hyphenation" lists words with hyphens where they '
                                  f'may break, such as "pro-le-tar-i-at", not "{word}"')
                continue
            kept.append(word)
        return tuple(kept)

    def versions(self, data: YamlMap) -> tuple[m.Version, ...]:
        result = []
        for item, where in _items(data, "versions"):
            values = check_mapping(item, VERSION_FIELDS, where, "a version", self.problems)
            if values is None or len(values) < 3:
                continue
            if not FULL_DATE.match(values["date"]):
                self.problems.add(item.value_location["date"], f'a version\'s "date" must be YYYY-MM-DD, not "{values["date"]}"')
                continue
            if calendar_problem(values["date"]):
                self.problems.add(item.value_location["date"], calendar_problem(values["date"]))
                continue
            if result and values["date"] < result[-1].date:
                self.problems.add(item.value_location["date"], "versions are listed oldest first; this one is older "
                                  "than the one before it")
            result.append(m.Version(values["version"], values["date"], values["changes"].strip()))
        return tuple(result)

    def front(self, data: YamlMap) -> tuple[TextEntry, ...]:
        result = []
        for item, where in _items(data, "front"):
            values = check_mapping(item, FRONT_FIELDS, where, "a front-matter entry", self.problems)
            file = self._file(values["file"], item.value_location["file"]) if values and "file" in values else None
            if file:
                result.append(TextEntry(file, where))
        return tuple(result)

    def parts(self, data: YamlMap) -> tuple[PartEntry, ...]:
        if "texts" in data and "parts" in data:
            self.problems.add(data.key_location["parts"], 'the manifest has both "texts" and "parts": '
                              'put the texts inside the parts')
        if "parts" in data:
            parts = []
            for item, where in _items(data, "parts"):
                values = check_mapping(item, PART_FIELDS, where, "a part", self.problems)
                if values and "title" in values and "texts" in values:
                    parts.append(PartEntry(values["title"], self._texts(item, "texts")))
            return tuple(parts)
        if "texts" not in data:
            self.problems.add(Location(self.path, 1, 1), 'the manifest lists no texts: add "texts:" (or "parts:")')
            return ()
        return (PartEntry("", self._texts(data, "texts")),)

    def _texts(self, container: YamlMap, key: str) -> tuple[TextEntry, ...]:
        result = []
        for item, where in _items(container, key):
            values = check_mapping(item, TEXT_FIELDS, where, "a text entry", self.problems)
            if not values or "file" not in values:
                continue
            headnote = ()
            if "headnote" in values:
                headnote = self._markdown(values["headnote"], item.value_location["headnote"])
            notes = tuple(self._note(n, w) for n, w in _items(item, "notes"))
            corrections = tuple(self._correction(c, w) for c, w in _items(item, "corrections"))
            file = self._file(values["file"], item.value_location["file"])
            if file:
                result.append(TextEntry(file, where, headnote, tuple(n for n in notes if n),
                                        tuple(c for c in corrections if c)))
        if not result and key in container and isinstance(container[key], YamlList) and not container[key]:
            self.problems.add(container.value_location[key], f'"{key}" is empty')
        return tuple(result)

    def _note(self, item, where) -> m.EditorialNote | None:
        values = check_mapping(item, NOTE_FIELDS, where, "a note", self.problems)
        if not values or "at" not in values or "note" not in values:
            return None
        blocks = self._markdown(values["note"], item.value_location["note"])
        return m.EditorialNote(at=values["at"], blocks=blocks, location=where,
                               occurrence=values.get("occurrence", 0))

    def _correction(self, item, where) -> m.Correction | None:
        values = check_mapping(item, CORRECTION_FIELDS, where, "a correction", self.problems)
        if not values or "find" not in values or "replace" not in values:
            return None
        if values["find"] == values["replace"]:
            self.problems.add(item.value_location["replace"], '"replace" is the same as "find"')
        return m.Correction(find=values["find"], replace=values["replace"], reason=values.get("reason", "").strip(),
                            location=where, occurrence=values.get("occurrence", 0))

    def _markdown(self, text: str, where: Location) -> tuple[m.Block, ...]:
        # Line numbers inside a YAML block scalar start on the line after its indicator.
        return parse_blocks(text.strip(), self.path, where.line - 1, self.problems)

    def _file(self, file: str, where: Location) -> str | None:
        """The text's path as written (normalised), or None when it is
        outside the project or missing (reported here, once)."""
        normal = Path(file).as_posix()
        if normal in self.files_seen:
            self.problems.add(where, f'"{file}" is listed twice (first at line {self.files_seen[normal].line})')
            return None
        self.files_seen.setdefault(normal, where)
        problem = project_file_problem(self.root, file, "the text")
        if problem:
            self.problems.add(where, problem)
            return None
        return normal


def project_file_problem(root: Path, file: str, what: str) -> str:
    """Why `file` cannot be used (outside the project, missing, a folder), or ''."""
    try:
        target = inside(root, file)
    except Outside as refused:
        return f"{what} {refused}"
    if target.is_dir():
        return f'{what} "{file}" is a folder, not a file'
    if not target.is_file():
        folder = target.parent
        names = sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []
        near = did_you_mean(Path(file).name, names)
        if near:
            near = near.replace('"', f'"{Path(file).parent.as_posix()}/', 1) if Path(file).parent.name else near
        return f'{what} "{file}" does not exist{near}'
    return ""


IMAGE_SIGNATURES = {".jpg": b"\xff\xd8\xff", ".jpeg": b"\xff\xd8\xff", ".png": b"\x89PNG\r\n\x1a\n"}


def _image_problem(path: Path) -> str:
    """Why the cover at `path` cannot go into a book (not a JPEG or PNG), or ''."""
    signature = IMAGE_SIGNATURES.get(path.suffix.lower())
    if signature is None:
        return f'the cover "{path.name}" must be a JPEG (.jpg) or PNG (.png) image'
    try:
        with path.open("rb") as image:
            head = image.read(len(signature))
    except OSError as error:
        return f'cannot read the cover "{path.name}": {error.strerror or error}'
    if head != signature:
        kind = path.suffix.lower().lstrip(".").upper()
        return f'the cover "{path.name}" is not a {kind} image (its first bytes say otherwise)'
    return ""


def _items(container: YamlMap, key: str):
    """(item, location) for each item of the list `container[key]`, if any."""
    if not isinstance(container, YamlMap) or key not in container:
        return
    items = container[key]
    if not isinstance(items, YamlList):
        return  # check_mapping has reported the wrong type
    for item, where in zip(items, items.item_location):
        yield item, where

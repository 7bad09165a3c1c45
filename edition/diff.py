"""`edition diff OLD NEW`: what changed between two builds of an edition.

OLD and NEW are built EPUBs, or git revisions of the edition's project. Each
is reduced to a snapshot — metadata and, text by text, its paragraphs and
notes as plain words — and the snapshots are compared paragraph by
paragraph, then word by word, so an editor sees exactly what a correction
changed before publishing.
"""

from __future__ import annotations

import difflib
import re
import subprocess
import tarfile
import tempfile
import zipfile
from io import BytesIO
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from . import model as m
from .errors import Diagnostic, Location, UsageError

Snapshot = dict[str, list[str]]  # section title -> paragraphs, in order

BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "td", "th", "figcaption"}
XHTML = "{http://www.w3.org/1999/xhtml}"
OPF = "{http://www.idpf.org/2007/opf}"
CONTEXT_WORDS = 6


# --- snapshots --------------------------------------------------------------


def snapshot_of_edition(edition: m.Edition) -> Snapshot:
    meta = edition.metadata
    snapshot: Snapshot = {"Metadata": [
        f"title: {meta.title}", f"subtitle: {meta.subtitle}", f"editor: {meta.editor}",
        f"identifier: {meta.identifier}", f"version: {meta.version}", f"date: {meta.modified}",
        f"rights: {meta.rights}", f"description: {meta.description}",
    ]}
    for text in edition.front + edition.texts:
        info = [f"{', '.join(text.meta.authors)} · {text.meta.date_shown} · {text.meta.source}"]
        snapshot[text.meta.title] = info + [_words(b) for b in _leaf_blocks(text.headnote + text.blocks)]
        notes = []
        for note in text.notes:
            mark = " [editorial]" if note.kind == m.NoteKind.EDITORIAL else ""
            notes.append(f"{note.number}.{mark} " + " ".join(_words(b) for b in _leaf_blocks(note.blocks)))
        if notes:
            snapshot[f"Notes to {text.meta.title}"] = notes
    if edition.corrections:
        snapshot["Emendations"] = [f"{text.meta.title}: {c.find} → {c.replace}" + (f" ({c.reason})" if c.reason else "")
                                   for text, c in edition.corrections]
    return snapshot


def _leaf_blocks(blocks):
    for block in blocks:
        if isinstance(block, (m.Paragraph, m.Heading, m.Preformatted)):
            yield block
        elif isinstance(block, (m.BlockQuote, m.Division, m.ListItem)):
            yield from _leaf_blocks(block.blocks)
        elif isinstance(block, m.ListBlock):
            yield from _leaf_blocks(block.items)


def _words(block) -> str:
    out: list[str] = []

    def walk(inlines):
        for node in inlines:
            if isinstance(node, m.NoteRef):
                out.append(f"[{node.number}]")
            elif isinstance(node, (m.Str, m.Code)):
                out.append(node.text)
            elif isinstance(node, m.LineBreak):
                out.append(" ")
            elif isinstance(node, m.CONTAINER_INLINES):
                walk(node.children)

    if isinstance(block, m.Preformatted):
        return block.text
    walk(block.children)
    return " ".join("".join(out).split())


MAX_MEMBER = 64 * 1024 * 1024  # bytes unpacked: an EPUB's page is never near it; a zip bomb is


def snapshot_of_epub(path: Path) -> Snapshot:
    try:
        book = zipfile.ZipFile(path)
        big = [i.filename for i in book.infolist() if i.file_size > MAX_MEMBER]
        if big:
            raise UsageError(f"{path}: {big[0]} unpacks to more than {MAX_MEMBER // 2**20} MiB; "
                             "not an EPUB this tool compares")
        container = ElementTree.fromstring(book.read("META-INF/container.xml"))
        opf_path = next(e.get("full-path") for e in container.iter() if e.tag.endswith("rootfile"))
        opf = ElementTree.fromstring(book.read(opf_path))
    except (OSError, KeyError, zipfile.BadZipFile, ElementTree.ParseError, StopIteration) as error:
        raise UsageError(f"{path}: not a readable EPUB ({error})") from None
    snapshot: Snapshot = {"Metadata": _opf_metadata(opf)}
    items = {i.get("id"): i.get("href") for i in opf.iter(f"{OPF}item")}
    base = PurePosixPath(opf_path).parent
    for itemref in opf.iter(f"{OPF}itemref"):
        href = items.get(itemref.get("idref"))
        if not href:
            continue
        try:
            document = ElementTree.fromstring(book.read(str(base / href)))
        except (KeyError, ElementTree.ParseError):
            continue
        title = "".join(document.find(f"{XHTML}head/{XHTML}title").itertext()).strip() \
            if document.find(f"{XHTML}head/{XHTML}title") is not None else href
        paragraphs = [" ".join(_words_of(e).split()) for e in document.iter()
                      if e.tag.removeprefix(XHTML) in BLOCK_TAGS and not _has_block_child(e)]
        key, n = title, 1
        while key in snapshot:
            n += 1
            key = f"{title} ({n})"
        snapshot[key] = [p for p in paragraphs if p]
    return snapshot


def _words_of(element) -> str:
    """The element's text, with note marks written [n] as in model snapshots."""
    if element.tag == f"{XHTML}a" and "noteref" in (element.get("class") or "").split():
        return f"[{''.join(element.itertext()).strip()}]" + (element.tail or "")
    inner = "".join(_words_of(child) for child in element)
    return (element.text or "") + inner + (element.tail or "")


def _has_block_child(element) -> bool:
    return any(child.tag.removeprefix(XHTML) in BLOCK_TAGS for child in element.iter() if child is not element)


def _opf_metadata(opf) -> list[str]:
    lines = []
    for element in opf.iter():
        tag = element.tag
        if "}" in tag and tag.split("}")[0][1:] in ("http://purl.org/dc/elements/1.1/",):
            lines.append(f"{tag.split('}')[1]}: {' '.join((element.text or '').split())}")
        elif tag == f"{OPF}meta" and element.get("property") in ("dcterms:modified", "belongs-to-collection",
                                                                   "schema:version"):
            lines.append(f"{element.get('property')}: {(element.text or '').strip()}")
    return lines


def snapshot_of_revision(revision: str, manifest: Path) -> Snapshot:
    """Loads the edition as it was at a git revision (its own folder in the repository)."""
    import edition as api

    project = manifest.resolve().parent
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=project, capture_output=True,
                             text=True, check=True).stdout.strip()
        archive = subprocess.run(["git", "archive", "--format=tar", revision], cwd=top, capture_output=True,
                                 check=True).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        detail = getattr(error, "stderr", b"") or b""
        detail = detail.decode(errors="replace").strip() if isinstance(detail, bytes) else str(detail).strip()
        raise UsageError(f"{revision}: not an EPUB file nor a git revision of this edition ({detail or error})") \
            from None
    with tempfile.TemporaryDirectory() as folder:
        with tarfile.open(fileobj=BytesIO(archive)) as tar:
            tar.extractall(folder, filter="data")
        relative = project.relative_to(top) / manifest.name
        inside = Path(folder) / relative
        if not inside.is_file():
            raise UsageError(f"{revision}: has no {relative.as_posix()} (the edition is not in that revision)")
        try:
            return snapshot_of_edition(api.load(inside))
        except api.InvalidEdition as error:  # name the revision, not the temporary folder
            raise api.InvalidEdition([
                Diagnostic(Location(f"{revision}:{_under(d.location.path, folder, project.relative_to(top))}",
                                    d.location.line, d.location.col), d.message)
                for d in error.diagnostics]) from None


def _under(path: str, folder: str, project: Path) -> str:
    """A path of the extracted revision, as the project names it."""
    try:
        return (Path(path).resolve().relative_to((Path(folder) / project).resolve())).as_posix()
    except ValueError:
        return path


def is_epub(what: str) -> bool:
    """Whether `what` names a built EPUB (else it is a git revision)."""
    return what.lower().endswith(".epub") or Path(what).is_file()


def snapshot_of(what: str, manifest: Path) -> Snapshot:
    if is_epub(what):
        return snapshot_of_epub(Path(what))
    return snapshot_of_revision(what, manifest)


# --- comparing --------------------------------------------------------------


def compare(old: Snapshot, new: Snapshot, colour: bool = False) -> list[str]:
    """Readable lines: for each section that changed, its changed paragraphs
    with word-level marks [-removed-]{+added+}."""
    lines: list[str] = []
    sections = list(new) + [s for s in old if s not in new]
    for section in sections:
        before, after = old.get(section), new.get(section)
        if before == after:
            continue
        if before is None:
            lines.append(f"== {section} (new)")
            lines.extend(f"  ¶{n} added: " + _mark(p, "+", colour) for n, p in enumerate(after, start=1))
            continue
        if after is None:
            lines.append(f"== {section} (removed)")
            continue
        lines.append(f"== {section}")
        lines.extend(_paragraph_changes(before, after, colour))
    return lines


def _paragraph_changes(before: list[str], after: list[str], colour: bool) -> list[str]:
    out = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        pairs = list(zip(range(a1, a2), range(b1, b2))) if op == "replace" else []
        for i, j in pairs:
            out.append(f"  ¶{j + 1}: " + word_diff(before[i], after[j], colour))
        for i in range(a1 + len(pairs), a2):
            out.append(f"  ¶{i + 1} removed: " + _mark(before[i], "-", colour))
        for j in range(b1 + len(pairs), b2):
            out.append(f"  ¶{j + 1} added: " + _mark(after[j], "+", colour))
    return out


TOKENS = re.compile(r"\s+|[\w’'-]+|[^\w\s]")


def word_diff(before: str, after: str, colour: bool = False) -> str:
    old, new = TOKENS.findall(before), TOKENS.findall(after)
    pieces: list[str] = []
    opcodes = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
    for index, (op, a1, a2, b1, b2) in enumerate(opcodes):
        if op == "equal":
            pieces.append(_elide("".join(old[a1:a2]), first=index == 0, last=index == len(opcodes) - 1))
            continue
        if a2 > a1:
            pieces.append(_mark("".join(old[a1:a2]), "-", colour))
        if b2 > b1:
            pieces.append(_mark("".join(new[b1:b2]), "+", colour))
    return "".join(pieces)


def _elide(words: str, first: bool, last: bool) -> str:
    tokens = words.split(" ")
    if first and len(tokens) > CONTEXT_WORDS:
        return "…" + " ".join(tokens[-CONTEXT_WORDS:])
    if last and len(tokens) > CONTEXT_WORDS:
        return " ".join(tokens[:CONTEXT_WORDS]) + "…"
    if not first and not last and len(tokens) > 2 * CONTEXT_WORDS:
        return " ".join(tokens[:CONTEXT_WORDS]) + " … " + " ".join(tokens[-CONTEXT_WORDS:])
    return words


def _mark(words: str, sign: str, colour: bool) -> str:
    if colour:
        code = "31" if sign == "-" else "32"
        return f"\033[{code}m{words}\033[0m"
    return f"[-{words}-]" if sign == "-" else f"{{+{words}+}}"

"""The typographer for the words written in the manifest and the front matter.

The reader curls the quotes of the texts themselves as it parses their
Markdown; titles, names, sources, rights and the like come from YAML as they
were typed. `typeset` gives an edition whose every such string is set the same
way (curly quotes and apostrophes, dashes, ellipses), so that the title is
"Workers’ State" in the package metadata, on the title page, in the colophon,
the NCX, the cover's text alternative and the PDF's /Title alike.
"""

from __future__ import annotations

import re
from dataclasses import replace

from . import model as m

OPENING = r"(^|[\s(\[{\u2014\u2013/-])"
EM_DASH = re.compile(r"(?<!-)---(?!-)")
EN_DASH = re.compile(r"(?<!-)--(?!-)")


def curl(words: str) -> str:
    """Straight quotes made curly, `---` and `--` made dashes, `...` an ellipsis.
    Already curly words are left as they are."""
    if not words:
        return words
    words = EM_DASH.sub("\u2014", words)
    words = EN_DASH.sub("\u2013", words).replace("...", "\u2026")
    words = re.sub(OPENING + "'", "\\1\u2018", words).replace("'", "\u2019")
    return re.sub(OPENING + '"', "\\1\u201c", words).replace('"', "\u201d")


def typeset(edition: m.Edition) -> m.Edition:
    """`edition` with its metadata strings set by `curl` (the texts' own words,
    already set by the reader, are kept)."""
    meta = edition.metadata
    metadata = replace(
        meta, title=curl(meta.title), subtitle=curl(meta.subtitle), editor=curl(meta.editor),
        publisher=curl(meta.publisher), rights=curl(meta.rights), description=curl(meta.description),
        keywords=tuple(curl(k) for k in meta.keywords))
    parts = tuple(replace(part, title=curl(part.title), texts=tuple(_text(t) for t in part.texts))
                  for part in edition.parts)
    versions = tuple(replace(v, changes=curl(v.changes)) for v in edition.versions)
    return replace(edition, metadata=metadata, front=tuple(_text(t) for t in edition.front), parts=parts,
                   versions=versions)


def _text(text: m.Text) -> m.Text:
    meta = text.meta
    return replace(text, meta=replace(
        meta, title=curl(meta.title), subtitle=curl(meta.subtitle), authors=tuple(curl(a) for a in meta.authors),
        source=curl(meta.source), date_text=curl(meta.date_text), transcription=curl(meta.transcription)),
        corrections=tuple(replace(c, reason=curl(c.reason)) for c in text.corrections))

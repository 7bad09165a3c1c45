"""The model knows nothing of the output formats, and the sample edition
resolves as the manifest says."""

from __future__ import annotations

import ast
from pathlib import Path

from edition import model as m

FORMAT_WORDS = ("epub", "xhtml", "pdf", "weasyprint", "ebooklib", "jinja2", "html")


def test_model_imports_no_format_library():
    tree = ast.parse(Path(m.__file__).read_text())
    imported = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    imported |= {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not [name for name in imported if any(word in name.lower() for word in FORMAT_WORDS)]
    source = Path(m.__file__).read_text().lower()
    assert "epub:type" not in source and "xhtml" not in source


def test_sample_edition_is_in_chronological_order(sample_edition):
    dates = [text.meta.date for text in sample_edition.texts]
    assert dates == sorted(dates)
    assert len(sample_edition.texts) == 5


def test_sample_edition_has_enough_editorial_notes(sample_edition):
    editorial = [n for t in sample_edition.texts for n in t.notes if n.kind == m.NoteKind.EDITORIAL]
    assert len(editorial) >= 30


def test_sample_corrections_are_applied(sample_edition):
    words = " ".join(m.block_plain_text(b) for t in sample_edition.texts for b in t.blocks)
    for text, correction in sample_edition.corrections:
        assert correction.text_location is not None
    assert "once and. forever" not in words and "once and forever" in words
    assert "they wore never quoted" not in words


def test_all_ids_in_the_edition_are_unique(sample_edition):
    ids = []
    for text in sample_edition.front + sample_edition.texts:
        ids.append(text.id)
        ids += [h.id for h in text.headings]
        ids += [n.id for n in text.notes] + [n.ref_id for n in text.notes]
        ids += [c.id for c in text.corrections]
    assert len(ids) == len(set(ids))
    assert all(i and not i[0].isdigit() for i in ids)

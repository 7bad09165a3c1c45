"""edition: build EPUB 3 and typeset PDF editions of collections of texts.

The public API:

    edition = load("manifest.yaml")      # a resolved, immutable Edition
    build(edition, "build", formats=("epub", "pdf"))

`load` raises `InvalidEdition` carrying every problem found, each with its
`FILE:LINE:COL`.
"""

from __future__ import annotations

from pathlib import Path

from .errors import BuildFailed, Diagnostic, EditionError, InvalidEdition, Location, ToolMissing, UsageError
from .model import Edition

__version__ = "0.1.0"
__all__ = ["load", "Edition", "EditionError", "InvalidEdition", "UsageError", "BuildFailed", "ToolMissing",
           "Diagnostic", "Location", "__version__"]


def load(manifest_path: str | Path = "manifest.yaml", cache=None) -> Edition:
    """Reads the manifest and its texts and returns the resolved Edition.
    `cache` (a `cache.TextCache`) spares re-parsing texts that did not change."""
    from .annotate import resolve
    from .errors import Collector
    from .manifest import load_manifest

    path = Path(manifest_path)
    problems = Collector()
    memo = cache.yaml_pieces if cache is not None and getattr(cache, "in_memory", False) else None
    manifest = load_manifest(path, problems, shown_as=_shown(path), memo=memo)
    edition = resolve(manifest, problems, cache) if manifest else None
    problems.raise_if_any()
    assert edition is not None
    return edition


def _shown(path: Path) -> str:
    """The manifest's path as messages show it: relative when it can be."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)

"""Builders render a resolved Edition to one output format.

`Builder.build` owns the pipeline: render the book to bytes, then write it
atomically (a temporary file in the output folder, renamed when complete), so
a failed build never leaves a half-written file or touches the last good one.
Subclasses set `name` and `suffix` and implement `render`.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, final

import jinja2

from ..confine import Refused
from ..errors import BuildFailed
from ..model import Edition
from ..render import template_problem

PROFILES = ("screen", "print")


@dataclass(frozen=True)
class BuildOptions:
    profile: str = "screen"  # screen: coloured links; print: black, crop marks if asked
    styles_dir: Path | None = None  # the project's styles/ (CSS, fonts, template overrides)
    progress: Callable[[str], None] = lambda stage: None  # told each stage as it starts
    cache: object = None  # a `cache.TextCache` keeping whole texts: the EPUB reuses the documents it rendered
    jobs: int = 0  # processes laying out the PDF at a time (0: one per core; a short book takes one)
    parallel_min_pages: int | None = None  # a book guessed shorter takes one process (None: pdf_parallel.MIN_PAGES)
    chunks: int = 0  # how many parts the PDF's texts are cut into (0: chosen from the jobs and the length)


class Builder:
    name = ""
    suffix = ""

    def render(self, edition: Edition, options: BuildOptions) -> bytes:
        raise NotImplementedError

    @final
    def target(self, edition: Edition, output_dir: Path) -> Path:
        return output_dir / f"{edition.metadata.slug}{self.suffix}"

    @final
    def build(self, edition: Edition, output_dir: Path, options: BuildOptions) -> Path:
        target = self.target(edition, output_dir)
        try:
            data = self.render(edition, options)
        except Refused as refused:
            raise refused.as_error() from None
        except jinja2.TemplateError as error:
            raise template_problem(error) from None
        write_atomically(target, data)
        return target


def build_all(edition: Edition, output_dir: Path, formats: tuple[str, ...], options: BuildOptions) -> list[Path]:
    """Renders every format first and writes only when all have succeeded,
    so a failure leaves all the previous outputs as they were."""
    by_format: dict[str, tuple[Path, bytes]] = {}
    printed = None  # the print edition's pages, for the EPUB (pagemap.py)
    # With both formats the PDF comes first: the EPUB carries its pages.
    for name in sorted(formats, key=lambda name: name != "pdf"):
        builder = builder_class(name)()
        options.progress(f"{name}: rendering")
        source = edition
        if name == "epub" and printed is not None:
            from .pagemap import paginate

            source = paginate(edition, printed)
        try:
            data = builder.render(source, options)
        except Refused as refused:  # a style sheet asked for a file outside the project
            raise refused.as_error() from None
        except jinja2.TemplateError as error:  # in a project's template override
            raise template_problem(error) from None
        except OSError as error:
            raise BuildFailed(f"{builder.target(edition, output_dir)}: not built: {error}") from None
        by_format[name] = (builder.target(edition, output_dir), data)
        if name == "pdf" and "epub" in formats:
            printed = builder.printed_pages()
    rendered = [by_format[name] for name in formats]
    for target, data in rendered:
        write_atomically(target, data)
    return [target for target, _ in rendered]


def write_atomically(target: Path, data: bytes) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temporary, 0o644)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError as error:
        raise BuildFailed(f"{target}: cannot write: {error.strerror or error}") from None


FORMATS = ("epub", "pdf")  # in the order `edition build` runs them


def builder_class(name: str) -> type[Builder]:
    """The builder of one format, imported only when asked for: an EPUB-only
    build never loads the PDF builder (nor WeasyPrint)."""
    if name == "epub":
        from .epub import EpubBuilder

        return EpubBuilder
    if name == "pdf":
        from .pdf import PdfBuilder

        return PdfBuilder
    raise KeyError(name)


def builders() -> dict[str, type[Builder]]:
    """The builders by format name, in the order `edition build` runs them."""
    return {name: builder_class(name) for name in FORMATS}

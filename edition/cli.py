"""The `edition` command: argparse onto the API; one handler turns an
EditionError into its message and exit status (0 ok, 1 problems in the
edition, 2 usage, 3 a build that could not be written)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import __version__, load
from .errors import EditionError, UsageError


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except EditionError as error:
        if str(error):
            print(error, file=sys.stderr)
        if error.diagnostics:
            count = len(error.diagnostics)
            print(f"{count} problem{'s' if count != 1 else ''} found.", file=sys.stderr)
        return error.code
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="edition", description="Build EPUB and PDF editions of collections of texts.")
    parser.add_argument("--version", action="version", version=f"edition {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def manifest_option(sub):
        sub.add_argument("--manifest", "-m", default="manifest.yaml", metavar="PATH",
                         help="the edition's manifest (default: manifest.yaml)")

    build = commands.add_parser("build", help="build the EPUB and the PDF into build/")
    manifest_option(build)
    build.add_argument("--format", "-f", choices=("all", "epub", "pdf"), default="all")
    build.add_argument("--output", "-o", default=None, metavar="DIR",
                       help="output folder (default: build/ beside the manifest)")
    build.add_argument("--profile", choices=("screen", "print"), default="screen",
                       help="PDF profile: screen (coloured links) or print (black; crop marks if the manifest asks)")
    build.add_argument("--quiet", "-q", action="store_true", help="print nothing but errors")
    build.set_defaults(run=run_build)

    check = commands.add_parser("check", help="check the manifest and the texts; list every problem")
    manifest_option(check)
    check.add_argument("--epubcheck", action="store_true", help="also build the EPUB and run EPUBCheck on it")
    check.set_defaults(run=run_check)

    importer = commands.add_parser("import", help="turn a raw archive text into a Markdown text file")
    importer.add_argument("raw", metavar="RAW.txt")
    importer.add_argument("--output", "-o", metavar="texts/NAME.md", help="where to write (default: print it)")
    importer.set_defaults(run=run_import)

    diff = commands.add_parser("diff", help="show what changed between two built EPUBs or two git revisions")
    manifest_option(diff)
    diff.add_argument("old", metavar="OLD", help="a built .epub, or a git revision (e.g. HEAD~1)")
    diff.add_argument("new", metavar="NEW", help="a built .epub, or a git revision, or 'worktree'")
    diff.set_defaults(run=run_diff)

    watch = commands.add_parser("watch", help="rebuild whenever the manifest, a text or a style changes")
    manifest_option(watch)
    watch.add_argument("--format", "-f", choices=("all", "epub", "pdf"), default="all")
    watch.add_argument("--output", "-o", default=None, metavar="DIR")
    watch.add_argument("--profile", choices=("screen", "print"), default="screen")
    watch.set_defaults(run=run_watch)

    new = commands.add_parser("new", help="create a new edition project in DIR")
    new.add_argument("directory", metavar="DIR")
    new.set_defaults(run=run_new)
    return parser


def run_check(args) -> int:
    edition = load(args.manifest)
    texts = len(edition.texts)
    notes = sum(len(t.notes) for t in edition.front + edition.texts)
    corrections = len(edition.corrections)
    print(f"{args.manifest}: the edition is sound: {texts} texts, {notes} notes, {corrections} corrections.")
    from .persons import hints

    for hint in hints(edition):  # what the register of persons may lack: advice, not problems
        print(hint)
    if args.epubcheck:
        from .epubcheck import run_epubcheck

        messages = run_epubcheck(edition)
        for message in messages:
            print(message)
        if messages:
            return 1
        print("EPUBCheck: no errors or warnings.")
    return 0


def run_build(args) -> int:
    from .builders import BuildOptions, build_all
    from .cache import TextCache

    manifest = Path(args.manifest)
    output = Path(args.output) if args.output else manifest.parent / "build"
    progress = Progress(quiet=args.quiet)
    started = time.monotonic()
    progress.stage("reading the manifest and the texts")
    edition = load(manifest, cache=TextCache(output / ".cache"))
    formats = ("epub", "pdf") if args.format == "all" else (args.format,)
    options = BuildOptions(profile=args.profile, styles_dir=styles_dir_for(manifest.parent), progress=progress.stage)
    paths = build_all(edition, output, formats, options)
    progress.done()
    for path in paths:
        progress.say(f"wrote {path} ({path.stat().st_size / 1024:.0f} KiB)")
    progress.say(f"built in {time.monotonic() - started:.1f} s")
    return 0


class Progress:
    """Stages of a long build: on a terminal, one line rewritten in place;
    elsewhere, nothing until the result (parseable output); --quiet: nothing."""

    def __init__(self, quiet: bool = False, stream=None):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.live = not quiet and self.stream.isatty()

    def stage(self, what: str) -> None:
        if self.live:
            self.stream.write(f"\r\033[K{what}…")
            self.stream.flush()

    def done(self) -> None:
        if self.live:
            self.stream.write("\r\033[K")
            self.stream.flush()

    def say(self, line: str) -> None:
        if not self.quiet:
            print(line)


def run_diff(args) -> int:
    from .diff import compare, snapshot_of, snapshot_of_edition

    manifest = Path(args.manifest)
    old = snapshot_of(args.old, manifest)
    new = snapshot_of_edition(load(manifest)) if args.new == "worktree" else snapshot_of(args.new, manifest)
    lines = compare(old, new, colour=sys.stdout.isatty())
    print("\n".join(lines) if lines else "no differences in text, notes or metadata")
    return 0


def run_watch(args) -> int:
    from .watch import Watcher

    manifest = Path(args.manifest)
    output = Path(args.output) if args.output else manifest.parent / "build"
    formats = ("epub", "pdf") if args.format == "all" else (args.format,)
    watcher = Watcher(manifest, output, formats, args.profile, styles_dir_for(manifest.parent))
    try:
        watcher.run()
    except KeyboardInterrupt:
        print("\nstopped watching.")
    return 0


def run_import(args) -> int:
    from .importer import import_text, suggest_filename
    from .source import SourceUnreadable, read_text_file

    try:
        raw = read_text_file(Path(args.raw), args.raw)
    except SourceUnreadable as error:
        raise UsageError(f"{error.location}: {error.message}") from None
    result = import_text(raw, source_name=args.raw)
    for line in result.guesses:
        print(f"guessed: {line}", file=sys.stderr)
    for line in result.review:
        print(f"check:   {line}", file=sys.stderr)
    if args.output:
        target = Path(args.output)
        if target.exists():
            raise UsageError(f"{target}: already exists; not overwritten")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(result.markdown, encoding="utf-8")
        print(f"wrote {target}", file=sys.stderr)
    else:
        print(result.markdown, end="")
        print(f"suggested file name: texts/{suggest_filename(result.front_matter)}", file=sys.stderr)
    return 0


def run_new(args) -> int:
    from .project import create_project

    created = create_project(Path(args.directory))
    print(f"created a new edition in {created}: edit manifest.yaml and texts/, then run "
          f"`edition build --manifest {created / 'manifest.yaml'}`")
    return 0


def styles_dir_for(project: Path) -> Path:
    """The project's styles/, or the default styles when it has none."""
    from .project import default_styles_dir

    own = project / "styles"
    return own if own.is_dir() else default_styles_dir()

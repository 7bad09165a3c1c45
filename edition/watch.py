"""`edition watch`: rebuild whenever the manifest, a text or a style changes.

The watcher polls file contents (hashes, not modification times, so an
editor that rewrites a file with the same bytes triggers nothing). A broken
edit prints its problems and the watcher keeps going; the last good outputs
stay in place because builds write atomically.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path
from typing import Callable

from . import load
from .builders import BuildOptions, build_all
from .cache import TextCache
from .errors import EditionError


class Watcher:
    def __init__(self, manifest: Path, output: Path, formats: tuple[str, ...], profile: str = "screen",
                 styles_dir: Path | None = None, say: Callable[[str], None] = print, interval: float = 0.5):
        self.manifest = manifest
        self.output = output
        self.formats = formats
        self.cache = TextCache(output / ".cache", whole_texts=True, in_memory=True)
        self.options = BuildOptions(profile=profile, styles_dir=styles_dir, cache=self.cache)
        self.say = say
        self.interval = interval
        self.seen: dict[Path, str] = {}
        self.builds = 0

    def watched_files(self) -> list[Path]:
        project = self.manifest.parent
        files = {self.manifest}
        for folder in (project / "texts", self.options.styles_dir or project / "styles"):
            if folder.is_dir():
                files.update(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
        return sorted(files)

    def _state(self) -> dict[Path, str]:
        state = {}
        for path in self.watched_files():
            try:
                state[path] = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError:
                continue  # vanished between listing and reading
        return state

    def changes(self) -> list[str]:
        """What changed since the last look ('changed: texts/a.md' …); remembers the new state."""
        state = self._state()
        project = self.manifest.parent
        described = []
        for path in sorted(set(state) | set(self.seen)):
            name = _relative(path, project)
            if path not in self.seen:
                described.append(f"added: {name}")
            elif path not in state:
                described.append(f"removed: {name}")
            elif state[path] != self.seen[path]:
                described.append(f"changed: {name}")
        self.seen = state
        return described

    def rebuild(self) -> bool:
        """One build; prints the outcome. True when it succeeded."""
        started = time.monotonic()
        self.builds += 1
        try:
            edition = load(self.manifest, cache=self.cache)
            self.check_styles()
            paths = build_all(edition, self.output, self.formats, self.options)
            self.cache.write_pending()
            self.cache.forget_unused()
        except EditionError as error:
            self.say(str(error))
            self.say(f"build failed ({len(error.diagnostics) or 1} problem(s)); the previous outputs are "
                     "untouched. Watching for the next change…")
            return False
        except Exception as error:  # a watcher runs for hours: no edit may end it
            self.say(f"build failed: {type(error).__name__}: {error} (this is a bug in edition: please report "
                     "it). The previous outputs are untouched. Watching for the next change…")
            return False
        names = ", ".join(p.name for p in paths)
        self.say(f"rebuilt {names} in {time.monotonic() - started:.1f} s")
        return True

    def check_styles(self) -> None:
        """Says the style sheets' warnings; raises their errors."""
        from .errors import InvalidEdition
        from .stylesheet import check_styles

        project = self.manifest.parent
        kinds = tuple("print" if f == "pdf" else f for f in self.formats)
        report = check_styles(self.options.styles_dir or project / "styles", project, kinds)
        for warning in report.warnings:
            self.say(str(warning))
        if report.errors:
            raise InvalidEdition(report.errors)

    def poll_once(self) -> bool | None:
        """Rebuilds if anything changed: None if nothing did, else the build's success."""
        changed = self.changes()
        if not changed:
            return None
        for line in changed:
            self.say(line)
        return self.rebuild()

    def run(self) -> None:
        self.changes()
        self.say(f"watching {len(self.seen)} files; Ctrl-C to stop")
        self.rebuild()
        while True:
            time.sleep(self.interval)
            self.poll_once()


def _relative(path: Path, project: Path) -> str:
    try:
        return str(path.relative_to(project))
    except ValueError:
        return str(path)

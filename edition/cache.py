"""A cache of parsed texts under `build/.cache`, so a rebuild re-parses only
the texts that changed; and, for `edition build` and `edition watch`, of
whole texts: each text's EPUB document and notes rendered (on disk), and
each text resolved (corrections, notes, index marks: in a watcher's memory),
so a rebuild after a correction renders (and, in a watcher, resolves) only
the text that changed.

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
    """Builds the classes of the model (and its locations), and nothing else
    (but strings of rendered markup)."""

    def find_class(self, module: str, name: str):
        if module == "edition.model" and isinstance(getattr(model, name, None), type):
            return getattr(model, name)
        if (module, name) == ("edition.errors", "Location"):
            return model.Location
        if (module, name) == ("markupsafe", "Markup"):  # a rendered note: a string, marked safe
            from markupsafe import Markup

            return Markup
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a cached text")


def _program_fingerprint() -> str:
    digest = hashlib.sha256(__version__.encode())
    here = Path(__file__).resolve().parent
    for name in ("model.py", "reader.py", "errors.py", "ids.py", "schema.py", "source.py"):
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


PROGRAM = _program_fingerprint()


def _whole_program_fingerprint() -> str:
    """Every module, template and data file of the program: what a resolved
    text or a rendered document may depend on."""
    digest = hashlib.sha256(__version__.encode())
    here = Path(__file__).resolve().parent
    for path in sorted(p for p in here.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                       and p.suffix not in (".pyc", ".icc")):
        digest.update(b"\0" + path.relative_to(here).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


_WHOLE_PROGRAM: list[str] = []


def whole_program() -> str:
    if not _WHOLE_PROGRAM:
        _WHOLE_PROGRAM.append(_whole_program_fingerprint())
    return _WHOLE_PROGRAM[0]


def digest(*parts: str | bytes) -> str:
    """A key made of `parts` (each told apart from the next)."""
    made = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        made.update(len(data).to_bytes(8, "big") + data)
    return made.hexdigest()


# The key each resolved text was made under (by the object's identity, the
# object kept so that the identity stays its own): a builder that is handed
# that very text can reuse what it rendered from it before. A text made anew
# from it (curled, paginated) has no key, and is rendered afresh.
_KEYS: dict[int, tuple[object, str]] = {}


def remember(thing: object, key: str) -> None:
    _KEYS[id(thing)] = (thing, key)


def key_of(thing: object) -> str | None:
    found = _KEYS.get(id(thing))
    return found[1] if found is not None and found[0] is thing else None


def forget_keys() -> None:
    _KEYS.clear()


MAX_MEMORY = 4096  # whole texts and documents kept in a watcher's memory


class TextCache:
    def __init__(self, folder: Path, whole_texts: bool = False, in_memory: bool = False):
        self.folder = folder
        self.hits = 0
        self.misses = 0
        # Whole texts (`get_whole`/`put_whole`), asked for by `edition build` and `edition watch`:
        self.whole_texts = whole_texts
        self.whole_hits = 0
        self.whole_misses = 0
        self.in_memory = in_memory  # a watcher's: the entries of this process are also kept, unpickled
        self.memory: dict[str, object] = {}
        self.used: set[str] = set()  # the entries of memory the build under way has used
        self.pending: list[tuple[str, object]] = []  # whole texts to write to the folder
        self.deflated: dict = {}  # a watcher's: the EPUB's entries compressed (`epubzip.repack`)
        self.yaml_pieces: dict = {}  # a watcher's: the manifest's entries as parsed (`source.parse_manifest_yaml`)

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
        self._write(key, text, f"{key}.pickle")

    def _write(self, key: str, value, filename: str) -> bool:
        """`value` pickled under `key` into `filename`, atomically; False if it
        cannot be written (a cache that cannot be written only costs time)."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            with os.fdopen(handle, "wb") as out:
                out.write(MAGIC + key.encode() + b"\n")
                pickle.dump(value, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self.folder / filename)
            return True
        except OSError:
            return False

    # --- whole texts: resolved texts, rendered documents --------------------------

    # Resolved texts are kept only in a watcher's memory: on disk, unpickling them
    # (~1 ms each) costs about what resolving them from their parsed text does,
    # and pickling them costs every build more. Rendered documents are kept on disk too.
    ON_DISK = ("epub",)

    def get_whole(self, kind: str, key: str):
        """The entry of `kind` under `key`, from memory or from the folder, or None."""
        if not self.whole_texts:
            return None
        found = self.memory.get(f"{kind}-{key}")
        if found is not None:
            self.used.add(f"{kind}-{key}")
        if found is None and kind in self.ON_DISK:
            header = MAGIC + f"{kind}-{key}".encode() + b"\n"
            try:
                data = (self.folder / f"{kind}-{key}.entry").read_bytes()
                if not data.startswith(header):
                    raise ValueError("not this entry")
                found = _ModelUnpickler(io.BytesIO(data[len(header):])).load()
            except Exception:  # missing, truncated, corrupt, stale: a miss
                found = None
            if found is not None:
                self._keep(f"{kind}-{key}", found)
        if found is None:
            self.whole_misses += 1
        else:
            self.whole_hits += 1
        return found

    def put_whole(self, kind: str, key: str, value) -> None:
        """Keeps an entry; it is written to the folder by `write_pending`."""
        if not self.whole_texts:
            return
        self._keep(f"{kind}-{key}", value)
        if kind in self.ON_DISK:
            self.pending.append((f"{kind}-{key}", value))

    def forget_unused(self) -> None:
        """Keeps in memory only the entries the last build used: a watcher's
        memory holds one build's texts, not every version of them."""
        self.memory = {name: value for name, value in self.memory.items() if name in self.used}
        self.used = set()

    def write_pending(self) -> None:
        """Writes the entries kept since the last call. Called once the
        outputs are written: pickling gives every record of the model a
        `__dict__` of its own (Python keeps attributes without one until
        asked), more memory than the build needs before."""
        pending, self.pending = self.pending, []
        for name, value in pending:
            if not self._write(name, value, f"{name}.entry"):
                return

    def _keep(self, name: str, value) -> None:
        if not self.in_memory:
            return
        self.used.add(name)
        if len(self.memory) >= MAX_MEMORY:
            self.memory.clear()
        self.memory[name] = value

"""`edition import FILE… --add`: append imported texts to the manifest's `texts:` list.

The manifest is edited as text, not loaded and dumped again, so that its comments, key order,
quoting and blank lines stay as the editor wrote them: the new entries are inserted after the
last entry of the top-level `texts:` list, with the indentation of the entries already there.
The edited text is parsed before it is written, and must list exactly the old texts followed
by the new ones; otherwise nothing is written."""

from __future__ import annotations

import re

import yaml

TOP_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)\s*:(?P<rest>.*)$")
ITEM = re.compile(r"^(?P<indent>[ ]*)-[ ]+(?:file\s*:)")


class ManifestEditError(Exception):
    """The manifest cannot be edited safely; the message says why."""


def add_texts(manifest_text: str, files: list[str]) -> str:
    """The manifest's text with `- file: F` appended to its top-level `texts:` list for each F."""
    lines = manifest_text.split("\n")
    keys = [(index, TOP_KEY.match(line)) for index, line in enumerate(lines)]
    keys = [(index, match) for index, match in keys if match]
    texts = [(index, match) for index, match in keys if match["key"] == "texts"]
    if not texts:
        if any(match["key"] == "parts" for _, match in keys):
            raise ManifestEditError("the manifest groups its texts in `parts:`; add the new files to a part by hand")
        if lines and lines[-1] == "":
            lines.pop()
        new = lines + ["", "texts:"] + [f"  - file: {_quote(f)}" for f in files] + [""]
        return _verified(manifest_text, "\n".join(new), files)
    start, match = texts[0]
    rest = match["rest"].split("#")[0].strip()
    if rest not in ("", "[]"):
        raise ManifestEditError(f"line {start + 1}: `texts:` is not written as a block list; add the files by hand")
    following = [index for index, m in keys if index > start]
    end = following[0] if following else len(lines)
    items = [index for index in range(start + 1, end) if ITEM.match(lines[index])]
    indent = ITEM.match(lines[items[0]])["indent"] if items else "  "
    # after the list's last line that is neither blank nor a comment (comments after the
    # list belong to what follows it)
    last = max([index for index in range(start + 1, end)
                if lines[index].strip() and not lines[index].lstrip().startswith("#")], default=start)
    if rest == "[]":
        lines[start] = lines[start].replace("[]", "", 1).rstrip()
    new_lines = [f"{indent}- file: {_quote(f)}" for f in files]
    edited = lines[: last + 1] + new_lines + lines[last + 1:]
    return _verified(manifest_text, "\n".join(edited), files)


def _quote(path: str) -> str:
    return path if re.fullmatch(r"[\w./-]+", path) else '"' + path.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _texts_of(text: str) -> list[str]:
    data = yaml.safe_load(text) or {}
    entries = data.get("texts") or [] if isinstance(data, dict) else []
    return [entry.get("file") if isinstance(entry, dict) else entry for entry in entries]


def _verified(before: str, after: str, files: list[str]) -> str:
    try:
        old, new = _texts_of(before), _texts_of(after)
    except yaml.YAMLError as error:
        raise ManifestEditError(f"the manifest is not valid YAML ({error.__class__.__name__}); fix it first") from None
    if new != old + list(files):
        raise ManifestEditError("the `texts:` list could not be extended safely; add the files by hand")
    return after

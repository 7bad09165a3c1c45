"""Reading source files: UTF-8 text and YAML that remembers where each value was.

YAML marks are 0-based; every `Location` made here is 1-based.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import yaml

from .errors import Collector, Location


class SourceUnreadable(Exception):
    def __init__(self, location: Location, message: str):
        super().__init__(message)
        self.location = location
        self.message = message


def read_text_file(path: Path, shown_as: str) -> str:
    """The file's text with line endings normalised; raises SourceUnreadable."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise SourceUnreadable(Location(shown_as), "file not found") from None
    except IsADirectoryError:
        raise SourceUnreadable(Location(shown_as), "is a directory, not a file") from None
    except OSError as error:
        raise SourceUnreadable(Location(shown_as), f"cannot read file: {error.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        col = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise SourceUnreadable(
            Location(shown_as, line, col),
            f"not valid UTF-8 (byte 0x{data[error.start]:02x}); save the file as UTF-8",
        ) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


class YamlMap(dict):
    """A mapping from YAML; `.location` is where it starts, `.key_location[k]`
    where key k is written and `.value_location[k]` where its value starts."""

    location: Location
    key_location: dict
    value_location: dict


class YamlList(list):
    """A sequence from YAML; `.item_location[i]` is where item i starts."""

    location: Location
    item_location: list


# libyaml's parser when PyYAML has it (ten times faster); its nodes carry the
# same marks, so locations are the same.
COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _location(path: str, mark, line_offset: int) -> Location:
    return Location(path, mark.line + 1 + line_offset, mark.column + 1)


def parse_yaml(text: str, path: str, problems: Collector, *, line_offset: int = 0):
    """Parse YAML into YamlMap/YamlList/scalars; syntax errors and duplicate
    keys go to `problems` (and None is returned on a syntax error)."""
    try:
        node = yaml.compose(text, Loader=COMPOSER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = _location(path, mark, line_offset) if mark else Location(path, 1 + line_offset)
        problems.add(where, f"invalid YAML: {error.problem or error.context}")
        return None
    except yaml.YAMLError as error:
        problems.add(Location(path, 1 + line_offset), f"invalid YAML: {error}")
        return None
    if node is None:
        return None
    constructor = yaml.SafeLoader("")
    return _convert(node, path, line_offset, constructor, problems)


def _convert(node, path, line_offset, constructor, problems):
    location = _location(path, node.start_mark, line_offset)
    if isinstance(node, yaml.MappingNode):
        result = YamlMap()
        result.location = location
        result.key_location = {}
        result.value_location = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, constructor)
            key_location = _location(path, key_node.start_mark, line_offset)
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                first = result.key_location[key]
                problems.add(key_location, f'duplicate key "{key}" (first at line {first.line})')
                continue
            result[key] = _convert(value_node, path, line_offset, constructor, problems)
            result.key_location[key] = key_location
            result.value_location[key] = _location(path, value_node.start_mark, line_offset)
        return result
    if isinstance(node, yaml.SequenceNode):
        result = YamlList()
        result.location = location
        result.item_location = []
        for item in node.value:
            result.append(_convert(item, path, line_offset, constructor, problems))
            result.item_location.append(_location(path, item.start_mark, line_offset))
        return result
    return _scalar(node, constructor)


def _scalar(node, constructor):
    if not isinstance(node, yaml.ScalarNode):
        return repr(node.value)
    try:
        value = constructor.construct_object(node, deep=True)
    except yaml.YAMLError:
        value = node.value
    if isinstance(value, (datetime.date, datetime.datetime)):
        return node.value  # keep dates as written: "2026-11-23"
    return value


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(front-matter YAML or None, body, line number where the body starts)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return None, text, 1
    for index in range(1, len(lines)):
        if lines[index].strip() in ("---", "..."):
            front = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return front, body, index + 2
    return "", "", len(lines)  # unterminated: caller reports

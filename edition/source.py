"""Reading source files: UTF-8 text and YAML that remembers where each value was.

YAML marks are 0-based; every `Location` made here is 1-based.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from pathlib import Path

import yaml

from .errors import Collector, Location


MAX_FILE = 16 * 2**20  # bytes: a whole long novel is a fifth of it


class SourceUnreadable(Exception):
    def __init__(self, location: Location, message: str):
        super().__init__(message)
        self.location = location
        self.message = message


def read_bytes(path: Path, shown_as: str) -> bytes:
    """The file's bytes; raises SourceUnreadable, named as `shown_as`."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise SourceUnreadable(Location(shown_as), "file not found") from None
    except IsADirectoryError:
        raise SourceUnreadable(Location(shown_as), "is a directory, not a file") from None
    except OSError as error:
        raise SourceUnreadable(Location(shown_as), f"cannot read file: {error.strerror}") from None


def read_text_file(path: Path, shown_as: str) -> str:
    """The file's text with line endings normalised; raises SourceUnreadable."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # read_bytes says what is wrong
    if size > MAX_FILE:
        raise SourceUnreadable(Location(shown_as), f"the file has {size / 2**20:.0f} MiB; a manifest or a "
                               f"text has at most {MAX_FILE // 2**20} MiB (a long book: split it into texts)")
    data = read_bytes(path, shown_as)
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


MAX_YAML_DEPTH = 50
MAX_WORD = 200  # characters without a space: no line holds more, and hyphenating it takes minutes
# Characters that have no place in a text: C0 controls but tab and newline, DEL, C1 controls, and the
# two non-characters U+FFFE and U+FFFF. XML forbids most of them, YAML all of them.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff]")
SURROGATE = re.compile("[\ud800-\udfff]")
LONG_WORD = re.compile(r"\S{%d,}" % (MAX_WORD + 1))
# Unicode categories a reader cannot see: controls, formats (ZWJ, soft hyphen), surrogates, private use,
# unassigned, and the separators (no-break and other spaces, line and paragraph separators).
INVISIBLE = frozenset(("Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"))


def shown(text: str) -> str:
    """`text` for a message: invisible and control characters written as
    escapes (\\u200d), so that two phrases that look alike can be told apart."""
    out = []
    for char in text:
        if char not in "\t\n " and unicodedata.category(char) in INVISIBLE:
            out.append(f"\\u{ord(char):04x}" if ord(char) <= 0xFFFF else f"\\U{ord(char):08x}")
        else:
            out.append(char)
    return "".join(out)


def control_characters(text: str, path: str, problems: Collector, line_offset: int = 0) -> str:
    """Reports each control character of `text` at its place and returns the
    text with them replaced by spaces (so that later messages stay in place)."""
    if not CONTROL.search(text):
        return text
    for number, line in enumerate(text.split("\n"), start=1 + line_offset):
        for found in CONTROL.finditer(line):
            char = found.group()
            name = "a NUL character" if char == "\x00" else "a control character"
            problems.add(Location(path, number, found.start() + 1),
                         f"{name} ({shown(char)}), invisible and not allowed in a text: delete it "
                         "(it often comes with text pasted from a PDF or a word processor)")
    return CONTROL.sub(" ", text)


def has_long_word(text: str) -> bool:
    """Whether `text` holds a run of more than MAX_WORD characters without a
    space (`LONG_WORD`: `str.split` splits at the white space `\\S` excludes,
    and is many times faster than the expression on a long text)."""
    return len(text) > MAX_WORD and max(map(len, text.split()), default=0) > MAX_WORD


def long_words(text: str, path: str, problems: Collector, line_offset: int = 0) -> None:
    """Reports every run of more than MAX_WORD characters without a space."""
    if not has_long_word(text):
        return
    for number, line in enumerate(text.split("\n"), start=1 + line_offset):
        for found in LONG_WORD.finditer(line):
            problems.add(Location(path, number, found.start() + 1),
                         f"a word of {len(found.group()):,} characters (more than {MAX_WORD} without a space): "
                         "no line can hold it; break it up with spaces")


YAML_SLIPS = (
    # (PyYAML's problem, starts with; plain words with the fix)
    ("found character '\\t' that cannot start any token",
     "a tab character: YAML indents with spaces only; replace the tab with spaces"),
    ("mapping values are not allowed here",
     "a second ': ' on this line: if the value contains a colon and a space, put the whole value in quotes, "
     'e.g. title: "Moscow: A Letter"; otherwise check the indentation'),
    ("expected <block end>",
     "this line is indented differently from the lines above it: the keys of one mapping must start in "
     "the same column, and list items ('- ') line up with each other"),
    ("did not find expected key",
     "this line is indented differently from the lines above it: the keys of one mapping must start in "
     "the same column"),
    ("did not find expected '-' indicator",
     "a list item ('- ') that does not line up with the items above it"),
    ("could not find expected ':'",
     "a line that is neither 'key: value' nor a list item '- …': add the ':' after the key, or put a "
     "value that runs on into quotes"),
    ("found unexpected end of stream",
     "a quoted value is not closed: add the closing quote"),
    ("expected ',' or ']'",
     "a value that starts with '[' is read as a list: put the value in quotes, or close the list with ']'"),
    ("expected ',' or '}'",
     "a value that starts with '{' is read as a mapping: put the value in quotes, or close it with '}'"),
    ("found undefined alias",
     "a '*' starts a YAML alias, which the edition does not use: put a value that starts with '*' in quotes"),
    ("found character '@' that cannot start any token",
     "a value cannot start with '@': put it in quotes"),
    ("found character '`' that cannot start any token",
     "a value cannot start with '`': put it in quotes"),
    ("found character '%' that cannot start any token",
     "a value cannot start with '%': put it in quotes"),
    ("found unknown escape character",
     "an unknown escape (a backslash) in a double-quoted value: write the backslash twice, or use single quotes"),
)


def _plain_yaml_message(error: yaml.MarkedYAMLError, text: str = "") -> str:
    problem = str(error.problem or error.context or "")
    mark = error.problem_mark
    if problem.startswith("mapping values are not allowed") and mark is not None and mark.line > 0:
        lines = text.split("\n")
        line, above = lines[mark.line], lines[mark.line - 1]
        indent, indent_above = len(line) - len(line.lstrip(" ")), len(above) - len(above.lstrip(" "))
        if indent > indent_above and ": " not in line[:mark.column].strip() and above.strip():
            return ("invalid YAML: this line is indented more than the line above it, so it reads as the "
                    "rest of that line's value: line its key up with the keys above")
    for start, plain in YAML_SLIPS:
        if problem.startswith(start):
            return f"invalid YAML: {plain}"
    return f"invalid YAML: {problem}"


def parse_yaml(text: str, path: str, problems: Collector, *, line_offset: int = 0):
    """Parse YAML into YamlMap/YamlList/scalars; syntax errors and duplicate
    keys go to `problems` (and None is returned on a syntax error). Anchors
    and aliases are refused (a few lines of aliases can expand to gigabytes),
    and so is nesting deeper than MAX_YAML_DEPTH."""
    text = control_characters(text, path, problems, line_offset)
    # libyaml (fast) first; where it fails, the pure-Python parser judges: it
    # accepts what libyaml refuses of YAML 1.1 and words its errors as
    # YAML_SLIPS explains them.
    # Anchors, aliases and deep nesting are refused. libyaml's composer
    # recurses in C (50,000 brackets crash it), and the pure-Python one in
    # Python: a text is composed by libyaml only when it cannot nest deeper
    # than it can take (`nesting_bound`), and its nodes are then looked at for
    # anchors, aliases and depth (`_plain_nodes`); otherwise, or when they hold
    # any, the events are read first (`_plain_structure`), which says which and
    # where. A text without "&" and "*" has neither anchor nor alias, and one
    # with at most MAX_YAML_DEPTH of the characters that open a collection
    # ("[", "{", "-", ":", "?": each collection has one of its own) cannot nest
    # deeper: most front matter, composed without a look.
    plain = "&" not in text and "*" not in text and sum(map(text.count, "[{-:?")) <= MAX_YAML_DEPTH
    composable = plain or nesting_bound(text) <= MAX_COMPOSED_DEPTH
    for loader in dict.fromkeys((COMPOSER, yaml.SafeLoader)):
        try:
            looked = plain or (composable and loader is COMPOSER and loader is not yaml.SafeLoader)
            if not looked and not _plain_structure(text, path, problems, line_offset, loader):
                return None
            node = yaml.compose(text, Loader=loader)
            if looked and not plain and not _plain_nodes(node, text) \
                    and not _plain_structure(text, path, problems, line_offset, loader):
                return None
            break
        except yaml.MarkedYAMLError as error:
            if loader is not yaml.SafeLoader:
                continue
            mark = error.problem_mark or error.context_mark
            if str(error.context or "").startswith(("while scanning a quoted scalar", "while parsing a flow")) \
                    and error.context_mark:
                mark = error.context_mark  # where the quote or bracket opens, not where the parser gave up
            where = _location(path, mark, line_offset) if mark else Location(path, 1 + line_offset)
            problems.add(where, _plain_yaml_message(error, text))
            return None
        except yaml.YAMLError as error:
            problems.add(Location(path, 1 + line_offset), f"invalid YAML: {error}")
            return None
    if node is None:
        return None
    constructor = yaml.SafeLoader("")
    # Only a double-quoted value can hold a word longer than the text's longest (escaped line breaks join lines).
    checks = _Checks(problems, long_words=has_long_word(text))
    return _convert(node, path, line_offset, constructor, checks)


MAX_COMPOSED_DEPTH = 2000  # libyaml's composer takes 5,000 levels (and crashes at 50,000)


# A bracket that can open a flow collection: first in the text, or after an
# indicator (":", "-", ",", "?") or another bracket, blanks between. (Brackets
# in words, "[a name]{.person}", cannot.) After a tag, an anchor or a comment
# any bracket can, and all are counted.
FLOW_OPENING = re.compile(r"(?:\A|[:\-,\[{?])\s*(?=[\[{])")


def nesting_bound(text: str) -> int:
    """How deep the YAML `text` can nest at most. A flow collection opens
    with a bracket of its own; block collections nested in one another start
    further right, or, at most one in two (a sequence as a mapping's value), in
    the same column: so no deeper than the brackets that can open a flow
    collection and twice the longest line."""
    longest = max(map(len, text.split("\n")), default=0)
    if "!" in text or "&" in text or "#" in text:
        brackets = text.count("[") + text.count("{")
    else:
        brackets = sum(1 for _ in FLOW_OPENING.finditer(text))
    return brackets + 2 * (longest + 1)


def _plain_nodes(node, text: str) -> bool:
    """False if the composed `node` holds an anchor (a node that starts
    with "&"), an alias (a node met twice) or collections nested more than
    MAX_YAML_DEPTH deep."""
    seen: set[int] = set()
    pending = [(node, 0)]
    while pending:
        node, depth = pending.pop()
        if id(node) in seen or text.startswith("&", node.start_mark.index):
            return False
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            if depth + 1 > MAX_YAML_DEPTH:
                return False
            pending.extend((child, depth + 1) for pair in node.value for child in pair)
        elif isinstance(node, yaml.SequenceNode):
            if depth + 1 > MAX_YAML_DEPTH:
                return False
            pending.extend((child, depth + 1) for child in node.value)
    return True


def _plain_structure(text: str, path: str, problems: Collector, line_offset: int, loader=COMPOSER) -> bool:
    """Reads the YAML's events once (without building anything): False,
    after reporting, if it uses an anchor or an alias or nests too deep."""
    depth = 0
    for event in yaml.parse(text, Loader=loader):
        where = _location(path, event.start_mark, line_offset)
        if isinstance(event, yaml.AliasEvent):
            problems.add(where, f'a YAML alias ("*{event.anchor}"): the edition does not use anchors and '
                         "aliases; write the value out in full")
            return False
        if getattr(event, "anchor", None):
            problems.add(where, f'a YAML anchor ("&{event.anchor}"): the edition does not use anchors and '
                         "aliases; write the value out in full")
            return False
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                problems.add(where, f"nested more than {MAX_YAML_DEPTH} levels deep: a manifest or front "
                             "matter never needs that many")
                return False
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return True


class _Checks:
    """What `_convert` reports to, and which checks each string needs."""

    def __init__(self, problems: Collector, long_words: bool):
        self.problems = problems
        self.long_words = long_words


STR_TAG = "tag:yaml.org,2002:str"


def _convert(node, path, line_offset, constructor, checks: _Checks):
    location = _location(path, node.start_mark, line_offset)
    if isinstance(node, yaml.MappingNode):
        result = YamlMap()
        result.location = location
        result.key_location = {}
        result.value_location = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, constructor, path, line_offset, checks)
            key_location = _location(path, key_node.start_mark, line_offset)
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                first = result.key_location[key]
                checks.problems.add(key_location, f'duplicate key "{key}" (first at line {first.line})')
                continue
            result[key] = _convert(value_node, path, line_offset, constructor, checks)
            result.key_location[key] = key_location
            result.value_location[key] = _location(path, value_node.start_mark, line_offset)
        return result
    if isinstance(node, yaml.SequenceNode):
        result = YamlList()
        result.location = location
        result.item_location = []
        for item in node.value:
            result.append(_convert(item, path, line_offset, constructor, checks))
            result.item_location.append(_location(path, item.start_mark, line_offset))
        return result
    return _scalar(node, constructor, path, line_offset, checks)


def _scalar(node, constructor, path="", line_offset=0, checks: _Checks | None = None):
    if not isinstance(node, yaml.ScalarNode):
        return repr(node.value)
    if node.tag == STR_TAG:  # what the constructor would give
        value = node.value
    else:
        try:
            value = constructor.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError):  # e.g. 2026-02-30: checked as a date later
            value = node.value
        if isinstance(value, (datetime.date, datetime.datetime)):
            return node.value  # keep dates as written: "2026-11-23"
    if isinstance(value, str) and checks is not None and (node.style == '"' or checks.long_words):
        value = _checked_string(value, node, path, line_offset, checks.problems)
    return value


def _checked_string(value: str, node, path: str, line_offset: int, problems: Collector) -> str:
    """Strings from YAML escapes ("\\ud800", "\\x07") may hold what no file
    can: report them, at the value, and give back a string that can be written.
    (Other strings are the file's own characters, checked with the file.)"""
    where = _location(path, node.start_mark, line_offset)
    bad = SURROGATE.search(value) or CONTROL.search(value)
    if bad:
        problems.add(where, f"the value holds {shown(bad.group())}, a character that cannot be printed or "
                     "stored in a book: remove the escape")
        value = CONTROL.sub(" ", SURROGATE.sub("\ufffd", value))
    found = LONG_WORD.search(value)
    if found:
        problems.add(where, f"a word of {len(found.group()):,} characters (more than {MAX_WORD} without a space): "
                     "no line can hold it; break it up with spaces")
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


def calendar_problem(date: str) -> str:
    """Why an ISO date of the right shape (YYYY-MM-DD) is not a day of the
    calendar, e.g. "2026-02-30"; '' when it is one (or not of that shape)."""
    import calendar

    found = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", date)
    if not found:
        return ""
    year, month, day = (int(part) for part in found.groups())
    if not 1 <= month <= 12:
        return f'"{date}" is not a date: there is no month {month}'
    days = calendar.monthrange(year, month)[1] if year >= 1 else 31
    if not 1 <= day <= days:
        return f'"{date}" is not a date: {calendar.month_name[month]} {year} has {days} days'
    return ""


# --- a manifest read again: only the items of "texts:" that changed ----------------


ITEM_START = re.compile(r"( *)- ")


def parse_manifest_yaml(text: str, path: str, problems: Collector, memo: dict | None = None):
    """`parse_yaml` of a manifest; with `memo` (a watcher's, kept between
    builds), the items of its top-level `texts:` list are parsed one by one,
    each kept by its words and first line, so that a rebuild parses again only
    the items that changed (and what is outside the list). Where the manifest
    is not laid out so (one item a line "- " at one indentation after a
    "texts:" line), or any piece does not parse cleanly on its own, it is
    parsed whole, as without `memo`: the result, and every problem, are the same."""
    if memo is None:
        return parse_yaml(text, path, problems)
    pieces = _manifest_pieces(text)
    if pieces is not None:
        head, items, tail = pieces
        trial = Collector()
        data = _pieces_parsed(head, items, tail, path, trial, memo)
        if data is not None and not trial.diagnostics:
            return data
    return parse_yaml(text, path, problems)


def _manifest_pieces(text: str):
    """(head, [(item, first line)], (tail, first line)) of a manifest whose
    top-level `texts:` is a block list, or None."""
    lines = text.splitlines(keepends=True)
    start = next((n for n, line in enumerate(lines) if line.rstrip() == "texts:"), None)
    if start is None:
        return None
    items: list[list] = []  # [first line, end] of each item (0-based)
    indent = None
    end = len(lines)  # where the items end
    for number in range(start + 1, len(lines)):
        line = lines[number]
        bare = line.strip()
        found = ITEM_START.match(line)
        if indent is None:
            if not bare or bare.startswith("#"):
                continue
            if not found:
                return None
            indent = found.group(1)
        if found and found.group(1) == indent:
            items.append([number, number + 1])
        elif bare and not line[0].isspace() and not line.startswith("#"):
            end = number  # the next top-level key
            break
        elif items:
            items[-1][1] = number + 1
    if not items:
        return None
    head = "".join(lines[: items[0][0]])
    pieces = [("".join(lines[a:b]), a + 1) for a, b in items]
    return head, pieces, ("".join(lines[end:]), end + 1)


def _pieces_parsed(head, items, tail, path, problems, memo):
    data = parse_yaml(head, path, problems)
    if not isinstance(data, YamlMap) or list(data)[-1:] != ["texts"] or data["texts"] is not None:
        return None
    parsed = YamlList()
    parsed.item_location = []
    for words, line in items:
        key = (words, line, path)
        item = memo.get(key)
        if item is None:
            item = parse_yaml(words, path, problems, line_offset=line - 1)
            if not isinstance(item, YamlList) or len(item) != 1 or problems.diagnostics:
                return None
            memo[key] = item
        if not parsed:
            parsed.location = item.location  # where the list starts: its first "-"
        parsed.append(item[0])
        parsed.item_location.append(item.item_location[0])
    data["texts"] = parsed
    data.value_location["texts"] = parsed.location
    words, line = tail
    if words.strip():
        rest = parse_yaml(words, path, problems, line_offset=line - 1)
        if not isinstance(rest, YamlMap) or set(rest) & set(data):
            return None
        for key, value in rest.items():
            data[key] = value
            data.key_location[key] = rest.key_location[key]
            data.value_location[key] = rest.value_location[key]
    if len(memo) > 100_000:
        memo.clear()
    return data

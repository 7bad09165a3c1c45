"""A small declarative checker for the YAML mappings of manifests and front
matter: required keys, types, and unknown keys (a typo is never ignored)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import Collector, Location, did_you_mean
from .source import YamlList, YamlMap, shown

TYPE_NAMES = {str: "a string", bool: "true or false", int: "a whole number",
              list: "a list", dict: "a mapping"}


@dataclass(frozen=True)
class Field:
    kind: type | tuple[type, ...]
    required: bool = False
    positive: bool = False  # for int: must be >= 1


def _type_name(kind) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(TYPE_NAMES.get(k, k.__name__) for k in kinds)


def check_mapping(value: Any, fields: dict[str, Field], where: Location, what: str,
                  problems: Collector) -> dict | None:
    """Checks `value` against `fields`; returns the valid entries (with
    numbers and dates given as strings where a string is expected) or None
    when `value` is not a mapping at all."""
    if not isinstance(value, YamlMap):
        problems.add(where, f"{what} must be a mapping of keys to values, not {_describe(value)}")
        return None
    result: dict = {}
    suggested = set()  # required keys a misspelt key stands for: "titel" is the missing "title"
    for key, item in value.items():
        key_at = value.key_location[key]
        if key not in fields:
            hint = did_you_mean(key, fields)
            problems.add(key_at, f'unknown key "{shown(key)}" in {what}{hint}')  # "title\u200b" shows why
            if hint:
                suggested.add(hint.split('"')[1])
            continue
        spec = fields[key]
        kinds = spec.kind if isinstance(spec.kind, tuple) else (spec.kind,)
        if str in kinds and isinstance(item, (int, float)) and not isinstance(item, bool):
            item = str(item)  # `version: 1.0`, `date: 1926`
        if item is None and spec.required:
            problems.add(value.value_location[key], f'"{key}" in {what} is empty')
            continue
        if item is None:
            continue
        if not _is_kind(item, kinds):
            problems.add(value.value_location[key],
                         f'"{key}" in {what} must be {_type_name(spec.kind)}, not {_describe(item)}')
            continue
        if isinstance(item, str) and not item.strip() and spec.required:
            problems.add(value.value_location[key], f'"{key}" in {what} is empty')
            continue
        if spec.positive and isinstance(item, int) and item < 1:
            problems.add(value.value_location[key], f'"{key}" in {what} must be 1 or more')
            continue
        result[key] = item
    missing = [f'"{key}"' for key, spec in fields.items()
               if spec.required and key not in value and key not in suggested]
    if missing:  # one message for all of them: the block is incomplete
        listed = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + f" or {missing[-1]}"
        problems.add(where, f"{what} has no {listed}")
    return result


def _is_kind(item, kinds) -> bool:
    for kind in kinds:
        if kind is bool and isinstance(item, bool):
            return True
        if kind is int and isinstance(item, int) and not isinstance(item, bool):
            return True
        if kind is list and isinstance(item, YamlList):
            return True
        if kind is dict and isinstance(item, YamlMap):
            return True
        if kind is str and isinstance(item, str):
            return True
    return False


def _describe(item) -> str:
    if item is None:
        return "nothing"
    if isinstance(item, bool):
        return f"{str(item).lower()}"
    if isinstance(item, YamlMap):
        return "a mapping"
    if isinstance(item, YamlList):
        return "a list"
    if isinstance(item, str):
        return f'the text "{item[:40]}"'
    return f"{item!r}"

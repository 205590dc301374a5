"""Declarative field specs for DUT profile tables, and the error they raise.

A table is read against a sequence of `Field`s: unknown keys, missing required keys and values
that fail their `Check` all become a `FieldError` naming the dotted key, the value and what was
expected. The loader turns that into a `ProfileError` carrying the file path.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Final


class Shown:
    """Stand-in value whose repr is its text (for `<missing>`, secrets, parse errors)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Shown) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


MISSING: Final = Shown("<missing>")


def secret(value: object) -> Shown:
    """Hide a secret value in messages, keeping only its length."""
    if isinstance(value, str):
        return Shown(f"<secret: {len(value)} characters>")
    return Shown(f"<secret: {type(value).__name__}>")


class ProfileError(Exception):
    """A DUT profile is unreadable or invalid: says file, dotted key, value and expectation."""

    exit_code: ClassVar[int] = 4

    def __init__(self, path: Path, key: str, value: object, expected: str) -> None:
        self.path = path
        self.key = key
        self.value = value
        self.expected = expected
        super().__init__(f"{path}: [{key}] = {value!r}: expected {expected}")


class FieldError(Exception):
    """A key of the profile failed validation (the loader adds the file path)."""

    def __init__(self, key: str, value: object, expected: str) -> None:
        super().__init__(f"[{key}] = {value!r}: expected {expected}")
        self.key = key
        self.value = value
        self.expected = expected


class Reject(Exception):
    """Raised inside a check; fields left None are filled in by the `Check` and the reader."""

    def __init__(
        self, expected: str | None = None, *, value: object = MISSING, at: str = ""
    ) -> None:
        super().__init__(expected)
        self.expected = expected
        self.value = value
        self.at = at


class Check:
    """A validator/converter with the human wording of what it accepts."""

    def __init__(self, expected: str, convert: Callable[[object], Any]) -> None:
        self.expected = expected
        self._convert = convert

    def __call__(self, value: object) -> Any:
        """Return the converted value or raise `Reject` with the expectation filled in."""
        try:
            return self._convert(value)
        except Reject as bad:
            if bad.expected is None:
                bad.expected = self.expected
            raise


@dataclass(frozen=True)
class Field:
    """One key of a table: its check and whether it must be present."""

    name: str
    check: Check
    required: bool = False
    secret: bool = False


def join_key(where: str, name: str) -> str:
    """Return the dotted key of `name` inside the table at `where`."""
    return f"{where}.{name}" if where else name


def read_table(raw: object, fields: Sequence[Field], where: str) -> dict[str, Any]:
    """Check the table `raw` against `fields`; return converted values of the keys present."""
    if not isinstance(raw, dict):
        raise FieldError(where, raw, "a table")
    known = {field.name: field for field in fields}
    for name, value in raw.items():
        if name not in known:
            allowed = ", ".join(known) or "none"
            known_what = f"a known key of [{where}]; allowed keys" if where else "a known table"
            raise FieldError(join_key(where, name), value, f"{known_what}: {allowed}")
    values: dict[str, Any] = {}
    for field in fields:
        key = join_key(where, field.name)
        if field.name not in raw:
            if field.required:
                raise FieldError(key, MISSING, field.check.expected)
            continue
        value = raw[field.name]
        try:
            values[field.name] = field.check(value)
        except Reject as bad:
            shown = value if bad.value is MISSING else bad.value
            if field.secret:
                shown = secret(shown)
            raise FieldError(key + bad.at, shown, bad.expected or field.check.expected) from None
    return values


# -- checks -------------------------------------------------------------------------------------


def _length_words(lo: int, hi: int | None) -> str:
    if hi is None:
        return f"at least {lo} characters"
    return f"{lo}..{hi} characters"


def text(
    lo: int = 1, hi: int | None = None, *, forbid: str = "", rule: str = "", nonblank: bool = False
) -> Check:
    """Accept a string of `lo..hi` characters without the characters in `forbid`."""
    expected = f"a string of {_length_words(lo, hi)}"
    if forbid:
        expected += " without " + " or ".join(repr(c) for c in forbid)
    if rule:
        expected += f" ({rule})"

    def convert(value: object) -> str:
        if not isinstance(value, str):
            raise Reject()
        if len(value) < lo or (hi is not None and len(value) > hi):
            raise Reject()
        if nonblank and not value.strip():
            raise Reject()
        if any(c in value for c in forbid):
            raise Reject()
        return value

    return Check(expected, convert)


def integer(lo: int, hi: int | None = None, *, rule: str = "") -> Check:
    """Accept an integer in `lo..hi` (never a boolean, though TOML bools are Python ints)."""
    expected = f"an integer {lo}..{hi}" if hi is not None else f"an integer >= {lo}"
    if rule:
        expected += f" ({rule})"

    def convert(value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise Reject()
        if value < lo or (hi is not None and value > hi):
            raise Reject()
        return value

    return Check(expected, convert)


def number(lo: float, *, inclusive: bool) -> Check:
    """Accept a finite integer or float `> lo` (or `>= lo`), converted to float."""
    expected = f"a number {'>=' if inclusive else '>'} {lo:g}"

    def convert(value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise Reject()
        as_float = float(value)
        if not math.isfinite(as_float) or as_float < lo or (as_float == lo and not inclusive):
            raise Reject()
        return as_float

    return Check(expected, convert)


def boolean() -> Check:
    """Accept `true` or `false`."""

    def convert(value: object) -> bool:
        if not isinstance(value, bool):
            raise Reject()
        return value

    return Check("true or false", convert)


def one_of(choices: Sequence[str], parse: Callable[[str], Any] | None = None) -> Check:
    """Accept one of the strings `choices`; `parse` converts it (e.g. to an enum)."""
    expected = "one of " + ", ".join(repr(c) for c in choices)

    def convert(value: object) -> Any:
        if not isinstance(value, str) or value not in choices:
            raise Reject()
        return parse(value) if parse is not None else value

    return Check(expected, convert)


def list_of(item: Check, *, min_items: int = 0, unique: bool = False) -> Check:
    """Accept a list whose items pass `item`; return them as a tuple."""
    expected = f"a list of {item.expected}"
    if min_items:
        expected = f"a non-empty list of {item.expected}"
    if unique:
        expected += ", without repeats"

    def convert(value: object) -> tuple[Any, ...]:
        if not isinstance(value, list) or len(value) < min_items:
            raise Reject()
        out: list[Any] = []
        for index, element in enumerate(value):
            try:
                converted = item(element)
            except Reject as bad:
                raise Reject(bad.expected, value=element, at=f"[{index}]") from None
            if unique and converted in out:
                raise Reject(f"{item.expected}, not a repeat", value=element, at=f"[{index}]")
            out.append(converted)
        return tuple(out)

    return Check(expected, convert)


def table(expected: str = "a table") -> Check:
    """Accept a table as is (it is read by its own field list afterwards)."""

    def convert(value: object) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            raise Reject()
        return value

    return Check(expected, convert)


def path_to(base: Path, kind: str) -> Check:
    """Accept a path to an existing `kind` ('file' or 'directory'), relative to `base`."""
    expected = f"a path to an existing {kind} (relative paths start at {base})"

    def convert(value: object) -> Path:
        if not isinstance(value, str) or not value:
            raise Reject()
        resolved = resolve_path(base, value)
        exists = resolved.is_file() if kind == "file" else resolved.is_dir()
        if not exists:
            raise Reject(f"{expected}; {resolved} is not one")
        return resolved

    return Check(expected, convert)


def resolve_path(base: Path, value: str) -> Path:
    """Resolve `value` (with `~`) against `base` into a normalized absolute path."""
    candidate = Path(value).expanduser()
    if not candidate.is_absolute():
        candidate = base.absolute() / candidate
    return Path(os.path.normpath(candidate))

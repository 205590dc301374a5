"""Strict reading of one TOML table: typed getters, dotted keys in errors, unknown keys refused."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from harness.rig.errors import RigFileError


class TableReader:
    """Read keys of one TOML table, remembering which were used so leftovers are reported."""

    def __init__(self, path: Path, table: dict[str, Any], prefix: str) -> None:
        self.path = path
        self.table = table
        self.prefix = prefix
        self._used: set[str] = set()

    def key(self, name: str) -> str:
        """The dotted key of `name` in this table, e.g. `instrument[2].limits.max_current`."""
        return f"{self.prefix}.{name}" if self.prefix else name

    def fail(self, name: str, expected: str, value: object) -> RigFileError:
        """The error for key `name` holding `value` where `expected` was needed."""
        return RigFileError(self.path, self.key(name), expected, value)

    def has(self, name: str) -> bool:
        """True when the table gives `name`."""
        return name in self.table

    def _take(self, name: str, required: bool, expected: str) -> Any:
        self._used.add(name)
        if name not in self.table:
            if required:
                close = difflib.get_close_matches(name, [str(k) for k in self.table], 1)
                hint = f"; is {close[0]!r} a typo?" if close else ""
                raise RigFileError(
                    self.path, self.key(name), f"{expected} (the key is missing{hint})"
                )
            return None
        return self.table[name]

    def string(
        self, name: str, *, required: bool = True, choices: Iterable[str] | None = None
    ) -> str | None:
        """A non-empty string, optionally one of `choices`."""
        options = tuple(choices) if choices is not None else None
        expected = f"one of {', '.join(repr(c) for c in options)}" if options else "a string"
        value = self._take(name, required, expected)
        if value is None:
            return None
        if not isinstance(value, str) or not value:
            raise self.fail(name, f"a non-empty string ({expected})", value)
        if options is not None and value not in options:
            raise self.fail(name, expected, value)
        return value

    def text(self, name: str, default: str) -> str:
        """A string that may be empty (terminations), with a default."""
        value = self._take(name, False, "a string")
        if value is None:
            return default
        if not isinstance(value, str):
            raise self.fail(name, "a string", value)
        return value

    def integer(self, name: str, *, required: bool = True, minimum: int = 0) -> int | None:
        """An integer >= `minimum` (booleans refused)."""
        expected = f"an integer >= {minimum}"
        value = self._take(name, required, expected)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(name, expected, value)
        return value

    def number(self, name: str, *, required: bool = True, positive: bool = True) -> float | None:
        """A number (integer or float), > 0 when `positive`, else >= 0."""
        expected = "a number > 0" if positive else "a number >= 0"
        value = self._take(name, required, expected)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(name, expected, value)
        number = float(value)
        if number != number or number in (float("inf"), float("-inf")):
            raise self.fail(name, "a finite number", value)
        if number < 0 or (positive and number == 0):
            raise self.fail(name, expected, value)
        return number

    def boolean(self, name: str, default: bool) -> bool:
        """`true` or `false`."""
        value = self._take(name, False, "true or false")
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.fail(name, "true or false", value)
        return value

    def table_of(self, name: str, *, required: bool = False) -> TableReader | None:
        """A sub-table, read with its own dotted prefix."""
        value = self._take(name, required, "a table")
        if value is None:
            return None
        if not isinstance(value, dict):
            raise self.fail(name, f"a table [{self.key(name)}]", value)
        return TableReader(self.path, value, self.key(name))

    def array_of_tables(self, name: str) -> list[TableReader]:
        """An array of tables `[[name]]`, each with prefix `name[i]`."""
        value = self._take(name, True, f"at least one [[{name}]] table")
        if not isinstance(value, list) or not value:
            raise self.fail(name, f"at least one [[{name}]] table", value)
        readers = []
        for index, item in enumerate(value):
            key = f"{self.key(name)}[{index}]"
            if not isinstance(item, dict):
                raise RigFileError(self.path, key, "a table", item)
            readers.append(TableReader(self.path, item, key))
        return readers

    def scalars(self, name: str) -> dict[str, str | int | float | bool]:
        """A table of free-form scalar settings (plug-in options)."""
        sub = self.table_of(name)
        if sub is None:
            return {}
        values: dict[str, str | int | float | bool] = {}
        for key, value in sub.table.items():
            if not isinstance(value, str | int | float | bool):
                raise sub.fail(key, "a string, number or boolean", value)
            values[key] = value
        sub._used.update(sub.table)
        return values

    def finish(self) -> None:
        """Refuse keys nobody read (typos, keys of another driver)."""
        unknown = sorted(set(self.table) - self._used)
        if unknown:
            known = ", ".join(sorted(self._used)) or "none"
            raise RigFileError(
                self.path, self.key(unknown[0]), f"no such key here (known keys: {known})"
            )

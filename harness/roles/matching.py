"""Subset matching of payloads, as used by `expect(where=...)`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

Where = Mapping[str, Any] | Callable[[dict[str, Any]], bool] | None


def matches(value: Any, pattern: Any) -> bool:
    """True when `value` contains `pattern`.

    A mapping matches when every key of the pattern is present and matches; a list pattern
    matches when each of its items matches some item of the value; a callable is a predicate;
    anything else compares equal.
    """
    if callable(pattern):
        try:
            return bool(pattern(value))
        except (KeyError, IndexError, TypeError, ValueError):
            return False
    if isinstance(pattern, Mapping):
        return isinstance(value, Mapping) and all(
            key in value and matches(value[key], sub) for key, sub in pattern.items()
        )
    if isinstance(pattern, list):
        return isinstance(value, list) and all(
            any(matches(item, sub) for item in value) for sub in pattern
        )
    return bool(value == pattern)


def satisfies(payload: dict[str, Any], where: Where) -> bool:
    """True when `payload` satisfies `where` (None matches everything)."""
    return where is None or matches(payload, where)


def describe(where: Where) -> str:
    """Short text for failure messages."""
    if where is None:
        return ""
    if callable(where):
        return f" matching {getattr(where, '__name__', 'predicate')}"
    return f" with {dict(where)}"

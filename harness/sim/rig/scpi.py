"""A small SCPI command interpreter: mnemonic trees, short/long forms, queries, error queue.

IEEE 488.2 / SCPI-1999 rules the virtual instruments follow (harness/rig/drivers/README.md):
headers are case-insensitive and match the short form (the upper-case part of a mnemonic) or
the long form; `[...]` nodes are optional; a trailing `#` takes a numeric suffix (`ITEM3`);
only queries are answered; every failure is pushed to a bounded error queue that
`SYSTem:ERRor?` (or the vendor's equivalent) pops, `0,"No error"` when empty.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

#: Error queue length; an overflow replaces the newest entry (SCPI-1999 §21.8.2).
QUEUE_LENGTH: Final = 16
NO_ERROR: Final = '0,"No error"'

Query = Callable[[list[str], list[int]], str]
Write = Callable[[list[str], list[int]], None]


class ScpiError(Exception):
    """A command failed; `code` and `text` go to the error queue."""

    def __init__(self, code: int, text: str) -> None:
        super().__init__(f"{code},{text}")
        self.code = code
        self.text = text


UNDEFINED_HEADER: Final = (-113, "Undefined header")
DATA_OUT_OF_RANGE: Final = (-222, "Data out of range")
MISSING_PARAMETER: Final = (-109, "Missing parameter")
ILLEGAL_PARAMETER: Final = (-224, "Illegal parameter value")
DATA_TYPE: Final = (-104, "Data type error")


@dataclass(frozen=True, slots=True)
class _Node:
    short: str
    long: str
    optional: bool
    suffix: bool

    def match(self, token: str) -> int | bool | None:
        """False when `token` is not this node; else its numeric suffix (None if none)."""
        word, digits = token, ""
        if self.suffix:
            found = re.fullmatch(r"([A-Za-z*]+)(\d*)", token)
            if found is None:
                return False
            word, digits = found.group(1), found.group(2)
        if word.upper() not in (self.short, self.long):
            return False
        return int(digits) if digits else None


def _parse_pattern(pattern: str) -> list[_Node]:
    nodes: list[_Node] = []
    for raw in re.findall(r"\[?:?[A-Za-z*#]+\]?", pattern):
        optional = raw.startswith("[")
        name = raw.strip("[]:")
        suffix = name.endswith("#")
        name = name.rstrip("#")
        short = "".join(c for c in name if c.isupper() or c == "*") or name.upper()
        nodes.append(_Node(short, name.upper(), optional, suffix))
    return nodes


def _match(nodes: list[_Node], tokens: list[str]) -> list[int] | None:
    """Suffixes of a match of `tokens` against `nodes` (optional nodes may be skipped)."""
    if not nodes:
        return [] if not tokens else None
    node, rest = nodes[0], nodes[1:]
    if tokens:
        hit = node.match(tokens[0])
        if hit is not False:
            tail = _match(rest, tokens[1:])
            if tail is not None:
                return ([1 if hit is None else int(hit)] if node.suffix else []) + tail
    if node.optional:
        skipped = _match(rest, tokens)
        if skipped is not None:
            return ([1] if node.suffix else []) + skipped
    return None


@dataclass(frozen=True, slots=True)
class _Command:
    nodes: list[_Node]
    query: Query | None
    write: Write | None


class ScpiInstrument:
    """Commands of one instrument and its error queue; `handle` takes one program line."""

    def __init__(self, identity: str) -> None:
        self.identity = identity
        self.errors: deque[tuple[int, str]] = deque()
        self._commands: list[_Command] = []
        self.add("*IDN", query=lambda _a, _s: self.identity)
        self.add("*RST", write=lambda _a, _s: self.reset())
        self.add("*CLS", write=lambda _a, _s: self.errors.clear())
        self.add("*OPC", query=lambda _a, _s: "1", write=lambda _a, _s: None)

    def add(self, pattern: str, *, query: Query | None = None, write: Write | None = None) -> None:
        """Register `pattern` (e.g. `OUTPut[:STATe]`) with its query and/or set handler."""
        self._commands.append(_Command(_parse_pattern(pattern), query, write))

    def add_error_queue(self, pattern: str) -> None:
        """Register the query that pops the oldest error (`SYSTem:ERRor[:NEXT]`)."""
        self.add(pattern, query=lambda _a, _s: self.pop_error())

    def push_error(self, code: int, text: str) -> None:
        """Queue an error; when full, the newest entry becomes -350 Queue overflow."""
        if len(self.errors) >= QUEUE_LENGTH:
            self.errors[-1] = (-350, "Queue overflow")
            return
        self.errors.append((code, text))

    def pop_error(self) -> str:
        """The oldest queued error, or `0,"No error"`."""
        if not self.errors:
            return NO_ERROR
        code, text = self.errors.popleft()
        return f'{code},"{text}"'

    def reset(self) -> None:
        """`*RST`: return to the power-on settings (subclasses extend)."""

    def handle(self, line: str) -> str | None:
        """Execute one program message; return the answer of a query, else None."""
        text = line.strip()
        if not text:
            return None
        header, _, rest = text.partition(" ")
        query = header.endswith("?")
        tokens = [t for t in header.rstrip("?").lstrip(":").split(":") if t]
        args = [a.strip() for a in rest.split(",")] if rest.strip() else []
        for command in self._commands:
            if (command.query if query else command.write) is None:
                continue
            suffixes = _match(command.nodes, tokens)
            if suffixes is None:
                continue
            try:
                if command.query is not None and query:
                    return command.query(args, suffixes)
                if command.write is not None:
                    command.write(args, suffixes)
            except ScpiError as error:
                self.push_error(error.code, error.text)
            return None
        self.push_error(*UNDEFINED_HEADER)
        return None


def number(args: list[str], *, low: float | None = None, high: float | None = None) -> float:
    """The single numeric parameter, within [low, high]; else a SCPI error."""
    if not args:
        raise ScpiError(*MISSING_PARAMETER)
    try:
        value = float(args[0])
    except ValueError as exc:
        raise ScpiError(*DATA_TYPE) from exc
    if value != value or (low is not None and value < low) or (high is not None and value > high):
        raise ScpiError(*DATA_OUT_OF_RANGE)
    return value


def boolean(args: list[str]) -> bool:
    """The single boolean parameter: ON/OFF/1/0."""
    if not args:
        raise ScpiError(*MISSING_PARAMETER)
    word = args[0].upper()
    if word in ("ON", "1"):
        return True
    if word in ("OFF", "0"):
        return False
    raise ScpiError(*ILLEGAL_PARAMETER)


def nr3(value: float) -> str:
    """A number in NR3 form as the WT300E sends it (`230.01E+00`)."""
    return f"{value:.5E}"

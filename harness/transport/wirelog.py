"""The wire log: one monotonic timeline of frames, connection events and harness actions.

Entries are appended to a JSON-lines file as they happen (so an aborted run keeps its log) and
kept in memory up to a bound for failure messages. Each line is
`{"t": s since start, "utc", "kind", "dir": "in"|"out"|null, "conn", "text"}`.
"""

from __future__ import annotations

import json
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Final

from harness.ocppj.clock import utc_timestamp

#: Entries kept in memory for timelines in failure messages.
_MEMORY: Final = 2_000


@dataclass(frozen=True, slots=True)
class WireEntry:
    """One line of the wire log."""

    t: float
    utc: str
    kind: str
    direction: str | None
    connection: str | None
    text: str

    def as_dict(self) -> dict[str, object]:
        """Serializable form (the JSON-lines schema above)."""
        return {
            "t": round(self.t, 6),
            "utc": self.utc,
            "kind": self.kind,
            "dir": self.direction,
            "conn": self.connection,
            "text": self.text,
        }

    def render(self) -> str:
        """One human-readable line."""
        arrow = {"in": "<-", "out": "->"}.get(self.direction or "", "  ")
        where = f" {self.connection}" if self.connection else ""
        return f"{self.t:9.3f}s {arrow} {self.kind}{where}: {self.text}"


class WireLog:
    """Append-only timeline shared by everything that happens in one case."""

    def __init__(
        self, path: Path | None = None, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._clock = clock
        self.t0 = clock()
        self.path = path
        self._file: IO[str] | None = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._file = path.open("a", encoding="utf-8")
        self.recent: deque[WireEntry] = deque(maxlen=_MEMORY)
        self.count = 0

    def now(self) -> float:
        """Seconds since the log started, on the monotonic clock."""
        return self._clock() - self.t0

    def record(
        self,
        kind: str,
        text: str,
        *,
        direction: str | None = None,
        connection: str | None = None,
    ) -> WireEntry:
        """Append one entry and write it through to the file."""
        entry = WireEntry(self.now(), utc_timestamp(), kind, direction, connection, text)
        self.recent.append(entry)
        self.count += 1
        if self._file is not None:
            self._file.write(json.dumps(entry.as_dict(), ensure_ascii=False) + "\n")
            self._file.flush()
        return entry

    def frame(self, direction: str, text: str, connection: str | None = None) -> WireEntry:
        """Record a websocket text frame sent (`out`) or received (`in`)."""
        return self.record("frame", text, direction=direction, connection=connection)

    def timeline(self, last: int = 40) -> str:
        """The last entries as readable lines, for failure messages."""
        entries = list(self.recent)[-last:]
        skipped = self.count - len(entries)
        head = (
            [f"... {skipped} earlier entries in {self.path or 'the wire log'}"] if skipped else []
        )
        return "\n".join(head + [entry.render() for entry in entries])

    def close(self) -> None:
        """Flush and close the file; further entries stay in memory only."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> WireLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

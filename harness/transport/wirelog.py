"""The wire log: one monotonic timeline of frames, connection events and harness actions.

Entries are kept in memory (bounded) for failure messages and written to a JSON-lines file in
small batches: within 20 ms while an event loop runs, at once otherwise, and on `close()`, so
an aborted run keeps its log up to its last moments without paying a write per frame. Each
line is `{"t": s since start, "utc", "kind", "dir": "in"|"out"|null, "conn", "text"}`.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, Final

from harness.ocppj.clock import utc_timestamp

#: Entries kept in memory for timelines in failure messages.
_MEMORY: Final = 2_000
#: Longest time an entry waits in memory before it is written while a loop runs.
FLUSH_DELAY: Final = 0.02
_ENCODER: Final = json.JSONEncoder(ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class WireEntry:
    """One line of the wire log; `t` is seconds since the log started."""

    t: float
    kind: str
    direction: str | None
    connection: str | None
    text: str

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
        self.wall0 = datetime.now(UTC)
        self.path = path
        self._file: IO[str] | None = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._file = path.open("a", encoding="utf-8")
        self.recent: deque[WireEntry] = deque(maxlen=_MEMORY)
        self.count = 0
        self._unwritten: list[WireEntry] = []
        self._flush_scheduled = False

    def now(self) -> float:
        """Seconds since the log started, on the monotonic clock."""
        return self._clock() - self.t0

    def utc(self, t: float) -> str:
        """The UTC timestamp (ms, Z) of a moment on this log's clock."""
        return utc_timestamp(self.wall0 + timedelta(seconds=t))

    def record(
        self,
        kind: str,
        text: str,
        *,
        direction: str | None = None,
        connection: str | None = None,
    ) -> WireEntry:
        """Append one entry; it reaches the file within FLUSH_DELAY."""
        entry = WireEntry(self.now(), kind, direction, connection, text)
        self.recent.append(entry)
        self.count += 1
        if self._file is not None:
            self._unwritten.append(entry)
            self._schedule_flush()
        return entry

    def frame(self, direction: str, text: str, connection: str | None = None) -> WireEntry:
        """Record a websocket text frame sent (`out`) or received (`in`)."""
        return self.record("frame", text, direction=direction, connection=connection)

    def as_dict(self, entry: WireEntry) -> dict[str, object]:
        """The JSON-lines form of an entry."""
        return {
            "t": round(entry.t, 6),
            "utc": self.utc(entry.t),
            "kind": entry.kind,
            "dir": entry.direction,
            "conn": entry.connection,
            "text": entry.text,
        }

    def _schedule_flush(self) -> None:
        if self._flush_scheduled:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.flush()
            return
        self._flush_scheduled = True
        loop.call_later(FLUSH_DELAY, self.flush)

    def flush(self) -> None:
        """Write every entry not yet in the file."""
        self._flush_scheduled = False
        if self._file is None or not self._unwritten:
            return
        lines = [_ENCODER.encode(self.as_dict(entry)) for entry in self._unwritten]
        self._unwritten.clear()
        self._file.write("\n".join(lines) + "\n")
        self._file.flush()

    def timeline(self, last: int = 40) -> str:
        """The last entries as readable lines, for failure messages."""
        entries = list(self.recent)[-last:]
        skipped = self.count - len(entries)
        where = self.path or "the wire log"
        head = [f"... {skipped} earlier entries in {where}"] if skipped else []
        return "\n".join(head + [entry.render() for entry in entries])

    def close(self) -> None:
        """Write what is pending and close the file; later entries stay in memory only."""
        self.flush()
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> WireLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

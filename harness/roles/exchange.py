"""What was exchanged with the DUT, as data the case can query."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from harness.ocppj.frames import CallError
from harness.ocppj.schemas import SchemaViolation


@dataclass(slots=True)
class Message:
    """One CALL (or 2.1 SEND) in either direction, with its answer once there is one.

    `direction` is "in" for what the DUT sent and "out" for what the harness sent; `at` is
    seconds since the case started.
    """

    direction: str
    kind: str
    action: str
    message_id: str
    payload: dict[str, Any]
    at: float
    connection: int
    violations: tuple[SchemaViolation, ...] = ()
    answer: dict[str, Any] | None = None
    error: CallError | None = None
    answered_at: float | None = None
    consumed: bool = False

    def __getitem__(self, key: str) -> Any:
        return self.payload[key]

    def get(self, key: str, default: Any = None) -> Any:
        """Payload field or `default`."""
        return self.payload.get(key, default)

    def summary(self) -> str:
        """One line for notes and failure messages."""
        arrow = "<-" if self.direction == "in" else "->"
        return f"{self.at:.3f}s {arrow} {self.action} {self.payload}"


@dataclass(slots=True)
class CallOutcome:
    """The answer to a CALL the harness sent: a result payload, a CallError, or nothing."""

    request: Message
    payload: dict[str, Any] | None = None
    error: CallError | None = None
    violations: tuple[SchemaViolation, ...] = ()
    timed_out: bool = False
    connection_closed: bool = False

    @property
    def ok(self) -> bool:
        """True for a schema-valid CALLRESULT."""
        return self.payload is not None and not self.violations

    def __getitem__(self, key: str) -> Any:
        if self.payload is None:
            raise KeyError(f"{self.request.action} got no CALLRESULT ({self.describe()})")
        return self.payload[key]

    def get(self, key: str, default: Any = None) -> Any:
        """Result field or `default` (also when there was no result)."""
        return default if self.payload is None else self.payload.get(key, default)

    def describe(self) -> str:
        """What came back, in words."""
        if self.payload is not None:
            return f"CALLRESULT {self.payload}"
        if self.error is not None:
            return f"CALLERROR {self.error.code} {self.error.description!r}"
        return "connection closed" if self.connection_closed else "no answer (timed out)"


@dataclass(slots=True)
class Exchange:
    """Every CALL/SEND in both directions, bounded so a flooding DUT cannot exhaust memory."""

    limit: int = 50_000
    messages: list[Message] = field(default_factory=list)
    dropped: int = 0

    def add(self, message: Message) -> None:
        """Keep `message` unless the bound is reached (then only count it)."""
        if len(self.messages) >= self.limit:
            self.dropped += 1
            return
        self.messages.append(message)

    def select(self, direction: str, action: str | None = None) -> list[Message]:
        """Messages in one direction, optionally of one action, in arrival order."""
        return [
            m
            for m in self.messages
            if m.direction == direction and (action is None or m.action == action)
        ]

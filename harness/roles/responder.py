"""How the harness answers one action: `peer.on(action).respond(...)` and friends."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from harness.roles.exchange import Message
from harness.roles.matching import Where

Payload = dict[str, Any]
ResponseFactory = Callable[[Message], Payload | Awaitable[Payload]]


@dataclass(slots=True)
class _Reply:
    payload: Payload | None = None
    factory: ResponseFactory | None = None
    merge_default: bool = True
    error: tuple[str, str] | None = None
    delay: float = 0.0
    ignore: bool = False


class Responder:
    """How the harness answers one action; made by `Peer.on(action)`."""

    def __init__(self, action: str, *, once: bool, where: Where) -> None:
        self.action = action
        self.once = once
        self.where = where
        self.reply = _Reply()
        self.used = 0

    def respond(self, payload: Payload | None = None, /, **fields: Any) -> Responder:
        """Answer with the default answer for the action, overridden by these fields."""
        self.reply.payload = {**(payload or {}), **fields}
        return self

    def respond_exact(self, payload: Payload) -> Responder:
        """Answer with exactly this payload (no defaults merged in)."""
        self.reply.payload = dict(payload)
        self.reply.merge_default = False
        return self

    def respond_with(self, factory: ResponseFactory) -> Responder:
        """Answer with what `factory(request)` returns (sync or async)."""
        self.reply.factory = factory
        return self

    def error(self, code: str, description: str = "") -> Responder:
        """Answer with a CALLERROR."""
        self.reply.error = (code, description)
        return self

    def after(self, seconds: float) -> Responder:
        """Delay the answer (the reader keeps running meanwhile)."""
        self.reply.delay = seconds
        return self

    def ignore(self) -> Responder:
        """Never answer (the DUT's CALL times out on its side)."""
        self.reply.ignore = True
        return self

"""Test doubles for the rig: a scripted VISA transport that checks every byte it is sent."""

from __future__ import annotations


class ScriptedTransport:
    """Plays `(expected command, answer or None)` pairs in order; any deviation fails."""

    def __init__(self, script: list[tuple[str, str | None]]) -> None:
        self.script = list(script)
        self.written: list[str] = []
        self._pending: list[str] = []
        self.closed = False

    def write(self, message: str) -> int:
        self.written.append(message)
        index = len(self.written) - 1
        assert index < len(self.script), f"unexpected extra command {message!r}"
        expected, answer = self.script[index]
        assert message == expected, f"command {index}: sent {message!r}, expected {expected!r}"
        if answer is not None:
            self._pending.append(answer)
        return len(message)

    def read(self) -> str:
        if not self._pending:
            raise TimeoutError("VI_ERROR_TMO: no answer")
        return self._pending.pop(0)

    def close(self) -> None:
        self.closed = True

    def assert_done(self) -> None:
        """Every scripted command was sent."""
        missing = [c for c, _ in self.script[len(self.written) :]]
        assert not missing, f"commands never sent: {missing}"


OK = '0,"No error"'


def w(command: str) -> list[tuple[str, str | None]]:
    """A set command followed by a clean error-queue read (SCPI `SYST:ERR?`)."""
    return [(command, None), ("SYST:ERR?", OK)]


def yw(command: str) -> list[tuple[str, str | None]]:
    """A set command followed by a clean Yokogawa `:STATus:ERRor?` read."""
    return [(command, None), (":STATus:ERRor?", OK)]

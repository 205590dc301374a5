"""Serve a virtual SCPI instrument over TCP on loopback, like a LAN instrument's raw socket.

One program message per line (`\\n`, a trailing `\\r` ignored); queries are answered with one
line, set commands with nothing. Lines are bounded; a client that sends an over-long line is
disconnected. Every client sees the same instrument (its state and error queue).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Callable

from harness.sim.rig.scpi import ScpiInstrument

log = logging.getLogger("harness.sim.rig")

#: Longest program message accepted (bytes).
MAX_LINE = 4096
#: Bound on closing the server and its connections (s).
CLOSE_WITHIN = 2.0

#: `on_io(instrument, direction, text)`: direction "in" (received) or "out" (answered).
IoLog = Callable[[str, str, str], None]


class InstrumentServer:
    """One instrument listening on 127.0.0.1 (port 0: any free port)."""

    def __init__(self, name: str, instrument: ScpiInstrument, on_io: IoLog | None = None) -> None:
        self.name = name
        self.instrument = instrument
        self.on_io = on_io
        self._server: asyncio.Server | None = None
        self._clients: set[asyncio.Task[object]] = set()

    @property
    def port(self) -> int:
        """The port the server listens on."""
        if self._server is None or not self._server.sockets:
            raise RuntimeError(f"instrument server {self.name} is not listening")
        return int(self._server.sockets[0].getsockname()[1])

    @property
    def resource(self) -> str:
        """The VISA resource string a pyvisa client opens (`@py` raw socket)."""
        return f"TCPIP0::127.0.0.1::{self.port}::SOCKET"

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Listen; return once the port is bound."""
        self._server = await asyncio.start_server(self._serve, host, port, limit=MAX_LINE)

    async def close(self) -> None:
        """Stop listening and drop every client, bounded."""
        if self._server is not None:
            self._server.close()
        for task in list(self._clients):
            task.cancel()
        with contextlib.suppress(TimeoutError):
            pending = [*self._clients]
            if pending:
                await asyncio.wait_for(asyncio.gather(*pending, return_exceptions=True), 2)
            if self._server is not None:
                await asyncio.wait_for(self._server.wait_closed(), CLOSE_WITHIN)

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._clients.add(task)
        try:
            while True:
                try:
                    raw = await reader.readuntil(b"\n")
                except asyncio.IncompleteReadError:
                    return  # client closed
                except asyncio.LimitOverrunError:
                    log.warning("%s: line over %d bytes; dropping the client", self.name, MAX_LINE)
                    return
                _quick_ack(writer)
                line = raw.decode("ascii", errors="replace").rstrip("\r\n")
                self._log("in", line)
                answer = self.instrument.handle(line)
                if answer is not None:
                    self._log("out", answer)
                    writer.write(answer.encode("ascii", errors="replace") + b"\n")
                    await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            return
        finally:
            self._clients.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(writer.wait_closed(), CLOSE_WITHIN)

    def _log(self, direction: str, text: str) -> None:
        log.debug("%s %s %s", self.name, "<-" if direction == "in" else "->", text)
        if self.on_io is not None:
            self.on_io(self.name, direction, text)


def _quick_ack(writer: asyncio.StreamWriter) -> None:
    """Acknowledge at once (Linux TCP_QUICKACK): a client that writes a set command and then
    its error query would otherwise wait for the delayed ACK (about 40 ms, Nagle)."""
    option = getattr(socket, "TCP_QUICKACK", None)
    sock = writer.get_extra_info("socket")
    if option is not None and sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.IPPROTO_TCP, option, 1)

"""A loopback line-based SCPI server for tests: a handler maps each command to an answer."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable


class LoopbackScpi:
    """Serve one client at a time on 127.0.0.1; `handler(command) -> answer | None`."""

    def __init__(self, handler: Callable[[str], str | None]) -> None:
        self.handler = handler
        self.received: list[str] = []
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.2)
        self.port = self._server.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def resource(self) -> str:
        return f"TCPIP0::127.0.0.1::{self.port}::SOCKET"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with client:
                client.settimeout(0.2)
                buffer = b""
                while not self._stop.is_set():
                    try:
                        chunk = client.recv(4096)
                    except TimeoutError:
                        continue
                    except OSError:
                        break
                    if not chunk:
                        break
                    buffer += chunk
                    while b"\n" in buffer:
                        line, buffer = buffer.split(b"\n", 1)
                        command = line.decode().strip()
                        self.received.append(command)
                        answer = self.handler(command)
                        if answer is not None:
                            client.sendall(answer.encode() + b"\n")

    def close(self) -> None:
        self._stop.set()
        self._server.close()
        self._thread.join(2)

"""The harness as CSMS: a websockets server that charging stations connect to.

Accepts `ws[s]://host:port/<path>/<stationId>` (a trailing slash is tolerated), negotiates the
OCPP subprotocol and, per security profile, checks HTTP Basic auth (profiles 1-2) and records the
client certificate's common name (profile 3). OCPP-J 1.6 §3, 2.0.1 Part 4 §3.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import unquote, urlsplit

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.http11 import Request, Response
from websockets.typing import Subprotocol

from harness.ocppj.deviations import Deviation, Level
from harness.ocppj.versions import OcppVersion
from harness.transport.tls import parse_basic_auth, peer_common_name
from harness.transport.wirelog import WireLog


@dataclass(slots=True)
class Handshake:
    """What one opening handshake offered and how the harness answered it."""

    path: str
    station_id: str | None = None
    offered_subprotocols: tuple[str, ...] = ()
    selected_subprotocol: str | None = None
    username: str | None = None
    peer_common_name: str | None = None
    status: int = 101
    reason: str = "accepted"


@dataclass(frozen=True, slots=True)
class ServerSecurity:
    """Security profile settings of the harness-as-CSMS endpoint.

    `invalid_context` presents a certificate the station must refuse (an untrusted root); it
    is used only for handshakes armed by `CsmsServer.present_invalid_certificate`.
    """

    profile: int = 0
    password: str | None = None
    ssl_context: ssl.SSLContext | None = None
    invalid_context: ssl.SSLContext | None = None


ConnectionHandler = Callable[[ServerConnection, Handshake], Awaitable[None]]


@dataclass
class CsmsServer:
    """Listen for one station id; hand each accepted connection to `on_connect`.

    `on_connect` runs for the connection's lifetime. Rejected handshakes and handshake-level
    deviations are kept in `handshakes` and `deviations` for the case verdict.
    """

    version: OcppVersion
    station_id: str
    wirelog: WireLog
    on_connect: ConnectionHandler
    host: str = "127.0.0.1"
    port: int = 0
    path: str = "/ocpp"
    security: ServerSecurity = field(default_factory=ServerSecurity)
    handshakes: list[Handshake] = field(default_factory=list)
    deviations: list[Deviation] = field(default_factory=list)
    _server: Server | None = None
    _pending: dict[int, Handshake] = field(default_factory=dict)
    #: TLS handshakes still to be answered with the invalid certificate, and how many were.
    _invalid_armed: int = 0
    invalid_presented: int = 0

    async def start(self) -> None:
        """Bind and listen; `port` becomes the bound port."""
        if self.security.ssl_context is not None:
            self.security.ssl_context.sni_callback = self._choose_certificate
        self._server = await serve(
            self._handle,
            self.host,
            self.port,
            ssl=self.security.ssl_context,
            subprotocols=[Subprotocol(self.version.subprotocol)],
            select_subprotocol=self._select_subprotocol,
            process_request=self._process_request,
            ping_interval=None,
            max_size=4 * 1024 * 1024,
        )
        sockets = list(self._server.sockets)
        self.port = sockets[0].getsockname()[1]
        self.wirelog.record("connection", f"harness CSMS listening on {self.url()}")

    def url(self, station_id: str | None = None) -> str:
        """The URL a station should connect to."""
        scheme = "wss" if self.security.ssl_context is not None else "ws"
        return f"{scheme}://{self.host}:{self.port}{self.path}/{station_id or self.station_id}"

    async def close(self) -> None:
        """Stop listening and close open connections, bounded."""
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._server.wait_closed(), 5)
            self._server = None

    def present_invalid_certificate(self, attempts: int = 1) -> None:
        """Answer the next `attempts` TLS handshakes with the invalid certificate.

        A station SHALL refuse it and raise a security event (1.6 whitepaper A00.FR.309,
        2.0.1 Part 6 TC_A_05_CS); a websocket upgrade over such a connection is a deviation.
        """
        if self.security.invalid_context is None:
            raise ValueError("no invalid certificate configured (security profile 2 or 3 only)")
        self._invalid_armed = attempts
        self.wirelog.record("action", f"next {attempts} TLS handshake(s): invalid certificate")

    def raise_security_profile(self, profile: int) -> None:
        """Accept connections with a higher security profile from now on (A05.FR.07).

        Profile 3 over the profile-2 listener: its context already asks for an optional client
        certificate; now a connection without one is refused, and Basic auth is not asked.
        """
        if profile == 3 and self.security.ssl_context is None:
            raise ValueError("security profile 3 needs the TLS listener of profile 2")
        self.security = replace(self.security, profile=profile)
        self.wirelog.record("action", f"harness CSMS now expects security profile {profile}")

    def _choose_certificate(
        self, ssl_object: ssl.SSLObject, _server_name: str | None, _context: ssl.SSLContext
    ) -> None:
        """TLS ClientHello callback: swap in the invalid certificate while armed."""
        if self._invalid_armed > 0 and self.security.invalid_context is not None:
            self._invalid_armed -= 1
            self.invalid_presented += 1
            ssl_object.context = self.security.invalid_context
            self.wirelog.record("connection", "TLS handshake answered with the invalid certificate")

    def _deviate(self, level: Level, ref: str, message: str) -> None:
        self.deviations.append(Deviation(level, ref, message, self.wirelog.now()))
        self.wirelog.record("deviation", f"{level.value} {ref}: {message}")

    def _process_request(self, connection: ServerConnection, request: Request) -> Response | None:
        handshake = Handshake(path=request.path)
        self._pending[id(connection)] = handshake
        self.wirelog.record(
            "connection", f"handshake from {connection.remote_address}: GET {request.path}"
        )
        handshake.station_id = self._station_id(request.path)
        if handshake.station_id != self.station_id:
            return self._reject(connection, handshake, 404, "unknown charging station identity")
        if self.security.ssl_context is not None:
            ssl_object = connection.transport.get_extra_info("ssl_object")
            handshake.peer_common_name = peer_common_name(ssl_object)
            invalid = self.security.invalid_context
            if invalid is not None and getattr(ssl_object, "context", None) is invalid:
                self._deviate(
                    Level.MUST,
                    "A00.FR.309",
                    "the station completed TLS with the invalid (untrusted) CSMS certificate",
                )
                return self._reject(connection, handshake, 403, "invalid certificate accepted")
            if self.security.profile == 3 and handshake.peer_common_name is None:
                return self._reject(connection, handshake, 401, "client certificate required")
        if self.security.profile in (1, 2):
            credentials = parse_basic_auth(request.headers.get("Authorization"))
            handshake.username = credentials[0] if credentials else None
            if credentials != (self.station_id, self.security.password):
                response = self._reject(connection, handshake, 401, "Basic authentication failed")
                response.headers["WWW-Authenticate"] = 'Basic realm="OCPP", charset="UTF-8"'
                return response
        return None

    def _station_id(self, raw_path: str) -> str | None:
        path = urlsplit(raw_path).path
        prefix = self.path.rstrip("/") + "/"
        if not path.startswith(prefix):
            return None
        rest = path[len(prefix) :].rstrip("/")
        return unquote(rest) if rest and "/" not in rest else None

    def _reject(
        self, connection: ServerConnection, handshake: Handshake, status: int, reason: str
    ) -> Response:
        handshake.status = status
        handshake.reason = reason
        self.handshakes.append(self._pending.pop(id(connection), handshake))
        self.wirelog.record("connection", f"handshake rejected: HTTP {status} {reason}")
        return connection.respond(status, reason + "\n")

    def _select_subprotocol(
        self, connection: ServerConnection, offered: Sequence[Subprotocol]
    ) -> Subprotocol | None:
        handshake = self._pending.setdefault(id(connection), Handshake(path="?"))
        handshake.offered_subprotocols = tuple(offered)
        wanted = self.version.subprotocol
        if wanted in offered:
            handshake.selected_subprotocol = wanted
            return Subprotocol(wanted)
        return None

    async def _handle(self, connection: ServerConnection) -> None:
        handshake = self._pending.pop(id(connection), Handshake(path="?"))
        self.handshakes.append(handshake)
        if handshake.selected_subprotocol is None:
            # OCPP-J §3.2: complete the handshake without a subprotocol, then close at once.
            offered = ", ".join(handshake.offered_subprotocols) or "none"
            self._deviate(
                Level.MUST,
                f"OCPP-J {self.version.value} §3.1.2",
                f"station offered subprotocols [{offered}], not {self.version.subprotocol}",
            )
            handshake.reason = "no common subprotocol"
            await connection.close(1002, "no common OCPP subprotocol")
            return
        self.wirelog.record(
            "connection",
            f"station {handshake.station_id} connected with {handshake.selected_subprotocol}",
        )
        await self.on_connect(connection, handshake)

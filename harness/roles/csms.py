"""The harness as CSMS: serves the station under test (`_CS` cases)."""

from __future__ import annotations

from collections.abc import Mapping

from websockets.asyncio.server import ServerConnection

from harness.ocppj.deviations import Deviation
from harness.ocppj.versions import OcppVersion
from harness.roles.defaults import csms_defaults
from harness.roles.peer import Peer
from harness.transport.connection import OcppConnection
from harness.transport.server import CsmsServer, Handshake, ServerSecurity
from harness.transport.wirelog import WireLog


class CsmsEmulator(Peer):
    """Listen for the station under test and play a conforming CSMS, as the case directs.

    Connections from the station may come and go (reboots, resets); messages from every
    connection land in one exchange, so `expect` simply waits across a reconnect.
    """

    def __init__(
        self,
        version: OcppVersion,
        wirelog: WireLog,
        *,
        station_id: str,
        call_timeout: float,
        tokens: Mapping[str, str],
        heartbeat_interval: int,
        host: str = "127.0.0.1",
        port: int = 0,
        path: str = "/ocpp",
        security: ServerSecurity | None = None,
    ) -> None:
        super().__init__(
            version,
            wirelog,
            call_timeout=call_timeout,
            defaults=csms_defaults(version, tokens, heartbeat_interval),
        )
        self.station_id = station_id
        self.server = CsmsServer(
            version=version,
            station_id=station_id,
            wirelog=wirelog,
            on_connect=self._serve,
            host=host,
            port=port,
            path=path,
            security=security or ServerSecurity(),
        )

    async def start(self) -> None:
        """Start listening."""
        await self.server.start()

    @property
    def url(self) -> str:
        """Where the station under test must connect."""
        return self.server.url()

    @property
    def handshakes(self) -> list[Handshake]:
        """Every opening handshake, accepted or not."""
        return self.server.handshakes

    async def _serve(self, websocket: ServerConnection, handshake: Handshake) -> None:
        label = f"{self.station_id}#{self.connection_count + 1}"
        connection = OcppConnection(websocket, self.session, self.wirelog, label, self.on_event)
        self.attach(connection)
        connection.start()
        await connection.wait_closed()
        self._wake()

    def deviations(self) -> list[Deviation]:
        """Deviations on every connection plus those seen in handshakes."""
        return [*self.server.deviations, *super().deviations()]

    async def aclose(self) -> None:
        """Close the station's connection and stop listening."""
        await super().aclose()
        await self.server.close()

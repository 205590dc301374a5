"""The harness as charging station: connects to the CSMS under test (`_CSMS` cases)."""

from __future__ import annotations

import asyncio
import ssl
from dataclasses import replace
from typing import Any

from harness.ocppj.versions import OcppVersion
from harness.roles.defaults import station_defaults
from harness.roles.exchange import CallOutcome
from harness.roles.peer import Peer
from harness.transport.client import (
    ClientSecurity,
    ConnectFailed,
    open_station_connection,
    station_url,
)
from harness.transport.connection import OcppConnection
from harness.transport.pki import TestPki
from harness.transport.wirelog import WireLog

#: Identity the emulated station reports in BootNotification.
VENDOR = "OCPP-Harness"
MODEL = "Emulated Station"


class StationEmulator(Peer):
    """Connect to the CSMS under test and play a station, as the case directs.

    A CSMS never reconnects to a station, so when the CSMS closes the link, pending
    expectations fail at once instead of waiting out their timeout.
    """

    fail_fast_on_close = True

    def __init__(
        self,
        version: OcppVersion,
        wirelog: WireLog,
        *,
        station_id: str,
        url_template: str,
        call_timeout: float,
        open_timeout: float,
        reconnect_delay: float,
        security: ClientSecurity | None = None,
    ) -> None:
        super().__init__(
            version, wirelog, call_timeout=call_timeout, defaults=station_defaults(version)
        )
        self.station_id = station_id
        self.url_template = url_template
        self.open_timeout = open_timeout
        self.reconnect_delay = reconnect_delay
        self.security = security or ClientSecurity()
        #: The test PKI of security profiles 2-3 (certificates, keys), set by the environment.
        self.pki: TestPki | None = None
        self._closed_at: float | None = None

    @property
    def url(self) -> str:
        """The CSMS URL for this station id."""
        return station_url(self.url_template, self.station_id)

    async def connect(
        self,
        *,
        subprotocols: tuple[str, ...] | None = None,
        password: str | None = None,
        username: str | None = None,
        url: str | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        """Open the websocket (spaced from the last close by the reconnect delay).

        `password`/`username`/`subprotocols`/`url`/`ssl_context` override the profile (negative
        tests, renewed certificates). Raises ConnectFailed when the CSMS refuses.
        """
        await self._respect_reconnect_delay()
        security = self.security
        if ssl_context is not None:
            security = replace(security, ssl_context=ssl_context)
        if password is not None or username is not None:
            security = replace(
                security,
                password=password if password is not None else security.password,
                username=username if username is not None else security.username,
            )
        websocket, deviations = await open_station_connection(
            url or self.url,
            self.version,
            self.wirelog,
            security=security,
            open_timeout=self.open_timeout,
            subprotocols=subprotocols,
        )
        self.extra_deviations.extend(deviations)
        label = f"{self.station_id}#{self.connection_count + 1}"
        connection = OcppConnection(websocket, self.session, self.wirelog, label, self.on_event)
        self.attach(connection)
        connection.start()

    async def try_connect(self, **overrides: Any) -> ConnectFailed | None:
        """Like `connect`, but return the refusal instead of raising it."""
        try:
            await self.connect(**overrides)
        except ConnectFailed as refused:
            self._closed_at = self.wirelog.now()
            return refused
        return None

    async def disconnect(self) -> None:
        """Close the websocket as a station going away would."""
        if self.connection is not None:
            await self.connection.close(1000, "station disconnects")
        self._closed_at = self.wirelog.now()

    async def reconnect(self) -> None:
        """Disconnect, wait the DUT profile's reconnect delay, connect again."""
        await self.disconnect()
        await self.connect()

    async def _respect_reconnect_delay(self) -> None:
        moments = [self._closed_at]
        if self.connection is not None:
            moments.append(self.connection.closed_at)
        last = max((m for m in moments if m is not None), default=None)
        if last is None:
            return
        wait = last + self.reconnect_delay - self.wirelog.now()
        if wait > 0:
            self.wirelog.record("action", f"waiting {wait:.2f} s before reconnecting")
            await asyncio.sleep(wait)

    async def boot(self, reason: str = "PowerUp", **fields: Any) -> CallOutcome:
        """Send the BootNotification of this version, with `fields` overriding defaults."""
        if self.version is OcppVersion.V16:
            payload: dict[str, Any] = {"chargePointVendor": VENDOR, "chargePointModel": MODEL}
        else:
            payload = {
                "reason": reason,
                "chargingStation": {"vendorName": VENDOR, "model": MODEL},
            }
        payload.update(fields)
        return await self.call("BootNotification", payload)

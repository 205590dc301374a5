"""OCPP 1.6 security (whitepaper edition 3) of the reference charge point: events and profiles.

* Security events (A04): every event is stored in the security log (A04.FR.04) and sent as
  SecurityEventNotification.req through the transaction-message queue, so it is delivered
  after a reconnect (A04.FR.02); the station sends non-critical events too, which is allowed.
* SecurityProfile (A05, §7.6): a value lower than or equal to the current one is Rejected
  (A05.FR.01). A higher one needs its prerequisites (A05.FR.02-04): an AuthorizationKey for
  1-2, a CentralSystemRootCertificate for 2-3, a ChargePointCertificate for 3. The station's
  TLS settings come from its command line, so only the ones given there count. An accepted
  upgrade (A05.FR.05) is stored in the key, and the station disconnects (A05.FR.06) and
  reconnects to the same URL with the new profile (A05.FR.07). In practice that is 2 -> 3
  (same wss URL, now with the client certificate); from 0 or 1 there is no root to verify a
  CSMS with, so it is Rejected.

Certificates (M03-M05, A02) are in `v16_certificates`; the security log is what GetLog
uploads (`v16_logs`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from harness.ocppj.clock import utc_timestamp
from harness.sim.station.device import Constraint
from harness.sim.station.device16 import Key
from harness.sim.station.link import Answer, Payload
from harness.sim.station.v16_certificates import CPO_NAME, STORE_MAX, sign_charge_point_certificate

if TYPE_CHECKING:
    from harness.sim.station.v16 import V16

Command = Callable[["V16", Payload], Awaitable[Answer]]


@dataclass(frozen=True)
class SecurityEvent:
    """One entry of the security log (A04.FR.04)."""

    timestamp: str
    type: str
    tech_info: str = ""


class Security16:
    """Security state of the 1.6 charge point: the security log and event delivery."""

    def __init__(self, v: V16) -> None:
        self.v = v
        self.log: list[SecurityEvent] = []
        #: The running log upload (v16_logs, N01.FR.11).
        self.upload: asyncio.Task[Any] | None = None
        keys = v.keys.keys
        for key in (
            Key("CpoName", CPO_NAME, False, Constraint("string", max_length=100)),
            Key("CertificateStoreMaxLength", str(STORE_MAX), True, Constraint("integer")),
            Key("AdditionalRootCertificateCheck", "false", True, Constraint("boolean")),
        ):
            keys.setdefault(key.name, key)

    async def event(self, kind: str, tech_info: str = "") -> None:
        """Log a security event and send SecurityEventNotification.req (A04.FR.01-04)."""
        entry = SecurityEvent(utc_timestamp(), kind, tech_info[:255])
        self.log.append(entry)
        if self.v.config.fault("security-event-not-sent"):
            return  # breaks A04.FR.01 / A02.FR.07: the event is only logged
        payload: Payload = {"type": kind, "timestamp": entry.timestamp}
        if entry.tech_info:
            payload["techInfo"] = entry.tech_info
        await self.v.station.queue.send("SecurityEventNotification", lambda: payload)

    def upgrade_possible(self, new: int) -> bool:
        """Prerequisites of a higher SecurityProfile (A05.FR.02-04), see the module doc."""
        keys = self.v.keys.keys
        if new in (1, 2) and not keys.get("AuthorizationKey"):
            return False  # A05.FR.02
        if new in (2, 3) and self.v.config.ca_cert is None:
            return False  # A05.FR.03: no root the TLS connection could be verified with
        return not (new == 3 and self.v.config.client_cert is None)  # A05.FR.04


async def change_security_profile(v: V16, value: str) -> Answer:
    """ChangeConfiguration SecurityProfile (A05): Rejected unless a possible upgrade."""
    current = v.keys.integer("SecurityProfile")
    try:
        new = int(value.strip())
    except ValueError:
        return Answer({"status": "Rejected"})
    if new <= current and v.config.fault("security-profile-downgrade-accepted"):
        v.keys.set_internal("SecurityProfile", str(new))  # breaks A05.FR.01
        return Answer({"status": "Accepted"})
    if new <= current or not 0 <= new <= 3:
        return Answer({"status": "Rejected"})  # A05.FR.01
    if not v.security.upgrade_possible(new):
        return Answer({"status": "Rejected"})  # A05.FR.02-04
    if not v.config.fault("security-profile-upgrade-ignored"):
        v.keys.set_internal("SecurityProfile", str(new))  # A05.FR.05

    async def reconnect() -> None:
        await v.station.reconnect()  # A05.FR.06-07: reconnect with the new profile

    return Answer({"status": "Accepted"}, then=reconnect)


def with_security(change: Command) -> Command:
    """Wrap ChangeConfiguration: SecurityProfile per A05; AuthorizationKey changes logged."""

    async def handle(v: V16, p: Payload) -> Answer:
        key = str(p["key"])
        if key == "SecurityProfile":
            return await change_security_profile(v, str(p["value"]))
        answer = await change(v, p)
        accepted = (answer.payload or {}).get("status") == "Accepted"
        if accepted and key == "AuthorizationKey":
            # A01.FR.11: the change of AuthorizationKey is logged (a non-critical event).
            v.security.log.append(
                SecurityEvent(utc_timestamp(), "ReconfigurationOfSecurityParameters", key)
            )
        return answer

    return handle


def extended_trigger(trigger: Command) -> Command:
    """ExtendedTriggerMessage (whitepaper §5.7): TriggerMessage plus the security messages.

    SignChargePointCertificate starts A02 (new key, SignCertificate.req); LogStatusNotification
    reports Idle (no upload runs); the others behave as TriggerMessage (§5.17).
    """

    async def handle(v: V16, p: Payload) -> Answer:
        requested = str(p["requestedMessage"])
        if requested == "SignChargePointCertificate":

            async def sign() -> None:
                await sign_charge_point_certificate(v)

            return Answer({"status": "Accepted"}, then=sign)
        if requested == "LogStatusNotification":

            async def idle() -> None:
                await v.station.send("LogStatusNotification", {"status": "Idle"}, triggered=True)

            return Answer({"status": "Accepted"}, then=idle)
        return await trigger(v, p)

    return handle

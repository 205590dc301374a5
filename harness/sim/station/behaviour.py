"""What the version-specific station behaviour (v16 / v201) offers the station runtime."""

from __future__ import annotations

from typing import Any, Protocol

from harness.ocppj.frames import Call
from harness.sim.station.link import Answer
from harness.sim.station.model import EvseModel

#: Why every transaction is being ended at once; each version maps it to its own reasons.
#: SoftReset / HardReset (1.6 Reset), ImmediateReset (2.0.1 Reset), Reboot (local reboot),
#: PowerLoss (power cycle: reported after the next accepted boot).
STOP_CAUSES = ("SoftReset", "HardReset", "ImmediateReset", "Reboot", "PowerLoss")


class Behaviour(Protocol):
    """One OCPP version's station behaviour, driven by `Station`."""

    def boot_payload(self, reason: str) -> dict[str, Any]:
        """BootNotification request for boot `reason` (2.0.1 BootReasonEnumType spelling)."""

    def heartbeat_interval(self) -> int:
        """Seconds between heartbeats (HeartbeatInterval key / variable)."""

    def set_heartbeat_interval(self, seconds: int) -> None:
        """Adopt the interval of an accepted BootNotification response."""

    def password(self) -> str | None:
        """Current Basic auth password (AuthorizationKey / BasicAuthPassword)."""

    def security_profile(self) -> int:
        """Security profile to connect with (1.6 SecurityProfile key / SecurityCtrlr)."""

    async def on_invalid_csms_certificate(self, detail: str) -> None:
        """The CSMS certificate did not verify: raise the security event (A00.FR.309)."""

    def message_attempts(self) -> tuple[int, float]:
        """(attempts, seconds between) for transaction messages the CSMS failed to process."""

    def invalid_status_call(self) -> str:
        """A CALL frame carrying a schema-invalid StatusNotification (the garbage fault)."""

    async def on_accepted(self, reason: str) -> None:
        """Report every connector's status (and 2.0.1 the startup security event)."""

    async def on_reconnected(self) -> None:
        """Report statuses that changed while the connection was down."""

    async def handle(self, call: Call) -> Answer | None:
        """Answer a CALL from the CSMS."""

    async def plug_in(self, evse: EvseModel) -> None:
        """An EV was plugged in."""

    async def unplug(self, evse: EvseModel) -> None:
        """The EV was unplugged."""

    async def present_token(self, evse: EvseModel, token: str, token_type: str) -> None:
        """An id token was presented at the EVSE's reader."""

    async def ev_suspend(self, evse: EvseModel, suspended: bool) -> None:
        """The EV stopped (True) or resumed (False) drawing current."""

    async def connector_fault(self, evse: EvseModel, error: str | None) -> None:
        """A hardware fault (ChargePointErrorCode) appears, or clears with None: Faulted."""

    async def stop_all(self, cause: str) -> None:
        """End every transaction now and report it (graceful, online)."""

    def lose_power(self) -> None:
        """Queue the end of every transaction, to be reported after the next boot."""

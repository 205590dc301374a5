"""The `dut` a case talks to: the DUT profile's facts plus its local actions, logged and bounded."""

from __future__ import annotations

from typing import Any

from harness.dut.backends import ActionBackend
from harness.dut.profile_model import DutProfile, Timeouts, Tokens
from harness.outcomes import NotApplicable
from harness.transport.wirelog import WireLog


class Dut:
    """Make the device under test do local things through its action backend.

    Every action is recorded on the wire log timeline and bounded by `timeouts.action`; a
    backend failure raises EnvironmentFailure (verdict INCONCLUSIVE).
    """

    def __init__(self, profile: DutProfile, backend: ActionBackend, wirelog: WireLog) -> None:
        self.profile = profile
        self.backend = backend
        self.wirelog = wirelog
        #: Filled by the runner: the trigger backend that makes a CSMS under test act.
        self.trigger_backend: ActionBackend | None = None

    @property
    def timeouts(self) -> Timeouts:
        """Bounds and intervals from the DUT profile."""
        return self.profile.timeouts

    @property
    def tokens(self) -> Tokens:
        """Id tokens from the DUT profile."""
        return self.profile.tokens

    @property
    def station_id(self) -> str:
        """The charging station identity used on the connection."""
        return self.profile.station_id

    def connector_id(self, evse: int = 1, connector: int = 1) -> int:
        """OCPP 1.6 connectorId of an EVSE/connector pair."""
        return self.profile.flat_connector_id(evse, connector)

    def require(self, feature: str) -> None:
        """End the case N/A when the DUT profile declares `feature` absent."""
        reason = self.profile.features.absent_reason(feature)
        if reason is not None:
            raise NotApplicable(reason)

    async def _do(self, action: str, backend: ActionBackend | None = None, **params: Any) -> None:
        backend = backend or self.backend
        shown = ", ".join(f"{k}={v!r}" for k, v in params.items())
        self.wirelog.record("action", f"dut.{action}({shown}) via {backend.name}")
        params.setdefault("station_id", self.station_id)
        await backend.perform(action, params, self.timeouts.action)

    async def plug_in(self, evse: int = 1, connector: int = 1) -> None:
        """Plug an EV into the connector."""
        await self._do("plug_in", evse=evse, connector=connector)

    async def unplug(self, evse: int = 1, connector: int = 1) -> None:
        """Unplug the EV (EV side)."""
        await self._do("unplug", evse=evse, connector=connector)

    async def present_token(self, id_token: str | None = None, evse: int = 1) -> None:
        """Present an id token (default: the profile's valid one) at the EVSE's reader."""
        await self._do("present_token", evse=evse, id_token=id_token or self.tokens.valid)

    async def ev_suspend(self, evse: int = 1, connector: int = 1) -> None:
        """Make the EV stop drawing current (pilot C -> B on a rig)."""
        await self._do("ev_suspend", evse=evse, connector=connector)

    async def ev_resume(self, evse: int = 1, connector: int = 1) -> None:
        """Make the EV draw current again (pilot B -> C on a rig)."""
        await self._do("ev_resume", evse=evse, connector=connector)

    async def power_cycle(self) -> None:
        """Switch the DUT off and on again."""
        await self._do("power_cycle")

    async def reboot(self) -> None:
        """Reboot the DUT by its own means."""
        await self._do("reboot")

    async def go_offline(self) -> None:
        """Cut the DUT's network connection."""
        await self._do("go_offline")

    async def go_online(self) -> None:
        """Restore the DUT's network connection."""
        await self._do("go_online")

    async def lock_failure(self, evse: int = 1, connector: int = 1, failing: bool = True) -> None:
        """Make the connector lock fail (or work again with failing=False)."""
        await self._do("lock_failure", evse=evse, connector=connector, failing=failing)

    async def connector_fault(
        self, evse: int = 1, connector: int = 1, error_code: str | None = "GroundFailure"
    ) -> None:
        """Raise a connector fault with a 1.6 ChargePointErrorCode (None clears it)."""
        await self._do("connector_fault", evse=evse, connector=connector, error_code=error_code)

    async def trigger(self, message: str, payload: dict[str, Any] | None = None) -> None:
        """Make the CSMS under test send `message` with `payload` to the harness's station."""
        await self._do("trigger", self.trigger_backend, message=message, payload=payload or {})

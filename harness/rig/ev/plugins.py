"""Vendor EV-emulator plug-ins: entry points in group `ocpp_harness.ev_emulators`.

A plug-in is a factory `factory(spec: InstrumentSpec) -> object` returning an object with the
EvEmulator methods (`set_cp_state`, `cp_state`, `pwm_duty_percent`, `cp_voltage`,
`request_current`, `requested_current`, `inject_fault`; `safe_state` and `close` optional).
It is found by the rig file's `driver = "<entry point name>"`, or by
`driver = "plugin"` with `entry_point = "package.module:factory"`. The harness wraps it so
inputs and the rig's max_current are checked before the plug-in is called, and calls are logged.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from harness.rig.catalog import installed_ev_plugins
from harness.rig.drivers.base import IoCallback, format_number
from harness.rig.errors import RigError
from harness.rig.ev import checks
from harness.rig.model import InstrumentSpec

REQUIRED = (
    "set_cp_state",
    "cp_state",
    "pwm_duty_percent",
    "cp_voltage",
    "request_current",
    "requested_current",
    "inject_fault",
)


def load_factory(target: str) -> Callable[[InstrumentSpec], Any]:
    """Import `package.module:attr.path` and return the callable."""
    module_name, _, attribute = target.partition(":")
    try:
        found: Any = importlib.import_module(module_name)
        for part in attribute.split("."):
            found = getattr(found, part)
    except (ImportError, AttributeError) as exc:
        raise RigError(f"EV plug-in {target!r} cannot be loaded: {exc}") from exc
    if not callable(found):
        raise RigError(f"EV plug-in {target!r} is not callable")
    return found  # type: ignore[no-any-return]


class PluginEv:
    """An EvEmulator around a vendor object: checks inputs and limits, logs every call."""

    def __init__(self, spec: InstrumentSpec, inner: Any, on_io: IoCallback | None = None) -> None:
        missing = [m for m in REQUIRED if not callable(getattr(inner, m, None))]
        if missing:
            raise RigError(f"{spec.name}: EV plug-in object lacks {', '.join(missing)}")
        self.spec = spec
        self.name = spec.name
        self.inner = inner
        self.on_io = on_io

    def _call(self, method: str, *args: object) -> Any:
        text = f"{method}({', '.join(repr(a) for a in args)})"
        if self.on_io is not None:
            self.on_io(self.name, "write", text)
        try:
            result = getattr(self.inner, method)(*args)
        except RigError:
            raise
        except Exception as exc:
            raise RigError(f"{self.name}: {text} failed: {exc!r}") from exc
        if result is not None and self.on_io is not None:
            self.on_io(self.name, "read", str(result))
        return result

    def set_cp_state(self, state: str) -> None:
        """Present state A..F."""
        self._call("set_cp_state", checks.cp_state(self.name, state))

    def cp_state(self) -> str:
        """The presented state, checked to be A..F."""
        return checks.cp_state(self.name, str(self._call("cp_state")))

    def pwm_duty_percent(self) -> float:
        """PWM duty in percent."""
        return float(self._call("pwm_duty_percent"))

    def cp_voltage(self) -> float:
        """CP plateau voltage in V."""
        return float(self._call("cp_voltage"))

    def request_current(self, amps: float) -> None:
        """Draw `amps`, refused beyond max_current before the plug-in is called."""
        value = checks.ev_current(self.name, self.spec.limits, amps)
        self._call("request_current", float(format_number(value)))

    def requested_current(self) -> float:
        """The current the EV is set to draw."""
        return float(self._call("requested_current"))

    def inject_fault(self, kind: str, on: bool) -> None:
        """Fault `diode` or `pe` on/off."""
        self._call("inject_fault", checks.fault_kind(self.name, kind), bool(on))

    def plug_in(self) -> None:
        """State B."""
        self.set_cp_state("B")

    def unplug(self) -> None:
        """State A."""
        self.set_cp_state("A")

    def safe_state(self) -> None:
        """The plug-in's own safe_state if it has one, else A, faults off, no current."""
        if callable(getattr(self.inner, "safe_state", None)):
            self._call("safe_state")
            return
        checks.run_all(
            self.name,
            [
                ("state A", lambda: self.set_cp_state("A")),
                ("diode fault off", lambda: self.inject_fault("diode", False)),
                ("pe fault off", lambda: self.inject_fault("pe", False)),
                ("no current", lambda: self.request_current(0)),
            ],
        )

    def close(self) -> None:
        """The plug-in's close, if any."""
        if callable(getattr(self.inner, "close", None)):
            self._call("close")


def open_plugin(spec: InstrumentSpec, on_io: IoCallback | None = None) -> PluginEv:
    """Build the plug-in named by the rig file and wrap it."""
    target = spec.entry_point or installed_ev_plugins().get(spec.driver)
    if target is None:
        raise RigError(f"{spec.name}: no EV plug-in registered as {spec.driver!r}")
    factory = load_factory(target)
    try:
        inner = factory(spec)
    except Exception as exc:
        raise RigError(f"{spec.name}: EV plug-in {target!r} failed to start: {exc!r}") from exc
    return PluginEv(spec, inner, on_io)

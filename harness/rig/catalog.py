"""Which driver names exist, which roles each can play, and how each is reached."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Final, Literal

Role = Literal["ac_source", "dc_source", "power_meter", "ev_emulator"]
ROLES: Final[tuple[Role, ...]] = ("ac_source", "dc_source", "power_meter", "ev_emulator")
SOURCE_ROLES: Final[frozenset[str]] = frozenset({"ac_source", "dc_source"})

#: Entry-point group of vendor EV-emulator plug-ins: `name = "package.module:factory"`.
EV_PLUGIN_GROUP: Final = "ocpp_harness.ev_emulators"

Kind = Literal["visa", "command", "plugin"]


@dataclass(frozen=True)
class DriverInfo:
    """A driver name: the roles it can play and how it is reached (VISA, shell, plug-in)."""

    roles: frozenset[str]
    kind: Kind


DRIVERS: Final[dict[str, DriverInfo]] = {
    "scpi_source": DriverInfo(frozenset({"ac_source", "dc_source"}), "visa"),
    "chroma_61800": DriverInfo(frozenset({"ac_source"}), "visa"),
    "keysight_dc": DriverInfo(frozenset({"dc_source"}), "visa"),
    "yokogawa_wt300e": DriverInfo(frozenset({"power_meter"}), "visa"),
    "yokogawa_wt1800": DriverInfo(frozenset({"power_meter"}), "visa"),
    "yokogawa_wt5000": DriverInfo(frozenset({"power_meter"}), "visa"),
    "rs_hmc8015": DriverInfo(frozenset({"power_meter"}), "visa"),
    "virtual_ev": DriverInfo(frozenset({"ev_emulator"}), "visa"),
    "command_ev": DriverInfo(frozenset({"ev_emulator"}), "command"),
    # `entry_point = "module:factory"` given in the rig file itself.
    "plugin": DriverInfo(frozenset({"ev_emulator"}), "plugin"),
}


def installed_ev_plugins() -> dict[str, str]:
    """Installed EV-emulator plug-ins: name -> `module:factory` (entry point group above)."""
    return {ep.name: ep.value for ep in entry_points(group=EV_PLUGIN_GROUP)}


def driver_info(name: str) -> DriverInfo | None:
    """The built-in driver, or an installed EV plug-in registered under `name`."""
    if name in DRIVERS:
        return DRIVERS[name]
    if name in installed_ev_plugins():
        return DriverInfo(frozenset({"ev_emulator"}), "plugin")
    return None


def known_driver_names() -> list[str]:
    """Every driver name a rig file may use."""
    return sorted({*DRIVERS, *installed_ev_plugins()})

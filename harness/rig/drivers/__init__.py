"""Instrument drivers reached through VISA, by the driver name a rig file uses."""

from __future__ import annotations

from harness.rig.drivers.base import ScpiInstrument
from harness.rig.drivers.chroma_61800 import Chroma61800
from harness.rig.drivers.keysight_dc import KeysightDc
from harness.rig.drivers.rs_hmc8015 import Hmc8015
from harness.rig.drivers.scpi_source import ScpiSource99
from harness.rig.drivers.virtual_ev import VirtualEv
from harness.rig.drivers.yokogawa import WT300E, WT1800, WT5000

VISA_DRIVERS: dict[str, type[ScpiInstrument]] = {
    "scpi_source": ScpiSource99,
    "chroma_61800": Chroma61800,
    "keysight_dc": KeysightDc,
    "yokogawa_wt300e": WT300E,
    "yokogawa_wt1800": WT1800,
    "yokogawa_wt5000": WT5000,
    "rs_hmc8015": Hmc8015,
    "virtual_ev": VirtualEv,
}

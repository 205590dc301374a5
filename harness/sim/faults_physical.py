"""Reference station faults proving the physical (rig) cases (testcases/physical/).

Each one breaks what the station does electrically or what it says about it, as seen through
the virtual lab (`--virtual-rig`, harness/sim/station/electrical.py and physical.py).
"""

from __future__ import annotations

from harness.sim.fault import Fault

STATION_PHYSICAL_FAULTS: dict[str, Fault] = {
    "phy-energy-over-report-3pct": Fault(
        "the meter register runs 3 % above the true energy (MID class error; 1.6 §6.45/§6.49 "
        "meterStart/meterStop, 2.0.1 J02 Energy.Active.Import.Register)",
        ("PHY_16_energy", "PHY_201_energy"),
    ),
    "phy-ignores-charging-limit": Fault(
        "accepts charging profiles and reports the limit as Current.Offered, but keeps the PWM "
        "duty at the EVSE rating, so the EV draws 32 A (1.6 §3.13; IEC 61851-1 duty mapping)",
        ("PHY_16_charging_limit",),
    ),
    "phy-current-after-stop": Fault(
        "after a stop the PWM and the contactor stay on for 10 s, so current keeps flowing "
        "(1.6 §4.10 / 2.0.1 E06; IEC 61851-1: off within 6 s of PWM stop)",
        ("PHY_16_stop", "PHY_201_stop"),
    ),
    "phy-charging-in-state-b": Fault(
        "ignores the EV going from C to B: keeps reporting Charging and the last current while "
        "the EV draws nothing (1.6 §4.9 SuspendedEV; 2.0.1 E chargingState SuspendedEV)",
        (
            "PHY_16_pilot_status",
            "PHY_201_pilot_status",
            "PHY_16_meter_values",
            "PHY_201_meter_values",
        ),
    ),
    "phy-resumes-after-power-loss": Fault(
        "when the mains return, closes the contactor for a plugged-in EV without a transaction "
        "(energy outside any transaction; 1.6 §4.10 PowerLoss / 2.0.1 B01, E)",
        ("PHY_16_power_loss", "PHY_201_power_loss"),
    ),
}

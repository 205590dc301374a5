"""Power analyzer drivers byte for byte: setup, integration sequence, reading parsing."""

from __future__ import annotations

import pytest

from harness.rig.drivers.rs_hmc8015 import Hmc8015
from harness.rig.drivers.yokogawa import WT300E, WT1800, WT5000, YokogawaAnalyzer
from harness.rig.errors import InstrumentError
from tests.rig.fakes import OK, ScriptedTransport, w, yw


def setup_script(energy: str, element: int, integration: list[str]) -> list[tuple[str, str | None]]:
    script = [
        *yw(":COMMunicate:HEADer OFF"),
        *yw(":NUMeric:FORMat ASCii"),
        *yw(":NUMeric:NORMal:NUMBer 5"),
        *yw(f":NUMeric:NORMal:ITEM1 U,{element}"),
        *yw(f":NUMeric:NORMal:ITEM2 I,{element}"),
        *yw(f":NUMeric:NORMal:ITEM3 P,{element}"),
        *yw(f":NUMeric:NORMal:ITEM4 {energy},{element}"),
        *yw(f":NUMeric:NORMal:ITEM5 TIME,{element}"),
    ]
    for command in integration:
        script += yw(command)
    return script


def test_wt300e_setup_uses_wh_and_manual_integration() -> None:
    script = setup_script("WH", 1, [":INTEGrate:MODE NORMal", ":INTEGrate:TIMer 0,0,0"])
    meter = WT300E(ScriptedTransport(script), name="ref")
    meter.setup()
    meter.transport.assert_done()  # type: ignore[attr-defined]


@pytest.mark.parametrize("driver", [WT1800, WT5000])
def test_wt1800_and_wt5000_use_wp_on_their_element(driver: type[YokogawaAnalyzer]) -> None:
    meter = driver(ScriptedTransport(setup_script("WP", 3, [])), name="ref", element=3)
    meter.setup()
    meter.transport.assert_done()  # type: ignore[attr-defined]


@pytest.mark.parametrize("driver", [WT300E, WT1800, WT5000])
def test_integration_sequence_and_readings(driver: type[YokogawaAnalyzer]) -> None:
    script = [
        *yw(":INTEGrate:RESet"),
        *yw(":INTEGrate:STARt"),
        (":INTEGrate:STATe?", "STAR"),
        *yw(":INTEGrate:STOP"),
        (":INTEGrate:STATe?", "Stop"),
        (":NUMeric:NORMal:VALue? 4", "1.23456E+03"),
        (":NUMeric:NORMal:VALue? 5", "3600"),
        (":NUMeric:NORMal:VALue? 1", "230.01E+00"),
        (":NUMeric:NORMal:VALue? 2", "10.002E+00"),
        (":NUMeric:NORMal:VALue? 3", "-2.3005E+03"),
        (":INTEGrate:STATe?", "RESET"),
    ]
    meter = driver(ScriptedTransport(script), name="ref")
    meter.integration_reset()
    meter.integration_start()
    meter.integration_stop()
    assert meter.energy_wh() == pytest.approx(1234.56)
    assert meter.elapsed_s() == 3600.0
    assert meter.voltage_v() == pytest.approx(230.01)
    assert meter.current_a() == pytest.approx(10.002)
    assert meter.power_w() == pytest.approx(-2300.5)
    assert meter.integration_state() == "RESET"
    meter.transport.assert_done()  # type: ignore[attr-defined]


def test_start_not_confirmed_is_an_error() -> None:
    script = [*yw(":INTEGrate:STARt"), (":INTEGrate:STATe?", "RESet")]
    meter = WT300E(ScriptedTransport(script), name="ref")
    with pytest.raises(InstrumentError, match="integration state is RESET, not START"):
        meter.integration_start()


def test_yokogawa_error_queue_and_bad_data() -> None:
    script = [
        (":INTEGrate:STARt", None),
        (":STATus:ERRor?", '813,"Integration is in progress"'),
        (":STATus:ERRor?", OK),
        (":NUMeric:NORMal:VALue? 3", "NAN"),
        (":NUMeric:NORMal:VALue? 1", "9.91E+37"),
        (":NUMeric:NORMal:VALue? 5", "1,02,03"),
        (":INTEGrate:STATe?", "BUSY"),
    ]
    meter = WT300E(ScriptedTransport(script), name="ref")
    with pytest.raises(InstrumentError, match=r"':INTEGrate:STARt'.*813,\"Integration is in"):
        meter.integration_start()
    with pytest.raises(InstrumentError, match="no valid data"):
        meter.power_w()
    with pytest.raises(InstrumentError, match="no valid data"):
        meter.voltage_v()
    assert meter.elapsed_s() == 3600 + 2 * 60 + 3
    with pytest.raises(InstrumentError, match="unknown integration state 'BUSY'"):
        meter.integration_state()


def test_hmc8015_cells_and_integrator() -> None:
    script = [
        *w("VIEW:NUMeric:PAGE1:CELL1:FUNCtion URMS"),
        *w("VIEW:NUMeric:PAGE1:CELL2:FUNCtion IRMS"),
        *w("VIEW:NUMeric:PAGE1:CELL3:FUNCtion P"),
        *w("VIEW:NUMeric:PAGE1:CELL4:FUNCtion WH"),
        *w("VIEW:NUMeric:PAGE1:CELL5:FUNCtion TIME"),
        *w("INTegrator:STATe ON"),
        *w("INTegrator:MODE MANual"),
        *w("INTegrator:RESet"),
        *w("INTegrator:STARt"),
        *w("INTegrator:STOP"),
        ("CHANnel1:MEASurement:DATA?", "2.3010E+02,1.0000E+01,2.3010E+03,1.2500E+01,1800"),
        ("CHANnel1:MEASurement:DATA?", "2.3010E+02,1.0000E+01,2.3010E+03,1.2500E+01,1800"),
        ("CHANnel1:MEASurement:DATA?", "2.3010E+02,1.0000E+01,2.3010E+03,1.2500E+01,0,30,0"),
        ("CHANnel1:MEASurement:DATA?", "2.3010E+02,1.0000E+01"),
    ]
    meter = Hmc8015(ScriptedTransport(script), name="hmc")
    meter.setup()
    meter.integration_reset()
    meter.integration_start()
    meter.integration_stop()
    assert meter.energy_wh() == pytest.approx(12.5)
    assert meter.elapsed_s() == 1800
    assert meter.elapsed_s() == 1800
    with pytest.raises(InstrumentError, match="expected 5 values"):
        meter.voltage_v()
    meter.transport.assert_done()  # type: ignore[attr-defined]

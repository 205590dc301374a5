"""The virtual lab's instrument servers through pyvisa-py (`@py`, TCPIP SOCKET): a lab's path.

Each server runs in a background event loop; the tests talk to it only over SCPI on loopback
and check the answers against the physics they are coupled to. Every read has a timeout.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from typing import Any

import pytest
import pyvisa

from harness.sim.rig.lab import VirtualLab
from harness.sim.station.electrical import duty_for
from harness.sim.station.model import EvseModel
from harness.sim.station.physical import Plant

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


@dataclass
class Lab:
    plant: Plant
    evse: EvseModel
    resources: dict[str, str]
    manager: Any

    def open(self, name: str) -> Any:
        resource = self.manager.open_resource(
            self.resources[name], read_termination="\n", write_termination="\n", timeout=2000
        )
        resource.error_query = ":STATus:ERRor?" if name.startswith("meter") else "SYST:ERR?"
        return resource


def send(instrument: Any, command: str, error: str = '0,"No error"') -> None:
    """Write a set command, then read the error queue (as the drivers do; it also syncs)."""
    instrument.write(command)
    assert instrument.query(instrument.error_query) == error, command


@pytest.fixture
def lab() -> Iterator[Lab]:
    evse = EvseModel(1)
    plant = Plant({1: evse}, lambda _name: False)
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    started: Future[VirtualLab] = asyncio.run_coroutine_threadsafe(VirtualLab.start(plant), loop)
    virtual = started.result(timeout=5)
    manager = pyvisa.ResourceManager("@py")
    try:
        yield Lab(plant, evse, virtual.resources(), manager)
    finally:
        manager.close()
        asyncio.run_coroutine_threadsafe(virtual.close(), loop).result(timeout=5)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=5)
        loop.close()


def test_resources_are_loopback_sockets(lab: Lab) -> None:
    assert set(lab.resources) == {"mains", "meter1", "ev1"}
    for resource in lab.resources.values():
        assert resource.startswith("TCPIP0::127.0.0.1::") and resource.endswith("::SOCKET")
        assert not resource.endswith("::0::SOCKET")


def test_identity_and_error_queue(lab: Lab) -> None:
    ev = lab.open("ev1")
    assert ev.query("*IDN?").startswith("OCPP Harness,Virtual EV,")
    assert ev.query("SYST:ERR?") == '0,"No error"'
    ev.write("CP:NONSENSE 3")
    ev.write("CP:STATE X")
    assert ev.query("SYSTem:ERRor:NEXT?") == '-113,"Undefined header"'
    assert ev.query("syst:err?") == '-224,"Illegal parameter value"'
    assert ev.query("SYST:ERR?") == '0,"No error"'
    send(ev, "EV:CURR 500", '-222,"Data out of range"')


def test_ev_drives_pilot_and_reads_pwm(lab: Lab) -> None:
    ev = lab.open("ev1")
    send(ev, "*RST")
    assert ev.query("CP:STATE?") == "A"
    assert float(ev.query("CP:VOLT?")) == 12.0
    assert float(ev.query("EV:CURR?")) == 0.0
    send(ev, "cp:state b")
    assert ev.query("CP:STATE?") == "B"
    assert float(ev.query("CP:VOLTage?")) == 9.0
    assert float(ev.query("CP:DUTY?")) == 0.0  # the station does not offer energy yet
    lab.evse.plugged = True
    lab.evse.energized = True
    lab.evse.limit_a = 16.0
    assert float(ev.query("CP:DUTY?")) == pytest.approx(duty_for(16.0), abs=1e-6)
    send(ev, "FAULT:DIODE ON")
    assert float(ev.query("CP:DUTY?")) == 0.0  # the EVSE stops PWM on a diode fault
    send(ev, "FAULT:DIODE OFF")
    assert float(ev.query("CP:DUTY?")) > 0


def test_analyzer_integrates_true_power(lab: Lab) -> None:
    ev = lab.open("ev1")
    meter = lab.open("meter1")
    for command in (
        ":COMMunicate:HEADer OFF",
        ":NUMeric:FORMat ASCii",
        ":NUMeric:NORMal:NUMBer 5",
        ":NUMeric:NORMal:ITEM1 U,1",
        ":NUMeric:NORMal:ITEM2 I,1",
        ":NUMeric:NORMal:ITEM3 P,1",
        ":NUMeric:NORMal:ITEM4 WH,1",
        ":NUMeric:NORMal:ITEM5 TIME,1",
        ":INTEGrate:MODE NORMal",
        ":INTEGrate:TIMer 0,0,0",
        ":INTEGrate:RESet",
    ):
        send(meter, command)
    assert meter.query(":INTEGrate:STATe?") == "RESET"
    send(ev, "CP:STATE B")
    send(ev, "EV:CURR 20")
    lab.evse.plugged = True
    lab.evse.energized = True
    meter.write(":INTEGrate:STARt")
    assert meter.query(":INTEG:STAT?") == "START"
    meter.write(":INTEGrate:STARt")
    assert meter.query(":STATus:ERRor?").startswith("813,")  # already running
    assert float(meter.query(":NUMeric:NORMal:VALue? 2")) == 0.0  # EV in B: no current
    send(ev, "CP:STATE C")
    started = time.monotonic()
    assert float(meter.query(":NUMeric:NORMal:VALue? 1")) == pytest.approx(230.0)
    assert float(meter.query(":NUMeric:NORMal:VALue? 2")) == pytest.approx(20.0)
    assert float(meter.query(":NUMeric:NORMal:VALue? 3")) == pytest.approx(230.0 * 20.0 * 3)
    time.sleep(0.5)
    send(ev, "CP:STATE B")
    charged = time.monotonic() - started
    send(meter, ":INTEGrate:STOP")
    assert meter.query(":INTEGrate:STATe?") == "STOP"
    energy = float(meter.query(":NUMeric:NORMal:VALue? 4"))
    expected = 230.0 * 20.0 * 3 * charged / 3600.0
    assert energy == pytest.approx(expected, rel=0.1)
    held = float(meter.query(":NUM:NORM:VAL? 4"))
    assert held == energy  # holds after STOP
    assert float(meter.query(":NUMeric:NORMal:VALue? 5")) >= charged
    true = lab.plant.evse(1).true_energy()
    assert energy <= true * (1 + 1e-5)  # NR3: 6 significant digits
    send(meter, ":INTEGrate:RESet")
    assert float(meter.query(":NUMeric:NORMal:VALue? 4")) == 0.0


def test_source_output_is_the_station_mains(lab: Lab) -> None:
    source = lab.open("mains")
    assert source.query("*IDN?").startswith("Chroma ATE,")
    assert source.query("OUTP?") == "ON"
    send(source, "SOUR:VOLT:AC 240")
    assert float(source.query("SOURce:VOLTage:LEVel:IMMediate:AMPLitude:AC?")) == 240.0
    assert float(source.query("FETC:VOLT:AC?")) == 240.0
    send(source, "OUTPut:STATe OFF")
    assert source.query("OUTP?") == "OFF"
    assert not lab.plant.mains.on
    assert float(source.query("FETCh:SCALar:VOLTage:AC?")) == 0.0
    send(source, "SOUR:VOLT:AC 400", '-222,"Data out of range"')
    send(source, "OUTP ON")
    assert lab.plant.mains.on


def test_source_measures_the_station_draw(lab: Lab) -> None:
    source = lab.open("mains")
    ev = lab.open("ev1")
    send(ev, "CP:STATE C")
    send(ev, "EV:CURR 10")
    lab.evse.plugged = True
    lab.evse.energized = True
    assert float(source.query("FETC:CURR:AC?")) == pytest.approx(10.0)
    assert float(source.query("FETC:POW:AC?")) == pytest.approx(230.0 * 10.0 * 3)


def test_unknown_query_is_not_answered_but_queued(lab: Lab) -> None:
    ev = lab.open("ev1")
    ev.timeout = 300
    with pytest.raises(pyvisa.errors.VisaIOError):
        ev.query("NOPE?")
    ev.timeout = 2000
    assert ev.query("SYST:ERR?") == '-113,"Undefined header"'

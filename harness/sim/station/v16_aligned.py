"""OCPP 1.6 clock-aligned meter values (§3.16.2, §9.1.5 ClockAlignedDataInterval).

At every multiple of ClockAlignedDataInterval seconds since midnight (UTC) the reference charge
point sends, per connector, a MeterValues.req with context Sample.Clock and the measurands of
MeterValuesAlignedData. Values of a connector with a transaction carry its transactionId and
go through the transaction message queue (§3.7); the others are sent when online.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from harness.sim.station.link import Payload
from harness.sim.station.meter import meter_value_16
from harness.sim.station.model import Transaction

if TYPE_CHECKING:
    from harness.sim.station.v16 import V16

#: How often to look at the key again while clock-aligned data is switched off (0).
IDLE_POLL = 1.0


async def clock_aligned(v: V16) -> None:
    """Send clock-aligned MeterValues.req for as long as the station runs."""
    while True:
        interval = v.keys.integer("ClockAlignedDataInterval")
        if interval <= 0:
            await asyncio.sleep(IDLE_POLL)
            continue
        await asyncio.sleep(interval - time.time() % interval)  # epoch and midnight align
        if v.config.fault("no-clock-aligned") or not v.station.accepted:
            continue
        await send_aligned(v)


async def send_aligned(v: V16) -> None:
    """One clock-aligned MeterValues.req per connector."""
    measurands = v.keys.measurands("MeterValuesAlignedData")
    for evse in v.station.evses.values():
        value = meter_value_16(evse, measurands, "Sample.Clock")
        tx = evse.transaction
        if tx is None:
            await v.station.send("MeterValues", {"connectorId": evse.id, "meterValue": [value]})
            continue

        def build(value: Payload = value, evse_id: int = evse.id, tx: Transaction = tx) -> Payload:
            ids = {"transactionId": tx.csms_id} if tx.csms_id is not None else {}
            return {"connectorId": evse_id, **ids, "meterValue": [value]}

        v.station.queue.put("MeterValues", build)

"""Wrap the reference 2.0.1 CSMS's request handlers with the E/F/G/J/P fault switches.

A guarded handler screens the request (a faulty CSMS may refuse it with a CALLERROR), runs
the conforming handler, then lets the faults adjust the answer. Without faults switched on
the conforming handler runs alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Final

from harness.sim.csms import (
    v201_data_transfer,
    v201_meter_values,
    v201_notifications,
    v201_transactions,
)
from harness.sim.csms.context import CsmsContext
from harness.sim.csms.handlers_common import Handler
from harness.sim.csms.state import StationRecord

Payload = dict[str, Any]
Screen = Callable[[CsmsContext, StationRecord, str, Payload], None]
Adjust = Callable[[CsmsContext, StationRecord, str, Payload, Payload], Payload]

SCREENS: Final[tuple[Screen, ...]] = (
    v201_data_transfer.screen,
    v201_transactions.screen,
    v201_meter_values.screen,
    v201_notifications.screen,
)
ADJUSTS: Final[tuple[Adjust, ...]] = (v201_transactions.adjust, v201_data_transfer.adjust)


def guarded(action: str, handler: Handler) -> Handler:
    """`handler` with the fault screens before it and the answer adjustments after it."""

    def handle(ctx: CsmsContext, record: StationRecord, payload: Payload) -> Payload:
        if not ctx.faults:
            return handler(ctx, record, payload)
        for screen in SCREENS:
            screen(ctx, record, action, payload)
        answer = handler(ctx, record, payload)
        for adjust in ADJUSTS:
            answer = adjust(ctx, record, action, payload, answer)
        return answer

    handle.__name__ = getattr(handler, "__name__", action)
    handle.__doc__ = handler.__doc__
    return handle


def guard_all(handlers: dict[str, Handler]) -> dict[str, Handler]:
    """Every handler of `handlers`, guarded."""
    return {action: guarded(action, handler) for action, handler in handlers.items()}

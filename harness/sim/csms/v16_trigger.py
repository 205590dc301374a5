"""Remote trigger faults of the reference 1.6 CSMS (1.6 §5.17 TriggerMessage, §4.7).

A Central System that triggers a message must be able to take it: a MeterValues.req for a
connector outside a transaction carries no transactionId (§4.7, §6.31), and a TriggerMessage
answered Rejected or NotImplemented (§5.17) is simply noted.
"""

from __future__ import annotations

from typing import Any, Final

from harness.sim.csms.context import CsmsContext

Payload = dict[str, Any]

#: Fault names of this module (see harness/sim/faults_csms_v16_advanced.py).
METER_VALUES_NEED_TRANSACTION: Final = "trig16-meter-values-need-transaction"
REJECTED_DROPS: Final = "trig16-rejected-drops"


def check_meter_values(ctx: CsmsContext, payload: Payload) -> None:
    """Fault `trig16-meter-values-need-transaction`: refuse MeterValues without a transaction.

    Raises (the link answers a CALLERROR InternalError) when the fault is on and the request
    has no transactionId; a conforming CSMS acknowledges such meter values (§4.7).
    """
    if "transactionId" not in payload and ctx.fault(METER_VALUES_NEED_TRANSACTION):
        raise ValueError(
            f"fault {METER_VALUES_NEED_TRANSACTION}: MeterValues without a transaction"
        )


def drops_after_refusal(ctx: CsmsContext, action: str, answer: Payload) -> bool:
    """True when fault `trig16-rejected-drops` makes the CSMS hang up on this refusal (§5.17)."""
    if not ctx.fault(REJECTED_DROPS) or action not in ("TriggerMessage", "ExtendedTriggerMessage"):
        return False
    return answer.get("status") in ("Rejected", "NotImplemented")

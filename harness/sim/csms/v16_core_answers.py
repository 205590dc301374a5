"""Answer-side rules of the 1.6 reference CSMS for the Core notifications (1.6 §4.3, §4.9, §4.10).

A Central System SHALL answer StatusNotification.req and StopTransaction.req whatever status,
error code or reason they carry; the fault switches here make it refuse the values a CSMS
that only knows the happy path does not expect. A refusal is an exception, which the station
link turns into a CALLERROR InternalError, as a real implementation's crash would be.
"""

from __future__ import annotations

from typing import Any, Final

from harness.sim.csms.context import CsmsContext
from harness.sim.csms.handlers_common import data_transfer
from harness.sim.csms.state import StationRecord

Payload = dict[str, Any]

#: StopTransaction.req reasons a happy-path CSMS knows (fault `core16-stop-reason-subset`).
HAPPY_REASONS: Final = frozenset({"Local", "Remote"})
#: Connector statuses a happy-path CSMS knows (fault `core16-status-subset`).
HAPPY_STATUSES: Final = frozenset({"Available", "Preparing", "Charging"})


class UnexpectedValue(ValueError):
    """A value the faulty CSMS cannot handle."""


def check_stop(ctx: CsmsContext, payload: Payload) -> None:
    """Raise for a StopTransaction.req reason other than Local/Remote under the fault.

    1.6 §4.10: the Central System SHALL respond; the reason defaults to Local (§7.39).
    """
    reason = payload.get("reason", "Local")
    if ctx.fault("core16-stop-reason-subset") and reason not in HAPPY_REASONS:
        raise UnexpectedValue(f"StopTransaction reason {reason!r} is not handled")


def check_status(ctx: CsmsContext, payload: Payload) -> None:
    """Raise for a status outside Available/Preparing/Charging or an error code under the fault.

    1.6 §4.9: the Central System answers every StatusNotification.req (§6.48 .conf is empty).
    """
    if not ctx.fault("core16-status-subset"):
        return
    status, error = payload.get("status"), payload.get("errorCode")
    if status not in HAPPY_STATUSES or error != "NoError":
        raise UnexpectedValue(f"StatusNotification {status}/{error} is not handled")


def data_transfer_v16(ctx: CsmsContext, record: StationRecord, payload: Payload) -> Payload:
    """Answer DataTransfer.req: UnknownVendorId, the CSMS implements no vendor extension.

    1.6 §4.3: SHALL return UnknownVendor(Id) for a vendorId it has no implementation for;
    fault `core16-data-transfer-accepted` answers Accepted instead.
    """
    if ctx.fault("core16-data-transfer-accepted"):
        return {"status": "Accepted"}
    return data_transfer(ctx, record, payload)

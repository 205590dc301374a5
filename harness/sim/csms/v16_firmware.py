"""Firmware and diagnostics progress reports at the 1.6 reference CSMS (1.6 §4.4, §4.5).

The Central System SHALL answer every FirmwareStatusNotification.req and
DiagnosticsStatusNotification.req; it keeps the reported statuses (oldest first, bounded) so
the control API shows how an update or upload went.
"""

from __future__ import annotations

from typing import Any, Final

from harness.sim.csms.context import CsmsContext
from harness.sim.csms.state import StationRecord

Payload = dict[str, Any]

#: Intermediate statuses (fault `fw16-progress-status-error` refuses them).
PROGRESS: Final = frozenset({"Downloading", "Downloaded", "Installing", "Uploading"})
#: Failure statuses (fault `fw16-failure-status-error` refuses them).
FAILURES: Final = frozenset({"DownloadFailed", "InstallationFailed", "UploadFailed"})


class UnexpectedStatus(ValueError):
    """A status the faulty CSMS cannot handle; the link answers CALLERROR InternalError."""


def _judge(ctx: CsmsContext, action: str, status: str) -> None:
    if ctx.fault("fw16-progress-status-error") and status in PROGRESS:
        raise UnexpectedStatus(f"{action} status {status!r} is not handled")
    if ctx.fault("fw16-failure-status-error") and status in FAILURES:
        raise UnexpectedStatus(f"{action} status {status!r} is not handled")


def firmware_status(ctx: CsmsContext, record: StationRecord, payload: Payload) -> Payload:
    """Acknowledge FirmwareStatusNotification.req and keep its status (1.6 §4.5)."""
    status = str(payload.get("status"))
    _judge(ctx, "FirmwareStatusNotification", status)
    record.firmware_statuses.append(status)
    return {}


def diagnostics_status(ctx: CsmsContext, record: StationRecord, payload: Payload) -> Payload:
    """Acknowledge DiagnosticsStatusNotification.req and keep its status (1.6 §4.4)."""
    status = str(payload.get("status"))
    _judge(ctx, "DiagnosticsStatusNotification", status)
    record.diagnostics_statuses.append(status)
    return {}

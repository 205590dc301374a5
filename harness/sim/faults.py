"""Registry of the reference simulators' fault switches (mutants).

DESIGN.md, "Test cases must be able to fail": each fault is one documented deviation a
simulator shows when started with `--fault NAME`.
`caught_by` lists the case ids proven to catch it; `tests/quality/` checks the claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["station", "csms"]


@dataclass(frozen=True, slots=True)
class Fault:
    """One fault switch: which simulator has it, what it breaks, which cases catch it."""

    role: Role
    description: str
    caught_by: tuple[str, ...] = ()


FAULTS: dict[str, Fault] = {
    # ---- reference CSMS (harness/sim/csms) ----
    "boot-rejected": Fault(
        "csms", "answers every BootNotification with status Rejected (B01.FR.02 / 1.6 §4.2)"
    ),
    "auth-invalid-for-valid": Fault(
        "csms", "answers a valid (Accepted) id token with status Invalid (C01 / 1.6 §4.1)"
    ),
    "transaction-id-zero": Fault(
        "csms",
        "1.6: StartTransaction.conf transactionId 0 for every transaction; 2.0.1: no "
        "idTokenInfo in the TransactionEvent response to a Started event with an idToken",
    ),
    "accept-any-password": Fault(
        "csms", "Basic auth accepts any password (A00.FR.204 / 1.6 security whitepaper §2.3)"
    ),
    "accept-wrong-username": Fault(
        "csms", "Basic auth does not compare the user name with the station id (A00.FR.204)"
    ),
    "silent": Fault("csms", "accepts the websocket and never answers a CALL"),
    "drop-after-boot": Fault(
        "csms", "closes TCP without a close frame right after answering the first BootNotification"
    ),
    "garbage": Fault(
        "csms", "answers every CALL after the boot with a non-JSON text frame (OCPP-J §4)"
    ),
    "callresult-for-malformed": Fault(
        "csms", "answers a malformed CALL with CALLRESULT {} instead of a CALLERROR (OCPP-J §4.2.3)"
    ),
    "wrong-error-code": Fault(
        "csms", "answers malformed CALLs with GenericError instead of the suggested code"
    ),
}


def faults_for(role: Role) -> dict[str, Fault]:
    """Return the faults one simulator role knows."""
    return {name: fault for name, fault in FAULTS.items() if fault.role == role}


# ---- reference charging station (harness/sim/station) ----
#: Every fault of the reference station. Four names (silent, drop-after-boot, garbage,
#: callresult-for-malformed) are also CSMS faults above: the same misbehaviour on the other side.
#: FAULTS is keyed by name alone, so those four are only here; the rest are merged into FAULTS.
STATION_FAULTS: dict[str, Fault] = {
    "boot-reason-wrong": Fault(
        "station", "2.0.1: BootNotification reason Unknown instead of PowerUp after a power cycle"
    ),
    "no-status-notification": Fault(
        "station", "never sends StatusNotification (1.6 §4.9 / 2.0.1 B01.FR.05, G01)"
    ),
    "no-transaction": Fault(
        "station", "authorization and plug-in do not start a transaction (1.6 §4.8 / 2.0.1 E01)"
    ),
    "meter-stop-wrong": Fault(
        "station",
        "1.6 StopTransaction meterStop / 2.0.1 Ended energy register is 10 % below the real "
        "register (1.6 §6.49 / 2.0.1 E06)",
    ),
    "no-heartbeat": Fault("station", "never sends Heartbeat (1.6 §4.6 / 2.0.1 G02)"),
    "no-basic-auth": Fault(
        "station", "omits the Authorization header with security profile 1-2 (A00.FR.203)"
    ),
    "silent": Fault("station", "opens the websocket, never sends anything and never answers"),
    "drop-after-boot": Fault(
        "station",
        "closes TCP without a close frame 0.2 s after each accepted boot, then boots again",
    ),
    "garbage": Fault(
        "station",
        "after an accepted boot sends a non-JSON text frame and a schema-invalid "
        "StatusNotification CALL (OCPP-J §4)",
    ),
    "callresult-for-malformed": Fault(
        "station",
        "answers a malformed CALL with CALLRESULT {} instead of a CALLERROR (OCPP-J §4.2.3)",
    ),
}
for _name, _fault in STATION_FAULTS.items():
    FAULTS.setdefault(_name, _fault)

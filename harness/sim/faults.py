"""Registry of the reference simulators' fault switches (mutants), one table per simulator.

DESIGN.md, "Test cases must be able to fail": each fault is one documented deviation a
simulator shows when started with `--fault NAME`. The same name may exist in both tables (the
same misbehaviour on the other side); `--ocpp-sim-fault NAME` switches it on in every launched
simulator that knows it. `caught_by` lists the case ids that FAIL against the fault (or, for a
SHOULD-level fault, end NON-STRICT: see `expected`); `tests/quality/` checks every claim.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Role = Literal["station", "csms"]


@dataclass(frozen=True, slots=True)
class Fault:
    """One fault switch: what it breaks, which cases catch it, with which verdict."""

    description: str
    caught_by: tuple[str, ...] = ()
    expected: str = "FAIL"


CSMS_FAULTS: dict[str, Fault] = {
    "boot-rejected": Fault(
        "answers every BootNotification with status Rejected (B01.FR.02 / 1.6 §4.2)",
        ("TC_001_CSMS", "TC_B_01_CSMS", "TC_A_01_CSMS", "TC_A_04_CSMS", "TC_A_07_CSMS"),
    ),
    "auth-invalid-for-valid": Fault(
        "answers a valid (Accepted) id token with status Invalid (C01 / 1.6 §4.1)",
        ("TC_003_CSMS", "TC_E_03_CSMS"),
    ),
    "transaction-id-zero": Fault(
        "1.6: StartTransaction.conf transactionId 0 for every transaction; 2.0.1: no "
        "idTokenInfo in the TransactionEvent response to a Started event with an idToken",
        ("TC_003_CSMS",),
    ),
    "accept-any-password": Fault(
        "Basic auth accepts any password (A00.FR.204 / 1.6 security whitepaper §2.3)",
        ("TC_A_03_CSMS",),
    ),
    "accept-wrong-username": Fault(
        "Basic auth does not compare the user name with the station id (A00.FR.204)",
        ("TC_A_02_CSMS",),
    ),
    "silent": Fault("accepts the websocket and never answers a CALL"),
    "drop-after-boot": Fault(
        "closes TCP without a close frame right after answering the first BootNotification"
    ),
    "garbage": Fault("answers every CALL after the boot with a non-JSON text frame (OCPP-J §4)"),
    "callresult-for-malformed": Fault(
        "answers a malformed CALL with CALLRESULT {} instead of a CALLERROR (OCPP-J §4.2.3)"
    ),
    "wrong-error-code": Fault(
        "answers malformed CALLs with GenericError instead of the suggested code"
    ),
}

STATION_FAULTS: dict[str, Fault] = {
    "boot-reason-wrong": Fault(
        "2.0.1: BootNotification reason Unknown instead of PowerUp after a power cycle",
        ("TC_B_01_CS",),
        expected="NON-STRICT",
    ),
    "no-status-notification": Fault(
        "never sends StatusNotification (1.6 §4.9 / 2.0.1 B01.FR.05, G01)",
        ("TC_B_01_CS", "TC_G_01_CS", "TC_A_04_CS", "TC_A_07_CS"),
    ),
    "no-transaction": Fault(
        "authorization and plug-in do not start a transaction (1.6 §4.8 / 2.0.1 E01)",
        ("TC_003_CS", "TC_E_03_CS"),
    ),
    "meter-stop-wrong": Fault(
        "1.6 StopTransaction meterStop / 2.0.1 Ended energy register is 10 % below the real "
        "register (1.6 §6.49 / 2.0.1 E06)"
    ),
    "no-heartbeat": Fault("never sends Heartbeat (1.6 §4.6 / 2.0.1 G02)", ("TC_001_CS",)),
    "no-basic-auth": Fault(
        "omits the Authorization header with security profile 1-2 (A00.FR.203)",
        ("TC_A_01_CS",),
    ),
    "silent": Fault("opens the websocket, never sends anything and never answers"),
    "drop-after-boot": Fault(
        "closes TCP without a close frame 0.2 s after each accepted boot, then boots again"
    ),
    "garbage": Fault(
        "after an accepted boot sends a non-JSON text frame and a schema-invalid "
        "StatusNotification CALL (OCPP-J §4)"
    ),
    "callresult-for-malformed": Fault(
        "answers a malformed CALL with CALLRESULT {} instead of a CALLERROR (OCPP-J §4.2.3)"
    ),
}

FAULTS: dict[Role, dict[str, Fault]] = {"csms": CSMS_FAULTS, "station": STATION_FAULTS}


def faults_for(role: Role) -> dict[str, Fault]:
    """Return the faults one simulator role knows."""
    return FAULTS[role]


def is_known(name: str) -> bool:
    """True when some simulator knows the fault `name`."""
    return any(name in table for table in FAULTS.values())

"""Invariants over a CSMS's answers to what the harness, as a charging station, sent it.

Pure functions of the `Answered` records of one stateful-fuzz example (and of the CALLs the
CSMS sent meanwhile); each returns the first violation as text (what was expected, what was
seen) or None. They hold for any conforming CSMS whatever a conforming station does:

* every CALL is answered with a schema-valid CALLRESULT within the call timeout (OCPP-J 1.6
  and 2.0.1 Part 4 §4.2.2: a call that can be handled correctly gets a CALLRESULT; §4.1.1 the
  timeout is the implementation's: the DUT profile's; 1.6 §4.1-§4.10 the Central System
  SHALL respond);
* the same id token gets the same authorization status throughout: the DUT profile's table
  (`TABLE_STATUS`), or ConcurrentTx while the token is in another running transaction (1.6
  §4.1, §4.8 the CSMS MUST verify the idTag again, §7.2; 2.0.1 C01, E01-E03 idTokenInfo);
* 1.6: the transactionId of an accepted StartTransaction is > 0 and names one transaction
  (§4.8: "MUST include a transaction id"; §5.12/§4.10 use it to address that transaction);
* 2.0.1: a TransactionEventResponse to a request with an idToken carries idTokenInfo (E01-E03;
  Part 6 TC_E_01..04_CSMS: "TransactionEventResponse with idTokenInfo.status ...");
* the CSMS never asks to stop a transaction the station already reported ended
  (RemoteStopTransaction 1.6 §5.12, RequestStopTransaction 2.0.1 F03).

`stop_without_id_tag_info` is a SHOULD: 1.6 §4.10 lets the Central System leave idTagInfo out
of StopTransaction.conf, and the harness's reusable state treats its absence as a SHOULD.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from harness.roles.exchange import Message

#: Token kind (DUT profile [tokens] key) -> the status the CSMS's table gives it.
TABLE_STATUS: Final = {
    "valid": "Accepted",
    "invalid": "Invalid",
    "blocked": "Blocked",
    "expired": "Expired",
}
#: CALLs a CSMS sends to stop a transaction, per version.
STOP_COMMANDS: Final = ("RemoteStopTransaction", "RequestStopTransaction")


@dataclass(frozen=True)
class Answered:
    """One CALL the emulated station sent the CSMS under test, and what came back."""

    action: str
    request: dict[str, Any]
    #: When the CALL was sent and answered (seconds on the case clock; None: no answer).
    at: float
    answered_at: float | None = None
    answer: dict[str, Any] | None = None
    #: "code: description" of a CALLERROR.
    error: str | None = None
    #: Schema violations of the CALLRESULT.
    violations: tuple[str, ...] = ()
    #: Kind of the id token the request carries (a TABLE_STATUS key), if any.
    token: str | None = None
    #: The token is in another transaction running at the station when this was sent.
    concurrent: bool = False
    #: The station's own key of the transaction the request belongs to.
    transaction: str | None = None

    def summary(self) -> str:
        """One line for failure messages and replay files."""
        if self.answer is not None:
            seen = f"CALLRESULT {self.answer}"
        else:
            seen = f"CALLERROR {self.error}" if self.error else "no answer"
        return f"{self.at:.3f}s -> {self.action} {self.request} => {seen}"


def token_status(answered: Answered) -> str | None:
    """The authorization status in the answer (idTagInfo or idTokenInfo), if any."""
    answer = answered.answer or {}
    info = answer.get("idTagInfo", answer.get("idTokenInfo"))
    return str(info["status"]) if isinstance(info, dict) and "status" in info else None


def answer_violation(history: Iterable[Answered], call_timeout: float) -> str | None:
    """A CALL without a schema-valid CALLRESULT within `call_timeout` seconds."""
    for item in history:
        where = f"{item.action} sent at {item.at:.3f} s"
        if item.answer is None and item.error is None:
            return f"{where}: no answer within the call timeout {call_timeout:g} s"
        if item.error is not None:
            return f"{where}: expected a CALLRESULT, saw CALLERROR {item.error}"
        if item.violations:
            return f"{where}: the CALLRESULT breaks its schema: {'; '.join(item.violations)}"
        took = (item.answered_at or item.at) - item.at
        if took > call_timeout:
            return f"{where}: answered after {took:.3f} s, beyond the timeout {call_timeout:g} s"
    return None


def token_violation(history: Iterable[Answered]) -> str | None:
    """An answer whose status for a token is not the one the DUT profile's table gives it."""
    seen: dict[str, list[str]] = {}
    for item in history:
        status = token_status(item)
        expected = TABLE_STATUS.get(item.token or "")
        if status is None or expected is None or item.token is None:
            continue
        seen.setdefault(item.token, []).append(f"{item.action} {status}")
        if status == expected or (status == "ConcurrentTx" and item.concurrent):
            continue
        return (
            f"{item.action} sent at {item.at:.3f} s: the {item.token} token got status "
            f"{status}, expected {expected} (DUT profile token table); this token so far: "
            f"{', '.join(seen[item.token])}"
        )
    return None


def transaction_id_violation_16(history: Iterable[Answered]) -> str | None:
    """1.6: an accepted StartTransaction.conf's transactionId not > 0 or given twice."""
    given: dict[int, Answered] = {}
    for item in history:
        if item.action != "StartTransaction" or token_status(item) != "Accepted":
            continue
        tx_id = (item.answer or {}).get("transactionId")
        if not isinstance(tx_id, int) or tx_id <= 0:
            return (
                f"StartTransaction sent at {item.at:.3f} s: accepted with transactionId "
                f"{tx_id!r}, expected an integer > 0 (1.6 §4.8)"
            )
        first = given.get(tx_id)
        if first is not None and first.transaction != item.transaction:
            return (
                f"transactionId {tx_id} given to the StartTransaction sent at {first.at:.3f} s "
                f"and again to another transaction's, sent at {item.at:.3f} s (1.6 §4.8)"
            )
        given.setdefault(tx_id, item)
    return None


def id_token_info_violation_201(history: Iterable[Answered]) -> str | None:
    """2.0.1: a TransactionEventResponse without idTokenInfo for a request with an idToken."""
    for item in history:
        carries = item.action == "TransactionEvent" and "idToken" in item.request
        if carries and item.answer is not None and "idTokenInfo" not in item.answer:
            return (
                f"TransactionEvent {item.request.get('eventType')} sent at {item.at:.3f} s "
                f"carries an idToken; the response {item.answer} has no idTokenInfo (E01-E03)"
            )
    return None


def _transaction_id(item: Answered) -> str | None:
    """The CSMS's id of the transaction a start or stop names, as text (None: neither)."""
    if item.action == "StartTransaction":
        tx_id = (item.answer or {}).get("transactionId")
        return None if tx_id is None else str(tx_id)
    if item.action == "StopTransaction":
        return str(item.request.get("transactionId"))
    if item.action == "TransactionEvent":
        return str((item.request.get("transactionInfo") or {}).get("transactionId"))
    return None


def remote_stop_violation(history: Sequence[Answered], commands: Iterable[Message]) -> str | None:
    """A stop command from the CSMS for a transaction whose end it had already answered."""
    for command in commands:
        if command.direction != "in" or command.action not in STOP_COMMANDS:
            continue
        tx_id = str(command.payload.get("transactionId"))
        ended_at: float | None = None
        for item in history:
            done = item.answered_at
            if done is None or done > command.at or _transaction_id(item) != tx_id:
                continue
            event = item.request.get("eventType")
            if item.action == "StartTransaction" or event == "Started":
                ended_at = None
            elif item.action == "StopTransaction" or event == "Ended":
                ended_at = done
        if ended_at is not None:
            return (
                f"{command.action} at {command.at:.3f} s for transaction {tx_id}, whose end "
                f"the CSMS answered at {ended_at:.3f} s (1.6 §5.12, 2.0.1 F03)"
            )
    return None


def stop_without_id_tag_info(item: Answered) -> str | None:
    """SHOULD (1.6 §4.10): StopTransaction.conf informs about the idTag the request gave."""
    if item.action != "StopTransaction" or "idTag" not in item.request or item.answer is None:
        return None
    if "idTagInfo" in item.answer:
        return None
    return f"StopTransaction with idTag answered {item.answer} without idTagInfo (1.6 §4.10)"

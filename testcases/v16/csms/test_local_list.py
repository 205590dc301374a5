"""OCPP 1.6 Local Auth List Management, Central System under test (1.6 §3.5.2, §5.10, §5.15).

The harness's charge point keeps a Local Authorization List (version, entries) and answers
GetLocalListVersion / SendLocalList from it. The operator asks the Central System for a list
update by its idTags only: the listVersion and each entry's idTagInfo are the Central
System's to fill in, and are judged as in 2.0.1 Part 6 TC_D_01/02_CSMS (version bigger than
the charge point's, list not empty) plus 1.6 §7.1 (idTagInfo required in a Full update) and
errata 3.52 (listVersion never 0 or -1).
"""

from __future__ import annotations

from typing import Any

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import csms_v16
from harness.dut.device import Dut
from harness.outcomes import ExpectationFailed
from harness.roles.exchange import Message
from harness.roles.station import StationEmulator

NEEDS = ("local_auth_list",)


class LocalList:
    """The emulated charge point's Local Authorization List, answering the Central System.

    `answers` scripts the SendLocalList.conf statuses in order (then Accepted); an accepted
    update is applied (§5.15) and its listVersion becomes the list's version.
    """

    def __init__(self, station: StationEmulator, version: int, answers: tuple[str, ...] = ()):
        self.version = version
        self.entries: dict[str, dict[str, Any]] = {}
        self.answers = list(answers)
        station.on("GetLocalListVersion").respond_with(lambda _m: {"listVersion": self.version})
        station.on("SendLocalList").respond_with(self._update)

    def _update(self, message: Message) -> dict[str, Any]:
        status = self.answers.pop(0) if self.answers else "Accepted"
        if status != "Accepted":
            return {"status": status}
        if message.get("updateType") == "Full":
            self.entries = {}
        for item in message.get("localAuthorizationList") or []:
            if "idTagInfo" in item:
                self.entries[item["idTag"]] = item["idTagInfo"]
            else:
                self.entries.pop(item["idTag"], None)
        self.version = int(message["listVersion"])
        return {"status": "Accepted"}


def _allowed_statuses(dut: Dut) -> dict[str, tuple[str, ...]]:
    """idTag -> the statuses its list entry may carry (Part 6 TC_C_06/07 leniency)."""
    tokens = dut.tokens
    return {
        tokens.valid: ("Accepted",),
        tokens.invalid: ("Invalid",),
        tokens.blocked: ("Blocked", "Invalid"),
        tokens.expired: ("Expired", "Invalid"),
    }


def judge_update(
    check: Checks, dut: Dut, request: Message, update_type: str, above: int, asked: list[str]
) -> None:
    """Check a SendLocalList.req for the update asked for; its listVersion must pass `above`.

    A Differential update's version is the list's after the update, so above the charge
    point's (§6.41); a Full update's need only be >= 1 (errata 3.52, Part 6 TC_D_01_CSMS).
    """
    check.equal(
        request.get("updateType"), update_type, "SendLocalList.req updateType", ref="1.6 §5.15"
    )
    version = request.get("listVersion")
    check.must(
        isinstance(version, int) and version >= 1 and version > above,
        f"SendLocalList.req listVersion: expected >= 1 (errata 3.52) and above {above}, "
        f"saw {version!r}",
        ref="1.6 §6.41",
    )
    entries = request.get("localAuthorizationList") or []
    listed = [item.get("idTag") for item in entries if isinstance(item, dict)]
    check.must(entries, "SendLocalList.req localAuthorizationList is not empty", ref="1.6 §6.41")
    check.must(
        len(listed) == len(set(listed)),
        f"SendLocalList.req idTags are unique: {listed}",
        ref="1.6 §6.41",
    )
    missing = [tag for tag in asked if tag not in listed]
    check.must(not missing, f"SendLocalList.req lists the idTags asked for; missing {missing}")
    allowed = _allowed_statuses(dut)
    for item in entries:
        info = item.get("idTagInfo")
        if update_type == "Full":
            check.must(
                isinstance(info, dict),
                f"Full update entry {item.get('idTag')} has idTagInfo (required): {item}",
                ref="1.6 §7.1",
            )
        tag_allowed = allowed.get(item.get("idTag"))
        if isinstance(info, dict) and tag_allowed is not None:
            check.must(
                info.get("status") in tag_allowed,
                f"list entry {item.get('idTag')} idTagInfo.status: expected one of "
                f"{tag_allowed}, saw {info.get('status')!r}",
                ref="1.6 §3.5.2",
            )


async def _send_list(
    station: StationEmulator, dut: Dut, update_type: str, asked: list[str]
) -> Message:
    """The operator asks for a list update with these idTags; the SendLocalList.req sent."""
    body = {"updateType": update_type, "localAuthorizationList": [{"idTag": t} for t in asked]}
    return await csms_v16.command(station, dut, "SendLocalList", body)


@ocpp_case(
    "TC_042_1_CSMS",
    version="1.6",
    refs=("1.6 §5.10", "2.0.1 Part 6 TC_D_08_CSMS"),
    needs=NEEDS,
)
async def test_get_version_not_supported(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """GetLocalListVersion answered -1 (no Local Authorization List support, §5.10)."""
    await csms_v16.booted(station, dut, check)
    LocalList(station, -1)
    request = await csms_v16.command(station, dut, "GetLocalListVersion", {})
    check.equal(request.payload, {}, "GetLocalListVersion.req payload (no fields)", ref="1.6 §6.27")
    await csms_v16.still_served(station, check, "GetLocalListVersion.conf listVersion -1")


@ocpp_case(
    "TC_042_2_CSMS",
    version="1.6",
    refs=("1.6 §5.10", "2.0.1 Part 6 TC_D_09_CSMS"),
    needs=NEEDS,
)
async def test_get_version_empty(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """GetLocalListVersion answered 0 (the list is empty, §5.10)."""
    await csms_v16.booted(station, dut, check)
    LocalList(station, 0)
    request = await csms_v16.command(station, dut, "GetLocalListVersion", {})
    check.equal(request.payload, {}, "GetLocalListVersion.req payload (no fields)", ref="1.6 §6.27")
    await csms_v16.still_served(station, check, "GetLocalListVersion.conf listVersion 0")


@ocpp_case(
    "TC_043_1_CSMS",
    version="1.6",
    refs=("1.6 §5.15", "1.6 §7.47", "2.0.1 Part 6 TC_D_01_CSMS"),
    needs=NEEDS,
)
async def test_send_list_not_supported(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """A Full list sent to a charge point without a local list: answered NotSupported."""
    await csms_v16.booted(station, dut, check)
    LocalList(station, -1, answers=("NotSupported",))
    asked = [dut.tokens.valid]
    request = await _send_list(station, dut, "Full", asked)
    judge_update(check, dut, request, "Full", 0, asked)
    await csms_v16.still_served(station, check, "SendLocalList.conf NotSupported")


@ocpp_case(
    "TC_043_3_CSMS",
    version="1.6",
    refs=("1.6 §5.15", "1.6 §7.47", "2.0.1 Part 6 TC_D_02_CSMS"),
    needs=NEEDS,
)
async def test_send_list_failed(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """A Differential update answered Failed: the Central System SHOULD send the full list.

    1.6 §5.15: after Failed (or VersionMismatch) for a Differential update the Central System
    SHOULD retry with updateType Full; the retry is judged as a Full update.
    """
    await csms_v16.booted(station, dut, check)
    LocalList(station, 3, answers=("Failed",))
    asked = [dut.tokens.blocked]
    request = await _send_list(station, dut, "Differential", asked)
    judge_update(check, dut, request, "Differential", 3, asked)
    try:
        retry = await station.expect(
            "SendLocalList",
            where={"updateType": "Full"},
            within=dut.timeouts.call,
            since=request.at,
        )
    except ExpectationFailed as missing:
        check.should(
            False,
            f"full list after the failed Differential update: {missing.message}",
            ref="1.6 §5.15",
        )
    else:
        judge_update(check, dut, retry, "Full", 0, [])
    await csms_v16.still_served(station, check, "SendLocalList.conf Failed")


@ocpp_case(
    "TC_043_4_CSMS",
    version="1.6",
    refs=("1.6 §5.15", "1.6 §6.41", "1.6 §7.1", "errata 3.52", "2.0.1 Part 6 TC_D_01_CSMS"),
    needs=NEEDS,
)
async def test_send_full_list(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Full update of an empty list with the valid, blocked and expired idTags, Accepted."""
    await csms_v16.booted(station, dut, check)
    LocalList(station, 0)
    asked = [dut.tokens.valid, dut.tokens.blocked, dut.tokens.expired]
    request = await _send_list(station, dut, "Full", asked)
    judge_update(check, dut, request, "Full", 0, asked)


@ocpp_case(
    "TC_043_5_CSMS",
    version="1.6",
    refs=("1.6 §5.15", "1.6 §6.41", "1.6 §7.1", "errata 3.52", "2.0.1 Part 6 TC_D_02_CSMS"),
    needs=NEEDS,
)
async def test_send_differential_list(station: StationEmulator, dut: Dut, check: Checks) -> None:
    """Differential update of a list at version 3 with the blocked idTag, Accepted.

    The new listVersion is the version after the update, so above 3 (§6.41, 1.6 Figure 4).
    """
    await csms_v16.booted(station, dut, check)
    LocalList(station, 3)
    asked = [dut.tokens.blocked]
    request = await _send_list(station, dut, "Differential", asked)
    judge_update(check, dut, request, "Differential", 3, asked)

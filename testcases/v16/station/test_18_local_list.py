"""OCPP 1.6 Local Authorization List Management, charge point under test (1.6 section 18).

The 1.6 compliance document is not public: each case follows the 2.0.1 Part 6 case of the same
purpose (block C/D, named per case) translated to 1.6 messages, and cites OCPP 1.6 edition 2
(§3.5 Local Authorization, §5.10 GetLocalListVersion, §5.15 SendLocalList, §9.2 keys).
"""

from __future__ import annotations

from typing import Any

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import station_v16
from harness.dut.device import Dut
from harness.outcomes import NotApplicable
from harness.roles.csms import CsmsEmulator

#: A second idTag for differential updates; it is never presented.
OTHER_TAG = "0A11CE5A11CE50"
#: More SendLocalList messages than this to overflow the list: not worth a run.
MAX_MESSAGES = 100


def _entry(tag: str, status: str = "Accepted") -> dict[str, Any]:
    """AuthorizationData (§7.1) with an IdTagInfo."""
    return {"idTag": tag, "idTagInfo": {"status": status}}


async def _configure(csms: CsmsEmulator, dut: Dut, check: Checks, key: str, value: str) -> str:
    """ChangeConfiguration (§5.3); a required RW key must be Accepted."""
    out = await csms.call("ChangeConfiguration", within=dut.timeouts.call, key=key, value=value)
    status = str(out.get("status"))
    check.equal(status, "Accepted", f"ChangeConfiguration {key}={value}", ref="1.6 §5.3, §9.2")
    return status


async def _send_list(
    csms: CsmsEmulator, dut: Dut, version: int, update: str, entries: list[dict[str, Any]]
) -> str:
    """SendLocalList.req (§5.15, §6.41); return the UpdateStatus."""
    out = await csms.call(
        "SendLocalList",
        within=dut.timeouts.call,
        listVersion=version,
        updateType=update,
        localAuthorizationList=entries,
    )
    return str(out.get("status", out.describe()))


async def _version(csms: CsmsEmulator, dut: Dut) -> object:
    """GetLocalListVersion.conf listVersion (§5.10)."""
    out = await csms.call("GetLocalListVersion", within=dut.timeouts.call)
    return out.get("listVersion", out.describe())


async def _list_holds_valid_tag(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Before: list enabled, pre-authorization on, the valid idTag Accepted in the list."""
    await station_v16.idle(csms, dut)
    await _configure(csms, dut, check, "LocalAuthListEnabled", "true")
    await _configure(csms, dut, check, "LocalPreAuthorize", "true")
    status = await _send_list(csms, dut, 1, "Full", [_entry(dut.tokens.valid)])
    check.equal(status, "Accepted", "SendLocalList.conf status", ref="1.6 §5.15")


def _no_authorize(csms: CsmsEmulator, check: Checks, since: float) -> None:
    """LocalPreAuthorize: start without requesting an Authorize.conf (§9.1.13, §3.5)."""
    sent = [m.payload for m in csms.received("Authorize") if m.at >= since]
    check.must(
        not sent,
        f"idTag Accepted in the Local Authorization List with LocalPreAuthorize true: no "
        f"Authorize.req expected before the transaction, saw {sent}",
        ref="1.6 §3.5, §9.1.13",
    )


@ocpp_case(
    "TC_008_1_CS",
    version="1.6",
    refs=("1.6 §3.5", "1.6 §9.1.13", "1.6 §4.8", "2.0.1 TC_C_27_CS"),
    needs=("local_auth_list", "plug_in", "present_token"),
)
async def test_local_start_id_in_list(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Present an idTag Accepted in the local list: the transaction starts without Authorize."""
    await _list_holds_valid_tag(csms, dut, check)
    mark = csms.wirelog.now()
    await station_v16.plugged_in(csms, dut)
    await dut.present_token(dut.tokens.valid)
    await station_v16.charging(csms, dut, check, since=mark)
    _no_authorize(csms, check, mark)


@ocpp_case(
    "TC_008_2_CS",
    version="1.6",
    refs=("1.6 §5.11", "1.6 §3.5", "1.6 §9.1.13", "2.0.1 TC_C_27_CS"),
    needs=("local_auth_list", "plug_in"),
)
async def test_remote_start_id_in_list(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """RemoteStart with AuthorizeRemoteTxRequests: the local list authorizes the idTag (§5.11)."""
    await _list_holds_valid_tag(csms, dut, check)
    out = await csms.call(
        "ChangeConfiguration",
        within=dut.timeouts.call,
        key="AuthorizeRemoteTxRequests",
        value="true",
    )
    check.info(out.get("status") == "Accepted", f"AuthorizeRemoteTxRequests true: {out.describe()}")
    mark = csms.wirelog.now()
    await station_v16.plugged_in(csms, dut)
    start = await csms.call(
        "RemoteStartTransaction",
        within=dut.timeouts.call,
        idTag=dut.tokens.valid,
        connectorId=dut.connector_id(1, 1),
    )
    check.equal(start.get("status"), "Accepted", "RemoteStartTransaction.conf status", ref="§5.11")
    await station_v16.charging(csms, dut, check, since=mark)
    _no_authorize(csms, check, mark)


async def _disable_list(csms: CsmsEmulator, dut: Dut, check: Checks) -> bool:
    """Turn the list off (§9.2.1); False when the DUT has no local list at all."""
    await station_v16.idle(csms, dut)
    if not dut.profile.features.local_auth_list:
        return False
    await _configure(csms, dut, check, "LocalAuthListEnabled", "false")
    return True


async def _enable_list(csms: CsmsEmulator, dut: Dut) -> None:
    """Leave the DUT with its list enabled again."""
    await csms.call(
        "ChangeConfiguration", within=dut.timeouts.call, key="LocalAuthListEnabled", value="true"
    )


@ocpp_case("TC_042_1_CS", version="1.6", refs=("1.6 §5.10", "1.6 §9.2.1", "2.0.1 TC_D_10_CS"))
async def test_get_local_list_version_not_supported(
    csms: CsmsEmulator, dut: Dut, check: Checks
) -> None:
    """No list in use (feature absent, or LocalAuthListEnabled false): listVersion -1 (§5.10)."""
    disabled = await _disable_list(csms, dut, check)
    try:
        version = await _version(csms, dut)
        check.equal(
            version,
            -1,
            "GetLocalListVersion.conf listVersion without a list in use",
            ref="1.6 §5.10",
        )
    finally:
        if disabled:
            await _enable_list(csms, dut)


@ocpp_case(
    "TC_042_2_CS",
    version="1.6",
    refs=("1.6 §5.10", "1.6 §6.41", "2.0.1 TC_D_04_CS"),
    needs=("local_auth_list",),
)
async def test_get_local_list_version_empty(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Fill the list, then a Full update with no entries empties it: listVersion 0 (§5.10)."""
    await station_v16.idle(csms, dut)
    await _configure(csms, dut, check, "LocalAuthListEnabled", "true")
    status = await _send_list(csms, dut, 1, "Full", [_entry(dut.tokens.valid)])
    check.equal(status, "Accepted", "SendLocalList.conf status (Full, one entry)", ref="§5.15")
    check.equal(await _version(csms, dut), 1, "listVersion after the Full update", ref="§5.10")
    status = await _send_list(csms, dut, 2, "Full", [])
    check.equal(status, "Accepted", "SendLocalList.conf status (Full, empty)", ref="1.6 §6.41")
    check.equal(await _version(csms, dut), 0, "listVersion of the empty list", ref="1.6 §5.10")


@ocpp_case(
    "TC_043_CS",
    version="1.6",
    refs=(
        "1.6 §5.15",
        "1.6 §6.41",
        "1.6 §7.1",
        "2.0.1 TC_D_01_CS",
        "2.0.1 TC_D_02_CS",
        "2.0.1 TC_D_03_CS",
    ),
    needs=("local_auth_list",),
)
async def test_send_local_list(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Full update, differential add, differential remove: each Accepted with its version."""
    await station_v16.idle(csms, dut)
    await _configure(csms, dut, check, "LocalAuthListEnabled", "true")
    steps = [
        (1, "Full", [_entry(dut.tokens.valid)], "2.0.1 TC_D_01_CS"),
        (2, "Differential", [_entry(OTHER_TAG)], "2.0.1 TC_D_02_CS"),
        (3, "Differential", [{"idTag": OTHER_TAG}], "2.0.1 TC_D_03_CS"),
    ]
    for version, update, entries, model in steps:
        status = await _send_list(csms, dut, version, update, entries)
        check.equal(
            status,
            "Accepted",
            f"SendLocalList.conf status ({update} v{version}, {model})",
            ref="1.6 §5.15",
        )
        seen = await _version(csms, dut)
        check.equal(seen, version, f"listVersion after the {update} update", ref="1.6 §6.41")


@ocpp_case("TC_043_1_CS", version="1.6", refs=("1.6 §5.15", "1.6 §7.47", "1.6 §9.2.1"))
async def test_send_local_list_not_supported(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """No list in use (feature absent, or LocalAuthListEnabled false): NotSupported (§7.47)."""
    disabled = await _disable_list(csms, dut, check)
    try:
        status = await _send_list(csms, dut, 1, "Full", [_entry(dut.tokens.valid)])
        check.equal(
            status,
            "NotSupported",
            "SendLocalList.conf status without a list in use",
            ref="1.6 §7.47",
        )
    finally:
        if disabled:
            await _enable_list(csms, dut)


@ocpp_case(
    "TC_043_2_CS",
    version="1.6",
    refs=("1.6 §5.15", "1.6 §7.47", "2.0.1 TC_D_06_CS"),
    needs=("local_auth_list",),
)
async def test_send_local_list_version_mismatch(
    csms: CsmsEmulator, dut: Dut, check: Checks
) -> None:
    """A Differential update whose listVersion is below the current one: VersionMismatch."""
    await station_v16.idle(csms, dut)
    await _configure(csms, dut, check, "LocalAuthListEnabled", "true")
    status = await _send_list(csms, dut, 2, "Full", [_entry(dut.tokens.valid)])
    check.equal(status, "Accepted", "SendLocalList.conf status (Full v2)", ref="1.6 §5.15")
    status = await _send_list(csms, dut, 1, "Differential", [_entry(OTHER_TAG)])
    check.equal(
        status, "VersionMismatch", "SendLocalList.conf status (Differential v1)", ref="1.6 §7.47"
    )
    check.equal(
        await _version(csms, dut), 2, "listVersion after the refused update", ref="1.6 §5.10"
    )


async def _integer_key(csms: CsmsEmulator, dut: Dut, check: Checks, key: str) -> int:
    """A required read-only integer key (§9.2) from GetConfiguration (§5.8)."""
    out = await csms.call("GetConfiguration", within=dut.timeouts.call, key=[key])
    values = [k.get("value") for k in out.get("configurationKey", []) if k.get("key") == key]
    value = values[0] if values else None
    check.must(
        isinstance(value, str) and value.isdigit(),
        f"{key} reported as an integer: {out.describe()}",
        ref="1.6 §9.2",
    )
    return int(value) if isinstance(value, str) and value.isdigit() else 0


@ocpp_case(
    "TC_043_3_CS",
    version="1.6",
    refs=("1.6 §5.15", "1.6 §7.47", "1.6 §9.2.2", "1.6 §9.2.3"),
    needs=("local_auth_list",),
)
async def test_send_local_list_failed(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Grow the list one entry past LocalAuthListMaxLength: Failed, version unchanged (§7.47).

    Each SendLocalList stays within SendLocalListMaxLength; only the overflow may fail.
    """
    await station_v16.idle(csms, dut)
    await _configure(csms, dut, check, "LocalAuthListEnabled", "true")
    capacity = await _integer_key(csms, dut, check, "LocalAuthListMaxLength")
    per_message = await _integer_key(csms, dut, check, "SendLocalListMaxLength")
    if capacity <= 0 or per_message <= 0:
        return
    if -(-(capacity + 1) // per_message) > MAX_MESSAGES:
        raise NotApplicable(f"overflowing {capacity} entries takes over {MAX_MESSAGES} messages")
    tags = [f"0C{n:012X}" for n in range(capacity + 1)]
    version, sent = 1, 0
    while sent < capacity:
        chunk = tags[sent : min(sent + per_message, capacity)]
        update = "Full" if sent == 0 else "Differential"
        status = await _send_list(csms, dut, version, update, [_entry(t) for t in chunk])
        if not check.equal(
            status,
            "Accepted",
            f"SendLocalList.conf status ({update} v{version}, "
            f"{sent + len(chunk)} of {capacity} entries)",
            ref="1.6 §5.15",
        ):
            return
        sent += len(chunk)
        version += 1
    status = await _send_list(csms, dut, version, "Differential", [_entry(tags[capacity])])
    check.equal(
        status,
        "Failed",
        f"SendLocalList.conf status for entry {capacity + 1} of a list of at most {capacity}",
        ref="1.6 §7.47, §9.2.2",
    )
    check.equal(
        await _version(csms, dut),
        version - 1,
        "listVersion after the failed update",
        ref="1.6 §5.10",
    )

"""OCPP 1.6 Core, charge point under test: Authorization Cache (catalog section 04).

The 1.6 compliance test document is not public; the cases follow 2.0.1 Part 6 TC_C_08_CS
(authorization through the cache) and TC_C_37_CS (clear the cache), in 1.6 messages. The
memory state "valid idTag cached" is built with one complete session (1.6 §3.5.1).
"""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import station_v16
from harness.dut.device import Dut
from harness.roles.csms import CsmsEmulator


async def _remote_start(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """RemoteStartTransaction.req for connector 1 with the valid idTag, Accepted (1.6 §5.11)."""
    outcome = await csms.call(
        "RemoteStartTransaction", connectorId=dut.connector_id(1, 1), idTag=dut.tokens.valid
    )
    check.equal(
        outcome.get("status"), "Accepted", "RemoteStartTransaction.conf status", ref="1.6 §5.11"
    )


async def _started_without_authorize(
    csms: CsmsEmulator, dut: Dut, check: Checks, since: float
) -> None:
    """The transaction starts with no Authorize.req since `since` (LocalPreAuthorize, §9.1.13)."""
    start = await station_v16.charging(csms, dut, check, since=since)
    asked = [m.summary() for m in csms.received("Authorize") if since <= m.at <= start.at]
    check.must(
        not asked,
        f"LocalPreAuthorize true, idTag cached Accepted: no Authorize.req expected, saw {asked}",
        ref="1.6 §9.1.13",
    )


async def _cache_cleared(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Cached idTag, then ClearCache.req answered Accepted (1.6 §5.4)."""
    await station_v16.idle(csms, dut)
    await station_v16.token_cached(csms, dut, check)
    outcome = await csms.call("ClearCache")
    check.equal(outcome.get("status"), "Accepted", "ClearCache.conf status", ref="1.6 §5.4")


@ocpp_case(
    "TC_007_1_CS",
    version="1.6",
    refs=("1.6 §3.5.1", "1.6 §9.1.13", "2.0.1 Part 6 TC_C_08_CS"),
    needs=("authorization_cache", "plug_in", "unplug", "present_token"),
)
async def test_local_start_from_cache(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """Cached valid idTag presented: the transaction starts without an Authorize.req."""
    await station_v16.idle(csms, dut)
    await station_v16.token_cached(csms, dut, check)
    mark = csms.wirelog.now()
    await station_v16.plugged_in(csms, dut)
    await dut.present_token(dut.tokens.valid)
    await _started_without_authorize(csms, dut, check, mark)


@ocpp_case(
    "TC_007_2_CS",
    version="1.6",
    refs=("1.6 §3.5.1", "1.6 §5.11", "1.6 §9.1.13", "2.0.1 Part 6 TC_C_08_CS"),
    needs=("authorization_cache", "plug_in", "unplug", "present_token"),
)
async def test_remote_start_from_cache(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """AuthorizeRemoteTxRequests true, idTag cached: remote start without an Authorize.req.

    1.6 §5.11: the charge point authorizes the remote idTag as for a local action, which with
    LocalPreAuthorize means from the cache.
    """
    await station_v16.idle(csms, dut)
    await station_v16.token_cached(csms, dut, check)
    await station_v16.configured(csms, "AuthorizeRemoteTxRequests", "true")
    mark = csms.wirelog.now()
    await station_v16.plugged_in(csms, dut)
    await _remote_start(csms, dut, check)
    await _started_without_authorize(csms, dut, check, mark)


@ocpp_case(
    "TC_061_1_CS",
    version="1.6",
    refs=("1.6 §5.4", "1.6 §3.5.1", "2.0.1 Part 6 TC_C_37_CS"),
    needs=("authorization_cache", "plug_in", "unplug", "present_token"),
)
async def test_clear_cache_then_local_start(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """ClearCache, then the formerly cached idTag is presented: Authorize.req, then charging."""
    await _cache_cleared(csms, dut, check)
    mark = csms.wirelog.now()
    await station_v16.plugged_in(csms, dut)
    await station_v16.authorized(csms, dut, check)
    await station_v16.charging(csms, dut, check, since=mark)


@ocpp_case(
    "TC_061_2_CS",
    version="1.6",
    refs=("1.6 §5.4", "1.6 §5.11", "2.0.1 Part 6 TC_C_37_CS"),
    needs=("authorization_cache", "plug_in", "unplug", "present_token"),
)
async def test_clear_cache_then_remote_start(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """ClearCache, AuthorizeRemoteTxRequests true, remote start: Authorize.req, then charging."""
    await _cache_cleared(csms, dut, check)
    await station_v16.configured(csms, "AuthorizeRemoteTxRequests", "true")
    mark = csms.wirelog.now()
    await station_v16.plugged_in(csms, dut)
    await _remote_start(csms, dut, check)
    authorize = await csms.expect("Authorize", within=dut.timeouts.action, since=mark)
    check.equal(authorize["idTag"], dut.tokens.valid, "Authorize.req idTag", ref="1.6 §5.11")
    await station_v16.charging(csms, dut, check, since=mark)

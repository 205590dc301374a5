"""OCPP 1.6 Data Transfer (1.6 catalog section 24), charge point under test.

The 1.6 compliance test document is not public: the case follows 2.0.1 Part 6 TC_P_01_CS.
"""

from __future__ import annotations

from harness.cases.checks import Checks
from harness.cases.model import ocpp_case
from harness.cases.states import station_v16
from harness.dut.device import Dut
from harness.roles.csms import CsmsEmulator

#: The vendorId the official tool sends (Part 6 TC_P_01_CS); no station implements it.
VENDOR_ID = "org.openchargealliance.octt"
MESSAGE_ID = "OcppHarnessUnusedMessageId"
#: Part 6 TC_P_01_CS accepts any of these; 1.6 §5.6 / §4.3 prescribe UnknownVendorId.
NOT_IMPLEMENTED = ("UnknownVendorId", "UnknownMessageId", "Rejected")


@ocpp_case(
    "TC_062_CS", version="1.6", refs=("1.6 §5.6", "1.6 §4.3", "1.6 §7.23", "Part 6 TC_P_01_CS")
)
async def test_data_transfer_unknown_vendor(csms: CsmsEmulator, dut: Dut, check: Checks) -> None:
    """DataTransfer.req with a vendorId the charge point does not implement: not Accepted.

    2.0.1 Part 6 TC_P_01_CS (Table 419): the status must be UnknownVendorId, UnknownMessageId
    or Rejected. 1.6 §4.3: a recipient with no implementation for the vendorId SHALL answer
    UnknownVendorId, so anything else is NON-STRICT here.
    """
    await station_v16.idle(csms, dut)
    answer = await csms.call(
        "DataTransfer", vendorId=VENDOR_ID, messageId=MESSAGE_ID, data="harness probe"
    )
    status = answer.get("status")
    check.must(
        status in NOT_IMPLEMENTED,
        f"DataTransfer.conf status one of {NOT_IMPLEMENTED}, saw {answer.describe()}",
        ref="Part 6 TC_P_01_CS",
    )
    check.should(
        status == "UnknownVendorId", f"status UnknownVendorId, saw {status!r}", ref="1.6 §4.3"
    )
    if status == "UnknownVendorId":
        check.must(
            "data" not in (answer.payload or {}), "no data with UnknownVendorId", ref="1.6 §4.3"
        )

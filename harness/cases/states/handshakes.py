"""Tool validations of the websocket upgrade, shared by the 1.6 and 2.0.1 station cases."""

from __future__ import annotations

import re
from typing import Final

from harness.cases.checks import Checks
from harness.dut.device import Dut
from harness.roles.csms import CsmsEmulator

#: identifierString (2.0.1 Part 2 primitive datatypes), 16-40 characters (A00.FR.205).
PASSWORD: Final = re.compile(r"[A-Za-z0-9*\-_=:+|@.]{16,40}")


def check_basic_auth(
    csms: CsmsEmulator, dut: Dut, check: Checks, *, device: str, password_name: str
) -> None:
    """Every upgrade carried Basic <station id>:<password> of the right form (A00.FR.203-205)."""
    accepted = [h for h in csms.handshakes if h.status == 101]
    check.must(accepted, f"the {device} opened a websocket the harness accepted", ref="A00.FR.204")
    for handshake in accepted:
        check.equal(handshake.username, dut.station_id, "Basic auth user name", ref="A00.FR.203")
    refused = [h for h in csms.handshakes if h.status == 401]
    check.must(
        not refused,
        f"every upgrade request carried the configured credentials ({len(refused)} refused)",
        ref="A00.FR.204",
    )
    password = dut.profile.security.password or ""
    check.must(
        PASSWORD.fullmatch(password) is not None,
        f"{password_name} is 16-40 identifierString characters",
        ref="A00.FR.205",
    )


def check_client_certificate(
    csms: CsmsEmulator, dut: Dut, check: Checks, *, device: str, common_name_ref: str
) -> None:
    """Mutual TLS was set up, each time with a certificate whose CN is the station id."""
    accepted = [h for h in csms.handshakes if h.status == 101]
    check.must(accepted, f"the {device} set up mutual TLS and a websocket", ref="A00.FR.401")
    for handshake in accepted:
        check.equal(
            handshake.peer_common_name,
            dut.station_id,
            "client certificate common name",
            ref=common_name_ref,
        )

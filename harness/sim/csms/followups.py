"""CALLs the reference CSMS sends on its own after answering a station's request.

Run as background tasks by the station link, so the reader keeps reading the station's answer.
2.0.1 A02.FR.11 (TC_A_11..13_CSMS): an accepted SignCertificateRequest is followed by a
CertificateSignedRequest.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

from cryptography.hazmat.primitives import serialization

from harness.ocppj.versions import OcppVersion
from harness.sim.csms import commands, v201_certificates
from harness.sim.csms.commands import CommandError
from harness.sim.csms.context import CsmsContext
from harness.sim.csms.state import StationRecord

Payload = dict[str, Any]


def after_answer(
    ctx: CsmsContext, record: StationRecord, action: str, request: Payload, answer: Payload
) -> Coroutine[Any, Any, None] | None:
    """The follow-up of answering `action` with `answer`, or None when there is none."""
    if (
        ctx.version is OcppVersion.V201
        and action == "SignCertificate"
        and answer.get("status") == "Accepted"
    ):
        return send_signed(ctx, record, request)
    if (
        ctx.version is OcppVersion.V16
        and action == "SignCertificate"
        and answer.get("status") == "Accepted"
    ):
        # 1.6 security whitepaper A02/A03: CertificateSigned.req follows.
        from harness.sim.csms import v16_certificates

        return v16_certificates.send_certificate_signed(ctx, record, request)
    return None


async def send_signed(ctx: CsmsContext, record: StationRecord, request: Payload) -> None:
    """Send the CertificateSignedRequest for an accepted SignCertificateRequest (A02.FR.11).

    Fault `a201-certificate-wrong-key` certifies a key that is not the CSR's.
    """
    csr = v201_certificates.check_csr(ctx, record, request)
    certificate_type = request.get("certificateType")
    issuer = v201_certificates.issuer_for(ctx, certificate_type)
    if csr is None or issuer is None:
        return
    wrong_key = ctx.fault("a201-certificate-wrong-key")
    certificate = v201_certificates.issue(csr, issuer, wrong_key=wrong_key)
    payload: Payload = {
        "certificateChain": certificate.public_bytes(serialization.Encoding.PEM).decode()
    }
    if certificate_type is not None:
        payload["certificateType"] = certificate_type
    try:
        body = await commands.send(ctx, record.station_id, "CertificateSigned", payload)
    except CommandError as exc:
        ctx.wirelog.record("note", f"CertificateSigned not sent: {exc.message}")
        return
    ctx.wirelog.record("note", f"CertificateSigned answered {body.get('response') or body}")

"""The reference 1.6 CSMS as certificate authority: CertificateSigned (whitepaper A02/A03).

After an Accepted SignCertificate.conf (v16_security.sign_certificate) the certificate follows
in CertificateSigned.req. The CPO may be the CA
(A00.FR.601): the CSMS signs with its root `--ca-cert/--ca-key`, the one it also trusts for
client certificates, so the new certificate serves security profile 3 at once. Signing and CSR
vetting are shared with 2.0.1 (v201_certificates.py: same A02 use case).
"""

from __future__ import annotations

from typing import Any, Final

from cryptography.hazmat.primitives import serialization

from harness.sim.csms import commands, v201_certificates
from harness.sim.csms.commands import CommandError
from harness.sim.csms.context import CsmsContext
from harness.sim.csms.state import StationRecord
from harness.sim.csms.v16_security import KIND

Payload = dict[str, Any]

#: Fault: the certificate certifies a key of the CSMS's making, not the CSR's.
CSR_KEY_IGNORED: Final = "sec16-csr-key-ignored"


async def send_certificate_signed(
    ctx: CsmsContext, record: StationRecord, request: Payload
) -> None:
    """Send CertificateSigned.req with the PEM certificate for an accepted CSR (A02 step 9).

    Fault `sec16-csr-key-ignored` certifies a fresh key instead of the CSR's.
    """
    csr = v201_certificates.check_csr(ctx, record, {**request, **KIND})
    issuer = v201_certificates.issuer_for(ctx, KIND["certificateType"])
    if csr is None or issuer is None:
        return
    leaf = v201_certificates.issue(csr, issuer, wrong_key=ctx.fault(CSR_KEY_IGNORED))
    chain = leaf.public_bytes(serialization.Encoding.PEM).decode("ascii")
    try:
        body = await commands.send(
            ctx, record.station_id, "CertificateSigned", {"certificateChain": chain}
        )
    except CommandError as exc:
        ctx.wirelog.record("note", f"CertificateSigned not sent: {exc.message}")
        return
    ctx.wirelog.record("note", f"CertificateSigned answered {body.get('response') or body}")

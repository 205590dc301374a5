"""The EV's contract certificate and the OCTT-side OCSP responder (2.0.1 C07, TC_C_50..52_CSMS).

The contract certificate names the eMAID in its CN and the harness's OCSP responder in its
AuthorityInformationAccess; it is signed by the V2G root the CSMS trusts. The responder, on
loopback, records each OCSP request and answers `good` or `revoked`, signed by that root.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID

from harness.transport.pki_v2g import V2gRoot

Payload = dict[str, Any]


@dataclass
class Contract:
    """A contract certificate, its key and the CA that issued it."""

    certificate: x509.Certificate
    key: ec.EllipticCurvePrivateKey
    issuer: x509.Certificate
    issuer_key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey

    @property
    def pem(self) -> str:
        """The certificate in PEM (what AuthorizeRequest.certificate carries)."""
        return self.certificate.public_bytes(serialization.Encoding.PEM).decode()

    def hash_data(self, responder_url: str) -> Payload:
        """OCSPRequestDataType of the certificate (SHA256 CertID, hex, with the responder)."""
        request = (
            ocsp.OCSPRequestBuilder()
            .add_certificate(self.certificate, self.issuer, hashes.SHA256())
            .build()
        )
        return {
            "hashAlgorithm": "SHA256",
            "issuerNameHash": request.issuer_name_hash.hex(),
            "issuerKeyHash": request.issuer_key_hash.hex(),
            "serialNumber": format(request.serial_number, "x"),
            "responderURL": responder_url,
        }


def make_contract(root: V2gRoot, emaid: str, responder_url: str) -> Contract:
    """A contract certificate for `emaid` signed by the V2G root, OCSP at `responder_url`."""
    issuer = x509.load_pem_x509_certificate(root.cert.read_bytes())
    issuer_key = serialization.load_pem_private_key(root.key.read_bytes(), password=None)
    if not isinstance(issuer_key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise ValueError(f"{root.key}: not an EC or RSA key")
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.now(UTC)
    access = x509.AuthorityInformationAccess(
        [
            x509.AccessDescription(
                AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(responder_url)
            )
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, emaid)]))
        .issuer_name(issuer.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(access, critical=False)
        .sign(issuer_key, hashes.SHA256())
    )
    return Contract(certificate, key, issuer, issuer_key)


@dataclass
class OcspResponder:
    """An OCSP responder on loopback answering for one contract certificate."""

    contract: Contract | None = None
    revoked: bool = False
    requests: list[ocsp.OCSPRequest] = field(default_factory=list)
    url: str = ""

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        try:
            asked = ocsp.load_der_ocsp_request(body)
        except ValueError:
            reply = ocsp.OCSPResponseBuilder.build_unsuccessful(
                ocsp.OCSPResponseStatus.MALFORMED_REQUEST
            )
            return self._respond(reply)
        self.requests.append(asked)
        contract = self.contract
        if contract is None or asked.serial_number != contract.certificate.serial_number:
            reply = ocsp.OCSPResponseBuilder.build_unsuccessful(
                ocsp.OCSPResponseStatus.UNAUTHORIZED
            )
            return self._respond(reply)
        now = datetime.now(UTC)
        status = ocsp.OCSPCertStatus.REVOKED if self.revoked else ocsp.OCSPCertStatus.GOOD
        reply = (
            ocsp.OCSPResponseBuilder()
            .add_response(
                cert=contract.certificate,
                issuer=contract.issuer,
                algorithm=asked.hash_algorithm,
                cert_status=status,
                this_update=now - timedelta(minutes=1),
                next_update=now + timedelta(hours=1),
                revocation_time=now - timedelta(hours=1) if self.revoked else None,
                revocation_reason=None,
            )
            .responder_id(ocsp.OCSPResponderEncoding.HASH, contract.issuer)
            .sign(contract.issuer_key, hashes.SHA256())
        )
        return self._respond(reply)

    @staticmethod
    def _respond(reply: ocsp.OCSPResponse) -> web.Response:
        return web.Response(
            body=reply.public_bytes(serialization.Encoding.DER),
            content_type="application/ocsp-response",
        )

    def matches(self, request: ocsp.OCSPRequest, data: Payload) -> bool:
        """Whether an OCSP request asks exactly for the CertID of `data` (Table 496 step 3)."""
        return (
            request.issuer_name_hash.hex() == str(data["issuerNameHash"]).lower()
            and request.issuer_key_hash.hex() == str(data["issuerKeyHash"]).lower()
            and request.serial_number == int(str(data["serialNumber"]), 16)
        )


@contextlib.asynccontextmanager
async def ocsp_responder(host: str) -> AsyncIterator[OcspResponder]:
    """Run an OCSP responder on `host` (any free port) for the duration of the block."""
    responder = OcspResponder()
    app = web.Application()
    app.router.add_post("/", responder.handle)
    app.router.add_post("/ocsp", responder.handle)
    runner = web.AppRunner(app, access_log=None, handle_signals=False, shutdown_timeout=1)
    await runner.setup()
    site = web.TCPSite(runner, host, 0)
    await site.start()
    port = runner.addresses[0][1]
    responder.url = f"http://{host}:{port}/ocsp"
    try:
        yield responder
    finally:
        await runner.cleanup()

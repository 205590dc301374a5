"""ISO 15118 contract certificates in AuthorizeRequest: the reference 2.0.1 CSMS asks OCSP (C07).

Before answering an AuthorizeRequest that carries iso15118CertificateHashData (C07.FR.04,
TC_C_50/51_CSMS) or a contract `certificate` (C07.FR.05, TC_C_52_CSMS: the CSMS checks the
chain against its V2G root and computes the hash data itself), the CSMS sends an OCSP request
to the responder URL and keeps the result for the answer's certificateStatus. Fault
`c201-ocsp-skipped` answers Accepted without asking.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final

import aiohttp
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509 import ocsp
from cryptography.x509.oid import AuthorityInformationAccessOID

from harness.sim.csms.context import CsmsContext
from harness.sim.csms.state import StationRecord

Payload = dict[str, Any]

#: OCPP HashAlgorithmEnumType -> hash.
ALGORITHMS: Final[dict[str, hashes.HashAlgorithm]] = {
    "SHA256": hashes.SHA256(),
    "SHA384": hashes.SHA384(),
    "SHA512": hashes.SHA512(),
}


class ContractError(Exception):
    """The contract certificate cannot be accepted; `status` is the certificateStatus."""

    def __init__(self, status: str, why: str) -> None:
        super().__init__(why)
        self.status = status


def _v2g_root(ctx: CsmsContext) -> x509.Certificate | None:
    path = ctx.config.v2g_ca_cert
    if path is None:
        return None
    try:
        return x509.load_pem_x509_certificate(path.read_bytes())
    except (OSError, ValueError):
        return None


def hash_data_of(ctx: CsmsContext, pem: str) -> Payload:
    """OCSPRequestDataType of a contract certificate chain (leaf first), checked to the root.

    The chain must lead to the configured V2G root (C07.FR.05); the leaf must be in date and
    name an OCSP responder.
    """
    try:
        chain = x509.load_pem_x509_certificates(pem.encode())
    except ValueError as exc:
        raise ContractError("CertChainError", f"certificate is not PEM: {exc}") from exc
    root = _v2g_root(ctx)
    if root is None:
        raise ContractError("CertChainError", "no V2G root configured to check the chain")
    for child, parent in zip(chain, [*chain[1:], root], strict=True):
        try:
            child.verify_directly_issued_by(parent)
        except (ValueError, TypeError, InvalidSignature) as exc:
            raise ContractError(
                "CertChainError", f"chain does not lead to the root: {exc}"
            ) from exc
    leaf, issuer = chain[0], (chain[1] if len(chain) > 1 else root)
    if leaf.not_valid_after_utc < datetime.now(UTC):
        raise ContractError("CertificateExpired", "the contract certificate has expired")
    try:
        access = leaf.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    except x509.ExtensionNotFound as exc:
        raise ContractError("CertChainError", "no OCSP responder in the certificate") from exc
    urls = [
        str(d.access_location.value)
        for d in access
        if d.access_method == AuthorityInformationAccessOID.OCSP
    ]
    if not urls:
        raise ContractError("CertChainError", "no OCSP responder in the certificate")
    request = ocsp.OCSPRequestBuilder().add_certificate(leaf, issuer, hashes.SHA256()).build()
    return {
        "hashAlgorithm": "SHA256",
        "issuerNameHash": request.issuer_name_hash.hex(),
        "issuerKeyHash": request.issuer_key_hash.hex(),
        "serialNumber": format(request.serial_number, "x"),
        "responderURL": urls[0],
    }


def _verify(ctx: CsmsContext, response: ocsp.OCSPResponse) -> None:
    """The response is signed by the V2G root (the contract issuer's CA in this PKI)."""
    root = _v2g_root(ctx)
    algorithm = response.signature_hash_algorithm
    if root is None or algorithm is None:
        raise ContractError("SignatureError", "cannot verify the OCSP response signature")
    key = root.public_key()
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(response.signature, response.tbs_response_bytes, ec.ECDSA(algorithm))
        elif isinstance(key, rsa.RSAPublicKey):
            key.verify(
                response.signature, response.tbs_response_bytes, padding.PKCS1v15(), algorithm
            )
        else:
            raise ContractError("SignatureError", f"unsupported key {type(key).__name__}")
    except InvalidSignature as exc:
        raise ContractError("SignatureError", "OCSP response signature invalid") from exc


async def check_ocsp(ctx: CsmsContext, data: Payload) -> str:
    """Ask the responder of `data` (OCSPRequestDataType); the certificateStatus it implies."""
    algorithm = ALGORITHMS.get(str(data.get("hashAlgorithm")))
    if algorithm is None:
        raise ContractError("CertChainError", f"hash algorithm {data.get('hashAlgorithm')}")
    try:
        serial = int(str(data["serialNumber"]), 16)
        request = ocsp.OCSPRequestBuilder().add_certificate_by_hash(
            bytes.fromhex(str(data["issuerNameHash"])),
            bytes.fromhex(str(data["issuerKeyHash"])),
            serial,
            algorithm,
        )
        body = request.build().public_bytes(serialization.Encoding.DER)
    except (KeyError, ValueError) as exc:
        raise ContractError("CertChainError", f"unusable hash data {data}: {exc}") from exc
    timeout = aiohttp.ClientTimeout(total=ctx.config.call_timeout)
    try:
        async with (
            aiohttp.ClientSession(timeout=timeout) as http,
            http.post(
                str(data.get("responderURL")),
                data=body,
                headers={"Content-Type": "application/ocsp-request"},
            ) as reply,
        ):
            raw = await reply.read()
        response = ocsp.load_der_ocsp_response(raw)
    except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
        raise ContractError("CertChainError", f"OCSP request failed: {exc!r}") from exc
    if response.response_status is not ocsp.OCSPResponseStatus.SUCCESSFUL:
        raise ContractError("CertChainError", f"OCSP answered {response.response_status.name}")
    _verify(ctx, response)
    if response.serial_number != serial:
        raise ContractError("CertChainError", "OCSP answered for another certificate")
    if response.certificate_status is ocsp.OCSPCertStatus.GOOD:
        return "Accepted"
    if response.certificate_status is ocsp.OCSPCertStatus.REVOKED:
        return "CertificateRevoked"
    raise ContractError("CertChainError", "OCSP does not know the certificate")


async def prepare(ctx: CsmsContext, record: StationRecord, payload: Payload) -> None:
    """Before answering Authorize: find the contract certificate's status (C07.FR.04/05)."""
    hash_data = payload.get("iso15118CertificateHashData")
    certificate = payload.get("certificate")
    if not hash_data and not certificate:
        return
    token = str(payload["idToken"].get("idToken"))
    if ctx.fault("c201-ocsp-skipped"):
        record.contract_statuses[token] = "Accepted"
        return
    try:
        data = hash_data[0] if hash_data else hash_data_of(ctx, str(certificate))
        status = await check_ocsp(ctx, data)
    except ContractError as exc:
        ctx.wirelog.record("note", f"contract certificate of {token}: {exc}")
        status = exc.status
    record.contract_statuses[token] = status


def with_certificate_status(record: StationRecord, payload: Payload, answer: Payload) -> Payload:
    """Add certificateStatus to an AuthorizeResponse; a refused certificate is Invalid."""
    if not payload.get("iso15118CertificateHashData") and not payload.get("certificate"):
        return answer
    token = str(payload["idToken"].get("idToken"))
    status = record.contract_statuses.pop(token, "CertChainError")
    answer["certificateStatus"] = status
    if status != "Accepted":
        answer["idTokenInfo"] = {"status": "Invalid"}
    return answer

"""Default answers the emulators give when a case registered none.

They are conforming, minimal answers (the official test tool behaves the same way): a CSMS
that accepts boots and knows the DUT profile's token table, and a station that accepts what it
is asked. Cases override them with `peer.on(action).respond(...)`.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from typing import Any

from harness.ocppj.clock import utc_timestamp
from harness.ocppj.versions import OcppVersion
from harness.roles.exchange import Message

Payload = dict[str, Any]
Responder = Callable[[Message], Payload]


def _const(payload: Payload) -> Responder:
    return lambda _message: dict(payload)


def csms_defaults(
    version: OcppVersion, tokens: Mapping[str, str], heartbeat_interval: int
) -> dict[str, Responder]:
    """Answers of a conforming CSMS; `tokens` maps id token -> authorization status."""
    transaction_ids = itertools.count(1)

    def status_of(token: str | None) -> str:
        return tokens.get(token or "", "Invalid")

    def boot(_m: Message) -> Payload:
        return {
            "status": "Accepted",
            "currentTime": utc_timestamp(),
            "interval": heartbeat_interval,
        }

    def heartbeat(_m: Message) -> Payload:
        return {"currentTime": utc_timestamp()}

    if version is OcppVersion.V16:

        def id_tag_info(token: str | None) -> Payload:
            return {"idTagInfo": {"status": status_of(token)}}

        def stop(m: Message) -> Payload:
            return id_tag_info(m.get("idTag")) if "idTag" in m.payload else {}

        return {
            "BootNotification": boot,
            "Heartbeat": heartbeat,
            "StatusNotification": _const({}),
            "MeterValues": _const({}),
            "Authorize": lambda m: id_tag_info(m.get("idTag")),
            "StartTransaction": lambda m: {
                "transactionId": next(transaction_ids),
                **id_tag_info(m.get("idTag")),
            },
            "StopTransaction": stop,
            "DataTransfer": _const({"status": "UnknownVendorId"}),
            "DiagnosticsStatusNotification": _const({}),
            "FirmwareStatusNotification": _const({}),
            "SecurityEventNotification": _const({}),
            "SignCertificate": _const({"status": "Accepted"}),
            "LogStatusNotification": _const({}),
            "SignedFirmwareStatusNotification": _const({}),
        }

    def id_token_info(m: Message) -> Payload:
        token = m.get("idToken")
        if not isinstance(token, dict):
            return {}
        return {"idTokenInfo": {"status": status_of(token.get("idToken"))}}

    accepted = _const({"status": "Accepted"})
    return {
        "BootNotification": boot,
        "Heartbeat": heartbeat,
        "StatusNotification": _const({}),
        "MeterValues": _const({}),
        "Authorize": lambda m: {"idTokenInfo": {"status": status_of(m["idToken"]["idToken"])}},
        "TransactionEvent": id_token_info,
        "NotifyReport": _const({}),
        "NotifyEvent": _const({}),
        "NotifyMonitoringReport": _const({}),
        "NotifyCustomerInformation": _const({}),
        "NotifyDisplayMessages": _const({}),
        "NotifyChargingLimit": _const({}),
        "ClearedChargingLimit": _const({}),
        "ReportChargingProfiles": _const({}),
        "NotifyEVChargingNeeds": accepted,
        "NotifyEVChargingSchedule": accepted,
        "ReservationStatusUpdate": _const({}),
        "SecurityEventNotification": _const({}),
        "FirmwareStatusNotification": _const({}),
        "LogStatusNotification": _const({}),
        "PublishFirmwareStatusNotification": _const({}),
        "SignCertificate": accepted,
        "DataTransfer": _const({"status": "UnknownVendorId"}),
    }


def station_defaults(version: OcppVersion) -> dict[str, Responder]:
    """Answers of a conforming, cooperative charging station."""
    accepted = _const({"status": "Accepted"})
    if version is OcppVersion.V16:
        return {
            "Reset": accepted,
            "ChangeConfiguration": accepted,
            "GetConfiguration": lambda m: (
                {"unknownKey": list(m.get("key", []))} if m.get("key") else {"configurationKey": []}
            ),
            "RemoteStartTransaction": accepted,
            "RemoteStopTransaction": accepted,
            "ChangeAvailability": accepted,
            "UnlockConnector": _const({"status": "Unlocked"}),
            "ClearCache": accepted,
            "DataTransfer": _const({"status": "UnknownVendorId"}),
            "TriggerMessage": accepted,
            "GetLocalListVersion": _const({"listVersion": 0}),
            "SendLocalList": accepted,
            "ReserveNow": accepted,
            "CancelReservation": accepted,
            "SetChargingProfile": accepted,
            "ClearChargingProfile": accepted,
            "GetCompositeSchedule": _const({"status": "Rejected"}),
            "GetDiagnostics": _const({}),
            "UpdateFirmware": _const({}),
        }
    return {
        "Reset": accepted,
        "SetVariables": lambda m: {
            "setVariableResult": [
                {
                    "attributeStatus": "Accepted",
                    "component": item["component"],
                    "variable": item["variable"],
                }
                for item in m["setVariableData"]
            ]
        },
        "GetVariables": lambda m: {
            "getVariableResult": [
                {
                    "attributeStatus": "UnknownComponent",
                    "component": item["component"],
                    "variable": item["variable"],
                }
                for item in m["getVariableData"]
            ]
        },
        "GetBaseReport": accepted,
        "RequestStartTransaction": accepted,
        "RequestStopTransaction": accepted,
        "ChangeAvailability": accepted,
        "UnlockConnector": _const({"status": "Unlocked"}),
        "ClearCache": accepted,
        "DataTransfer": _const({"status": "UnknownVendorId"}),
        "TriggerMessage": accepted,
        "GetLocalListVersion": _const({"versionNumber": 0}),
        "SendLocalList": accepted,
        "ReserveNow": accepted,
        "CancelReservation": accepted,
        "SetChargingProfile": accepted,
        "ClearChargingProfile": accepted,
        "GetTransactionStatus": _const({"messagesInQueue": False}),
        "SetNetworkProfile": accepted,
        "CertificateSigned": accepted,
        "InstallCertificate": accepted,
    }

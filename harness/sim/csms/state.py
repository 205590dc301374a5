"""What the reference CSMS remembers: known stations, passwords, boot state, tokens, transactions.

Pure data, no I/O: the handlers and the trigger API read and change it.
"""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from harness.ocppj.clock import utc_timestamp

Payload = dict[str, Any]


@dataclass(slots=True)
class Transaction:
    """One transaction as the CSMS saw it (1.6 Start/StopTransaction, 2.0.1 TransactionEvent)."""

    transaction_id: str
    connector: int | None
    id_token: str | None
    started_at: str
    meter_start: float | None = None
    meter_last: float | None = None
    meter_stop: float | None = None
    stopped_at: str | None = None
    stop_reason: str | None = None
    seq_nos: list[int] = field(default_factory=list)
    events: int = 0

    @property
    def active(self) -> bool:
        """True until the station reports the end of the transaction."""
        return self.stopped_at is None

    def as_json(self) -> Payload:
        """Serializable view for `GET /api/stations`."""
        return {
            "transaction_id": self.transaction_id,
            "connector": self.connector,
            "id_token": self.id_token,
            "started_at": self.started_at,
            "stopped_at": self.stopped_at,
            "stop_reason": self.stop_reason,
            "meter_start": self.meter_start,
            "meter_last": self.meter_last,
            "meter_stop": self.meter_stop,
            "seq_nos": list(self.seq_nos),
            "events": self.events,
            "active": self.active,
        }


@dataclass(frozen=True, slots=True)
class BootAnswer:
    """A boot status armed for a coming BootNotification, with its retry interval."""

    status: str
    interval: int | None = None


@dataclass(slots=True)
class StationRecord:
    """One station the CSMS knows, across its connections.

    `boot_status` is the status of the last BootNotification answered (None before the first);
    `permitted` holds the actions a Pending/Rejected station was told to send (TriggerMessage,
    GetBaseReport), which the CSMS therefore accepts before the station is Accepted.
    """

    station_id: str
    password: str | None = None
    boot_plan: deque[BootAnswer] = field(default_factory=deque)
    boot_status: str | None = None
    boot_request: Payload | None = None
    boots: int = 0
    permitted: set[str] = field(default_factory=set)
    connectors: dict[str, str] = field(default_factory=dict)
    transactions: list[Transaction] = field(default_factory=list)
    connections: int = 0
    #: 2.0.1 device model values learned from Get/SetVariables ("Component/Variable" keys).
    device_model: dict[str, str] = field(default_factory=dict)
    #: 2.0.1 NotifyReport reportData received, by requestId (B07/B08).
    reports: dict[int, list[Payload]] = field(default_factory=dict)
    #: Security profile the station was raised to over OCPP (whitepaper A05); None: configured.
    security_profile: int | None = None
    #: 2.0.1 network connection profiles the station accepted: slot -> securityProfile (B09).
    network_profiles: dict[int, int] = field(default_factory=dict)
    #: 2.0.1 contract certificate status per eMAID, from OCSP before answering Authorize (C07).
    contract_statuses: dict[str, str] = field(default_factory=dict)
    #: 1.6 idTags an Authorize.conf accepted (harness/sim/csms/v16_auth.py).
    authorized_tags: set[str] = field(default_factory=set)
    #: 1.6 Local Authorization List version the station accepted last (v16_local_list.py).
    local_list_version: int = 0
    #: 1.6 firmware / diagnostics statuses reported, oldest first (v16_firmware.py).
    firmware_statuses: deque[str] = field(default_factory=lambda: deque(maxlen=100))
    diagnostics_statuses: deque[str] = field(default_factory=lambda: deque(maxlen=100))
    #: (connection number, transactions started on it): fault csms-tx-id-reused-after-reconnect
    #: numbers transactions per connection (v16_transaction_ids.py).
    connection_tx_count: tuple[int, int] = (0, 0)

    def transaction(self, transaction_id: str) -> Transaction | None:
        """The newest transaction with this id, or None."""
        for transaction in reversed(self.transactions):
            if transaction.transaction_id == transaction_id:
                return transaction
        return None

    def open_transaction(
        self, transaction_id: str, connector: int | None, id_token: str | None, at: str | None
    ) -> Transaction:
        """Record a new transaction and return it."""
        transaction = Transaction(transaction_id, connector, id_token, at or utc_timestamp())
        self.transactions.append(transaction)
        return transaction

    def as_json(self, connected: bool) -> Payload:
        """Serializable view for `GET /api/stations`."""
        return {
            "station_id": self.station_id,
            "connected": connected,
            "connections": self.connections,
            "boot_status": self.boot_status,
            "boots": self.boots,
            "boot_request": self.boot_request,
            "armed_boot_statuses": [answer.status for answer in self.boot_plan],
            "connectors": dict(self.connectors),
            "transactions": [t.as_json() for t in self.transactions],
            "password_set": self.password is not None,
            "local_list_version": self.local_list_version,
            "firmware_statuses": list(self.firmware_statuses),
            "diagnostics_statuses": list(self.diagnostics_statuses),
        }


class Registry:
    """Known stations and their records.

    With an explicit station list only those ids are known (others get HTTP 404, OCPP-J §3.2);
    without one every id is. The first boot of each station is answered `first_boot_status`.
    """

    def __init__(
        self,
        stations: tuple[str, ...],
        *,
        default_password: str | None,
        first_boot_status: str,
        retry_interval: int,
    ) -> None:
        self.restricted = bool(stations)
        self.default_password = default_password
        self.first_boot_status = first_boot_status
        self.retry_interval = retry_interval
        self.stations: dict[str, StationRecord] = {}
        self._transaction_ids = itertools.count(1)
        for station_id in stations:
            self.add(station_id)

    def add(self, station_id: str) -> StationRecord:
        """Make `station_id` known (idempotent) and return its record."""
        record = self.stations.get(station_id)
        if record is None:
            record = StationRecord(station_id)
            if self.first_boot_status != "Accepted":
                record.boot_plan.append(BootAnswer(self.first_boot_status))
            self.stations[station_id] = record
        return record

    def is_known(self, station_id: str) -> bool:
        """True when a station with this id may connect."""
        return not self.restricted or station_id in self.stations

    def get(self, station_id: str) -> StationRecord:
        """The record of a known station (created on first use when any id is accepted)."""
        return self.add(station_id)

    def password_for(self, station_id: str) -> str | None:
        """The Basic auth password expected from this station, or None if it has none."""
        record = self.stations.get(station_id)
        if record is not None and record.password is not None:
            return record.password
        return self.default_password

    def next_boot(self, record: StationRecord) -> BootAnswer:
        """Take the armed answer for this BootNotification; Accepted when none is armed."""
        answer = record.boot_plan.popleft() if record.boot_plan else BootAnswer("Accepted")
        if answer.status != "Accepted" and answer.interval is None:
            answer = BootAnswer(answer.status, self.retry_interval)
        return answer

    def next_transaction_id(self) -> int:
        """A positive transaction id unique in this process (1.6 StartTransaction.conf)."""
        return next(self._transaction_ids)


class TokenTable:
    """Id token -> authorization status; unknown tokens are Invalid.

    `invalid_for_valid` is the `auth-invalid-for-valid` fault: Accepted tokens answer Invalid.
    """

    def __init__(
        self,
        statuses: dict[str, str],
        *,
        invalid_for_valid: bool = False,
        groups: dict[str, str] | None = None,
    ) -> None:
        self.statuses = dict(statuses)
        self.invalid_for_valid = invalid_for_valid
        #: Id token -> its group id token (2.0.1 C09 GroupId, C16 MasterPassGroupId).
        self.groups = dict(groups or {})

    def status(self, token: str | None) -> str:
        """The authorization status of `token` (1.6 §5.2 IdTagInfo, 2.0.1 C01 IdTokenInfo)."""
        status = self.statuses.get(token or "", "Invalid")
        if status == "Accepted" and self.invalid_for_valid:
            return "Invalid"
        return status

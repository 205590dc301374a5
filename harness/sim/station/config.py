"""Settings of one reference station process, as given on the command line."""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field
from pathlib import Path

from harness.ocppj.versions import OcppVersion
from harness.sim.faults import STATION_FAULTS
from harness.transport.client import ClientSecurity, station_url
from harness.transport.tls import client_context

#: Reconnect back-off bounds in seconds (FIELD_NOTES: space reconnects, never hammer).
BACKOFF_MIN = 0.2
BACKOFF_MAX = 2.0


@dataclass(frozen=True)
class StationConfig:
    """Everything the station needs to run; `check()` rejects inconsistent settings."""

    version: OcppVersion
    csms_url: str
    station_id: str
    evses: int = 2
    control_host: str = "127.0.0.1"
    control_port: int = 0
    security_profile: int = 0
    password: str | None = None
    ca_cert: Path | None = None
    client_cert: Path | None = None
    client_key: Path | None = None
    heartbeat_interval: int = 300
    meter_interval: int = 60
    call_timeout: float = 10.0
    open_timeout: float = 5.0
    faults: frozenset[str] = field(default_factory=frozenset)
    fixed_cable: bool = False
    power_backup: bool = False
    reserve_connector_zero: bool = True
    reject_reservations: bool = False
    vendor: str = "OCPP Harness"
    model: str = "Reference Station"
    serial: str = "REF-0001"
    firmware: str = "1.0.0"

    def check(self) -> None:
        """Raise ValueError when the settings cannot work together."""
        if self.version not in (OcppVersion.V16, OcppVersion.V201):
            raise ValueError(
                f"the reference station speaks 1.6 and 2.0.1, not {self.version.value}"
            )
        if not 1 <= self.evses <= 9:
            raise ValueError(f"--evses must be 1..9, got {self.evses}")
        unknown = sorted(self.faults - set(STATION_FAULTS))
        if unknown:
            raise ValueError(f"unknown station fault(s) {unknown}; known: {sorted(STATION_FAULTS)}")
        if self.security_profile in (1, 2) and not self.password:
            raise ValueError(f"security profile {self.security_profile} needs --password")
        secure = self.security_profile >= 2
        if secure != self.csms_url.startswith("wss:"):
            raise ValueError(f"security profile {self.security_profile} with URL {self.csms_url}")
        if self.security_profile == 3 and not (self.client_cert and self.client_key):
            raise ValueError("security profile 3 needs --client-cert and --client-key")

    def fault(self, name: str) -> bool:
        """True when fault switch `name` is on (harness/sim/faults.py)."""
        return name in self.faults

    def url(self) -> str:
        """The CSMS URL with the station id filled in."""
        return station_url(self.csms_url, self.station_id)

    def security(self, password: str | None, profile: int | None = None) -> ClientSecurity:
        """Client security for `profile` (default: the configured one); `password` is the
        current Basic auth password. A profile raised over OCPP (A05) keeps the URL."""
        profile = self.security_profile if profile is None else profile
        context: ssl.SSLContext | None = None
        if profile >= 2:
            mutual = profile == 3
            context = client_context(
                ca_cert=self.ca_cert,
                client_cert=self.client_cert if mutual else None,
                client_key=self.client_key if mutual else None,
            )
        if self.fault("csms-certificate-not-verified") and context is not None:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE  # breaks A00.FR.309 / A00.FR.312
        basic = profile in (1, 2) and not self.fault("no-basic-auth")
        return ClientSecurity(profile, self.station_id, password if basic else None, context)

"""Settings of one reference CSMS run, as given on the command line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from harness.ocppj.versions import OcppVersion

#: Default id token table (FIELD_NOTES: ISO14443-style 14 hex characters).
DEFAULT_TOKENS: Final = {
    "04A2B3C4D5E6F7": "Accepted",
    "0BADBADBADBAD0": "Invalid",
    "0B10C4ED0B10C4": "Blocked",
    "0E4B14ED0E4B14": "Expired",
}

BOOT_STATUSES: Final = ("Accepted", "Pending", "Rejected")


@dataclass(frozen=True, slots=True)
class CsmsConfig:
    """Everything the CSMS needs to start; `stations` empty means any station id is known.

    `boot_status` answers the first BootNotification of each station; later boots are
    Accepted unless the trigger API arms another status. `retry_interval` is the interval sent
    with a Pending or Rejected boot answer (the station's wait before booting again).
    """

    version: OcppVersion
    host: str = "127.0.0.1"
    port: int = 0
    api_port: int = 0
    path: str = "/ocpp"
    stations: tuple[str, ...] = ()
    tokens: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_TOKENS))
    heartbeat_interval: int = 300
    boot_status: str = "Accepted"
    retry_interval: int = 5
    security_profile: int = 0
    password: str | None = None
    server_cert: Path | None = None
    server_key: Path | None = None
    ca_cert: Path | None = None
    #: Key of `ca_cert`: with it the CSMS signs station CSRs (2.0.1 A02/A03 SignCertificate).
    ca_key: Path | None = None
    #: V2G root (or sub-CA) certificate and key that sign 15118 certificates (A02, TC_A_12/13).
    v2g_ca_cert: Path | None = None
    v2g_ca_key: Path | None = None
    #: Id token -> group id token (2.0.1 C09 groupIdToken, C16 master pass group).
    token_groups: dict[str, str] = field(default_factory=dict)
    #: Profile 0/1 CSMS: also listen with TLS, for stations raised to profile 2/3 (2.0.1 A05).
    upgrade_listener: bool = False
    faults: frozenset[str] = frozenset()
    call_timeout: float = 10.0
    wire_log: Path | None = None
    verbose: bool = False

    def check(self) -> None:
        """Raise ValueError when the settings cannot work together."""
        if self.version not in (OcppVersion.V16, OcppVersion.V201):
            raise ValueError(f"the reference CSMS speaks 1.6 and 2.0.1, not {self.version.value}")
        if self.boot_status not in BOOT_STATUSES:
            raise ValueError(
                f"--boot-status must be one of {BOOT_STATUSES}, not {self.boot_status}"
            )
        if self.security_profile not in (0, 1, 2, 3):
            raise ValueError(f"--security-profile must be 0-3, not {self.security_profile}")
        if self.security_profile >= 2 and (self.server_cert is None or self.server_key is None):
            raise ValueError("security profiles 2 and 3 need --server-cert and --server-key")
        if self.security_profile == 3 and self.ca_cert is None:
            raise ValueError("security profile 3 needs --ca-cert to verify station certificates")
        if not self.path.startswith("/"):
            raise ValueError(f"--path must start with '/', not {self.path!r}")
        if self.call_timeout <= 0:
            raise ValueError("--call-timeout must be positive")
        if self.upgrade_listener and (self.server_cert is None or self.server_key is None):
            raise ValueError("--upgrade-listener needs --server-cert and --server-key")

"""The validated DUT profile as frozen dataclasses, with the feature and action vocabularies."""

from __future__ import annotations

import enum
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Final
from urllib.parse import quote

from harness.ocppj.versions import OcppVersion


class Role(enum.StrEnum):
    """What the DUT is; the harness plays the other side."""

    STATION = "station"  # DUT is a charging station; the harness plays the CSMS
    CSMS = "csms"  # DUT is a CSMS; the harness plays the charging station


class Backend(enum.StrEnum):
    """How the harness makes the DUT do local things."""

    SIM = "sim"  # control API of the reference simulator
    COMMAND = "command"  # shell commands from [actions.commands]
    PROMPT = "prompt"  # ask the operator, with a countdown
    RIG = "rig"  # lab rig (EV emulator, switched mains, network switch)
    HTTP_OCTT = "http-octt"  # CSMS trigger API: POST {base_url}/api/octt/{version}/{station}/...
    HTTP = "http"  # CSMS REST API: URL, method and body templates per action, [actions.http]


#: PICS features a profile may declare, with what `false` means (used for N/A reasons).
FEATURES: Final[Mapping[str, str]] = MappingProxyType(
    {
        "reservation": "reserves EVSEs or connectors (ReserveNow / CancelReservation)",
        "smart_charging": "accepts and applies charging profiles (SetChargingProfile ...)",
        "local_auth_list": "keeps a local authorization list (SendLocalList / GetLocalListVersion)",
        "remote_trigger": "sends messages on request (TriggerMessage)",
        "firmware_management": "updates firmware and uploads diagnostics/logs",
        "authorization_cache": "caches authorization results (ClearCache)",
        "connector_lock": "can lock the connector (and report a lock failure)",
        "power_cycle": "can be power-cycled by the harness",
        "offline": "can be taken offline by the harness",
        "fixed_cable": "has a fixed (tethered) cable, so plugging in also locks it",
        "power_backup": "keeps running on backup power after mains fail, long enough to end "
        "its transactions before going down",
        "reserve_connector_zero": "accepts reservations of connector 0, the whole station "
        "(1.6 ReserveConnectorZeroSupported)",
        "rejects_reservations": "is configured to refuse every reservation (ReserveNow answered "
        "Rejected)",
        "iso15118": "supports ISO 15118 (Plug & Charge, certificates for the EV)",
    }
)

#: Local actions a case can ask the action backend to perform, with their meaning.
ACTIONS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "plug_in": "plug an EV into {evse}/{connector}",
        "unplug": "unplug the EV from {evse}/{connector}",
        "present_token": "present {id_token} at the reader of {evse}",
        "power_cycle": "switch the DUT's power off and on again",
        "reboot": "reboot the DUT through its own means (not OCPP)",
        "go_offline": "cut the DUT's network connection",
        "go_online": "restore the DUT's network connection",
        "ev_suspend": "make the EV on {evse}/{connector} suspend charging",
        "ev_resume": "make the EV on {evse}/{connector} resume charging",
        "lock_failure": "make the connector lock of {evse}/{connector} fail",
        "connector_fault": "make connector {evse}/{connector} report the fault {error_code}",
        "trigger": "make the CSMS under test send {message} with {payload} (role csms only)",
    }
)
ACTION_NAMES: Final[tuple[str, ...]] = tuple(ACTIONS)
CSMS_ONLY_ACTIONS: Final = frozenset({"trigger"})

#: Placeholders every command may use; `trigger` may also use TRIGGER_PLACEHOLDERS.
PLACEHOLDERS: Final[tuple[str, ...]] = ("station_id", "evse", "connector", "id_token")
TRIGGER_PLACEHOLDERS: Final[tuple[str, ...]] = ("message", "payload")
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def placeholders(template: str) -> list[str]:
    """Return the `{name}` placeholders of a template; other braces are literal text."""
    return _PLACEHOLDER.findall(template)


def render_command(template: str, values: Mapping[str, object]) -> str:
    """Fill a command template, shell-quoting every substituted value."""

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise ValueError(f"command {template!r} needs a value for {{{name}}}")
        return shlex.quote(str(values[name]))

    return _PLACEHOLDER.sub(substitute, template)


@dataclass(frozen=True)
class Connection:
    """Where the websocket meets: the harness listens (role station) or dials (role csms)."""

    listen_host: str = "127.0.0.1"
    listen_port: int = 0  # 0: any free port
    path: str = "/ocpp"
    url: str | None = None  # template with {station_id}; role csms only
    reconnect_delay: float = 2.0

    def url_for(self, station_id: str) -> str:
        """Return the connection URL, percent-encoding the id (2.0.1 Part 4 §3.1.1)."""
        if self.url is None:
            raise ValueError("the DUT profile gives no [connection] url")
        return self.url.replace("{station_id}", quote(station_id, safe=""))


@dataclass(frozen=True)
class Security:
    """Security profile 0-3 and its credentials."""

    profile: int = 0
    password: str | None = field(default=None, repr=False)
    pki: Path | None = None  # None: generate a throw-away test PKI
    ca_cert: Path | None = None
    server_cert: Path | None = None
    server_key: Path | None = None
    client_cert: Path | None = None
    client_key: Path | None = None

    @property
    def basic_auth(self) -> bool:
        """Whether HTTP Basic authentication is used (profiles 1 and 2)."""
        return self.profile in (1, 2)

    @property
    def tls(self) -> bool:
        """Whether the connection uses TLS (profiles 2 and 3)."""
        return self.profile >= 2

    @property
    def generate_pki(self) -> bool:
        """Whether the harness generates its own test PKI."""
        return self.pki is None


@dataclass(frozen=True)
class Evse:
    """One EVSE and its connector ids."""

    id: int
    connectors: tuple[int, ...]


@dataclass(frozen=True)
class Tokens:
    """Id tokens the DUT knows, by the part they play in the cases."""

    valid: str = "04A2B3C4D5E6F7"
    invalid: str = "0BADBADBADBAD0"
    blocked: str = "0B10C4ED0B10C4"
    expired: str = "0E4B14ED0E4B14"
    token_type: str = "ISO14443"
    group: str | None = None
    master_pass: str | None = None
    #: A second valid token with the same group id token as `valid` (2.0.1 C09, TC_C_39_CSMS).
    valid2: str | None = None
    #: A token whose group id token is the master pass group `master_pass` (2.0.1 C16).
    master_pass_token: str | None = None
    #: A valid eMAID: the CN of the contract certificate in ISO 15118 cases (2.0.1 C07).
    emaid: str | None = None


@dataclass(frozen=True)
class Features:
    """The DUT's declared capabilities (PICS); see FEATURES for their meaning."""

    reservation: bool = True
    smart_charging: bool = True
    local_auth_list: bool = True
    remote_trigger: bool = True
    firmware_management: bool = True
    authorization_cache: bool = True
    connector_lock: bool = True
    power_cycle: bool = True
    offline: bool = True
    fixed_cable: bool = False
    power_backup: bool = False
    reserve_connector_zero: bool = True
    rejects_reservations: bool = False
    iso15118: bool = False

    def has(self, name: str) -> bool:
        """Return whether feature `name` is declared present; unknown names raise KeyError."""
        if name not in FEATURES:
            raise KeyError(f"unknown DUT feature {name!r}; known: {', '.join(FEATURES)}")
        return bool(getattr(self, name))

    def absent_reason(self, name: str) -> str | None:
        """Return the N/A reason when feature `name` is declared absent, else None."""
        if self.has(name):
            return None
        return f"DUT profile says [features] {name} = false; the feature: the DUT {FEATURES[name]}"


@dataclass(frozen=True)
class Timeouts:
    """Bounds in seconds for waits, and intervals the harness configures."""

    boot: float = 30.0
    call: float = 30.0
    connect: float = 60.0
    action: float = 60.0
    case: float = 300.0
    heartbeat_interval: float = 300.0
    meter_interval: float = 60.0


#: Placeholders of an [actions.http.*] request template (role csms, trigger only).
HTTP_PLACEHOLDERS: Final[tuple[str, ...]] = ("base_url", "station_id", "message", "payload")
#: The [actions.http.*] entry used for a message without an entry of its own.
HTTP_DEFAULT: Final = "default"


@dataclass(frozen=True)
class HttpRequest:
    """One templated HTTP request that makes a CSMS send an OCPP message (backend http).

    In `url` the placeholders are filled URL-encoded; in `body` JSON-encoded (so
    `{payload}` is the OCPP request object and `{station_id}` a JSON string).
    """

    url: str
    method: str = "POST"
    body: str | None = "{payload}"
    headers: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), hash=False)


@dataclass(frozen=True)
class Actions:
    """The action backend and its settings."""

    backend: Backend
    control_url: str | None = None
    commands: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    countdown: float = 60.0
    base_url: str | None = None
    http: Mapping[str, HttpRequest] = field(
        default_factory=lambda: MappingProxyType({}), hash=False
    )

    def command_for(self, action: str) -> str | None:
        """Return the command template for `action`, or None when none is configured."""
        return self.commands.get(action)


@dataclass(frozen=True)
class SimLaunch:
    """The reference simulator the harness launches as the DUT, and its mutant faults."""

    launch: bool = True
    faults: tuple[str, ...] = ()


@dataclass(frozen=True)
class DutProfile:
    """A validated DUT profile."""

    source: Path
    name: str
    role: Role
    ocpp_version: OcppVersion
    station_id: str
    connection: Connection
    security: Security
    evses: tuple[Evse, ...]
    tokens: Tokens
    features: Features
    timeouts: Timeouts
    actions: Actions
    sim: SimLaunch | None = None

    @property
    def launches_sim(self) -> bool:
        """Whether the harness launches the reference simulator as the DUT."""
        return self.sim is not None and self.sim.launch

    def evse(self, evse_id: int) -> Evse:
        """Return the EVSE with id `evse_id` (KeyError if the DUT has none)."""
        for evse in self.evses:
            if evse.id == evse_id:
                return evse
        raise KeyError(f"the DUT profile has no EVSE {evse_id}")

    def flat_connector_id(self, evse_id: int, connector_id: int) -> int:
        """Return the OCPP 1.6 connectorId: connectors counted across EVSEs in order."""
        offset = 0
        for evse in self.evses:
            if evse.id == evse_id and connector_id in evse.connectors:
                return offset + evse.connectors.index(connector_id) + 1
            offset += len(evse.connectors)
        raise KeyError(f"the DUT profile has no connector {evse_id}/{connector_id}")

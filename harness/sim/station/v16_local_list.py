"""OCPP 1.6 Local Authorization List of the reference charge point (§3.5.2, §5.10, §5.15).

The list is kept by the behaviour object, so it survives reboots (§3.5.2 SHOULD persist). It
is only changed by SendLocalList (§3.5.2 "SHALL NOT modify ... by any other means"). While
LocalAuthListEnabled (§9.2.1) is false the station treats the list as not in use: it reports
listVersion -1 (§5.10) and answers SendLocalList NotSupported (§7.47).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from harness.sim.station.link import Answer, Payload

if TYPE_CHECKING:
    from harness.sim.station.v16 import V16


@dataclass
class LocalList:
    """Entries idTag -> IdTagInfo (§7.1, §7.27) and the list version."""

    version: int = 0
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    faults: frozenset[str] = frozenset()

    def knows(self, token: str) -> bool:
        """True when `token` has an entry (then it never enters the cache, §3.5.3)."""
        return token in self.entries

    def info(self, token: str) -> dict[str, Any] | None:
        """The entry's IdTagInfo with an Accepted entry past its expiryDate as Expired (§3.5.4)."""
        info = self.entries.get(token)
        if info is None:
            return None
        expiry = info.get("expiryDate")
        if info.get("status") == "Accepted" and expiry and _parse(expiry) <= datetime.now(UTC):
            return {**info, "status": "Expired"}
        return info

    def reported_version(self) -> int:
        """GetLocalListVersion.conf listVersion: 0 for an empty list (§5.10)."""
        if "local-list-version-stale" in self.faults:
            return self.version
        return self.version if self.entries else 0

    def apply(self, update: Payload, max_length: int, send_max: int) -> str:
        """Apply SendLocalList.req (§5.15, §6.41); return the UpdateStatus (§7.47)."""
        items: list[dict[str, Any]] = list(update.get("localAuthorizationList") or [])
        tags = [str(item["idTag"]) for item in items]
        if len(items) > send_max or len(set(tags)) != len(tags):
            return "Failed"
        version = int(update["listVersion"])
        if update["updateType"] == "Full":
            if any("idTagInfo" not in item for item in items) or len(items) > max_length:
                return "Failed"
            self.entries = {str(item["idTag"]): dict(item["idTagInfo"]) for item in items}
            self.version = version
            return "Accepted"
        if version <= self.version and "local-list-no-version-check" not in self.faults:
            return "VersionMismatch"
        entries = dict(self.entries)
        for item in items:
            if "idTagInfo" in item:
                entries[str(item["idTag"])] = dict(item["idTagInfo"])
            else:
                entries.pop(str(item["idTag"]), None)
        if len(entries) > max_length and "local-list-no-max-length" not in self.faults:
            return "Failed"
        self.entries = entries
        if "local-list-version-not-updated" not in self.faults:
            self.version = version
        return "Accepted"


def _parse(stamp: str) -> datetime:
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def local_status(v: V16, token: str, *, online: bool) -> str | None:
    """Authorization status from the list, or None when the list does not decide (§3.5).

    Online, only an Accepted entry decides and only with LocalPreAuthorize (§9.1.13); other
    entries are checked with the Central System. Offline, with LocalAuthorizeOffline
    (§9.1.12), every entry decides: non-Accepted entries are rejected (§3.5.4).
    """
    if not v.keys.flag("LocalAuthListEnabled") or v.config.fault("local-list-ignored"):
        return None
    info = v.local_list.info(token)
    if info is None:
        return None
    status = str(info["status"])
    if online:
        return status if status == "Accepted" and v.keys.flag("LocalPreAuthorize") else None
    return status if v.keys.flag("LocalAuthorizeOffline") else None


def local_parent(v: V16, token: str) -> str | None:
    """parentIdTag of an entry (§3.10), when the list is in use."""
    if not v.keys.flag("LocalAuthListEnabled"):
        return None
    info = v.local_list.info(token)
    return None if info is None else info.get("parentIdTag")


def _in_use(v: V16) -> bool:
    """LocalAuthListEnabled (§9.2.1); the local-list-disabled-ignored fault ignores it."""
    return v.keys.flag("LocalAuthListEnabled") or v.config.fault("local-list-disabled-ignored")


async def send_local_list(v: V16, p: Payload) -> Answer:
    """SendLocalList (§5.15): Accepted, Failed, NotSupported or VersionMismatch (§7.47)."""
    if not _in_use(v):
        return Answer({"status": "NotSupported"})
    status = v.local_list.apply(
        p, v.keys.integer("LocalAuthListMaxLength"), v.keys.integer("SendLocalListMaxLength")
    )
    return Answer({"status": status})


async def get_local_list_version(v: V16, p: Payload) -> Answer:
    """GetLocalListVersion (§5.10): -1 while the list is not in use, 0 when empty."""
    if not _in_use(v):
        return Answer({"listVersion": -1})
    return Answer({"listVersion": v.local_list.reported_version()})

"""The case decorator: an official test case id, its metadata, and what it needs of the DUT."""

from __future__ import annotations

import inspect
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Final

from harness.cases.catalog import CatalogEntry, lookup

#: Parameters the runner provides to a case function.
PROVIDED: Final = frozenset({"csms", "station", "dut", "check", "artifacts", "rig"})

CaseFunction = Callable[..., Awaitable[None]]

#: Id prefixes of the harness's own case families, which are not in the official catalogs:
#: negative conformance, property-based fuzzing, physical (rig) checks.
FAMILY_ID: Final = re.compile(r"^(NEG|FUZZ|PHY)_[A-Za-z0-9_]+$")
VERSIONS: Final = ("1.6", "2.0.1", "2.1")


@dataclass(frozen=True, slots=True)
class CaseSpec:
    """Everything the runner and the report need to know about one case."""

    id: str
    title: str
    version: str
    section: str
    profile: str
    dut_role: str
    refs: tuple[str, ...]
    needs: tuple[str, ...]
    security_profiles: tuple[int, ...] = ()
    #: Runs only when named with --ocpp-case (e.g. a replay needs its file).
    on_demand: bool = False

    @property
    def role(self) -> str:
        """The DUT's role, as reports spell it (`station` or `csms`)."""
        return self.dut_role

    @property
    def harness_role(self) -> str:
        """What the harness plays: `csms` against a station, `station` against a CSMS."""
        return "csms" if self.dut_role == "station" else "station"


def ocpp_case(
    case_id: str,
    *,
    version: str,
    title: str | None = None,
    refs: tuple[str, ...] = (),
    needs: tuple[str, ...] = (),
    profile: str | None = None,
    security_profiles: tuple[int, ...] = (),
) -> Callable[[CaseFunction], Callable[..., None]]:
    """Declare an async function as the official case `case_id` (checked against the catalog).

    The function may take `csms` or `station` (the emulator the harness plays), `dut` (the
    device under test's actions and profile) and `check` (soft checks), plus any pytest
    fixtures or parameters. `needs` lists DUT features/actions; a DUT without them is N/A.
    `security_profiles` restricts the case to DUT profiles using one of those security
    profiles (e.g. Basic-auth cases need 1 or 2).
    """
    entry: CatalogEntry = lookup(version, case_id, title)
    spec = CaseSpec(
        id=case_id,
        title=entry.title,
        version=version,
        section=entry.section,
        profile=profile or entry.profile,
        dut_role=entry.dut_role,
        refs=refs,
        needs=needs,
        security_profiles=security_profiles,
    )
    return _case_decorator(spec)


def harness_case(
    case_id: str,
    *,
    version: str,
    dut_role: str,
    title: str,
    section: str,
    profile: str,
    refs: tuple[str, ...] = (),
    needs: tuple[str, ...] = (),
    security_profiles: tuple[int, ...] = (),
    on_demand: bool = False,
) -> Callable[[CaseFunction], Callable[..., None]]:
    """Declare a case of the harness's own families (NEG_, FUZZ_, PHY_ ids; see FAMILY_ID).

    Same contract as `ocpp_case`, but the id, title, section and summary profile are given here
    because no official catalog lists them. The function may be parametrized with pytest; each
    instance is reported as `ID[param]`. An `on_demand` case runs only when named by
    `--ocpp-case`.
    """
    if not FAMILY_ID.match(case_id):
        raise ValueError(f"{case_id!r}: a harness case id matches {FAMILY_ID.pattern}")
    if version not in VERSIONS:
        raise ValueError(f"{case_id}: version {version!r} is not one of {', '.join(VERSIONS)}")
    if dut_role not in ("station", "csms"):
        raise ValueError(f"{case_id}: dut_role {dut_role!r} is not 'station' or 'csms'")
    spec = CaseSpec(
        id=case_id,
        title=title,
        version=version,
        section=section,
        profile=profile,
        dut_role=dut_role,
        refs=refs,
        needs=needs,
        security_profiles=security_profiles,
        on_demand=on_demand,
    )
    return _case_decorator(spec)


def _case_decorator(spec: CaseSpec) -> Callable[[CaseFunction], Callable[..., None]]:
    """Wrap a case function for pytest: the runner fixture runs it and judges the outcome."""
    case_id = spec.id

    def decorate(function: CaseFunction) -> Callable[..., None]:
        if not inspect.iscoroutinefunction(function):
            raise TypeError(f"{case_id}: a case must be an async function")
        own = inspect.signature(function).parameters
        wrong = {"csms", "station"} & set(own)
        if spec.dut_role == "station" and "station" in wrong:
            raise TypeError(f"{case_id} tests a station; the harness plays `csms`, not `station`")
        if spec.dut_role == "csms" and "csms" in wrong:
            raise TypeError(f"{case_id} tests a CSMS; the harness plays `station`, not `csms`")
        extra = [p for name, p in own.items() if name not in PROVIDED]

        def run(ocpp_runner: Any, request: Any, **kwargs: Any) -> None:
            ocpp_runner.run(spec, function, request, kwargs)

        run.__name__ = function.__name__
        run.__qualname__ = function.__qualname__
        run.__module__ = function.__module__
        run.__doc__ = function.__doc__ or f"{case_id} {spec.title}"
        params = [
            inspect.Parameter("ocpp_runner", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            *[p.replace(kind=inspect.Parameter.KEYWORD_ONLY) for p in extra],
        ]
        run.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        run.ocpp_case = spec  # type: ignore[attr-defined]
        run.ocpp_function = function  # type: ignore[attr-defined]
        return run

    return decorate

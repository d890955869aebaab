"""Helpers rules share to describe what they saw."""

from __future__ import annotations

from collections.abc import Iterable

from hegui.checks.model import Evidence, Text
from hegui.facts.model import CallSite, Facts, PermissionRequest
from hegui.knowledge import pi_types

MANIFEST = "AndroidManifest.xml"

# A granted permission that also grants another (the platform's implicit grants).
IMPLIES: dict[str, frozenset[str]] = {
    "android.permission.ACCESS_FINE_LOCATION": frozenset({"android.permission.ACCESS_COARSE_LOCATION"}),
    "android.permission.WRITE_EXTERNAL_STORAGE": frozenset({"android.permission.READ_EXTERNAL_STORAGE"}),
}


def call_sites(sites: Iterable[CallSite]) -> list[Evidence]:
    """One evidence item per distinct (api, caller, owner, dex), in the order given."""
    seen: set[tuple[str, str, str, str]] = set()
    out: list[Evidence] = []
    for cs in sites:
        key = (cs.api, cs.caller, cs.owner, cs.dex)
        if key in seen:
            continue
        seen.add(key)
        out.append(
            Evidence(
                kind="call_site", file=cs.dex, api=cs.api, caller=cs.caller, owner=cs.owner, value=cs.via
            )
        )
    return out


def by_pi_type(sites: Iterable[CallSite]) -> dict[str, list[CallSite]]:
    """Call sites grouped by PI type, types in sorted order."""
    groups: dict[str, list[CallSite]] = {}
    for cs in sites:
        groups.setdefault(cs.pi_type, []).append(cs)
    return dict(sorted(groups.items()))


def sole_owner(sites: Iterable[CallSite]) -> str | None:
    """The owner when every call site has the same one (the party responsible), else None."""
    owners = {cs.owner for cs in sites}
    return owners.pop() if len(owners) == 1 else None


def owners(sites: Iterable[CallSite]) -> str:
    return ", ".join(sorted({cs.owner for cs in sites}))


def manifest(element: str, value: str | None = None) -> Evidence:
    return Evidence(kind="manifest", file=MANIFEST, element=element, value=value)


def permission(req: PermissionRequest) -> Evidence:
    tag = "uses-permission-sdk-23" if req.sdk23 else "uses-permission"
    value = req.name if req.max_sdk_version is None else f"{req.name} (maxSdkVersion={req.max_sdk_version})"
    return Evidence(kind="permission", file=MANIFEST, element=f"manifest/{tag}", value=value)


def requests(facts: Facts) -> dict[str, PermissionRequest]:
    """Requested permissions by name (the first element when one is declared twice)."""
    out: dict[str, PermissionRequest] = {}
    for req in facts.manifest.permissions:
        out.setdefault(req.name, req)
    for name in facts.permissions:  # Facts.permissions is authoritative for "requested"
        out.setdefault(name, PermissionRequest(name=name))
    return out


def pi_name(pi_type: str) -> Text:
    """The taxonomy's name for a PI type; the ID itself if the taxonomy does not know it."""
    known = pi_types().get(pi_type)
    return Text(zh=known.name.zh, en=known.name.en) if known else Text(zh=pi_type, en=pi_type)


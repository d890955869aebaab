"""Small constructed Facts for rule tests.

``make_facts()`` is a quiet app: release-signed (v1+v2), backup off, HTTPS only, targetSdk 33, one
DEX, no permissions, no call sites. Every rule is silent on it (tests/checks/test_rules.py checks
that). Overrides: any Facts field, plus

* ``manifest={...}``: Manifest fields merged into the default manifest;
* ``permissions=[...]``: names or PermissionRequest objects (sets both Facts.permissions and
  Manifest.permissions);
* ``target_sdk=`` / ``min_sdk=``: set on Facts and Manifest alike.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest

from hegui.api import scan
from hegui.facts.model import CallSite, Certificate, DexInfo, Facts, Manifest, PermissionRequest
from hegui.report.model import Report

PKG = "com.example.app"


def make_facts(*, manifest: dict[str, Any] | None = None, **overrides: Any) -> Facts:
    target = overrides.pop("target_sdk", 33)
    min_sdk = overrides.pop("min_sdk", 24)
    reqs = [
        p if isinstance(p, PermissionRequest) else PermissionRequest(name=p)
        for p in overrides.pop("permissions", [])
    ]
    m: dict[str, Any] = {
        "package": PKG,
        "min_sdk": min_sdk,
        "target_sdk": target,
        "allow_backup": False,
        "uses_cleartext_traffic": False,
        "permissions": reqs,
        "launcher_activity": f"{PKG}.MainActivity",
    }
    m.update(manifest or {})
    fields: dict[str, Any] = {
        "file_name": "app.apk",
        "file_size": 1024,
        "sha256": "0" * 64,
        "package": PKG,
        "min_sdk": min_sdk,
        "target_sdk": target,
        "permissions": sorted({r.name for r in reqs}),
        "manifest": Manifest(**m),
        "certificates": [cert()],
        "signing_schemes": ["v1", "v2"],
        "dex_files": [
            DexInfo(name="classes.dex", size=1000, version="035", classes=10, methods=100, strings=100)
        ],
    }
    fields.update(overrides)
    return Facts(**fields)


def cert(*, debug: bool = False) -> Certificate:
    return Certificate(
        schemes=["v1", "v2"],
        subject="CN=Android Debug, O=Android, C=US" if debug else "CN=Example Release, O=Example, C=CN",
        issuer="CN=Android Debug, O=Android, C=US" if debug else "CN=Example Release, O=Example, C=CN",
        serial="1",
        sha256="ab" * 32,
        not_before="2020-01-01T00:00:00Z",
        not_after="2050-01-01T00:00:00Z",
        debug=debug,
    )


def site(
    pi_type: str,
    *,
    api: str = "Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;",
    permissions: list[str] | None = None,
    owner: str = "app",
    caller: str = f"L{PKG.replace('.', '/')}/Main;->onCreate(Landroid/os/Bundle;)V",
    api_id: str = "test.api",
    kind: str = "invoke",
) -> CallSite:
    return CallSite(
        api=api,
        kind=kind,
        api_id=api_id,
        pi_type=pi_type,
        permissions=permissions or [],
        caller=caller,
        dex="classes.dex",
        offset=0,
        owner=owner,
    )


@pytest.fixture
def facts_factory():
    return make_facts


APKS = Path(__file__).resolve().parents[1] / "fixtures" / "apk"


@functools.cache
def fixture_report(name: str) -> Report:
    """The report of tests/fixtures/apk/<name>.apk, scanned once per test session."""
    return scan(APKS / f"{name}.apk")


def by_rule(name: str) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in fixture_report(name).findings:
        out.setdefault(f.rule_id, []).append(f)
    return out

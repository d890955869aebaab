from __future__ import annotations

import pytest

from hegui.checks.model import Severity
from hegui.checks.registry import run_checks
from hegui.facts.model import Component, IntentFilter

from .conftest import make_facts, site

MAIN = IntentFilter(actions=["android.intent.action.MAIN"], categories=["android.intent.category.LAUNCHER"])


def run(facts, rule_id):
    return run_checks(facts, select=[rule_id])


def test_debuggable_evidence():
    (f,) = run(make_facts(manifest={"debuggable": True}), "HG-MAN-001")
    assert f.severity is Severity.high and f.judgement == "auto"
    assert f.evidence[0].element == "application/@android:debuggable"
    assert f.evidence[0].file == "AndroidManifest.xml"


@pytest.mark.parametrize(
    "target, manifest, severity",
    [
        (30, {}, Severity.medium),  # adb backup exports everything
        (30, {"full_backup_content": "@xml/backup_rules"}, Severity.low),
        (31, {}, Severity.low),  # adb backup no longer includes app data
        (None, {}, Severity.medium),  # no targetSdk: defaults to 1
    ],
)
def test_backup_severity(target, manifest, severity):
    facts = make_facts(
        manifest={"allow_backup": True, **manifest}, target_sdk=target, call_sites=[site("contacts")]
    )
    (f,) = run(facts, "HG-MAN-002")
    assert f.severity is severity
    if manifest:
        assert any(e.element == "application/@android:fullBackupContent" for e in f.evidence)


def test_backup_off_is_silent():
    assert (
        run(make_facts(manifest={"allow_backup": False}, call_sites=[site("contacts")]), "HG-MAN-002") == []
    )


def comp(kind="activity", name="com.example.app.Other", **kw):
    kw.setdefault("exported", True)
    return Component(kind=kind, name=name, **kw)


def test_exported_one_finding_per_component_and_severity_by_kind():
    facts = make_facts(
        manifest={
            "components": [
                comp("activity", "com.example.app.Share", exported_explicit=True),
                comp("service", "com.example.app.Sync"),
                comp("receiver", "com.example.app.Boot"),
                comp(
                    "provider",
                    "com.example.app.Users",
                    authorities=["com.example.users"],
                    exported_explicit=True,
                ),
            ]
        }
    )
    found = run(facts, "HG-MAN-003")
    assert len(found) == 4
    assert found[0].severity is Severity.medium and "com.example.app.Users" in found[0].message.en
    assert "authorities=com.example.users" in found[0].message.en
    assert all(f.severity is Severity.low for f in found[1:])
    assert "implied by an intent filter" in found[1].message.en + found[2].message.en
    assert found[0].evidence[0].element == "application/provider[@android:name='com.example.app.Users']"


@pytest.mark.parametrize(
    "component",
    [
        comp("activity", "com.example.app.MainActivity"),  # the launcher, by name
        comp("activity-alias", "com.example.app.Alias", intent_filters=[MAIN]),  # a launcher by its filter
        comp(
            "activity",
            "com.example.app.Tv",
            intent_filters=[
                IntentFilter(
                    actions=["android.intent.action.MAIN"],
                    categories=["android.intent.category.LEANBACK_LAUNCHER"],
                )
            ],
        ),
        comp("activity", "com.example.app.Off", enabled=False),
        comp("activity", "com.example.app.Inner", exported=False),
        comp("service", "com.example.app.Guarded", permission="android.permission.BIND_JOB_SERVICE"),
        comp("provider", "com.example.app.P", read_permission="x.R", write_permission="x.W"),
    ],
)
def test_exported_not_reported(component):
    assert run(make_facts(manifest={"components": [component]}), "HG-MAN-003") == []


def test_provider_with_only_read_permission_is_reported():
    (f,) = run(make_facts(manifest={"components": [comp("provider", read_permission="x.R")]}), "HG-MAN-003")
    assert "only read access is protected" in f.message.en and "写操作未受保护" in f.message.zh

"""hegui diff: what an update adds or removes (fixtures update_v1 -> update_v2, known by construction)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hegui.api import scan
from hegui.diff import diff_reports, finding_key
from hegui.report.diff_text import diff_json, diff_renderables
from hegui.report.text import capture

FIXTURES = Path(__file__).parent / "fixtures" / "apk"


@pytest.fixture(scope="module")
def reports():
    return scan(FIXTURES / "update_v1.apk"), scan(FIXTURES / "update_v2.apk")


def test_update_adds_contacts_device_id_and_sdk(reports) -> None:
    d = diff_reports(*reports)
    assert d.same_package and d.same_signer
    assert (d.old.version_code, d.new.version_code) == (1, 2)
    assert d.permissions.added == ["android.permission.READ_CONTACTS"] and d.permissions.removed == []
    assert d.pi_types.added == ["contacts", "device_id.imei"] and d.pi_types.removed == []
    assert d.sdks.added == ["umeng_analytics"] and d.sdks.removed == []
    owners = {c.owner: c.added for c in d.pi_by_owner}
    assert owners == {"app": ["contacts"], "sdk:umeng_analytics": ["device_id.imei"]}
    added = {f.rule_id for f in d.findings_added}
    assert "HG-PI-004" in added  # device identifiers, read by the new SDK
    assert "HG-PERM-002" in added  # getDeviceId without READ_PHONE_STATE
    assert d.findings_removed == []


def test_reverse_diff_mirrors(reports) -> None:
    old, new = reports
    fwd, back = diff_reports(old, new), diff_reports(new, old)
    assert back.permissions.removed == fwd.permissions.added
    assert back.sdks.removed == fwd.sdks.added
    assert [f.rule_id for f in back.findings_removed] == [f.rule_id for f in fwd.findings_added]


def test_same_report_has_no_changes(reports) -> None:
    d = diff_reports(reports[0], reports[0])
    assert d.permissions.empty and d.pi_types.empty and d.sdks.empty
    assert d.findings_added == d.findings_removed == [] and d.pi_by_owner == []


def test_finding_identity_ignores_renamed_callers(reports) -> None:
    f = next(f for f in reports[1].findings if f.evidence and f.evidence[0].caller)
    renamed = f.model_copy(
        update={"evidence": [e.model_copy(update={"caller": "La/b;->c()V"}) for e in f.evidence]}
    )
    assert finding_key(renamed) == finding_key(f)


def test_renderers(reports) -> None:
    d = diff_reports(*reports)
    data = json.loads(diff_json(d))
    assert data["permissions"]["added"] == ["android.permission.READ_CONTACTS"]
    zh = capture(diff_renderables(d, lang="zh"))
    en = capture(diff_renderables(d, lang="en"))
    assert "+android.permission.READ_CONTACTS" in zh and "新增问题" in zh
    assert "+umeng_analytics" in en and "New findings" in en

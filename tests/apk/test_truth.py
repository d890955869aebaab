"""Manifest and archive facts of every fixture APK against tests/fixtures/truth.yaml (when built)."""

from __future__ import annotations

import functools

import pytest

from hegui.apk.archive import open_apk
from hegui.apk.manifest import parse_manifest
from hegui.apk.signing import read_signing
from hegui.errors import ApkError

from ..conftest import FIXTURES, load_truth

TRUTH = load_truth() if (FIXTURES / "truth.yaml").exists() else {}
GOOD = sorted(k for k, v in TRUTH.items() if not v.get("error"))
BAD = sorted(k for k, v in TRUTH.items() if v.get("error"))


def path_of(name: str):
    path = FIXTURES / TRUTH[name]["file"]
    if not path.exists():
        pytest.skip(f"{path.name} not built")
    return path


@functools.cache
def facts(name: str):
    with open_apk(path_of(name)) as apk:
        _ = apk.hidden_dex  # lazy: computed while the file is open
        return apk, parse_manifest(apk), read_signing(apk)


@pytest.mark.parametrize("name", GOOD)
def test_identity_and_permissions(name):
    t, (_, m, _) = TRUTH[name], facts(name)
    assert m.package == t["package"]
    for key in ("version_code", "version_name", "min_sdk", "target_sdk"):
        if key in t:
            assert getattr(m, key) == t[key], key
    if "permissions" in t:
        assert [p.name for p in m.permissions] == (t["permissions"] or [])
    if "permissions_sdk23" in t:
        assert [p.name for p in m.permissions if p.sdk23] == t["permissions_sdk23"]
    if "declared_permissions" in t:
        assert m.declared_permissions == t["declared_permissions"]


@pytest.mark.parametrize("name", [n for n in GOOD if "manifest" in TRUTH[n]])
def test_manifest_facts(name):
    t, (_, m, _) = TRUTH[name]["manifest"], facts(name)
    assert m.debuggable is bool(t["debuggable"])
    assert m.allow_backup is (True if t["allow_backup"] is None else t["allow_backup"])
    assert m.uses_cleartext_traffic == t["uses_cleartext_traffic"]
    assert m.application_class == t["application_class"]
    assert m.launcher_activity == t["launcher_activity"]
    assert [c.name for c in m.components if c.exported] == t["exported"]
    if "exported_without_permission" in t:
        assert [c.name for c in m.components if c.exported and not c.permission] == t[
            "exported_without_permission"
        ]
    if "implicitly_exported" in t:
        assert [c.name for c in m.components if c.exported and c.exported_explicit is None] == t[
            "implicitly_exported"
        ]
    if "network_security_config" in t:
        nsc = m.network_security_config
        assert nsc is not None and nsc.file == t["network_security_config"] and nsc.parse_error is None
        assert nsc.base_cleartext_permitted == t["nsc_base_cleartext_permitted"]
        detail = t["cleartext_domains_detail"]
        assert nsc.cleartext_domains == [
            ("*." if d["include_subdomains"] else "") + d["domain"] for d in detail
        ]


@pytest.mark.parametrize("name", [n for n in GOOD if "providers_init_order" in TRUTH[n]])
def test_provider_init_order(name):
    _, m, _ = facts(name)
    found = {c.name: c.init_order for c in m.components if c.kind == "provider"}
    assert found == TRUTH[name]["providers_init_order"]


@pytest.mark.parametrize("name", GOOD)
def test_archive_facts(name):
    t, (apk, _, _) = TRUTH[name], facts(name)
    if "dex_files" in t:
        assert list(apk.dex_names) == t["dex_files"]
    for key in ("native_libs", "assets"):
        if key in t:
            assert list(getattr(apk, key)) == t[key]
    if "embedded_dex" in t:
        assert list(apk.hidden_dex) == t["embedded_dex"]
    if "evil_entries" in t:
        assert list(apk.unsafe_names) == t["evil_entries"]


@pytest.mark.parametrize("name", GOOD)
def test_signing(name):
    schemes, certs, problem = facts(name)[2]
    if name == "bad_traversal":  # rebuilt with zipfile: unsigned
        assert (schemes, certs, problem) == ([], [], None)
    else:
        assert schemes == ["v1", "v2", "v3"] and problem is None
        assert len(certs) == 1 and certs[0].schemes == ["v1", "v2", "v3"]
        assert certs[0].debug == TRUTH[name].get("debug_certificate", False)


@pytest.mark.parametrize("name", BAD)
def test_bad_inputs(name):
    with pytest.raises(ApkError) as err, open_apk(path_of(name)) as apk:
        parse_manifest(apk)
        read_signing(apk)
        for dex in apk.dex_names:
            apk.read(dex)
    assert err.value.kind == TRUTH[name]["error"]


@pytest.mark.parametrize("name", [n for n in GOOD if "trusts_user_certificates" in TRUTH.get(n, {})])
def test_user_ca_trust(name):
    nsc = facts(name)[1].network_security_config
    assert nsc is not None and nsc.trusts_user_certificates == TRUTH[name]["trusts_user_certificates"]
    assert not nsc.debug_overrides

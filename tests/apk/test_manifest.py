from __future__ import annotations

import zipfile

import pytest

from hegui.apk.archive import Limits, open_apk
from hegui.apk.manifest import _class_name, parse_manifest
from hegui.errors import ApkError
from tests.apk.zips import DATA, FIXTURE_APKS, data_entries, make_zip, write


def manifest_of(path, limits: Limits | None = None):
    with open_apk(path, limits) as apk:
        return parse_manifest(apk)


def fixture(name: str):
    path = FIXTURE_APKS / f"{name}.apk"
    if not path.exists():
        pytest.skip(f"fixture {name}.apk not built")
    return path


def component(manifest, name):
    return next(c for c in manifest.components if c.name == name)


def test_edge_manifest():
    m = manifest_of(DATA / "edge.zip")
    assert (m.package, m.version_code, m.version_name) == (
        "com.example.edge",
        42,
        "2.0-edge",
    )  # name via arsc
    assert (m.min_sdk, m.target_sdk, m.max_sdk) == (16, 16, None)
    assert [(p.name, p.max_sdk_version, p.sdk23) for p in m.permissions] == [
        ("android.permission.READ_EXTERNAL_STORAGE", 28, False),
        ("android.permission.ACCESS_COARSE_LOCATION", None, True),
    ]
    assert m.declared_permissions == ["com.example.edge.permission.PRIVATE"]
    assert m.application_class == "com.example.edge.EdgeApp"
    assert m.app_component_factory == "com.example.edge.Factory"
    assert m.debuggable is True  # @bool/is_debug resolved
    assert m.allow_backup is True  # absent: platform default
    assert m.full_backup_content == "res/xml/backup_rules.xml"
    assert m.data_extraction_rules is None and m.uses_cleartext_traffic is None
    assert m.uses_features == ["android.hardware.camera"]
    assert m.queries_packages == ["com.tencent.mm", "com.eg.android.AlipayGphone"]
    assert m.metadata["UMENG_APPKEY"] == "abc123" and m.metadata["com.example.COUNT"] == "5"
    assert m.metadata["com.example.RULES"].startswith("@7F")
    assert m.launcher_activity == "com.example.edge.LauncherAlias"  # the alias, by its own name

    nsc = m.network_security_config
    assert nsc is not None and nsc.file == "res/xml/netsec.xml" and nsc.parse_error is None
    assert nsc.base_cleartext_permitted is True
    assert nsc.cleartext_domains == ["*.example.com", "inherit.example.net"]
    assert nsc.trusts_user_certificates is True and nsc.debug_overrides is True


def test_edge_components():
    m = manifest_of(DATA / "edge.zip")
    kinds = [(c.kind, c.name) for c in m.components]
    assert kinds == [
        ("activity", "com.example.edge.Main"),
        ("activity-alias", "com.example.edge.LauncherAlias"),
        ("activity", "com.other.Ext"),
        ("service", "com.example.edge.Svc"),
        ("receiver", "com.example.edge.Rcv"),
        ("provider", "com.example.edge.Prov"),
    ]
    main = component(m, "com.example.edge.Main")
    assert main.exported is True and main.exported_explicit is None  # implied by its intent filter
    assert main.intent_filters[0].schemes == ["edge", "https"]
    ext = component(m, "com.other.Ext")
    assert (ext.exported, ext.enabled, ext.process) == (False, False, ":remote")
    svc = component(m, "com.example.edge.Svc")
    assert svc.exported is False and svc.exported_explicit is False  # explicit wins over the filter
    assert component(m, "com.example.edge.Rcv").permission == "com.example.edge.permission.PRIVATE"
    prov = component(m, "com.example.edge.Prov")
    assert prov.exported is True  # targetSdk 16: providers are exported by default
    assert prov.authorities == ["a.b", "c.d"] and prov.init_order == 5
    assert prov.read_permission == prov.write_permission == "com.example.edge.permission.PRIVATE"


def test_minimal_manifest_defaults():
    m = manifest_of(DATA / "minimal.zip")
    assert m.package == "com.example.minimal"
    assert (m.min_sdk, m.target_sdk) == (1, 1)  # absent uses-sdk: Android's defaults
    assert m.allow_backup is True and m.debuggable is False
    assert m.components == [] and m.launcher_activity is None and m.network_security_config is None


def test_modern_manifest_defaults():
    m = manifest_of(DATA / "modern.zip")
    assert (m.min_sdk, m.target_sdk, m.version_code, m.version_name) == (24, 33, 7, "7.0")
    assert m.allow_backup is False and m.uses_cleartext_traffic is False
    provider = component(m, "androidx.startup.InitializationProvider")
    assert provider.exported is False and provider.exported_explicit is None  # targetSdk > 16
    share = component(m, "com.example.modern.Share")
    assert (
        share.exported is True
    )  # implied by the intent filter (pre-API-31 rule; 31+ requires the attribute)
    assert m.metadata == {}  # <meta-data> inside an activity is not application metadata
    assert m.launcher_activity is None


def test_class_name_resolution():
    assert _class_name("a.b", ".X") == "a.b.X"
    assert _class_name("a.b", "X") == "a.b.X"
    assert _class_name("a.b", "c.d.X") == "c.d.X"
    assert _class_name("a.b", None) is None


def test_missing_network_security_config_file(tmp_path):
    entries = [(n, d) for n, d in data_entries("edge.zip") if n != "res/xml/netsec.xml"]
    m = manifest_of(write(tmp_path, make_zip(entries)))
    assert m.network_security_config is not None and m.network_security_config.parse_error


def test_without_resources_arsc_references_stay_raw(tmp_path):
    entries = [(n, d) for n, d in data_entries("edge.zip") if n != "resources.arsc"]
    m = manifest_of(write(tmp_path, make_zip(entries)))
    assert m.version_name == "@7F020000"
    assert m.debuggable is False  # an unresolvable reference is not "true"
    assert m.network_security_config is not None and m.network_security_config.parse_error


@pytest.mark.parametrize(
    "manifest",
    [
        b"",
        b"\x03\x00\x08\x00" + bytes(100),
        b'<?xml version="1.0"?><manifest package="a.b"/>',
        bytes(range(256)) * 4,
    ],
    ids=["empty", "header-only", "plain-xml", "garbage"],
)
def test_unparsable_manifest_is_corrupt(tmp_path, manifest):
    path = write(tmp_path, make_zip([("AndroidManifest.xml", manifest)]))
    with pytest.raises(ApkError) as info:
        manifest_of(path)
    assert info.value.kind == "corrupt"


def test_manifest_over_the_limit_is_corrupt(tmp_path):
    entries = data_entries("minimal.zip")
    path = write(tmp_path, make_zip(entries, zipfile.ZIP_STORED))
    with pytest.raises(ApkError) as info:
        manifest_of(path, Limits(max_manifest_size=100))
    assert info.value.kind == "corrupt" and "manifest limit" in info.value.message


def test_no_package_is_corrupt(tmp_path):
    raw = dict(data_entries("minimal.zip"))["AndroidManifest.xml"]
    # same length, so the AXML string pool stays valid: the package attribute name no longer matches
    patched = raw.replace("package".encode("utf-16-le"), "pockage".encode("utf-16-le"))
    patched = patched.replace(b"package", b"pockage")
    assert patched != raw
    with pytest.raises(ApkError) as info:
        manifest_of(write(tmp_path, make_zip([("AndroidManifest.xml", patched)])))
    assert info.value.kind == "corrupt"


# ---- fixture APKs (tests/fixtures/build.sh) ----


def test_manifest_flags_fixture():
    m = manifest_of(fixture("manifest_flags"))
    assert m.package == "com.hegui.fixture.flags"
    assert m.debuggable is True and m.allow_backup is True and m.uses_cleartext_traffic is True
    assert (m.min_sdk, m.target_sdk) == (21, 30)
    assert [(p.name, p.sdk23) for p in m.permissions] == [
        ("android.permission.INTERNET", False),
        ("android.permission.READ_CONTACTS", False),
        ("android.permission.ACCESS_FINE_LOCATION", False),
        ("android.permission.CAMERA", True),
    ]
    nsc = m.network_security_config
    assert nsc is not None and nsc.file == "res/xml/network_security_config.xml"
    assert nsc.base_cleartext_permitted is False
    assert nsc.cleartext_domains == ["*.api.example-cleartext.cn", "10.0.0.1"]
    assert nsc.trusts_user_certificates is False and nsc.debug_overrides is False
    assert m.launcher_activity == "com.hegui.fixture.flags.MainActivity"
    with open_apk(fixture("manifest_flags")) as apk:
        assert apk.hidden_dex_reasons.get("assets/payload.dex") == "dex-magic"
        assert apk.native_libs == ("lib/arm64-v8a/libhegui.so",)


def test_app_startup_fixture():
    m = manifest_of(fixture("app_startup"))
    assert m.application_class == "com.hegui.fixture.startup.StartupApp"
    assert m.allow_backup is False
    assert m.declared_permissions == ["com.hegui.fixture.startup.permission.DATA"]
    providers = {c.name: c for c in m.components if c.kind == "provider"}
    init, data = (
        providers["com.hegui.fixture.startup.InitProvider"],
        providers["com.hegui.fixture.startup.DataProvider"],
    )
    assert (init.init_order, init.exported, init.authorities) == (
        100,
        False,
        ["com.hegui.fixture.startup.init"],
    )
    assert (data.init_order, data.exported, data.permission) == (
        50,
        True,
        "com.hegui.fixture.startup.permission.DATA",
    )
    exported = {c.name for c in m.components if c.exported}
    assert exported == {
        "com.hegui.fixture.startup.MainActivity",
        "com.hegui.fixture.startup.DataProvider",
        "com.hegui.fixture.startup.BootReceiver",  # implied by its BOOT_COMPLETED filter
        "com.hegui.fixture.startup.SyncService",
    }
    assert component(m, "com.hegui.fixture.startup.BootReceiver").exported_explicit is None
    assert m.launcher_activity == "com.hegui.fixture.startup.MainActivity"


def test_clean_fixture():
    m = manifest_of(fixture("clean"))
    assert m.package == "com.hegui.fixture.clean"
    assert m.debuggable is False and m.allow_backup is False and m.uses_cleartext_traffic is False
    assert m.network_security_config is None and m.permissions == []
    assert [c.exported for c in m.components] == [True, False]
    assert m.launcher_activity == "com.hegui.fixture.clean.MainActivity"


def test_every_fixture_manifest_parses():
    paths = sorted(p for p in FIXTURE_APKS.glob("*.apk") if not p.name.startswith("bad_"))
    if not paths:
        pytest.skip("no fixture APKs built")
    for path in paths:
        assert manifest_of(path).package.startswith("com.hegui.fixture"), path.name

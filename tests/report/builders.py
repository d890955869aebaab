"""Build realistic Report objects without scanning an APK (used by tests/report and tests/cli)."""

from __future__ import annotations

from hegui.checks.model import Evidence, Finding, LegalBasis, Severity, Suppression, Text
from hegui.facts.model import (
    AnalysisNote,
    AppTypeAssessment,
    CallSite,
    Certificate,
    Component,
    DetectedSdk,
    DexInfo,
    Facts,
    Manifest,
    SdkSignal,
    StartupCollection,
    StartupInit,
    StartupReach,
    ThirdPartyPackage,
)
from hegui.knowledge.loaders import Bilingual, PermissionInfo, PiType
from hegui.report.model import Report, ToolInfo
from hegui.verdict import decide

PACKAGE = "com.example.shop"
IMEI_API = "Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;"
LOCATION_API = (
    "Landroid/location/LocationManager;->getLastKnownLocation(Ljava/lang/String;)Landroid/location/Location;"
)
ANDROID_ID_API = "Landroid/provider/Settings$Secure;->getString(Landroid/content/ContentResolver;Ljava/lang/String;)Ljava/lang/String;"
SERIAL_FIELD = "Landroid/os/Build;->SERIAL:Ljava/lang/String;"
MAIN_ON_CREATE = f"L{PACKAGE.replace('.', '/')}/MainActivity;->onCreate(Landroid/os/Bundle;)V"

TITLES = {
    Severity.critical: ("HG-PI-001", "启动时收集设备标识", "Device ID collected at start-up"),
    Severity.high: ("HG-SDK-002", "第三方 SDK 收集位置信息", "Third-party SDK collects location"),
    Severity.medium: ("HG-PERM-003", "申请与功能无关的权限", "Permission unrelated to any feature"),
    Severity.low: ("HG-NET-004", "允许明文传输", "Cleartext traffic permitted"),
    Severity.info: ("HG-MAN-005", "允许备份", "Backup allowed"),
}


def finding(
    severity: Severity, *, rule_id: str | None = None, evidence: list[Evidence] | None = None
) -> Finding:
    rid, zh, en = TITLES[severity]
    return Finding(
        rule_id=rule_id or rid,
        title=Text(zh=zh, en=en),
        severity=severity,
        confidence="high" if severity != Severity.medium else "medium",
        judgement="auto" if severity != Severity.low else "assisted",
        message=Text(zh=f"在 {PACKAGE} 中发现：{zh}", en=f"Found in {PACKAGE}: {en}"),
        legal_basis=[LegalBasis(law="PIPL", article="第十三条"), LegalBasis(law="164号文", article="一(2)")],
        advice=Text(zh="在取得用户同意后再收集。", en="Collect only after the user agrees."),
        evidence=evidence
        if evidence is not None
        else [
            Evidence(kind="call_site", api=IMEI_API, caller=MAIN_ON_CREATE, owner="app"),
            Evidence(
                kind="manifest",
                file="AndroidManifest.xml",
                element="application/@android:allowBackup",
                value="true",
            ),
            Evidence(kind="permission", value="android.permission.READ_PHONE_STATE"),
            Evidence(kind="network", value="http://tracker.example.cn/collect"),
        ],
        owner="app",
    )


def call_sites(n_imei: int = 40) -> list[CallSite]:
    sites = [
        CallSite(
            api=IMEI_API,
            kind="invoke",
            api_id="telephony.getDeviceId",
            pi_type="device_id.imei",
            permissions=["android.permission.READ_PHONE_STATE"],
            caller=f"Lcom/example/shop/util/Device{i % 25};->collect{i}(Landroid/content/Context;[BI)V",
            dex="classes.dex",
            offset=10 + i,
            owner="app" if i % 3 else "sdk:umeng",
        )
        for i in range(n_imei)
    ]
    # the same caller twice: shown once with count 2
    sites += [
        CallSite(
            api=IMEI_API,
            kind="invoke",
            api_id="telephony.getDeviceId",
            pi_type="device_id.imei",
            permissions=["android.permission.READ_PHONE_STATE"],
            caller=MAIN_ON_CREATE,
            dex="classes.dex",
            offset=off,
        )
        for off in (4, 18)
    ]
    sites += [
        CallSite(
            api=LOCATION_API,
            kind="invoke",
            api_id="location.getLastKnownLocation",
            pi_type="location.precise",
            permissions=[
                "android.permission.ACCESS_FINE_LOCATION",
                "android.permission.ACCESS_COARSE_LOCATION",
            ],
            caller="Lcom/amap/api/location/Loc;->start()V",
            dex="classes2.dex",
            offset=7,
            owner="sdk:amap",
        ),
        CallSite(
            api=ANDROID_ID_API,
            kind="invoke",
            api_id="settings.android_id",
            pi_type="device_id.android_id",
            caller=MAIN_ON_CREATE,
            dex="classes.dex",
            offset=30,
        ),
        CallSite(
            api=SERIAL_FIELD,
            kind="field",
            api_id="build.serial",
            pi_type="device_id.serial",
            caller="Lcom/example/shop/App;->onCreate()V",
            dex="classes.dex",
            offset=2,
        ),
        CallSite(
            api="[red]content://sms/inbox",  # a string literal that looks like rich markup
            kind="string",
            api_id="sms.inbox_uri",
            pi_type="sms",
            caller="Lcom/example/shop/Sms;->read()V",
            dex="classes.dex",
            offset=0,
        ),
    ]
    return sites


def facts(*, n_imei: int = 40, sites: list[CallSite] | None = None) -> Facts:
    perms = sorted(
        [
            "android.permission.READ_PHONE_STATE",
            "android.permission.ACCESS_FINE_LOCATION",
            "android.permission.CAMERA",
            "android.permission.INTERNET",
            "com.example.shop.permission.C2D",
        ]
    )
    manifest = Manifest(
        package=PACKAGE,
        version_code=123,
        version_name="1.2.3",
        min_sdk=21,
        target_sdk=33,
        components=[Component(kind="activity", name=f"{PACKAGE}.MainActivity", exported=True)],
        launcher_activity=f"{PACKAGE}.MainActivity",
    )
    return Facts(
        file_name="shop-1.2.3.apk",
        file_size=12_345_678,
        sha256="ab" * 32,
        package=PACKAGE,
        version_code=123,
        version_name="1.2.3",
        min_sdk=21,
        target_sdk=33,
        permissions=perms,
        manifest=manifest,
        certificates=[
            Certificate(
                schemes=["v1", "v2"],
                subject="CN=Example Shop, O=Example, C=CN",
                issuer="CN=Example Shop, O=Example, C=CN",
                serial="1",
                sha256="cd" * 32,
                not_before="2020-01-01T00:00:00Z",
                not_after="2050-01-01T00:00:00Z",
            )
        ],
        signing_schemes=["v1", "v2"],
        dex_files=[
            DexInfo(name="classes.dex", size=1000, version="035", classes=10, methods=100, strings=500)
        ],
        call_sites=sites if sites is not None else call_sites(n_imei),
        urls=["http://tracker.example.cn/collect"],
        domains=["tracker.example.cn"],
        notes=[
            AnalysisNote(
                code="dex-malformed", message="classes3.dex: bad header; skipped", file="classes3.dex"
            ),
            AnalysisNote(code="packed", message="Looks packed by a known packer"),
        ],
    )


def make_report(
    severities: list[Severity] | None = None, *, n_imei: int = 40, sites: list[CallSite] | None = None
) -> Report:
    """A report with one finding per severity given (default: one of each)."""
    sevs = list(Severity) if severities is None else severities
    findings = [finding(s) for s in sevs]
    return Report(
        tool=ToolInfo(version="0.1.0"),
        scanned_at="2024-05-01T08:00:00+00:00",
        duration_ms=4321,
        facts=facts(n_imei=n_imei, sites=sites),
        findings=findings,
        verdict=decide(findings),
    )


def fake_pi_types() -> dict[str, PiType]:
    def t(id_: str, zh: str, en: str, sensitive: bool) -> PiType:
        return PiType(
            id=id_,
            name=Bilingual(zh=zh, en=en),
            sensitive=sensitive,
            category=id_.split(".")[0],
            description=Bilingual(zh=zh, en=en),
            source="test",
        )

    return {
        p.id: p
        for p in (
            t("device_id.imei", "国际移动设备识别码", "IMEI", False),
            t("device_id.android_id", "安卓 ID", "Android ID", False),
            t("location.precise", "精确位置", "Precise location", True),
            t("sms", "短信", "SMS", True),
        )
    }


def fake_permissions() -> dict[str, PermissionInfo]:
    def p(name: str, level: str, zh: str, en: str) -> PermissionInfo:
        return PermissionInfo(
            name=name, protection_level=level, name_zh=zh, description=Bilingual(zh=zh, en=en), source="test"
        )

    return {
        x.name: x
        for x in (
            p("android.permission.READ_PHONE_STATE", "dangerous", "读取电话状态", "Read phone state"),
            p(
                "android.permission.ACCESS_FINE_LOCATION",
                "dangerous",
                "访问精确位置",
                "Access precise location",
            ),
            p("android.permission.CAMERA", "dangerous", "相机", "Camera"),
            p("android.permission.INTERNET", "normal", "访问网络", "Full network access"),
        )
    }


# -- a report with every section filled: SDKs, startup chains, app type, suppression, warnings -----

UMENG_INIT = "Lcom/umeng/commonsdk/UMConfigure;->init(Landroid/content/Context;Ljava/lang/String;)V"
APP_ON_CREATE = "Lcom/example/shop/App;->onCreate()V"


def detected_sdks() -> list[DetectedSdk]:
    return [
        DetectedSdk(
            id="umeng",
            name_zh="友盟统计 SDK",
            name_en="Umeng Analytics SDK",
            vendor_zh="友盟同欣（北京）科技有限公司",
            vendor_en="Umeng",
            category="analytics",
            country="CN",
            confidence="high",
            signals=[SdkSignal(kind="code", value="com.umeng.analytics", count=12)],
            pi_reached=["device_id.imei"],
            pi_declared=["device_id.imei", "device_id.android_id"],
            privacy_policy="https://example.com/umeng/privacy",
        ),
        DetectedSdk(
            id="amap",
            name_zh="高德定位 SDK",
            name_en="AMap Location SDK",
            vendor_zh="高德软件有限公司",
            vendor_en="AutoNavi",
            category="map_location",
            country="CN",
            confidence="medium",
            signals=[SdkSignal(kind="code", value="com.amap.api.location", count=3)],
            pi_reached=["location.precise"],
            pi_declared=["location.precise"],
            declared_basis="inferred",
        ),
    ]


def suppressed_finding() -> Finding:
    base = finding(Severity.high, rule_id="HG-NET-009")
    return base.model_copy(
        update={
            "suppression": Suppression(
                justification="内网测试地址，发布版不包含",
                expires="2099-12-31",
                source="hegui.toml:[[suppress]] #1",
            )
        }
    )


def rich_report(*, label: str | None = "示例商城", severities: list[Severity] | None = None) -> Report:
    """:func:`make_report` plus SDKs, unidentified code, startup chains, an app type, one suppressed
    finding and a warning: every section of the HTML report and of the 双清单 has rows."""
    base = make_report(severities)
    f = base.facts
    startup = StartupReach(
        entries=[APP_ON_CREATE],
        sdk_inits=[
            StartupInit(sdk="umeng", api=UMENG_INIT, entry=APP_ON_CREATE, chain=[APP_ON_CREATE], gated=False)
        ],
        collection=[
            StartupCollection(
                api=IMEI_API,
                pi_type="device_id.imei",
                caller=MAIN_ON_CREATE,
                owner="app",
                entry=APP_ON_CREATE,
                chain=[APP_ON_CREATE, MAIN_ON_CREATE],
            )
        ],
        max_depth=2,
    )
    facts_ = f.model_copy(
        update={
            "manifest": f.manifest.model_copy(update={"label": label}),
            "sdks": detected_sdks(),
            "third_party_packages": [
                ThirdPartyPackage(
                    package="com.unknown.tracker", pi_reached=["device_id.android_id"], call_sites=2
                )
            ],
            "startup": startup,
            "app_type": AppTypeAssessment(
                id="online_shopping",
                name_zh="网络购物类",
                name_en="Online shopping",
                source="inferred",
                confidence="medium",
                basis="label keyword 商城",
                necessary_pi_types=["location.precise"],
            ),
        }
    )
    findings = [*base.findings, suppressed_finding()]
    return base.model_copy(
        update={
            "facts": facts_,
            "findings": findings,
            "verdict": decide(findings),
            "warnings": [
                Text(zh="hegui.toml 中的一条豁免已过期", en="A suppression in hegui.toml has expired")
            ],
        }
    )


HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'
FORMULA = '=HYPERLINK("http://evil.example","x")'


def hostile_report() -> Report:
    """:func:`rich_report` with attacker-controlled strings wherever an APK can put them."""
    base = rich_report(label=HOSTILE)
    f = base.facts
    evil_site = CallSite(
        api=IMEI_API,
        kind="invoke",
        api_id="telephony.getDeviceId",
        pi_type="device_id.imei",
        caller=f"L{HOSTILE};->run()V",
        dex="classes.dex",
        offset=1,
        owner=f"third-party:{FORMULA}",
    )
    facts_ = f.model_copy(
        update={
            "call_sites": [*f.call_sites, evil_site],
            "third_party_packages": [
                *f.third_party_packages,
                ThirdPartyPackage(package=FORMULA, pi_reached=["device_id.imei"], call_sites=1),
                ThirdPartyPackage(package="+cmd|' /C calc'!A0", pi_reached=["sms"], call_sites=1),
                ThirdPartyPackage(package="-1+2", pi_reached=["sms"], call_sites=1),
                ThirdPartyPackage(package="@SUM(A1)", pi_reached=["sms"], call_sites=1),
            ],
            "notes": [*f.notes, AnalysisNote(code="odd", message=HOSTILE, file=HOSTILE)],
        }
    )
    evil = finding(
        Severity.high,
        rule_id="HG-SDK-002",
        evidence=[Evidence(kind="manifest", element=HOSTILE, value=HOSTILE, owner=HOSTILE)],
    ).model_copy(update={"owner": f"third-party:{HOSTILE}", "message": Text(zh=HOSTILE, en=HOSTILE)})
    findings = [*base.findings, evil]
    return base.model_copy(update={"facts": facts_, "findings": findings, "verdict": decide(findings)})

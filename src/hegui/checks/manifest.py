"""Manifest rules (HG-MAN-0xx): flags in AndroidManifest.xml that expose the app's data."""

from __future__ import annotations

from collections.abc import Iterator

from hegui.checks import evidence as ev
from hegui.checks.legal import CSL_42, PIPL_51, PISS_6_3, PISS_11_2
from hegui.checks.model import Finding, Severity, Text
from hegui.checks.registry import rule
from hegui.facts.model import Component, Facts

ANDROID_12 = 31  # adb backup no longer includes app data for apps targeting API 31+
LAUNCHER_CATEGORIES = frozenset(
    {"android.intent.category.LAUNCHER", "android.intent.category.LEANBACK_LAUNCHER"}
)


@rule(
    id="HG-MAN-001",
    family="MAN",
    title=Text(zh="发布版本开启了可调试（android:debuggable）", en="Release build is debuggable"),
    description=Text(
        zh='应用清单中 application 元素设置了 android:debuggable="true"。可调试的应用允许任何能连接 adb 的人'
        "附加调试器、以应用身份执行命令（run-as）并读取其私有目录中的个人信息、登录凭证等数据。",
        en='The manifest sets android:debuggable="true" on <application>. Anyone with adb access can attach a '
        "debugger, run commands as the app (run-as) and read the personal information and credentials in its "
        "private storage.",
    ),
    advice=Text(
        zh="删除清单中的 android:debuggable 属性，由构建系统决定（Gradle release 构建类型默认 debuggable false）；"
        "确认上架包使用 release 构建类型打包，且 buildTypes.release 中未设置 debuggable true。",
        en="Remove android:debuggable from the manifest and let the build decide (Gradle release builds default "
        "to debuggable false); ship the release build type and make sure buildTypes.release does not set "
        "debuggable true.",
    ),
    severity=Severity.high,
    legal_basis=[PIPL_51, CSL_42, PISS_11_2],
    references=[
        "https://developer.android.com/guide/topics/manifest/application-element#debug",
    ],
)
def debuggable(facts: Facts) -> Iterator[Finding]:
    """## What it does
    Checks whether `<application android:debuggable="true">` is set in the APK under test.

    ## Why is this bad?
    A debuggable app lets anyone with adb attach a debugger, run `run-as <package>` and copy
    its private files and databases (account tokens, chat history, cached personal data). An APK
    submitted for testing or published in a store is a release: it must not be debuggable.

    ## Example
    ```xml
    <application android:debuggable="true" ...>
    ```
    Remove the attribute; Gradle sets it for debug builds only.

    ## References
    - PIPL 第五十一条; 网络安全法 第四十二条; GB/T 35273-2020 11.2
    - Android: `<application>` element, `android:debuggable`
    """
    if facts.manifest.debuggable:
        yield debuggable.finding(
            message=Text(
                zh='application 元素设置了 android:debuggable="true"。',
                en='<application> sets android:debuggable="true".',
            ),
            evidence=[ev.manifest("application/@android:debuggable", "true")],
        )


@rule(
    id="HG-MAN-002",
    family="MAN",
    title=Text(zh="允许备份应用数据（android:allowBackup）", en="App data can be backed up (allowBackup)"),
    description=Text(
        zh="应用未关闭 android:allowBackup（显式设置为 true，或未设置而取平台默认值 true），且代码会获取个人信息。"
        "对 targetSdkVersion 低于 31 的应用，任何能连接 adb 的人都可以通过 adb backup 导出其私有数据；"
        "系统云备份和设备间迁移也会把数据复制出本机。",
        en="android:allowBackup is not turned off (true explicitly or by the platform default) and the code "
        "reaches personal information. For apps targeting API < 31 anyone with adb access can export the "
        "app's private data with `adb backup`; cloud backup and device-to-device transfer copy it off the "
        "device as well.",
    ),
    advice=Text(
        zh='在 application 元素上设置 android:allowBackup="false"；如确需备份，通过 android:fullBackupContent'
        "（Android 11 及以下）和 android:dataExtractionRules（Android 12 及以上）排除含个人信息的数据库、"
        "SharedPreferences 和文件。",
        en='Set android:allowBackup="false" on <application>; if backup is a feature, exclude the databases, '
        "shared preferences and files holding personal information with android:fullBackupContent "
        "(Android 11 and lower) and android:dataExtractionRules (Android 12 and higher).",
    ),
    severity=Severity.medium,
    confidence="medium",
    legal_basis=[PIPL_51, CSL_42, PISS_6_3],
    references=[
        "https://developer.android.com/guide/topics/manifest/application-element#allowbackup",
        "https://developer.android.com/identity/data/autobackup",
    ],
)
def allow_backup(facts: Facts) -> Iterator[Finding]:
    """## What it does
    Reports `android:allowBackup` left on (explicitly, or by the platform default when the
    attribute is absent) in an app whose code reaches personal information (any catalogued
    call site). Severity is **medium** when the app targets API < 31 and declares no backup rules
    (`adb backup` exports everything), **low** otherwise (backup rules declared, or targetSdk ≥ 31
    where `adb backup` no longer includes app data and only cloud/device-transfer backup remains).

    ## Why is this bad?
    Backed-up data leaves the app's sandbox: with `adb backup` anyone holding the unlocked phone
    can copy the app's databases and preferences, including personal information and login tokens.

    ## Example
    ```xml
    <application android:allowBackup="true" ...>   <!-- or no attribute at all -->
    ```
    Use `android:allowBackup="false"`, or backup rules that exclude personal data.

    ## References
    - PIPL 第五十一条; 网络安全法 第四十二条; GB/T 35273-2020 6.3
    - Android: `android:allowBackup`, Auto Backup for Apps

    The facts do not say whether the attribute was written or defaulted; the message says both.
    """
    m = facts.manifest
    if not m.allow_backup or not facts.call_sites:
        return
    rules = [v for v in (m.full_backup_content, m.data_extraction_rules) if v]
    target = facts.target_sdk or 1
    severity = Severity.medium if target < ANDROID_12 and not rules else Severity.low
    where = Text(
        zh="已声明备份规则：" + "、".join(rules) if rules else "未声明备份规则",
        en="backup rules declared: " + ", ".join(rules) if rules else "no backup rules declared",
    )
    evidence = [ev.manifest("application/@android:allowBackup", "true (explicit or default)")]
    if m.full_backup_content:
        evidence.append(ev.manifest("application/@android:fullBackupContent", m.full_backup_content))
    if m.data_extraction_rules:
        evidence.append(ev.manifest("application/@android:dataExtractionRules", m.data_extraction_rules))
    yield allow_backup.finding(
        message=Text(
            zh=f"允许备份（显式或默认），targetSdkVersion={facts.target_sdk}，{where.zh}；"
            f"代码中有 {len(facts.call_sites)} 处获取个人信息的调用。",
            en=f"Backup allowed (explicitly or by default), targetSdkVersion={facts.target_sdk}, {where.en}; "
            f"the code has {len(facts.call_sites)} call site(s) reaching personal information.",
        ),
        evidence=evidence,
        severity=severity,
    )


@rule(
    id="HG-MAN-003",
    family="MAN",
    title=Text(zh="组件导出且未设置访问权限", en="Exported component without a permission"),
    description=Text(
        zh="四大组件（Activity、Service、BroadcastReceiver、ContentProvider）被导出（exported=true，或在 "
        "Android 12 之前因声明 intent-filter 而默认导出），且未设置 android:permission。任何其他应用均可调用它；"
        "ContentProvider 被导出时其他应用可直接读写其数据，若其中有个人信息则构成未经授权的访问。",
        en="An activity, service, receiver or content provider is exported (explicitly, or implicitly by an "
        "intent filter before Android 12) and declares no android:permission, so any other app can start, "
        "bind, broadcast to or query it. An exported provider lets other apps read and write its data "
        "directly.",
    ),
    advice=Text(
        zh='不需要被其他应用调用的组件设置 android:exported="false"；确需导出的，设置 android:permission '
        "（ContentProvider 可用 readPermission/writePermission），权限声明 protectionLevel 为 signature；"
        "并在组件内部校验传入的 Intent 与调用方。",
        en='Set android:exported="false" on every component other apps need not reach; for the rest set '
        "android:permission (readPermission/writePermission on providers) to a permission declared with "
        'protectionLevel="signature", and validate incoming intents and callers in code.',
    ),
    severity=Severity.medium,
    confidence="medium",
    legal_basis=[PIPL_51, CSL_42],
    references=[
        "https://developer.android.com/guide/topics/manifest/activity-element#exported",
        "https://developer.android.com/guide/topics/manifest/provider-element#exported",
    ],
)
def exported_components(facts: Facts) -> Iterator[Finding]:
    """## What it does
    Reports, one finding per component, every enabled component that is exported (the effective
    value: explicit, or implied by an intent filter before API 31) and protected by no permission.
    The launcher activity (and any activity handling MAIN with LAUNCHER/LEANBACK_LAUNCHER) is left
    out, as is a provider with both read and write permissions. Providers are **medium**, other
    components **low**.

    ## Why is this bad?
    Other apps on the device can invoke an unprotected component. An exported provider can hand
    out its database rows or files; an exported activity or service can be driven into actions
    or made to return data. Whether personal information is exposed depends on the component's
    code, so confidence is medium.

    ## Example
    ```xml
    <provider android:name=".UserProvider" android:authorities="com.example.users"
              android:exported="true"/>
    ```
    Set `android:exported="false"`, or protect it with a signature-level permission.

    ## References
    - PIPL 第五十一条 (防止未经授权的访问); 网络安全法 第四十二条
    - Android: `android:exported` on `<activity>` and `<provider>`
    """
    for c in facts.manifest.components:
        if (
            not c.exported
            or not c.enabled
            or _protected(c)
            or _is_launcher(c, facts.manifest.launcher_activity)
        ):
            continue
        provider = c.kind == "provider"
        how = "exported=true" if c.exported_explicit else "exported (implied by an intent filter)"
        how_zh = "exported=true" if c.exported_explicit else "因声明 intent-filter 而默认导出"
        extra = f"authorities={','.join(c.authorities)}" if c.authorities else ""
        partial = _partial(c)
        yield exported_components.finding(
            message=Text(
                zh=f"{_KIND_ZH[c.kind]} {c.name} 已导出（{how_zh}）且未设置访问权限{'，' + extra if extra else ''}"
                f"{partial.zh}。",
                en=f"The {c.kind} {c.name} is {how} with no permission{', ' + extra if extra else ''}{partial.en}.",
            ),
            evidence=[ev.manifest(f"application/{c.kind}[@android:name='{c.name}']", how)],
            severity=Severity.medium if provider else Severity.low,
        )


_KIND_ZH = {
    "activity": "Activity",
    "activity-alias": "Activity 别名",
    "service": "Service",
    "receiver": "BroadcastReceiver",
    "provider": "ContentProvider",
}


def _partial(c: Component) -> Text:
    if c.read_permission and not c.write_permission:
        return Text(zh="（仅设置了读权限，写操作未受保护）", en=" (only read access is protected)")
    if c.write_permission and not c.read_permission:
        return Text(zh="（仅设置了写权限，读操作未受保护）", en=" (only write access is protected)")
    return Text(zh="", en="")


def _protected(c: Component) -> bool:
    if c.permission:
        return True
    return c.kind == "provider" and bool(c.read_permission and c.write_permission)


def _is_launcher(c: Component, launcher: str | None) -> bool:
    if c.kind not in ("activity", "activity-alias"):
        return False
    if launcher and c.name == launcher:
        return True
    return any(
        "android.intent.action.MAIN" in f.actions and LAUNCHER_CATEGORIES & set(f.categories)
        for f in c.intent_filters
    )

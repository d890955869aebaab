"""Integrity and analysability rules (HG-SEC-0xx): signing, and code hidden from analysis."""

from __future__ import annotations

from collections.abc import Iterator

from hegui.checks.legal import CSL_21, CSL_42, PIPL_7, PIPL_51, RD_2_1
from hegui.checks.model import Evidence, Finding, Severity, Text
from hegui.checks.registry import rule
from hegui.facts.model import Facts

ANDROID_11 = 30  # apps targeting API 30+ must carry a v2 (or newer) signature to install
MODERN_SCHEMES = frozenset({"v2", "v3", "v3.1", "v4"})


@rule(
    id="HG-SEC-001",
    family="SEC",
    title=Text(
        zh="存在隐藏或加固的代码，静态分析不完整", en="Hidden or packed code: static analysis incomplete"
    ),
    description=Text(
        zh="APK 中存在 classes*.dex 之外的 DEX 文件（常见于加固、热修复或动态加载），这部分代码未被分析。"
        "本报告对其中收集个人信息的行为没有覆盖，不能据此认定应用合规。",
        en="The APK carries DEX files outside classes*.dex (packers, hot patches, dynamic loading); that code "
        "was not analysed. What it collects is not covered by this report, which therefore cannot show the "
        "app compliant.",
    ),
    advice=Text(
        zh="提交检测时提供未加固的 APK；或对加固包开展动态检测（在隐私政策同意前后分别监测敏感接口调用）。"
        "隐藏或动态加载的代码（含第三方 SDK 插件）收集的个人信息同样须在隐私政策中逐一列明。",
        en="Submit the APK before packing for testing, or test the packed build dynamically (watch sensitive "
        "API calls before and after consent). Code that is hidden or loaded at run time, SDK plug-ins "
        "included, must still be listed in the privacy policy with what it collects.",
    ),
    severity=Severity.low,
    judgement="manual",
    legal_basis=[PIPL_7, RD_2_1],
)
def hidden_code(facts: Facts) -> Iterator[Finding]:
    """## What it does
    Reports DEX files outside `classes*.dex` (`Facts.hidden_dex`, or analysis notes with code
    `hidden-dex`): one finding listing every such file. The judgement is **manual**: the hidden
    code has to be tested another way.

    ## Why is this bad?
    Packing is not forbidden, but code the tool cannot read may collect personal information
    that appears nowhere in this report. A report without findings then says nothing about it.

    ## Example
    `assets/jiagu/classes.dex` next to a stub `classes.dex` (a packer), or `assets/plugin.apk`
    loaded with `DexClassLoader`.

    ## References
    - PIPL 第七条 (公开、透明); 认定方法 二、1 (包括嵌入的第三方代码、插件)
    - Legal basis here is the duty to disclose what all code collects; packing itself is not cited
      as a violation by these instruments.
    """
    files = list(
        dict.fromkeys(
            [*facts.hidden_dex, *(n.file or n.message for n in facts.notes if n.code == "hidden-dex")]
        )
    )
    if not files:
        return
    yield hidden_code.finding(
        message=Text(
            zh=f"发现 {len(files)} 个未分析的隐藏 DEX 文件：{', '.join(files)}。",
            en=f"{len(files)} hidden DEX file(s) not analysed: {', '.join(files)}.",
        ),
        evidence=[Evidence(kind="file", file=f) for f in files],
    )


@rule(
    id="HG-SEC-002",
    family="SEC",
    title=Text(zh="使用调试证书签名", en="Signed with a debug certificate"),
    description=Text(
        zh="APK 使用 Android 调试证书（CN=Android Debug）签名。调试密钥库广泛存在于开发环境中，任何持有同一调试"
        "证书的人都能构建可覆盖安装的“更新”，并继承该应用的私有数据。",
        en="The APK is signed with the Android debug certificate (CN=Android Debug). Debug keystores are on "
        "every developer machine; whoever holds the same one can build an 'update' that installs over the "
        "app and inherits its private data.",
    ),
    advice=Text(
        zh="使用专用的发布密钥（release keystore）签名并妥善保管；在 Gradle 的 release 构建类型中配置 signingConfig，"
        "不要使用 debug 签名配置发布。",
        en="Sign releases with a dedicated release key kept safe; set a release signingConfig in Gradle and never "
        "publish with the debug signing config.",
    ),
    severity=Severity.low,
    legal_basis=[PIPL_51, CSL_42],
    references=["https://developer.android.com/studio/publish/app-signing"],
)
def debug_certificate(facts: Facts) -> Iterator[Finding]:
    """## What it does
    Reports a signing certificate the facts mark as the Android debug certificate.

    ## Why is this bad?
    Android lets an APK replace an installed app when the signatures match. With a debug key,
    "matching" is within reach of anyone who has (or guesses) the same debug keystore, and the
    replacing app reads everything the original stored.

    ## Example
    Certificate subject `CN=Android Debug, O=Android, C=US`.

    ## References
    - PIPL 第五十一条; 网络安全法 第四十二条
    - Android: Sign your app
    """
    for cert in facts.certificates:
        if cert.debug:
            yield debug_certificate.finding(
                message=Text(
                    zh=f"签名证书为调试证书：{cert.subject}（SHA-256 {cert.sha256}）。",
                    en=f"The signing certificate is a debug certificate: {cert.subject} (SHA-256 {cert.sha256}).",
                ),
                evidence=[Evidence(kind="certificate", element=", ".join(cert.schemes), value=cert.subject)],
            )


@rule(
    id="HG-SEC-003",
    family="SEC",
    title=Text(
        zh="缺少 v2 及以上签名（targetSdkVersion ≥ 30）", en="No v2+ signature while targeting API 30+"
    ),
    description=Text(
        zh="应用 targetSdkVersion ≥ 30，但只有 v1（JAR）签名或没有签名。Android 11 起此类 APK 无法安装；"
        "v1 签名不保护整个 APK，旧系统上存在篡改风险（如 Janus 漏洞）。",
        en="The app targets API 30 or higher but carries only a v1 (JAR) signature, or none. Android 11 and "
        "later refuse to install it; v1 does not protect the whole APK and older systems accept tampered "
        "files (e.g. the Janus flaw).",
    ),
    advice=Text(
        zh="使用 apksigner（或 Android Gradle 插件默认配置）同时启用 v2/v3 签名方案重新签名；不要在 zipalign 之前签名。",
        en="Re-sign with apksigner (or the Android Gradle plugin defaults) with the v2/v3 schemes enabled; "
        "zipalign before signing, not after.",
    ),
    severity=Severity.low,
    legal_basis=[CSL_21, PIPL_51],
    references=[
        "https://source.android.com/docs/security/features/apksigning",
        "https://developer.android.com/about/versions/11/behavior-changes-11#minimum-signature-scheme",
    ],
)
def no_modern_signature(facts: Facts) -> Iterator[Finding]:
    """## What it does
    When targetSdkVersion ≥ 30, reports an APK whose signing schemes include no v2, v3 or v4.
    Nothing is reported when the signature block could not be read (analysis note
    `signing-unreadable`; HG-INT-002 reports that).

    ## Why is this bad?
    Android 11 refuses to install such an APK; and a v1-only signature leaves parts of the archive
    unprotected against tampering on older devices.

    ## Example
    `apksigner sign --v2-signing-enabled false ...` on an app with `targetSdkVersion 30`.

    ## References
    - 网络安全法 第二十一条; PIPL 第五十一条
    - Android: APK Signature Scheme v2; Android 11 behaviour changes (minimum signature scheme)
    """
    if (facts.target_sdk or 0) < ANDROID_11 or any(n.code == "signing-unreadable" for n in facts.notes):
        return
    if MODERN_SCHEMES & set(facts.signing_schemes):
        return
    have = ", ".join(facts.signing_schemes) or "none"
    yield no_modern_signature.finding(
        message=Text(
            zh=f"targetSdkVersion={facts.target_sdk}，签名方案：{'、'.join(facts.signing_schemes) or '无'}。",
            en=f"targetSdkVersion={facts.target_sdk}; signature schemes: {have}.",
        ),
        evidence=[Evidence(kind="certificate", element="signing schemes", value=have)],
    )

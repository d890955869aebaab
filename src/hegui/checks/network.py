"""Network rules (HG-NET-0xx): how personal information travels."""

from __future__ import annotations

from collections.abc import Iterator

from hegui.checks import evidence as ev
from hegui.checks.legal import CSL_42, PIPL_51, PISS_6_3
from hegui.checks.model import Evidence, Finding, Severity, Text
from hegui.checks.registry import rule
from hegui.facts.model import Facts

ANDROID_9 = 28  # cleartext is off by default for apps targeting API 28+
ANDROID_7 = 24  # user-installed CAs are not trusted by default for apps targeting API 24+
MAX_URL_EVIDENCE = 20


@rule(
    id="HG-NET-001",
    family="NET",
    title=Text(zh="允许明文传输（HTTP）", en="Cleartext (HTTP) traffic allowed"),
    description=Text(
        zh='应用允许明文 HTTP 通信：清单设置了 android:usesCleartextTraffic="true"，或未设置且 targetSdkVersion '
        "低于 28（平台默认允许明文），或网络安全配置（network_security_config）的 base-config / domain-config "
        "允许明文。经明文传输的个人信息可在同一网络中被窃听或篡改。",
        en='The app permits cleartext HTTP: the manifest sets android:usesCleartextTraffic="true", or leaves '
        "it out while targeting API < 28 (where cleartext is allowed by default), or the network security "
        "config permits cleartext in its base-config or a domain-config. Personal information sent in "
        "cleartext can be read or altered by anyone on the network path.",
    ),
    advice=Text(
        zh="所有接口改用 HTTPS；在 res/xml/network_security_config.xml 的 base-config 中设置 "
        'cleartextTrafficPermitted="false"，删除允许明文的 domain-config（确有内网调试需要的放入 '
        'debug-overrides）；清单中删除 android:usesCleartextTraffic="true"，并将 targetSdkVersion 提升至 28 以上。',
        en='Move every endpoint to HTTPS; set cleartextTrafficPermitted="false" on base-config in '
        "res/xml/network_security_config.xml and drop domain-configs that permit cleartext (keep local "
        'debugging in debug-overrides); remove android:usesCleartextTraffic="true" and target API 28 or higher.',
    ),
    severity=Severity.medium,
    legal_basis=[PIPL_51, CSL_42, PISS_6_3],
    references=[
        "https://developer.android.com/guide/topics/manifest/application-element#usesCleartextTraffic",
        "https://developer.android.com/privacy-and-security/security-config",
    ],
)
def cleartext(facts: Facts) -> Iterator[Finding]:
    """## What it does
    Decides whether the platform lets the app send cleartext HTTP on Android 7+. When the app has
    a readable network security config, it governs (Android 7+ then ignores
    `usesCleartextTraffic`): its `base-config cleartextTrafficPermitted` (default: allowed when
    targetSdk < 28) and every `domain-config` that permits cleartext. Otherwise
    `android:usesCleartextTraffic` does, whose default is allowed when targetSdk < 28. App-wide
    cleartext is **medium**; cleartext limited to named domains is **low**. An explicit
    `usesCleartextTraffic="true"` overridden by the config is still reported (low) when minSdk < 24,
    since it applies on Android 6. `http://` URLs found in the code are added as evidence (up to 20).

    ## Why is this bad?
    Anything sent over HTTP - identifiers, location, account data - can be read and changed on
    public Wi-Fi or by any hop on the path. Encryption in transit is the baseline technical
    measure the law asks for.

    ## Example
    ```xml
    <application android:usesCleartextTraffic="true" ...>
    <!-- res/xml/network_security_config.xml -->
    <domain-config cleartextTrafficPermitted="true"><domain>api.example.com</domain></domain-config>
    ```

    ## References
    - PIPL 第五十一条; 网络安全法 第四十二条; GB/T 35273-2020 6.3
    - Android: `android:usesCleartextTraffic`; Network security configuration
    """
    app_wide, parts = cleartext_parts(facts)
    if not parts:
        return
    http = [u for u in facts.urls if u.lower().startswith("http://")]
    if http:
        parts.append(
            (
                Text(
                    zh=f"代码中有 {len(http)} 个 http:// 地址",
                    en=f"the code holds {len(http)} http:// URL(s)",
                ),
                [Evidence(kind="network", value=u) for u in http[:MAX_URL_EVIDENCE]],
            )
        )
    yield cleartext.finding(
        message=Text(
            zh="允许明文传输：" + "；".join(t.zh for t, _ in parts) + "。",
            en="Cleartext allowed: " + "; ".join(t.en for t, _ in parts) + ".",
        ),
        evidence=[e for _, evidence in parts for e in evidence],
        severity=Severity.medium if app_wide else Severity.low,
    )


def cleartext_parts(facts: Facts) -> tuple[bool, list[tuple[Text, list[Evidence]]]]:
    """(cleartext allowed app-wide?, [(what, evidence)]) for Android 7+ devices."""
    m = facts.manifest
    target = facts.target_sdk or 1
    nsc = m.network_security_config
    parts: list[tuple[Text, list[Evidence]]] = []
    if nsc is None or nsc.parse_error is not None:
        broken = (
            Text(
                zh=f"（网络安全配置无法解析：{nsc.parse_error}）",
                en=f" (the network security config could not be parsed: {nsc.parse_error})",
            )
            if nsc is not None
            else Text(zh="", en="")
        )
        if m.uses_cleartext_traffic:
            what = Text(
                zh='清单设置了 usesCleartextTraffic="true"',
                en='the manifest sets usesCleartextTraffic="true"',
            )
            parts.append(
                (_plus(what, broken), [ev.manifest("application/@android:usesCleartextTraffic", "true")])
            )
        elif m.uses_cleartext_traffic is None and target < ANDROID_9:
            what = Text(
                zh=f"未设置 usesCleartextTraffic，targetSdkVersion={facts.target_sdk} 时平台默认允许明文",
                en=f"usesCleartextTraffic is absent and targetSdkVersion={facts.target_sdk} allows it by default",
            )
            sdk = ev.manifest("manifest/uses-sdk/@android:targetSdkVersion", str(facts.target_sdk))
            parts.append((_plus(what, broken), [sdk]))
        return bool(parts), parts
    base = nsc.base_cleartext_permitted
    if base or (base is None and target < ANDROID_9):
        stated = "true" if base else f"default (targetSdkVersion={facts.target_sdk})"
        element = "network-security-config/base-config/@cleartextTrafficPermitted"
        parts.append(
            (
                Text(
                    zh="网络安全配置的 base-config 允许明文",
                    en="the network security config's base-config permits it",
                ),
                [Evidence(kind="network", file=nsc.file, element=element, value=stated)],
            )
        )
    app_wide = bool(parts)
    if nsc.cleartext_domains:
        names = ", ".join(nsc.cleartext_domains)
        element = "network-security-config/domain-config"
        parts.append(
            (
                Text(
                    zh=f"网络安全配置允许以下域名明文传输：{names}",
                    en=f"the network security config permits it to {names}",
                ),
                [
                    Evidence(kind="network", file=nsc.file, element=element, value=d)
                    for d in nsc.cleartext_domains
                ],
            )
        )
    if m.uses_cleartext_traffic and (facts.min_sdk or 1) < ANDROID_7:
        parts.append(
            (
                Text(
                    zh='清单设置了 usesCleartextTraffic="true"（Android 7.0 以上被网络安全配置取代，仍作用于 Android 6.0）',
                    en='the manifest sets usesCleartextTraffic="true" (superseded by the config on Android 7.0+, '
                    "still in force on Android 6.0)",
                ),
                [ev.manifest("application/@android:usesCleartextTraffic", "true")],
            )
        )
    return app_wide, parts


def _plus(a: Text, b: Text) -> Text:
    return Text(zh=a.zh + b.zh, en=a.en + b.en)


@rule(
    id="HG-NET-002",
    family="NET",
    title=Text(zh="信任用户安装的 CA 证书", en="User-installed CA certificates trusted"),
    description=Text(
        zh='应用信任用户自行安装的 CA 证书：网络安全配置的信任锚包含 <certificates src="user"/>（不在 '
        "debug-overrides 中），或 targetSdkVersion 低于 24 且未提供网络安全配置。诱导用户安装证书或在受控设备上，"
        "攻击者可解密应用的 HTTPS 通信，获取其中的个人信息。",
        en="The app trusts CA certificates the user installed: the network security config lists "
        '<certificates src="user"/> outside debug-overrides, or the app targets API < 24 with no network '
        "security config. Whoever gets a certificate onto the device can decrypt the app's HTTPS traffic.",
    ),
    advice=Text(
        zh='从 base-config 和 domain-config 的 trust-anchors 中删除 <certificates src="user"/>，仅在 '
        "debug-overrides 中保留；将 targetSdkVersion 提升至 24 以上；对核心接口考虑证书固定（pin-set）。",
        en='Remove <certificates src="user"/> from the trust-anchors of base-config and domain-configs (keep it '
        "in debug-overrides only); target API 24 or higher; consider pinning (pin-set) for core endpoints.",
    ),
    severity=Severity.low,
    legal_basis=[PIPL_51, CSL_42, PISS_6_3],
    references=["https://developer.android.com/privacy-and-security/security-config"],
)
def user_certificates(facts: Facts) -> Iterator[Finding]:
    """## What it does
    Reports a network security config that trusts user-added CAs outside `debug-overrides`, and an
    app targeting API < 24 without a network security config (whose default trusts them).

    ## Why is this bad?
    A CA the user was talked into installing, or one pushed by a device manager, lets a proxy read
    and alter the app's HTTPS traffic, personal information included.

    ## Example
    ```xml
    <base-config><trust-anchors><certificates src="system"/><certificates src="user"/></trust-anchors></base-config>
    ```

    ## References
    - PIPL 第五十一条; 网络安全法 第四十二条; GB/T 35273-2020 6.3
    - Android: Network security configuration, trust anchors
    """
    nsc = facts.manifest.network_security_config
    target = facts.target_sdk or 1
    if nsc is not None and nsc.trusts_user_certificates:
        yield user_certificates.finding(
            message=Text(
                zh='网络安全配置的信任锚包含用户安装的证书（certificates src="user"）。',
                en='The network security config trusts user-installed certificates (certificates src="user").',
            ),
            evidence=[
                Evidence(kind="network", file=nsc.file, element="trust-anchors/certificates", value="user")
            ],
        )
    elif nsc is None and target < ANDROID_7:
        yield user_certificates.finding(
            message=Text(
                zh=f"targetSdkVersion={facts.target_sdk} 且未提供网络安全配置，平台默认信任用户安装的证书。",
                en=f"targetSdkVersion={facts.target_sdk} with no network security config: user-installed CAs are "
                "trusted by default.",
            ),
            evidence=[ev.manifest("manifest/uses-sdk/@android:targetSdkVersion", str(facts.target_sdk))],
        )

"""Cleartext rule (HG-NET-006): http:// endpoints in the code of a party that also reads personal
information, when the app permits cleartext traffic.

It reads ``Facts.cleartext_urls`` with the owner of every call site and the cleartext policy
HG-NET-001 works out (:func:`hegui.checks.network.cleartext_parts`); :func:`is_transport` leaves out
the strings that look like URLs but carry no traffic off the device. The TLS rules (HG-NET-003..005)
are in :mod:`hegui.checks.transport`.
"""

from __future__ import annotations

import ipaddress
from collections import defaultdict
from collections.abc import Iterator
from urllib.parse import urlsplit

from hegui.checks import evidence as ev
from hegui.checks.model import Evidence, Finding, Severity, Text
from hegui.checks.network import ANDROID_7, MAX_URL_EVIDENCE, cleartext_parts
from hegui.checks.registry import rule
from hegui.checks.transport import TLS_BASIS, _who
from hegui.facts.model import Facts, UrlRef

# Hosts and URLs that appear as strings but carry no traffic off the device.
LOCAL_HOSTS = frozenset({"localhost", "10.0.2.2"})  # 10.0.2.2: the emulator's alias of the host machine
NOT_TRANSPORT_HOSTS = (
    "schemas.android.com",
    "www.w3.org",
    "ns.adobe.com",
    "xml.org",
    "xmlpull.org",
    "purl.org",
    "schemas.xmlsoap.org",
    "schemas.microsoft.com",
    "json-schema.org",
    "www.apache.org",  # licence headers
)
NOT_TRANSPORT_SUFFIXES = (".dtd", ".xsd", ".xsl", ".xslt")


def is_transport(url: str) -> bool:
    """False for strings that look like http:// URLs but carry no traffic off the device."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        return False
    if not host or host in LOCAL_HOSTS:
        return False
    if any(host == h or host.endswith("." + h) for h in NOT_TRANSPORT_HOSTS):
        return False
    if parts.path.lower().endswith(NOT_TRANSPORT_SUFFIXES):
        return False
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return True
    return not (ip.is_loopback or ip.is_unspecified)


def _permitted(facts: Facts) -> tuple[bool, list[str]] | None:
    """None when cleartext is off (see HG-NET-001); else (everywhere?, domains it is allowed to)."""
    app_wide, parts = cleartext_parts(facts)
    if not parts:
        return None
    m = facts.manifest
    android6 = bool(m.uses_cleartext_traffic) and (facts.min_sdk or 1) < ANDROID_7
    nsc = m.network_security_config
    domains = list(nsc.cleartext_domains) if nsc is not None and nsc.parse_error is None else []
    return app_wide or android6, domains


def _host_allowed(url: str, everywhere: bool, domains: list[str]) -> bool:
    if everywhere:
        return True
    host = (urlsplit(url).hostname or "").lower()
    for d in domains:
        d = d.lower()
        if d.startswith("*.") and (host == d[2:] or host.endswith(d[1:])):
            return True
        if host == d:
            return True
    return False


@rule(
    id="HG-NET-006",
    family="NET",
    title=Text(zh="个人信息可能经明文 HTTP 传输", en="Personal information may be sent unencrypted"),
    description=Text(
        zh="应用允许明文 HTTP 通信，且代码中使用 http:// 地址的一方（应用自身、某个第三方 SDK 或代码包）同时获取个人信息。"
        "同一方既持有明文接口地址、又读取设备标识、位置等信息，个人信息很可能经这些接口以明文发送，"
        "可在网络中被窃听或篡改。静态分析无法确认具体发送了哪些数据，需结合抓包等方式确认。",
        en="The app permits cleartext HTTP, and a party whose code loads http:// URLs (the app, a third-party SDK "
        "or package) also reads personal information. When the same party holds cleartext endpoints and reads "
        "device identifiers, location or similar, that information is likely sent to them unencrypted, where "
        "anyone on the network path can read or alter it. Static analysis cannot see what is sent: confirm with "
        "a traffic capture.",
    ),
    advice=Text(
        zh="将这些接口全部改为 HTTPS，并在网络安全配置中关闭明文传输；第三方 SDK 的明文接口应升级 SDK 版本或联系其提供方。"
        "抓包确认整改后不再有个人信息以明文发送。",
        en="Move these endpoints to HTTPS and turn cleartext off in the network security config; for a "
        "third-party SDK's endpoints, upgrade the SDK or contact its vendor. Confirm with a traffic capture that no "
        "personal information is sent in cleartext any more.",
    ),
    severity=Severity.medium,
    confidence="low",
    judgement="assisted",
    legal_basis=TLS_BASIS,
    references=[
        "https://developer.android.com/privacy-and-security/security-config#CleartextTrafficPermitted",
        "https://developer.android.com/privacy-and-security/risks/cleartext-communications",
        "https://mas.owasp.org/MASVS/controls/MASVS-NETWORK-1/",
    ],
)
def cleartext_pi(facts: Facts) -> Iterator[Finding]:
    """## What it does
    When cleartext traffic is permitted (decided as in HG-NET-001: `usesCleartextTraffic`, the
    network security config, or the targetSdk < 28 default), takes the `http://` URL constants
    of `Facts.cleartext_urls`, each with the owner of the method that loads it, and leaves out
    strings that carry no traffic (XML namespaces and schemas, `.dtd`/`.xsd` URLs, `localhost`,
    loopback and unspecified addresses). When only some domains permit cleartext, only URLs on
    those domains count. One finding per owner (`app`, `sdk:<id>`, `third-party:<pkg>`) whose
    own call sites also reach personal information, with the URLs and the PI types as evidence.
    Confidence is low, or medium when a URL is loaded by a class that itself reads the PI.

    ## Why is this bad?
    PI in cleartext is readable by any hop between the phone and the server. The 2021
    campaign names "数据传输时未对敏感信息加密" as a scenario of its own.

    ## Example
    `ApiClient.report()` reads `TelephonyManager.getDeviceId()` and builds
    `http://api.example.cn/v1/report?id=` + the ID, with `usesCleartextTraffic="true"`.

    ## References
    - PIPL 第五十一条; 网络安全法 第二十一条、第四十二条; GB/T 35273-2020 6.3
    - 工信部 2021 年专项整治：数据传输时未对敏感信息加密
    - Android: Cleartext communications; network security configuration
    - OWASP MASVS-NETWORK-1
    """
    allowed = _permitted(facts)
    if allowed is None:
        return
    everywhere, domains = allowed
    by_owner: dict[str, list[UrlRef]] = defaultdict(list)
    for ref in facts.cleartext_urls:
        if is_transport(ref.url) and _host_allowed(ref.url, everywhere, domains):
            by_owner[ref.owner].append(ref)
    for owner, refs in sorted(by_owner.items()):
        sites = [c for c in facts.call_sites if c.owner == owner]
        if not sites:
            continue
        pi = ev.by_pi_type(sites)
        names = [ev.pi_name(t) for t in pi]
        urls = sorted({r.url for r in refs})
        url_classes = {r.caller.partition("->")[0] for r in refs}
        same_class = any(c.caller.partition("->")[0] in url_classes for c in sites)
        who = _who(facts, owner)
        evidence = [
            Evidence(kind="network", value=r.url, caller=r.caller, owner=owner)
            for r in refs[:MAX_URL_EVIDENCE]
        ]
        yield cleartext_pi.finding(
            message=Text(
                zh=f"{who.zh}使用 {len(urls)} 个明文 HTTP 地址（如 {urls[0]}），同时获取"
                + "、".join(n.zh for n in names)
                + "。",
                en=f"{who.en} uses {len(urls)} cleartext HTTP URL(s) (e.g. {urls[0]}) and also reads "
                + ", ".join(n.en for n in names)
                + ".",
            ),
            evidence=evidence + ev.call_sites(sites)[:MAX_URL_EVIDENCE],
            owner=owner,
            confidence="medium" if same_class else "low",
        )

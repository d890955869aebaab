"""Permission rules (HG-PERM-0xx): what the manifest asks for against what the code does."""

from __future__ import annotations

from collections.abc import Iterator

from hegui.checks import evidence as ev
from hegui.checks.legal import APP_6_5, M164_PERMISSIONS, PIPL_6, PIPL_14, RD_3_3, RD_4_1
from hegui.checks.model import Confidence, Finding, Severity, Text
from hegui.checks.registry import rule
from hegui.facts.model import CallSite, Facts
from hegui.knowledge import permissions, sensitive_apis

INCOMPLETE_CODE_NOTES = frozenset({"dex-malformed", "hidden-dex"})


@rule(
    id="HG-PERM-001",
    family="PERM",
    title=Text(zh="申请的危险权限在代码中未使用", en="Dangerous permission requested but not used"),
    description=Text(
        zh="清单申请了危险权限，但应用代码（含第三方 SDK）中没有任何需要该权限的已编目敏感接口调用。申请与业务功能"
        "无关的权限违反最小必要原则，检测中通常被认定为超范围申请权限。",
        en="The manifest requests a dangerous permission, yet no catalogued sensitive API that needs it is "
        "called anywhere in the code (third-party SDKs included). Requesting permissions no feature uses "
        "breaks the minimum-necessary principle and testers report it as over-requesting.",
    ),
    advice=Text(
        zh="从 AndroidManifest.xml 中删除该 uses-permission；若权限由第三方 SDK 的清单合并引入，在应用清单中用 "
        '<uses-permission android:name="…" tools:node="remove"/> 移除；若确实通过反射、WebView 或原生代码'
        "使用，请在隐私政策和权限申请说明中写明对应业务功能。",
        en="Delete the <uses-permission> from AndroidManifest.xml; if an SDK's manifest merges it in, remove it "
        'with <uses-permission android:name="..." tools:node="remove"/>; if it is used through reflection, a '
        "WebView or native code, name the feature that needs it in the privacy policy and the permission prompt.",
    ),
    severity=Severity.medium,
    confidence="medium",
    legal_basis=[RD_4_1, M164_PERMISSIONS, PIPL_6, APP_6_5],
    references=[
        "https://developer.android.com/guide/topics/permissions/overview",
        "https://developer.android.com/guide/topics/manifest/uses-permission-element",
    ],
)
def unused_dangerous(facts: Facts) -> Iterator[Finding]:
    """## What it does
    For every requested permission that is *dangerous* (per the permission catalogue) **and**
    appears in some entry of the sensitive-API catalogue, looks for a call site whose
    `permissions` include it (a permission that implies it - ACCESS_FINE_LOCATION for
    ACCESS_COARSE_LOCATION, WRITE_EXTERNAL_STORAGE for READ_EXTERNAL_STORAGE - counts too). None:
    one finding per permission. Call sites in SDK code count as use. Permissions the API
    catalogue does not cover are never reported, and nothing is reported when no DEX was analysed.
    Confidence is **medium**, **low** when part of the code could not be analysed (hidden or
    malformed DEX): reflection, WebView and native code can use a permission without a catalogued
    call.

    ## Why is this bad?
    Each dangerous permission widens what the app could collect. A permission no feature needs is
    "权限与现有业务功能无关" in the terms of the 认定方法, and the typical cause of an
    over-requesting report.

    ## Example
    The manifest requests `android.permission.READ_CONTACTS`, and nothing in the app or its SDKs
    queries `ContactsContract`.

    ## References
    - 认定方法 四、1; 164号文 "APP强制、频繁、过度索取权限"; PIPL 第六条; GB/T 41391-2022 6.5
    """
    if not facts.dex_files:
        return
    info = permissions()
    covered = {p for a in sensitive_apis() for p in a.permissions}
    used = {p for cs in facts.call_sites for p in cs.permissions}
    confidence: Confidence = "low" if _code_incomplete(facts) else "medium"
    for name, req in ev.requests(facts).items():
        p = info.get(name)
        if p is None or not p.dangerous or name not in covered:
            continue
        if name in used or ev.IMPLIES.get(name, frozenset()) & used:
            continue
        yield unused_dangerous.finding(
            message=Text(
                zh=f"申请了危险权限 {name}，但代码中未发现需要该权限的敏感接口调用。",
                en=f"{name} is requested, but no call site in the code needs it.",
            ),
            evidence=[ev.permission(req)],
            confidence=confidence,
        )


@rule(
    id="HG-PERM-002",
    family="PERM",
    title=Text(zh="调用敏感接口但未申请所需权限", en="Sensitive API called without the permission it needs"),
    description=Text(
        zh="代码调用了获取个人信息的受保护接口，但清单没有申请该接口所需的任一权限。普通应用调用时会抛出 "
        "SecurityException 或拿不到数据；若应用确能获取数据，则说明存在绕过系统权限的途径（预置/系统签名、"
        "共享 UID、其他应用代为获取等），收集行为超出了用户通过权限授予的范围。",
        en="The code calls a protected API that reaches personal information, but the manifest requests none "
        "of the permissions it needs. In an ordinary app the call throws SecurityException or returns "
        "nothing; if the app does get the data, it holds a path around the permission model (preinstalled "
        "or platform-signed, a shared UID, another app fetching it), which collects beyond what the user "
        "granted.",
    ),
    advice=Text(
        zh="若该功能需要此数据：在清单中申请对应权限，在使用场景中动态申请并同步告知目的；若不需要：删除该调用或"
        "移除引入它的 SDK 功能模块。不得通过系统签名、共享 UID 等方式绕开权限获取个人信息。",
        en="If the feature needs the data, request the permission in the manifest and at runtime, in context, "
        "saying why; if not, delete the call or the SDK module that makes it. Never obtain personal "
        "information around the permission model (platform signature, shared UID).",
    ),
    severity=Severity.medium,
    confidence="medium",
    legal_basis=[RD_3_3, PIPL_14, APP_6_5],
    references=[
        "https://developer.android.com/guide/topics/permissions/overview",
        "https://developer.android.com/guide/topics/manifest/uses-permission-element#maxSdk",
    ],
)
def missing_permission(facts: Facts) -> Iterator[Finding]:
    """## What it does
    Finds call sites with a non-empty `permissions` list (any one of them suffices) none of which
    the app holds, and reports one finding per distinct permission list, with every such call site
    as evidence. A permission counts as held when it is requested, or implied by a requested one
    (ACCESS_FINE_LOCATION → ACCESS_COARSE_LOCATION, WRITE_EXTERNAL_STORAGE →
    READ_EXTERNAL_STORAGE). A request with `android:maxSdkVersion` below the app's minSdkVersion is
    never granted on any device the app supports and counts as not requested; one with a
    maxSdkVersion at or above minSdkVersion counts as held (the app may only call the API on older
    releases, which static analysis cannot tell). Severity is **medium**, **low** when every call
    site lies in third-party code (SDKs commonly call such APIs only after
    `checkSelfPermission`).

    ## Why is this bad?
    Either the feature crashes or silently fails, or the app collects the data through a path that
    bypasses the user's permission decision.

    ## Example
    `TelephonyManager.getDeviceId()` is called in `com.example.Login`, but the manifest does not
    request `android.permission.READ_PHONE_STATE`.

    ## References
    - 认定方法 三、3; PIPL 第十四条; GB/T 41391-2022 6.5
    """
    held = _held(facts)
    groups: dict[tuple[str, ...], list[CallSite]] = {}
    for cs in facts.call_sites:
        if cs.permissions and not held.intersection(cs.permissions):
            groups.setdefault(tuple(sorted(set(cs.permissions))), []).append(cs)
    for perms, sites in sorted(groups.items()):
        names = " / ".join(perms)
        apis = sorted({cs.api for cs in sites})
        yield missing_permission.finding(
            message=Text(
                zh=f"{len(sites)} 处调用需要权限 {names}（任一即可），但清单未申请：{', '.join(apis)}（{ev.owners(sites)}）。",
                en=f"{len(sites)} call site(s) need {names} (any one), which the manifest does not request: "
                f"{', '.join(apis)} ({ev.owners(sites)}).",
            ),
            evidence=ev.call_sites(sites),
            severity=Severity.medium if any(cs.owner == "app" for cs in sites) else Severity.low,
            owner=ev.sole_owner(sites),
        )


def _held(facts: Facts) -> set[str]:
    floor = facts.min_sdk or 1
    declared = {r.name for r in facts.manifest.permissions}
    held = {p for p in facts.permissions if p not in declared}  # no element to read a maxSdkVersion from
    held |= {
        r.name for r in facts.manifest.permissions if r.max_sdk_version is None or r.max_sdk_version >= floor
    }
    for name in list(held):
        held |= ev.IMPLIES.get(name, frozenset())
    return held


def _code_incomplete(facts: Facts) -> bool:
    return bool(facts.hidden_dex) or any(n.code in INCOMPLETE_CODE_NOTES for n in facts.notes)

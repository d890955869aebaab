"""Privacy-policy rules (HG-POL-0xx): what the policy says against what the app does.

These read ``Facts.policy`` (a :class:`hegui.policy.model.PolicyAnalysis`, from a policy bundled in
the APK or given with ``--policy``) and ``Facts.policy_source``. When no policy was found, only
HG-POL-005 fires; when no search was made (``policy_source`` is None), none does. The rules on
the policy itself (HG-POL-005, 006) are in :mod:`hegui.checks.policy_doc`.
"""

from __future__ import annotations

from collections.abc import Iterator

from hegui.checks import evidence as ev
from hegui.checks.legal import APP_6_5, APP_6_6, M164_COLLECT, PIPL_7, PIPL_17, PIPL_23, RD_2_1, RD_2_3
from hegui.checks.model import Evidence, Finding, Severity, Text
from hegui.checks.policy_basis import confidence_for, policy_evidence, weak
from hegui.checks.registry import rule
from hegui.facts.model import DetectedSdk, Facts
from hegui.knowledge import permissions
from hegui.knowledge import sdks as sdk_catalogue
from hegui.policy.model import PolicyAnalysis

MAX_SITES = 5  # call-site evidence items per finding


@rule(
    id="HG-POL-001",
    family="POL",
    title=Text(
        zh="代码收集的个人信息未在隐私政策中说明", en="Personal information collected but not in the policy"
    ),
    description=Text(
        zh="应用或其嵌入的 SDK 的代码调用了读取某类个人信息的接口，但隐私政策中没有任何语句说明收集该类个人信息。"
        "未逐一列明收集的个人信息种类，属于“未明示收集使用个人信息的目的、方式和范围”。",
        en="Code of the app or of an embedded SDK calls an API that reads a type of personal information, yet no "
        "sentence of the privacy policy states that this type is collected. Not listing every type collected is "
        "failing to state the purpose, manner and scope of collection.",
    ),
    advice=Text(
        zh="在隐私政策中逐项写明该类个人信息、对应的业务功能和收集目的（SDK 收集的写入第三方 SDK 清单）；"
        "若该功能并不需要，删除相应代码或 SDK 功能。",
        en="Name this type of personal information in the policy with the feature and purpose that need it "
        "(in the third-party SDK list when an SDK collects it); if no feature needs it, remove the code or the "
        "SDK feature.",
    ),
    severity=Severity.high,
    confidence="medium",
    legal_basis=[RD_2_1, PIPL_17, PIPL_7, M164_COLLECT],
)
def undisclosed_pi(facts: Facts) -> Iterator[Finding]:
    """## What it does
    For every PI type some call site reaches (`Facts.call_sites[].pi_type`, attributed to the app,
    an SDK or other third-party code), asks the policy analysis whether the policy states it as
    collected (`PolicyAnalysis.discloses`, where a generic parent such as 设备标识符 covers every
    device identifier). One finding per PI type that is not stated, with the call sites.

    ## Why is this bad?
    Regulators read the policy next to the app's behaviour: collection the policy never mentions
    is the most common finding of 认定方法 二、1 and 164号文 违规收集个人信息.

    ## Example
    The app reads the clipboard (`ClipboardManager.getPrimaryClip`) and the policy never mentions
    剪贴板.

    ## References
    - 认定方法 二、1; PIPL 第七条、第十七条; 164号文 违规收集个人信息
    """
    policy = facts.policy
    if policy is None:
        return
    for pi_type, sites in ev.by_pi_type(facts.call_sites).items():
        if policy.discloses(pi_type):
            continue
        name = ev.pi_name(pi_type)
        denied = next(
            (n for n in policy.not_collected if pi_type == n.pi_type or pi_type.startswith(n.pi_type + ".")),
            None,
        )
        extra = (
            Text(zh="", en="")
            if denied is None
            else Text(
                zh=f"政策甚至声明不收集：“{denied.evidence.text}”",
                en=f" The policy even says it is not collected: “{denied.evidence.text}”",
            )
        )
        yield undisclosed_pi.finding(
            message=Text(
                zh=f"代码（{ev.owners(sites)}）收集{name.zh}（{pi_type}），隐私政策中没有语句说明收集该信息。{extra.zh}",
                en=f"Code ({ev.owners(sites)}) collects {name.en} ({pi_type}); no sentence of the policy states it."
                + extra.en,
            ),
            evidence=[
                *ev.call_sites(sites)[:MAX_SITES],
                policy_evidence(facts, f"no sentence states {pi_type} as collected"),
                *([policy_evidence(facts, denied.evidence.text)] if denied else []),
            ],
            owner=ev.sole_owner(sites),
            confidence=confidence_for(facts),
        )


def _named(policy: PolicyAnalysis, sdk: DetectedSdk) -> bool:
    if any(t.sdk_id == sdk.id for t in policy.third_parties):
        return True
    vendor = sdk.vendor_zh.strip()
    return any(t.vendor and vendor and t.vendor.strip() == vendor for t in policy.third_parties)


@rule(
    id="HG-POL-002",
    family="POL",
    title=Text(zh="嵌入的第三方 SDK 未在隐私政策中列明", en="Embedded SDK not named in the policy"),
    description=Text(
        zh="APK 中检测到第三方 SDK，但隐私政策（含第三方 SDK 清单）没有列出该 SDK 或其提供方。",
        en="A third-party SDK is embedded in the APK, but the privacy policy (third-party SDK list included) "
        "names neither the SDK nor its vendor.",
    ),
    advice=Text(
        zh="在第三方 SDK 共享清单中列出该 SDK：名称、提供方、收集的个人信息种类、目的、方式及其隐私政策链接；"
        "不再使用的 SDK 应从 APK 中移除。",
        en="List the SDK in the policy's third-party SDK list: name, vendor, PI collected, purpose, manner and a "
        "link to its privacy policy; remove SDKs the app no longer uses.",
    ),
    severity=Severity.high,
    confidence="medium",
    legal_basis=[RD_2_1, PIPL_23, APP_6_6, M164_COLLECT],
)
def undisclosed_sdk(facts: Facts) -> Iterator[Finding]:
    """## What it does
    For every detected SDK (`Facts.sdks`), looks for a third party of the policy analysis with
    the same catalogue id (`ThirdParty.sdk_id`) or the same vendor. None: one finding. The
    confidence follows the SDK detection (low when detected on weak signals only).

    ## Why is this bad?
    An embedded SDK collects personal information for its vendor; 认定方法 二、1 requires listing
    embedded third-party code, PIPL 第二十三条 naming every recipient.

    ## Example
    `com.umeng.*` classes are in the DEX and the policy's SDK table has no 友盟 row.

    ## References
    - 认定方法 二、1; PIPL 第二十三条; GB/T 41391-2022 6.6
    """
    policy = facts.policy
    if policy is None:
        return
    for sdk in facts.sdks:
        if _named(policy, sdk):
            continue
        signals = ", ".join(f"{s.kind}:{s.value}" for s in sdk.signals[:5])
        yield undisclosed_sdk.finding(
            message=Text(
                zh=f"检测到 {sdk.name_zh}（{sdk.vendor_zh}），隐私政策未列出该 SDK 或其提供方。",
                en=f"{sdk.name_en} ({sdk.vendor_en}) is embedded; the policy names neither it nor its vendor.",
            ),
            evidence=[
                Evidence(kind="note", element="sdk", value=f"{sdk.id}: {signals}", owner=f"sdk:{sdk.id}"),
                policy_evidence(facts, f"no third party matches {sdk.id}"),
            ],
            owner=f"sdk:{sdk.id}",
            confidence="low" if sdk.confidence == "low" or weak(facts) else "medium",
        )


@rule(
    id="HG-POL-003",
    family="POL",
    title=Text(zh="隐私政策列出的 SDK 未在 APK 中检测到", en="SDK named in the policy but not found"),
    description=Text(
        zh="隐私政策的第三方 SDK 清单列出了某个 SDK，但 APK 中没有检测到它。政策可能未随版本更新，"
        "也可能该 SDK 被混淆、动态加载或在服务端使用。",
        en="The policy's third-party list names an SDK that is not detected in the APK. The policy may be "
        "out of date, or the SDK is obfuscated, loaded at run time or used on the server side.",
    ),
    advice=Text(
        zh="核实该 SDK 是否仍在使用；不再使用的，从隐私政策中删除并更新政策；仍在使用的，确认其集成方式。",
        en="Check whether the SDK is still used; if not, remove it from the policy and publish the update; if "
        "it is, confirm how it is integrated.",
    ),
    severity=Severity.low,
    confidence="low",
    judgement="assisted",
    legal_basis=[PIPL_7, RD_2_1],
)
def stale_sdk(facts: Facts) -> Iterator[Finding]:
    """## What it does
    For every third party of the policy analysis that matched an SDK of hegui's catalogue
    (`ThirdParty.sdk_id`), checks that this SDK, or another SDK of the same vendor, was detected.
    None: one finding. A person confirms: obfuscation and dynamic loading hide SDKs.

    ## Why is this bad?
    A policy that lists SDKs the app does not contain is inaccurate, and usually a sign that the
    list is not maintained with each release.

    ## Example
    The policy lists 极光推送 (JPush) and no `cn.jpush.*` code, component or library is present.

    ## References
    - PIPL 第七条; 认定方法 二、1
    """
    policy = facts.policy
    if policy is None:
        return
    detected = {s.id for s in facts.sdks}
    vendors = {s.vendor_zh for s in facts.sdks}
    catalogue = sdk_catalogue()
    seen: set[str] = set()
    for t in policy.third_parties:
        sid = t.sdk_id
        if sid is None or sid in detected or sid in seen:
            continue
        seen.add(sid)
        known = catalogue.get(sid)
        if known is not None and known.vendor.zh in vendors:
            continue
        name_zh, name_en = (known.name.zh, known.name.en) if known else (t.name, t.name)
        yield stale_sdk.finding(
            message=Text(
                zh=f"隐私政策列出了 {name_zh}（“{t.name}”），APK 中未检测到该 SDK。",
                en=f'The policy names {name_en} ("{t.name}"), which is not detected in the APK.',
            ),
            evidence=[policy_evidence(facts, t.evidence.text)],
            owner=f"sdk:{sid}",
        )


@rule(
    id="HG-POL-004",
    family="POL",
    title=Text(
        zh="申请的危险权限未在隐私政策中说明目的", en="Dangerous permission with no purpose in the policy"
    ),
    description=Text(
        zh="清单申请了运行时（危险）权限，但隐私政策没有说明该权限组（如位置、电话、相机）的用途。",
        en="The manifest requests a runtime (dangerous) permission, but the privacy policy never explains what "
        "its permission group (location, phone, camera, …) is used for.",
    ),
    advice=Text(
        zh="在隐私政策（及权限申请说明）中写明每项敏感权限对应的业务功能和目的，以及拒绝授权的影响；"
        "不需要的权限从清单中删除。",
        en="State in the policy (and the permission prompt) the feature and purpose of each sensitive "
        "permission, and what refusing it means; remove permissions no feature needs.",
    ),
    severity=Severity.medium,
    confidence="medium",
    legal_basis=[RD_2_3, PIPL_17, APP_6_5],
)
def unexplained_permission(facts: Facts) -> Iterator[Finding]:
    """## What it does
    Groups the requested dangerous permissions by their runtime group (`group` in
    knowledge/data/permissions.yaml) and reports each group that no permission purpose of the
    policy analysis (`PolicyAnalysis.permissions`) explains.

    ## Why is this bad?
    Users grant permissions on the strength of the stated purpose; a permission the policy never
    explains is opened for an undisclosed purpose (认定方法 二、3).

    ## Example
    The app requests `READ_PHONE_STATE` and the policy never mentions 电话权限 or 设备信息.

    ## References
    - 认定方法 二、3; PIPL 第十七条; GB/T 41391-2022 6.5
    """
    policy = facts.policy
    if policy is None:
        return
    explained = {p.group for p in policy.permissions}
    info = permissions()
    groups: dict[str, list[str]] = {}
    for name in ev.requests(facts):
        p = info.get(name)
        if p is not None and p.dangerous and p.group and p.group not in explained:
            groups.setdefault(p.group, []).append(name)
    reqs = ev.requests(facts)
    for group, names in sorted(groups.items()):
        yield unexplained_permission.finding(
            message=Text(
                zh=f"申请了 {group} 权限组（{', '.join(names)}），隐私政策未说明其用途。",
                en=f"The {group} permission group is requested ({', '.join(names)}); the policy never explains it.",
            ),
            evidence=[
                *(ev.permission(reqs[n]) for n in names),
                policy_evidence(facts, f"no purpose stated for the {group} group"),
            ],
            confidence=confidence_for(facts),
        )

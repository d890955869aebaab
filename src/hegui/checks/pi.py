"""Personal-information rules (HG-PI-0xx) that need logic; the plain "API of PI type X is called"
rules are data, in ``checks/data/rules.yaml``."""

from __future__ import annotations

from collections.abc import Iterator

from hegui.checks import evidence as ev
from hegui.checks.legal import PIPL_28, PIPL_29, PIPL_30, PISS_5_4, RD_2_3
from hegui.checks.model import Finding, Severity, Text
from hegui.checks.registry import rule
from hegui.facts.model import Facts
from hegui.knowledge import pi_types


@rule(
    id="HG-PI-005",
    family="PI",
    title=Text(zh="代码可获取敏感个人信息", en="Code reaches sensitive personal information"),
    description=Text(
        zh="代码中存在获取敏感个人信息（如精确位置/行踪轨迹、通讯录、短信、生物识别、健康信息等）的接口调用。"
        "处理敏感个人信息须具有特定目的和充分必要性，应单独告知其必要性和对个人权益的影响，并取得个人的单独同意。",
        en="The code calls APIs that reach sensitive personal information (precise location and movements, "
        "contacts, SMS, biometrics, health data and the like). Processing it needs a specific purpose and "
        "real necessity, separate notice of why it is needed and how it affects the user, and the user's "
        "separate consent.",
    ),
    advice=Text(
        zh="逐项核对：隐私政策中是否单独列明该类敏感个人信息的处理目的、必要性及对个人权益的影响；"
        "首次获取前是否以弹窗等方式取得单独同意（不得与隐私政策的概括同意合并）；动态申请权限时是否同步告知目的。"
        "与业务无关的调用（常见于第三方 SDK）应删除或关闭对应功能。",
        en="Check each type: the privacy policy names it separately with its purpose, necessity and effect on "
        "the user; separate consent is obtained before the first collection (not folded into accepting the "
        "privacy policy); the runtime permission request says why, in context. Remove calls no feature "
        "needs (often in SDKs) or turn the SDK feature off.",
    ),
    severity=Severity.low,
    confidence="medium",
    judgement="assisted",
    legal_basis=[PIPL_28, PIPL_29, PIPL_30, RD_2_3, PISS_5_4],
    references=[],
)
def sensitive_pi(facts: Facts) -> Iterator[Finding]:
    """## What it does
    Groups the call sites by PI type and reports, one finding per type marked `sensitive: true`
    in the PI taxonomy, every call site reaching it. The tool cannot see the consent flow, so this
    is an **assisted** finding: a reviewer checks separate notice and consent for each type.

    ## Why is this bad?
    It is not bad in itself. Sensitive personal information carries duties that ordinary personal
    information does not (单独同意, notice of necessity and impact), and testers check each type
    the app can reach against the privacy policy and the consent screens.

    ## Example
    `LocationManager.getLastKnownLocation` is called in `com.example.map.Tracker`: the privacy
    policy must name precise location as sensitive personal information, and the app must get
    separate consent before the first call.

    ## References
    - PIPL 第二十八条、第二十九条、第三十条; 认定方法 二、3; GB/T 35273-2020 5.4
    """
    taxonomy = pi_types()
    for pi_type, sites in ev.by_pi_type(facts.call_sites).items():
        entry = taxonomy.get(pi_type)
        if entry is None or not entry.sensitive:
            continue
        name = ev.pi_name(pi_type)
        yield sensitive_pi.finding(
            message=Text(
                zh=f"代码中有 {len(sites)} 处调用获取敏感个人信息“{name.zh}”（{ev.owners(sites)}）。",
                en=f"{len(sites)} call site(s) reach sensitive personal information: {name.en} ({ev.owners(sites)}).",
            ),
            evidence=ev.call_sites(sites),
            owner=ev.sole_owner(sites),
        )

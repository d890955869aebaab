"""Personal-information rules (HG-PI-0xx) that need logic; the plain "API of PI type X is called"
rules are data, in ``checks/data/rules.yaml``."""

from __future__ import annotations

from collections.abc import Iterator

from hegui.checks import evidence as ev
from hegui.checks.legal import (
    M164_OVERREACH,
    PIPL_6,
    PIPL_16,
    PIPL_28,
    PIPL_29,
    PIPL_30,
    PISS_5_4,
    RD_2_3,
    RD_4_1,
)
from hegui.checks.model import Evidence, Finding, LegalBasis, Severity, Text
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


NECESSARY_PI = "必要个人信息范围规定"  # short name in checks/legal.py INSTRUMENTS


@rule(
    id="HG-PI-006",
    family="PI",
    title=Text(zh="可获取超出该类 App 必要范围的个人信息", en="Reaches PI beyond what this app type needs"),
    description=Text(
        zh="按《常见类型移动互联网应用程序必要个人信息范围规定》，每类 App 的基本功能服务只需特定的必要个人信息，"
        "用户不提供非必要个人信息时不得拒绝其使用基本功能。本规则将代码可获取的个人信息类型与该类 App 的必要范围比较，"
        "列出范围之外的类型（超范围收集的线索）。",
        en="Under the Provisions on the Scope of Necessary Personal Information for Common Types of Mobile "
        "Apps, each of 39 app types needs only certain PI for its basic function, and a user who declines "
        "the rest must still be able to use that function. This rule compares the PI types the code reaches "
        "with the necessary scope of the app's type and lists those outside it (a lead for over-collection).",
    ),
    advice=Text(
        zh="核对清单中的每类个人信息：属于扩展业务功能的，须在用户使用该功能时单独征得同意，且用户拒绝后基本功能仍可使用；"
        "无业务需要的（常见于第三方 SDK）删除调用或关闭相应功能。App 类型判断有误时，用 --app-type 指定。",
        en="For each PI type listed: if an extended feature needs it, ask for it when the user uses that "
        "feature, and keep the basic function working when the user says no; if nothing needs it (often an "
        "SDK), remove the call or turn the SDK feature off. If the app type is wrong, give it with --app-type.",
    ),
    severity=Severity.medium,
    confidence="medium",
    judgement="assisted",
    legal_basis=[
        LegalBasis(law=NECESSARY_PI, article="第四条", note="App 不得因用户不同意收集非必要个人信息而拒绝其使用基本功能服务"),
        LegalBasis(law=NECESSARY_PI, article="第五条", note="39 类常见类型 App 的基本功能服务及必要个人信息范围"),
        RD_4_1,
        PIPL_6,
        PIPL_16,
        M164_OVERREACH,
    ],
    references=[],
)
def beyond_necessary(facts: Facts) -> Iterator[Finding]:
    """## What it does
    Needs the app's type: given with `--app-type` (or by the review service), else inferred from the
    application label and package name (never above medium confidence). Collects the PI types of
    every call site and reports, in one finding, those outside the type's necessary PI
    (`knowledge/data/app_types.yaml`), with the call sites as evidence. With no type, it reports
    nothing. The finding is **assisted**: PI outside the necessary scope is lawful for an extended
    feature the user opts into, so a reviewer checks that refusing it leaves the basic function working.

    ## Why is this bad?
    Collecting PI unrelated to the app's function, or refusing service unless the user agrees to it,
    is 超范围收集 — one of the most notified problems.

    ## Example
    A news app (新闻资讯类, which needs no PI for its basic function) reads the IMEI and the installed
    app list: both are listed, with the SDK that reads them.

    ## References
    - 《常见类型移动互联网应用程序必要个人信息范围规定》第四条、第五条; 认定方法 四、1; PIPL 第六条、第十六条;
      164号文 "超范围收集个人信息"
    """
    app_type = facts.app_type
    if app_type is None:
        return
    necessary = set(app_type.necessary_pi_types)
    beyond = {pi: sites for pi, sites in ev.by_pi_type(facts.call_sites).items() if pi not in necessary}
    if not beyond:
        return
    names_zh = "、".join(ev.pi_name(pi).zh for pi in beyond)
    names_en = ", ".join(ev.pi_name(pi).en for pi in beyond)
    how_zh = "指定" if app_type.source == "given" else f"推断（{app_type.basis}，置信度 {app_type.confidence}）"
    how_en = "given" if app_type.source == "given" else f"inferred ({app_type.basis}, {app_type.confidence} confidence)"
    sites = [s for group in beyond.values() for s in group]
    yield beyond_necessary.finding(
        message=Text(
            zh=f"App 类型为“{app_type.name_zh}”（{how_zh}）；代码可获取 {len(beyond)} 类超出其必要范围的个人信息：{names_zh}。",
            en=f"App type {app_type.name_en} ({how_en}); the code reaches {len(beyond)} PI type(s) beyond "
            f"its necessary scope: {names_en}.",
        ),
        evidence=[
            Evidence(kind="note", element="app_type", value=f"{app_type.id} ({app_type.source})"),
            *ev.call_sites(sites),
        ],
        owner=ev.sole_owner(sites),
        confidence="medium" if app_type.source == "given" else "low",
    )

"""Privacy-policy rules on the policy itself (HG-POL-005, 006): none found, required elements absent.

The consistency rules (policy against the app, HG-POL-001 to 004) are in :mod:`hegui.checks.policy`.
"""

from __future__ import annotations

from collections.abc import Iterator

from hegui.checks.legal import PIPL_17, RD_1_1
from hegui.checks.model import Evidence, Finding, Severity, Text
from hegui.checks.policy_basis import (
    ALL_ELEMENT_BASES,
    ELEMENT_ADVICE,
    REQUIRED_ELEMENTS,
    confidence_for,
    policy_evidence,
)
from hegui.checks.registry import rule
from hegui.facts.model import Facts
from hegui.policy.model import ELEMENTS


@rule(
    id="HG-POL-005",
    family="POL",
    title=Text(zh="未找到隐私政策，无法核对", en="No privacy policy found to check"),
    description=Text(
        zh="APK 中没有找到隐私政策（assets/、res/raw 下的政策文件或同意弹窗文字），扫描时也未通过 --policy 提供。"
        "因此无法核对政策与应用行为是否一致；这不代表通过。",
        en="No privacy policy was found in the APK (a policy file under assets/ or res/raw, or consent-dialog "
        "text) and none was given with --policy, so the policy could not be checked against the app. This is "
        "not a pass.",
    ),
    advice=Text(
        zh="用 hegui scan --policy <文件或URL> 提供应用的隐私政策后重新扫描；若应用确实没有隐私政策，应在首次运行时"
        "以弹窗等方式展示隐私政策并取得同意。",
        en="Scan again with hegui scan --policy <file or URL>; if the app really has no privacy policy, it must "
        "show one at first launch (a consent dialog) and obtain consent.",
    ),
    severity=Severity.medium,
    confidence="medium",
    judgement="assisted",
    legal_basis=[RD_1_1, PIPL_17],
)
def no_policy(facts: Facts) -> Iterator[Finding]:
    """## What it does
    Fires when the policy search found nothing (`Facts.policy_source.kind == "none"`): no policy
    file under assets/ or res/raw*, no consent-dialog text in the string resources, and no
    `--policy` given. Apps often load the policy from the web, so a person confirms.

    ## Why is this bad?
    Without the policy none of HG-POL-001 to 004 and 006 can run; the report must not read as a
    pass for the policy.

    ## Example
    An app that opens `https://example.cn/privacy.html` in a WebView and bundles nothing.

    ## References
    - 认定方法 一、1; PIPL 第十七条
    """
    src = facts.policy_source
    if src is None or src.kind != "none" or facts.policy is not None:
        return
    tried = ", ".join(src.candidates) or "—"
    yield no_policy.finding(
        message=Text(
            zh=f"APK 中未找到可分析的隐私政策（考察过的文件：{tried}），也未提供 --policy；政策一致性未核对。",
            en=f"No privacy policy could be analysed in the APK (files considered: {tried}) and no --policy was "
            "given; policy consistency was not checked.",
        ),
        evidence=[Evidence(kind="note", element="privacy-policy", value=f"candidates: {tried}")],
    )


@rule(
    id="HG-POL-006",
    family="POL",
    title=Text(zh="隐私政策缺少必备内容", en="Privacy policy lacks a required element"),
    description=Text(
        zh="隐私政策没有找到某项必备内容的表述，如运营者联系方式、保存期限、撤回同意、注销账号、投诉举报渠道、"
        "不满十四周岁未成年人规则。",
        en="No statement of a required element was found in the privacy policy, e.g. the operator's contact, "
        "the retention period, withdrawing consent, cancelling the account, a complaint channel, rules for "
        "children under 14.",
    ),
    advice=Text(
        zh="在隐私政策中补充该项内容，并确保应用内提供相应功能。",
        en="Add the element to the policy and make sure the app offers what it describes.",
    ),
    severity=Severity.medium,
    confidence="medium",
    judgement="assisted",
    legal_basis=ALL_ELEMENT_BASES,
)
def missing_elements(facts: Facts) -> Iterator[Finding]:
    """## What it does
    One finding per required element (`REQUIRED_ELEMENTS` in `hegui.checks.policy_basis`: the
    ids of `hegui.policy.model.ELEMENTS` every app needs) the policy analysis marks absent; the
    message and a `legal_basis` note name that element's own legal basis. Conditional elements (cross-border transfer,
    personalised recommendation, …) are not reported.

    ## Why is this bad?
    PIPL 第十七条 lists what must be told before processing; withdrawal (第十五条), children's
    rules (第三十一条), account cancellation (认定方法 六、1) and a complaint channel (六、5)
    are each checked by testers.

    ## Example
    The policy never says how to cancel the account (注销账号).

    ## References
    - PIPL 第十五条、第十七条、第三十一条、第四十五至五十条; 认定方法 三、8、六、1、六、3、六、5
    """
    policy = facts.policy
    if policy is None:
        return
    for element, basis in REQUIRED_ELEMENTS.items():
        result = policy.elements.get(element)
        if result is None or result.present:
            continue  # None: the analyser does not judge this element
        zh, en = ELEMENTS[element]
        cite = "; ".join(f"{b.law} {b.article}" for b in basis)
        tip_zh, tip_en = ELEMENT_ADVICE.get(element, ("", ""))
        yield missing_elements.finding(
            message=Text(
                zh=f"隐私政策中未找到“{zh}”的内容（{cite}）。{tip_zh}",
                en=f"Not found in the policy: {en} ({cite}). {tip_en}".rstrip(),
            ),
            evidence=[
                policy_evidence(facts, f"element {element} not found"),
                Evidence(kind="note", element="legal_basis", value=cite),
            ],
            confidence=confidence_for(facts),
        )

"""Citations, element requirements and evidence helpers of the privacy-policy rules (HG-POL-0xx)."""

from __future__ import annotations

from hegui.checks.model import Confidence, Evidence, LegalBasis
from hegui.facts.model import Facts


def _b(law: str, article: str, note: str) -> LegalBasis:
    return LegalBasis(law=law, article=article, note=note)


PIPL_7 = _b("PIPL", "第七条", "公开个人信息处理规则，明示处理的目的、方式和范围")
PIPL_14 = _b("PIPL", "第十四条", "处理目的、方式和种类发生变更的，应当重新取得个人同意")
PIPL_15 = _b("PIPL", "第十五条", "个人有权撤回同意，处理者应当提供便捷的撤回同意的方式")
PIPL_17 = _b(
    "PIPL",
    "第十七条",
    "处理前告知处理者名称和联系方式、处理目的和方式、个人信息种类、保存期限、行使权利的方式和程序",
)
PIPL_23 = _b("PIPL", "第二十三条", "向其他处理者提供个人信息的，应告知接收方名称、处理目的、方式和种类")
PIPL_31 = _b("PIPL", "第三十一条", "处理不满十四周岁未成年人个人信息的，应制定专门的个人信息处理规则")
PIPL_45 = _b("PIPL", "第四十五条", "个人有权查阅、复制其个人信息")
PIPL_46 = _b("PIPL", "第四十六条", "个人有权请求更正、补充其个人信息")
PIPL_47 = _b("PIPL", "第四十七条", "个人有权请求删除其个人信息")
PIPL_50 = _b("PIPL", "第五十条", "建立便捷的个人行使权利的申请受理和处理机制")
RD_1_1 = _b("认定方法", "一、1", "在App中没有隐私政策，或者隐私政策中没有收集使用个人信息规则")
RD_2_1 = _b(
    "认定方法",
    "二、1",
    "未逐一列出App（包括委托的第三方或嵌入的第三方代码、插件）收集使用个人信息的目的、方式、范围",
)
RD_2_2 = _b("认定方法", "二、2", "收集使用个人信息的目的、方式、范围发生变化时，未以适当方式通知用户")
RD_2_3 = _b("认定方法", "二、3", "申请打开可收集个人信息的权限时，未同步告知用户其目的")
RD_3_8 = _b("认定方法", "三、8", "未向用户提供撤回同意收集个人信息的途径、方式")
RD_6_1 = _b("认定方法", "六、1", "未提供有效的更正、删除个人信息及注销用户账号功能")
RD_6_3 = _b("认定方法", "六、3", "未在承诺时限内（不超过15个工作日）响应更正、删除、注销请求")
RD_6_5 = _b("认定方法", "六、5", "未建立并公布个人信息安全投诉、举报渠道")
M164_COLLECT = _b("164号文", "违规收集个人信息", "APP、SDK未告知收集个人信息的目的、方式和范围")
APP_6_5 = _b("GB/T 41391-2022", "6.5", "系统权限")
APP_6_6 = _b("GB/T 41391-2022", "6.6", "第三方收集管理")
PISS_5_5 = _b("GB/T 35273-2020", "5.5", "个人信息保护政策应包含的内容（附录D）")

# The elements every policy needs (HG-POL-006), each with its legal basis. Elements of
# model.ELEMENTS not listed are conditional (cross-border transfer, personalised recommendation,
# transfer in a merger, public disclosure, portability, storage location, a named officer) and
# are not reported as missing.
REQUIRED_ELEMENTS: dict[str, list[LegalBasis]] = {
    "operator_identity": [PIPL_17],
    "operator_contact": [PIPL_17],
    "purposes": [PIPL_17, RD_2_1],
    "retention": [PIPL_17],
    "sharing": [PIPL_23, RD_2_1],
    "rights_exercise": [PIPL_17, PIPL_50],
    "right_access": [PIPL_45],
    "right_copy": [PIPL_45],
    "right_correct": [PIPL_46],
    "right_delete": [PIPL_47],
    "consent_withdrawal": [PIPL_15, RD_3_8],
    "account_cancellation": [RD_6_1],
    "complaint_channel": [RD_6_5, PIPL_50],
    "response_time": [RD_6_3],
    "minors": [PIPL_31],
    "policy_updates": [RD_2_2, PIPL_14],
    "effective_date": [PISS_5_5],
}

# every citation of REQUIRED_ELEMENTS, once, in order: the legal basis of HG-POL-006
ALL_ELEMENT_BASES: list[LegalBasis] = list({b: None for v in REQUIRED_ELEMENTS.values() for b in v})

ELEMENT_ADVICE: dict[str, tuple[str, str]] = {
    "account_cancellation": (
        "写明注销账号的入口路径（如“我的-设置-注销账号”）、条件和处理时限，并确保应用内确有该功能。",
        "State where to cancel the account (e.g. Me > Settings > Cancel account), the conditions and the time "
        "limit, and make sure the app really offers it.",
    ),
    "consent_withdrawal": (
        "写明撤回同意的方式（如关闭权限、隐私设置中的撤回入口）及撤回的效果。",
        "State how to withdraw consent (turning a permission off, a withdrawal entry in privacy settings) and "
        "what withdrawing does.",
    ),
    "minors": (
        "增加未成年人（尤其不满十四周岁儿童）个人信息保护章节，说明监护人同意规则，必要时制定专门的儿童个人信息处理规则。",
        "Add a section on minors (children under 14 in particular): guardian consent and, where children use "
        "the app, dedicated rules for children's personal information.",
    ),
    "complaint_channel": (
        "公布个人信息保护投诉、举报渠道（邮箱、电话或在线入口）并承诺受理时限。",
        "Publish a complaint channel for personal-information issues (e-mail, phone or an online form) with "
        "the time limit for handling complaints.",
    ),
}


def policy_evidence(facts: Facts, value: str) -> Evidence:
    src = facts.policy_source
    where = (src.path if src else None) or (facts.policy.source if facts.policy else None)
    return Evidence(kind="file", file=where, element="privacy-policy", value=value)


def weak(facts: Facts) -> bool:
    """The text analysed is a consent dialog, not a full policy: absences say less."""
    return facts.policy_source is not None and facts.policy_source.kind == "string_resource"


def confidence_for(facts: Facts, base: Confidence = "medium") -> Confidence:
    return "low" if weak(facts) else base

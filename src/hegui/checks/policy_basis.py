"""Citations, element requirements and evidence helpers of the privacy-policy rules (HG-POL-0xx)."""

from __future__ import annotations

from hegui.checks.legal import (
    PIPL_14_RECONSENT,
    PIPL_15,
    PIPL_17,
    PIPL_23,
    PIPL_31,
    PIPL_45,
    PIPL_46,
    PIPL_47,
    PIPL_50,
    PISS_5_5,
    RD_2_1,
    RD_2_2,
    RD_3_8,
    RD_6_1,
    RD_6_3,
    RD_6_5,
)
from hegui.checks.model import Confidence, Evidence, LegalBasis
from hegui.facts.model import Facts

# the privacy-policy rules' citations live with all the others in checks/legal.py

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
    "policy_updates": [RD_2_2, PIPL_14_RECONSENT],
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

"""The policy-analysis model: what a privacy policy says, each point with the text that supports it.

Produced by :func:`hegui.policy.analyse`, read by the ``HG-POL-*`` checks (through
``Facts.policy``), the reports and the 双清单 draft. Ids used here are documented in
``docs/policy.md``: PI-type ids are :data:`POLICY_PI_TYPES`, element ids :data:`ELEMENTS`,
permission-group ids :data:`PERMISSION_GROUPS`. Keep field names stable; bump
``POLICY_SCHEMA_VERSION`` on an incompatible change.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

POLICY_SCHEMA_VERSION = 1

# PI types a policy can state. The hegui PI taxonomy (knowledge/data/pi_types.yaml) ids, plus two
# generic parents a policy often uses alone ("设备标识符", "位置信息") and the policy-only types
# that no API call reveals but that policies and the 双清单 name. A specific id implies its
# parent (device_id.imei ⇒ device_id) when sets are compared.
GENERIC_PARENTS: dict[str, str] = {"device_id": "device_id.", "location": "location."}
POLICY_ONLY_PI_TYPES: dict[str, tuple[str, str]] = {
    "identity.name": ("姓名", "name"),
    "identity.id_number": ("身份证件号码", "ID document number"),
    "contact.email": ("电子邮箱", "e-mail address"),
    "contact.address": ("通信/收货地址", "postal or delivery address"),
    "financial.account": ("银行卡/支付账户信息", "bank card or payment account"),
    "usage.logs": ("浏览、搜索、操作日志", "browsing, search and usage logs"),
}

# Required elements of a privacy policy (GB/T 35273-2020 5.5 and Annex D, PIPL Art. 17, 认定方法,
# 164号文). id -> (zh, en).
ELEMENTS: dict[str, tuple[str, str]] = {
    "operator_identity": ("运营者身份（名称）", "operator's identity (name)"),
    "operator_contact": ("运营者联系方式", "operator's contact details"),
    "pi_officer": ("个人信息保护负责人/机构", "personal-information protection officer or body"),
    "purposes": ("按业务功能说明收集目的", "purposes stated per function / PI type"),
    "retention": ("保存期限", "retention period"),
    "storage_location": ("存储地点", "storage location"),
    "sharing": ("对外共享/委托处理", "sharing with / entrusting to third parties"),
    "transfer": ("转让", "transfer (e.g. merger)"),
    "public_disclosure": ("公开披露", "public disclosure"),
    "right_access": ("查阅权", "right of access"),
    "right_copy": ("复制权", "right to a copy"),
    "right_correct": ("更正/补充权", "right to correct"),
    "right_delete": ("删除权", "right to delete"),
    "right_port": ("可携带/转移权", "right to portability"),
    "rights_exercise": ("行使权利的方式（入口或联系渠道）", "how to exercise the rights"),
    "consent_withdrawal": ("撤回同意/授权", "withdrawing consent"),
    "account_cancellation": ("注销账号", "account cancellation"),
    "complaint_channel": ("投诉举报渠道", "complaint channel"),
    "response_time": ("答复期限（如十五个工作日）", "response time limit"),
    "minors": ("未成年人/不满十四周岁儿童的规则", "rules for minors / children under 14"),
    "policy_updates": ("政策更新的通知与重新同意", "how updates are notified and re-consented"),
    "cross_border": ("跨境传输", "cross-border transfer"),
    "personalisation_opt_out": ("个性化推荐的关闭方式", "opting out of personalised recommendation"),
    "effective_date": ("生效/更新日期", "effective or update date"),
}

# Runtime permission groups a policy explains (the `group` of knowledge/data/permissions.yaml).
PERMISSION_GROUPS: tuple[str, ...] = (
    "ACTIVITY_RECOGNITION", "CALENDAR", "CALL_LOG", "CAMERA", "CONTACTS", "LOCATION", "MICROPHONE",
    "NEARBY_DEVICES", "NOTIFICATIONS", "PHONE", "READ_MEDIA_AURAL", "READ_MEDIA_VISUAL", "SENSORS",
    "SMS", "STORAGE",
)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Evidence(_Frozen):
    """A sentence or table cell of the policy. ``start``/``end`` index the cleaned text
    (:attr:`PolicyAnalysis.text_chars` long), ``section`` is the nearest heading."""

    text: str
    start: int
    end: int
    section: str | None = None
    kind: Literal["sentence", "table_cell", "heading"] = "sentence"


class CollectedPI(_Frozen):
    """A PI type the policy says is collected or used (by the app, or by the third party ``by``)."""

    pi_type: str
    term: str  # the wording matched, e.g. "剪贴板"
    evidence: Evidence
    purpose: str | None = None  # the stated purpose, when the sentence or table row gives one
    by: str | None = None  # a third party's name as written, when stated for one (SDK table row)


class NotCollected(_Frozen):
    """A PI type the policy says is NOT collected ("我们不会收集您的通讯录")."""

    pi_type: str
    term: str
    evidence: Evidence


class ThirdParty(_Frozen):
    """A third party / SDK the policy names as receiving PI or being embedded."""

    name: str  # as written
    sdk_id: str | None = None  # matched entry of hegui's SDK catalogue, if any
    vendor: str | None = None  # company, as written
    pi_types: list[str] = Field(default_factory=list)
    purpose: str | None = None
    evidence: Evidence


class ElementResult(_Frozen):
    present: bool
    evidence: Evidence | None = None


class PermissionPurpose(_Frozen):
    """A runtime permission group the policy explains, with the stated purpose."""

    group: str  # one of PERMISSION_GROUPS
    purpose: str | None = None
    evidence: Evidence


class PolicyAnalysis(_Frozen):
    """What one privacy policy says."""

    schema_version: int = POLICY_SCHEMA_VERSION
    source: str  # path inside the APK, file path or URL
    format: Literal["html", "text", "markdown", "pdf"]
    text_chars: int  # length of the cleaned text the evidence offsets index
    analyser: str  # name of the analyser that produced this, e.g. "lexicon"
    collected: list[CollectedPI] = Field(default_factory=list)
    not_collected: list[NotCollected] = Field(default_factory=list)
    third_parties: list[ThirdParty] = Field(default_factory=list)
    elements: dict[str, ElementResult] = Field(default_factory=dict)  # every id of ELEMENTS
    permissions: list[PermissionPurpose] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)  # what could not be read, and why

    def discloses(self, pi_type: str) -> bool:
        """Whether the policy states ``pi_type`` as collected (a generic parent such as
        ``device_id`` discloses every ``device_id.*``)."""
        stated = {c.pi_type for c in self.collected}
        if pi_type in stated:
            return True
        return any(pi_type.startswith(prefix) and parent in stated for parent, prefix in GENERIC_PARENTS.items())

    def purposes(self) -> dict[str, str]:
        """Stated purposes keyed as ``report.dual_list.dual_list_rows(purposes=…)`` reads them:
        ``<pi_type>`` and ``sdk:<sdk_id>``."""
        out: dict[str, str] = {}
        for c in self.collected:
            if c.purpose and c.by is None:
                out.setdefault(c.pi_type, c.purpose)
        for t in self.third_parties:
            if t.purpose and t.sdk_id:
                out.setdefault(f"sdk:{t.sdk_id}", t.purpose)
        return out

"""May this applicant register now? The channel's controls (pause, phone / real-name binding, minors'
mode) applied to what the client knows of the applicant, with the rule behind each refusal.

Pure: the caller passes the effective controls (``crud.registration.effective``) and the applicant.
Nothing is stored: an applicant's age or binding state never reaches the database through here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# (code, zh, en, basis); the messages are what a client shows the applicant
REASONS: dict[str, tuple[str, str, str]] = {
    "paused": ("暂停新用户注册", "Registration is paused", "平台治理: 暂停注册 (registration control)"),
    "phone_required": (
        "请先绑定手机号",
        "Bind a phone number first",
        "网络安全法 第二十四条 (真实身份信息); 反电信网络诈骗法 第二十一条",
    ),
    "real_name_required": (
        "请先完成实名认证",
        "Complete real-name verification first",
        "网络安全法 第二十四条; 互联网用户账号信息管理规定 第九条",
    ),
    "guardian_consent_required": (
        "未满十四周岁，须经父母或其他监护人同意",
        "Under 14: a parent's or guardian's consent is required",
        "个人信息保护法 第三十一条",
    ),
    "no_streamer_under_16": (
        "不得为未满十六周岁的未成年人提供网络直播发布者账号注册服务",
        "No live-streaming publisher accounts for anyone under 16",
        "未成年人保护法 第七十六条",
    ),
    "age_unknown_in_minors_mode": (
        "请先完成年龄确认",
        "Confirm your age first",
        "未成年人保护法 第七十四条、第七十五条 (minors' mode needs the age)",
    ),
}
# what a registration in minors' mode turns on (未成年人保护法 第七十四条: 时间管理、权限管理、消费管理)
MINORS_MODE_LIMITS = ("time_management", "permission_management", "spending_management")


@dataclass(frozen=True)
class Applicant:
    """What the client knows; ``age`` None means not given."""

    phone_bound: bool = False
    real_name_verified: bool = False
    age: int | None = None
    guardian_consent: bool = False
    streamer: bool = False  # asks for a live-streaming publisher account


@dataclass
class Decision:
    allowed: bool
    reasons: list[dict[str, Any]] = field(default_factory=list)
    minors_mode: bool = False  # register the account in minors' mode
    limits: tuple[str, ...] = ()
    message: str = ""  # the pause message, when paused
    resume_on: Any = None


def decide(controls: dict[str, Any], applicant: Applicant, lang: str = "zh") -> Decision:
    """Apply ``controls`` (``effective``'s dict) to ``applicant``. Every refusal reason is listed,
    not only the first, so a client can ask for everything at once."""
    codes: list[str] = []
    if not controls["open"]:
        codes.append("paused")
    if controls["require_phone"] and not applicant.phone_bound:
        codes.append("phone_required")
    if controls["require_real_name"] and not applicant.real_name_verified:
        codes.append("real_name_required")
    age = applicant.age
    if age is not None and age < 14 and not applicant.guardian_consent:
        codes.append("guardian_consent_required")
    if applicant.streamer and age is not None and age < 16:
        codes.append("no_streamer_under_16")
    if controls["minors_mode"] and age is None:
        codes.append("age_unknown_in_minors_mode")
    minor = age is not None and age < 18
    reasons = [
        {"code": c, "message": REASONS[c][1 if lang == "en" else 0], "basis": REASONS[c][2]} for c in codes
    ]
    if "paused" in codes and controls.get("message"):
        reasons[0]["message"] = controls["message"]
    on = bool(controls["minors_mode"]) and minor
    return Decision(
        allowed=not codes,
        reasons=reasons,
        minors_mode=on,
        limits=MINORS_MODE_LIMITS if on else (),
        message=controls.get("message", "") if not controls["open"] else "",
        resume_on=controls.get("resume_on") if not controls["open"] else None,
    )

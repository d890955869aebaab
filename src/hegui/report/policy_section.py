"""The privacy-policy section of the text and HTML reports: where the policy came from and what it says.

:func:`policy_view` builds the section once as plain, localised data; :func:`policy_section` lays it
out for the terminal and ``templates/_policy.html.j2`` for HTML. The consistency findings
themselves (HG-POL-*) are in the findings table like any rule.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.text import Text

from hegui.checks.policy_basis import REQUIRED_ELEMENTS
from hegui.facts.model import Facts
from hegui.knowledge import pi_types
from hegui.policy.model import ELEMENTS, POLICY_ONLY_PI_TYPES

_L: dict[str, tuple[str, str]] = {
    "title": ("隐私政策", "Privacy policy"),
    "source": ("来源", "Source"),
    "none": (
        "未找到隐私政策：APK 中没有内置（assets/、res/raw 或同意弹窗文字），也未用 --policy 提供，政策一致性未核对。",
        "No privacy policy: none is bundled in the APK (assets/, res/raw or consent-dialog text) and none was "
        "given with --policy, so policy consistency was not checked.",
    ),
    "collected": ("说明收集的个人信息", "PI stated as collected"),
    "not_collected": ("声明不收集", "Stated as not collected"),
    "third_parties": ("列出的第三方", "Third parties named"),
    "permissions": ("说明用途的权限组", "Permission groups explained"),
    "missing": ("缺少的必备内容", "Required elements not found"),
    "optional": ("未见的其他内容", "Other elements not found"),
    "warnings": ("分析提示", "Analyser warnings"),
    "detected": ("已检测到", "detected"),
    "not_detected": ("APK 中未检测到", "not detected in the APK"),
    "nothing": ("无", "none"),
    "chars": ("字", "characters"),
    "analyser": ("分析器", "analyser"),
    "asset": ("APK 内置文件（assets/）", "file bundled in assets/"),
    "raw": ("APK 内置文件（res/raw）", "file bundled in res/raw"),
    "string_resource": ("同意弹窗文字（字符串资源）", "consent-dialog text (string resources)"),
    "given": ("扫描时提供（--policy）", "given with --policy"),
}


_GENERIC = {"device_id": ("设备标识符", "device identifiers"), "location": ("位置信息", "location")}


def _t(key: str, lang: str) -> str:
    zh, en = _L[key]
    return en if lang == "en" else zh


def _join(items: list[str], lang: str) -> str:
    return ("; " if lang == "en" else "；").join(items) if items else _t("nothing", lang)


def _pi(pi_type: str, lang: str) -> str:
    """``name (id)``: the taxonomy's name, or the policy-only / generic name, else the id alone."""
    known = pi_types().get(pi_type)
    names = (
        (known.name.zh, known.name.en)
        if known
        else POLICY_ONLY_PI_TYPES.get(pi_type) or _GENERIC.get(pi_type)
    )
    if not names:
        return pi_type
    return f"{names[1] if lang == 'en' else names[0]} ({pi_type})"


def policy_view(facts: Facts, lang: str = "zh") -> dict[str, Any] | None:
    """The section as ``{title, found, summary, rows: [(label, text)]}``; None when no policy search
    was made (facts built without one)."""
    src = facts.policy_source
    if src is None:
        return None
    policy = facts.policy
    title = _t("title", lang)
    if policy is None:
        return {"title": title, "found": False, "summary": _t("none", lang), "rows": []}
    kind = _t(src.kind, lang) if src.kind in _L else src.kind
    where = src.path or policy.source
    if lang == "en":
        summary = f"Source: {where} ({kind}, {policy.text_chars} characters; analyser {policy.analyser})"
    else:
        summary = f"来源：{where}（{kind}，{policy.text_chars} 字；分析器 {policy.analyser}）"
    stated: dict[str, str | None] = {}
    for c in policy.collected:
        if c.by is None or c.pi_type not in stated:
            stated[c.pi_type] = stated.get(c.pi_type) or c.purpose
    detected = {s.id for s in facts.sdks}
    parties = []
    for t in policy.third_parties:
        tag = t.sdk_id or "?"
        if t.sdk_id:
            tag += ", " + _t("detected" if t.sdk_id in detected else "not_detected", lang)
        parties.append(f"{t.name} [{tag}]")
    missing = [k for k in REQUIRED_ELEMENTS if (r := policy.elements.get(k)) is not None and not r.present]
    optional = [
        k
        for k, r in policy.elements.items()
        if k not in REQUIRED_ELEMENTS and k in ELEMENTS and not r.present
    ]
    idx = 1 if lang == "en" else 0
    rows = [
        (
            _t("collected", lang),
            _join([f"{_pi(k, lang)}: {v}" if v else _pi(k, lang) for k, v in sorted(stated.items())], lang),
        ),
        (
            _t("not_collected", lang),
            _join([_pi(k, lang) for k in sorted({n.pi_type for n in policy.not_collected})], lang),
        ),
        (_t("third_parties", lang), _join(parties, lang)),
        (
            _t("permissions", lang),
            _join([f"{p.group} ({p.purpose})" if p.purpose else p.group for p in policy.permissions], lang),
        ),
        (_t("missing", lang), _join([ELEMENTS[k][idx] for k in missing], lang)),
        (_t("optional", lang), _join([ELEMENTS[k][idx] for k in optional], lang)),
    ]
    if policy.warnings:
        rows.append((_t("warnings", lang), _join(policy.warnings, lang)))
    return {"title": title, "found": True, "summary": summary, "rows": rows}


def policy_section(facts: Facts, lang: str = "zh") -> RenderableType | None:
    """The section for the terminal report."""
    view = policy_view(facts, lang)
    if view is None:
        return None
    parts: list[RenderableType] = [Rule(Text(view["title"], style="bold"), align="left", style="dim")]
    parts.append(Text(view["summary"], style="" if view["found"] else "yellow"))
    for label, text in view["rows"]:
        line = Text(f"• {label}: ", style="bold")
        line.append(text, style="dim" if text == _t("nothing", lang) else "")
        parts.append(line)
    return Group(*parts)

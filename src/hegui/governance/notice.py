"""The public notice (治理公告) of a period and category, as text and as HTML (escaped), in Chinese
(the official text) or English, from the counts of ``domain.notice_counts.count``."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Any

from hegui.governance.domain import categories

SANCTION_NAMES = {
    "warning": ("警告", "warning"),
    "content_removal": ("删除违规内容", "content removed"),
    "restriction": ("限制功能", "features restricted"),
    "temp_ban": ("限期封号", "temporary ban"),
    "permanent_ban": ("永久封号", "permanent ban"),
    "disband": ("解散群聊", "group disbanded"),
}


def sanction_name(kind: str, lang: str = "zh") -> str:
    pair = SANCTION_NAMES.get(kind, (kind, kind))
    return pair[1] if lang == "en" else pair[0]


def default_title(category: str, start: date, end: date, lang: str = "zh") -> str:
    cat = categories.name(category, lang) if category else ("违规" if lang == "zh" else "policy-violating")
    if lang == "en":
        return f"Notice on accounts and group chats sanctioned for {cat} ({start} to {end})"
    return f"关于处置{cat}违规账号和群聊的公告（{start:%Y年%m月%d日}至{end:%Y年%m月%d日}）"


def paragraphs(
    counts: dict[str, Any], *, category: str, start: date, end: date, lang: str = "zh"
) -> list[str]:
    """The notice's paragraphs (plain text; the HTML escapes each)."""
    cat = categories.name(category, lang) if category else ""
    a, g = counts.get("accounts", 0), counts.get("groups", 0)
    by_s = counts.get("by_sanction", {})
    if lang == "en":
        out = [
            f"Between {start} and {end}, on users' complaints and after verifying the evidence, the platform "
            f"sanctioned {a} personal accounts and {g} group chats" + (f" for {cat}." if cat else "."),
            "Of these: " + "; ".join(f"{sanction_name(k, 'en')}: {v}" for k, v in by_s.items()) + "."
            if by_s
            else "No sanction in the period.",
        ]
        out += [
            f"{categories.name(c, 'en')}: {v['accounts']} accounts, {v['groups']} group chats."
            for c, v in counts.get("by_category", {}).items()
        ]
        if counts.get("examples"):
            out.append("Typical cases (identifiers masked):")
            out += [_example(e, "en") for e in counts["examples"]]
        out.append(
            "Forwarding such content for others is a violation too. Accounts that keep posting after repeated "
            "sanctions, or open new accounts to evade them, lose the service permanently. Please keep reporting."
        )
        return out
    out = [
        f"{start:%Y年%m月%d日}至{end:%Y年%m月%d日}，平台根据用户举报并核实证据，"
        f"共处置{('涉' + cat + '的') if cat else '违规'}个人账号{a}个、群聊{g}个。",
        "其中" + "，".join(f"{sanction_name(k)}{v}个" for k, v in by_s.items()) + "。"
        if by_s
        else "本期无处置。",
    ]
    out += [
        f"涉及{categories.name(c)}：账号{v['accounts']}个，群聊{v['groups']}个。"
        for c, v in counts.get("by_category", {}).items()
    ]
    if counts.get("examples"):
        out.append("典型案例（标识已脱敏）：")
        out += [_example(e, "zh") for e in counts["examples"]]
    out.append(
        "为他人转发此类违规内容同样构成违规。对多次处罚后仍继续发布、或以新账号规避处罚的，平台将永久停止服务。"
        "欢迎广大用户继续通过举报功能反馈。"
    )
    return out


def _example(e: dict[str, Any], lang: str) -> str:
    what = categories.name(e["category"], lang)
    if lang == "en":
        kind = "Account" if e["target_type"] == "account" else "Group chat"
        name = f" ({e['name']})" if e.get("name") else ""
        return f"{kind} {e['identifier']}{name}: {what}; {sanction_name(e['sanction'], 'en')}."
    kind = "账号" if e["target_type"] == "account" else "群聊"
    name = f"（{e['name']}）" if e.get("name") else ""
    return f"{kind} {e['identifier']}{name}：{what}，处置：{sanction_name(e['sanction'])}。"


def render_text(title: str, paras: list[str]) -> str:
    return title + "\n\n" + "\n\n".join(paras) + "\n"


def render_html(title: str, paras: list[str]) -> str:
    """A fragment (``<article>``); every piece of text is escaped."""
    body = "".join(f"<p>{escape(p)}</p>" for p in paras)
    return f'<article class="gov-notice"><h2>{escape(title)}</h2>{body}</article>'

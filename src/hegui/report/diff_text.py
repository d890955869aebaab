"""Renderers of a :class:`hegui.diff.ScanDiff`: a terminal view (rich) and JSON."""

from __future__ import annotations

import json

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from hegui.diff import Change, ScanDiff, Side
from hegui.report.text import severity_text, verdict_text, version_text

_WORDS = {
    "title": ("版本更新差异", "What the update changes"),
    "old": ("旧版本", "Old version"),
    "new": ("新版本", "New version"),
    "verdict": ("结论", "Verdict"),
    "permissions": ("权限", "Permissions"),
    "pi": ("代码可获取的个人信息类型", "PI types the code reaches"),
    "pi_owner": ("按归属方", "By owner"),
    "sdks": ("第三方 SDK", "Third-party SDKs"),
    "findings_added": ("新增问题", "New findings"),
    "findings_removed": ("已消除的问题", "Findings gone"),
    "none": ("无变化", "no change"),
    "other_package": (
        "两个文件的包名不同，不是同一应用的两个版本。",
        "The two files have different package names: they are not two versions of one app.",
    ),
    "other_signer": (
        "签名证书不同：新版本无法覆盖安装旧版本，且可能不是同一开发者发布。",
        "The signing certificates differ: the update cannot install over the old version and may "
        "not come from the same developer.",
    ),
}


def _w(key: str, lang: str) -> str:
    zh, en = _WORDS[key]
    return en if lang == "en" else zh


def _side_line(tag: str, s: Side, lang: str) -> Text:
    line = Text(f"{_w(tag, lang)}: ", style="bold")
    line.append(f"{s.file_name}  {s.package} {version_text(s.version_name, s.version_code)}  ")
    line.append(f"targetSdk {s.target_sdk if s.target_sdk is not None else '-'}  ")
    line.append(f"{_w('verdict', lang)} ")
    line.append_text(verdict_text(s.verdict, lang))
    return line


def _change_line(key: str, c: Change, lang: str) -> Text:
    line = Text(f"{_w(key, lang)}: ", style="bold")
    if c.empty:
        return line.append(_w("none", lang), style="dim")
    for name in c.added:
        line.append(f"+{name} ", style="red")
    for name in c.removed:
        line.append(f"-{name} ", style="green")
    return line


def diff_renderables(d: ScanDiff, *, lang: str = "zh") -> list[RenderableType]:
    parts: list[RenderableType] = [
        Text(_w("title", lang), style="bold underline"),
        _side_line("old", d.old, lang),
        _side_line("new", d.new, lang),
    ]
    if not d.same_package:
        parts.append(Text(_w("other_package", lang), style="bold red"))
    if not d.same_signer:
        parts.append(Text(_w("other_signer", lang), style="bold red"))
    parts += [
        _change_line("permissions", d.permissions, lang),
        _change_line("pi", d.pi_types, lang),
    ]
    for oc in d.pi_by_owner:
        parts.append(
            _change_line("pi_owner", Change(added=oc.added, removed=oc.removed), lang).append(
                f"({oc.owner})", style="dim"
            )
        )
    parts.append(_change_line("sdks", d.sdks, lang))
    for key, refs in (("findings_added", d.findings_added), ("findings_removed", d.findings_removed)):
        table = Table(box=box.SIMPLE, title=f"{_w(key, lang)} ({len(refs)})", title_justify="left")
        for col in ("ID", "严重程度" if lang != "en" else "Severity", "", ""):
            table.add_column(col)
        for f in refs:
            table.add_row(f.rule_id, severity_text(f.severity, lang), f.title.get(lang), f.message.get(lang))
        parts.append(table if refs else Text(f"{_w(key, lang)}: {_w('none', lang)}", style="dim"))
    return [Group(*parts)]


def diff_json(d: ScanDiff) -> str:
    return json.dumps(d.model_dump(mode="json", exclude_none=True), ensure_ascii=False, indent=2) + "\n"

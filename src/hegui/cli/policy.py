"""``hegui policy check FILE``: what a privacy policy says (PI collected, third parties/SDKs,
required elements, permission purposes), each point with its sentence. With ``--apk``, the APK is
scanned with this policy and the policy-consistency findings (``HG-POL-*``) are printed too."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich import box
from rich.console import Console
from rich.table import Table

from hegui.cli.options import Lang
from hegui.policy import analyse, load
from hegui.policy.model import ELEMENTS, POLICY_ONLY_PI_TYPES, PolicyAnalysis

policy_app = typer.Typer(
    name="policy",
    help="Analyse a privacy policy (隐私政策) offline: PI types, SDKs, required elements.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class PolicyFormat(StrEnum):
    text = "text"
    json = "json"


def _pi_name(pi: str, zh: bool) -> str:
    if pi in POLICY_ONLY_PI_TYPES:
        return POLICY_ONLY_PI_TYPES[pi][0 if zh else 1]
    from hegui.knowledge import pi_types

    known = pi_types().get(pi)
    if known is not None:
        return known.name.zh if zh else known.name.en
    return {"device_id": ("设备标识符", "device identifier"), "location": ("位置信息", "location")}.get(
        pi, (pi, pi)
    )[0 if zh else 1]


def _text(value: Any, zh: bool) -> str:
    if isinstance(value, dict):
        return str(value.get("zh" if zh else "en") or value.get("en") or "")
    return str(value or "")


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def _render(a: PolicyAnalysis, zh: bool, console: Console) -> None:
    console.print(
        f"{'隐私政策' if zh else 'Privacy policy'}: {a.source} ({a.format}, {a.text_chars} "
        f"{'字' if zh else 'chars'}, {'分析器' if zh else 'analyser'} {a.analyser})"
    )
    t = Table(title="收集的个人信息" if zh else "PI collected", box=box.SIMPLE, show_lines=False)
    for col in (
        "pi_type",
        "名称" if zh else "name",
        "用语" if zh else "term",
        "by",
        "依据" if zh else "evidence",
    ):
        t.add_column(col, overflow="fold")
    for c in a.collected:
        t.add_row(c.pi_type, _pi_name(c.pi_type, zh), c.term, c.by or "", _short(c.evidence.text))
    console.print(t)
    if a.not_collected:
        console.print(
            ("声明不收集: " if zh else "Stated as not collected: ")
            + ", ".join(n.pi_type for n in a.not_collected)
        )
    t = Table(title="第三方 / SDK" if zh else "Third parties / SDKs", box=box.SIMPLE)
    for col in ("名称" if zh else "name", "sdk_id", "依据" if zh else "evidence"):
        t.add_column(col, overflow="fold")
    for p in a.third_parties:
        t.add_row(p.name, p.sdk_id or "-", _short(p.evidence.text))
    console.print(t)
    t = Table(title="必备要素" if zh else "Required elements", box=box.SIMPLE)
    for col in ("id", "要素" if zh else "element", "有" if zh else "present", "依据" if zh else "evidence"):
        t.add_column(col, overflow="fold")
    for el, r in a.elements.items():
        name = ELEMENTS.get(el, (el, el))[0 if zh else 1]
        mark = ("是" if zh else "yes") if r.present else ("否" if zh else "NO")
        t.add_row(el, name, mark, _short(r.evidence.text) if r.evidence else "")
    console.print(t)
    if a.permissions:
        console.print(
            ("说明了目的的权限: " if zh else "Permissions with a stated purpose: ")
            + ", ".join(p.group for p in a.permissions)
        )
    for w in a.warnings:
        console.print(f"{'警告' if zh else 'warning'}: {w}")


def _scan_with_policy(apk: str, analysis: PolicyAnalysis) -> list[dict[str, Any]]:
    from hegui.api import ScanOptions, scan

    report = scan(apk, options=ScanOptions(policy=analysis))
    return [f.model_dump(mode="json") for f in report.findings if f.rule_id.startswith("HG-POL")]


@policy_app.command("check")
def check(
    file: Annotated[str, typer.Argument(help="Policy file (HTML, Markdown, text) or http(s) URL.")],
    apk: Annotated[
        str | None, typer.Option("--apk", help="Also scan this APK against the policy (HG-POL-* findings).")
    ] = None,
    fmt: Annotated[PolicyFormat, typer.Option("--format", help="text or json.")] = PolicyFormat.text,
    lang: Annotated[Lang, typer.Option("--lang", help="zh or en (text output).")] = Lang.zh,
    analyser: Annotated[
        str | None, typer.Option("--analyser", help="Analyser name (default: lexicon).")
    ] = None,
) -> None:
    """Analyse a privacy policy: PI types collected, third parties/SDKs, required elements."""
    from hegui.cli import main as cli

    with cli._errors_as_lines(file):  # one line and exit 2, never a traceback
        analysis = analyse(load(file), analyser=analyser)
    findings = None
    if apk:
        with cli._errors_as_lines(apk):
            findings = _scan_with_policy(apk, analysis)
    if fmt is PolicyFormat.json:
        out: dict[str, Any] = analysis.model_dump(mode="json")
        if findings is not None:
            out = {"policy": out, "findings": findings}
        typer.echo(json.dumps(out, ensure_ascii=False, indent=2))
        return
    zh = lang is Lang.zh
    console = Console(soft_wrap=False, highlight=False, emoji=False, markup=False)
    _render(analysis, zh, console)
    if findings is not None:
        console.print(f"\n{'与 APK 行为的一致性' if zh else 'Consistency with the APK'}: {len(findings)}")
        for f in findings:
            title, message = (_text(f.get(k), zh) for k in ("title", "message"))
            console.print(f"  {f['rule_id']} ({f['severity']}) {title}: {message}", markup=False)

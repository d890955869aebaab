"""The SDK and startup sections of the text report."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from hegui.facts.model import Facts
from hegui.report.descriptors import pretty_member
from hegui.report.labels import label

_CONF_STYLE = {"high": "bold", "medium": "", "low": "dim"}


def sdk_section(facts: Facts, lang: str, heading) -> RenderableType:
    """Detected SDKs: name, vendor, category, confidence, signals, PI reached vs declared."""
    if not facts.sdks and not facts.third_party_packages:
        return Group(heading("sdks", lang, 0), Text(label("no_sdks", lang)))
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for key in (
        "sdk_name",
        "sdk_vendor",
        "sdk_category",
        "sdk_confidence",
        "sdk_signals",
        "sdk_pi_reached",
        "sdk_pi_declared",
    ):
        table.add_column(label(key, lang))
    for s in facts.sdks:
        signals = ", ".join(
            f"{sig.value} ({sig.count})" if sig.kind == "code" else f"{sig.kind}: {sig.value}"
            for sig in s.signals[:3]
        )
        if len(s.signals) > 3:
            signals += f" +{len(s.signals) - 3}"
        table.add_row(
            Text(f"{s.name_en if lang == 'en' else s.name_zh}\n{s.id}"),
            Text(s.vendor_en if lang == "en" else s.vendor_zh),
            Text(s.category),
            Text(s.confidence, style=_CONF_STYLE[s.confidence]),
            Text(signals, style="dim"),
            Text(", ".join(s.pi_reached) or "-", style="bold" if s.pi_reached else "dim"),
            Text(
                (", ".join(s.pi_declared) or "-") + (" *" if s.declared_basis == "inferred" else ""),
                style="dim",
            ),
        )
    for p in facts.third_party_packages:
        table.add_row(
            Text(f"{label('unidentified', lang)}\n{p.package}", style="yellow"),
            Text("-"),
            Text("-"),
            Text("-"),
            Text("-"),
            Text(", ".join(p.pi_reached), style="bold"),
            Text("-"),
        )
    parts: list[RenderableType] = [heading("sdks", lang, len(facts.sdks)), table]
    if any(s.declared_basis == "inferred" for s in facts.sdks):
        parts.append(Text(label("inferred_note", lang), style="dim"))
    return Group(*parts)


def startup_section(facts: Facts, lang: str, heading) -> RenderableType | None:
    """What runs before any UI: SDK initialisations and PI collection, with the call chains."""
    st = facts.startup
    if st is None or not st.entries:
        return None
    lines: list[RenderableType] = [heading("startup", lang, len(st.sdk_inits) + len(st.collection))]
    lines.append(
        Text(
            label("startup_entries", lang) + ": " + ", ".join(pretty_member(e) for e in st.entries),
            style="dim",
        )
    )
    for i in st.sdk_inits:
        state = label("gated", lang) if i.gated else label("not_gated", lang)
        lines += _item(f"{i.sdk}: {pretty_member(i.api, short=True)} — {state}", i.chain, alarm=not i.gated)
    for c in st.collection:
        cond = label("conditional", lang) if c.conditional else label("unconditional", lang)
        head = f"{c.pi_type} ({c.owner}, {cond}): {pretty_member(c.api, short=True)}"
        lines += _item(head, c.chain, alarm=not c.conditional)
    if st.truncated:
        lines.append(Text(label("startup_truncated", lang), style="yellow"))
    if len(lines) == 2:
        lines.append(Text(label("startup_clean", lang)))
    return Group(*lines)


def _item(head: str, chain: list[str], *, alarm: bool) -> list[RenderableType]:
    """A bullet line and, under it, the call chain that reaches it."""
    return [
        Text(f"• {head}", style="bold red" if alarm else ""),
        Text("    " + " → ".join(pretty_member(m, short=True) for m in chain), style="dim"),
    ]

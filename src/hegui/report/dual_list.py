"""The 双清单 draft: the two lists an app must publish, built from a report for the operator to complete.

* 个人信息收集清单 (PI collected): one row per (PI type, owner) reached in code.
* 第三方共享清单 (PI shared with third parties): one row per detected SDK, then the unidentified
  third-party code.

:func:`dual_list_rows` builds the rows once (a pure function), and ``collected_cells`` /
``shared_cells`` give the text of each cell; the ``dual-list-md``, ``dual-list-html`` and
``dual-list-csv`` formatters (:mod:`hegui.report.dual_list_render`) only lay them out. What static
analysis cannot know (why the app collects a PI type, in which feature) is left "to be completed by
the operator"; a later policy analyser passes what the privacy policy states through ``purposes``.
The SDK categories and the zh/en labels are in :mod:`hegui.report.dual_list_labels` (and importable
from here).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from hegui.checks.model import Frozen, Text
from hegui.facts.model import Facts
from hegui.report.descriptors import pretty_member
from hegui.report.dual_list_labels import CATEGORIES, LABELS, dl_label
from hegui.report.model import Report
from hegui.report.text import _pi_types

ListKind = Literal["collected", "shared"]


class PiMark(Frozen):
    """A PI type named in a shared-list row: reached in this APK, declared by the vendor, or both."""

    pi_type: str
    name: Text
    sensitive: bool = False
    reached: bool = False
    declared: bool = False


class CollectedRow(Frozen):
    pi_type: str
    name: Text
    sensitive: bool = False
    owner: str  # app / sdk:<id> / third-party:<package>
    owner_name: Text
    purpose: str | None = None  # stated (from ``purposes``); None: to be completed by the operator
    at_startup: bool = False  # reached at startup, before any consent
    call_sites: int
    first_caller: str | None = None  # Java-like name of the first calling method


class SharedRow(Frozen):
    sdk_id: str  # catalogue id; empty for unidentified code
    name: Text
    vendor: Text | None = None
    category: str | None = None
    category_name: Text | None = None
    pi: list[PiMark]
    purpose: Text | None = None  # stated, or a draft from the SDK's category; None: to be completed
    purpose_stated: bool = False
    declared_basis: Literal["vendor", "inferred"] = "vendor"
    privacy_policy: str | None = None
    unidentified: bool = False  # third-party code matching no catalogued SDK
    call_sites: int = 0


class DualList(Frozen):
    app_name: str
    package: str
    version: str
    sha256: str
    scanned_at: str
    tool_version: str
    collected: list[CollectedRow]
    shared: list[SharedRow]  # detected SDKs, then unidentified third-party code


def _names() -> dict[str, Text]:
    return {k: Text(zh=t.name.zh, en=t.name.en) for k, t in _pi_types().items()}


def _sensitive() -> set[str]:
    return {k for k, t in _pi_types().items() if t.sensitive}


def owner_name(owner: str, facts: Facts) -> Text:
    """``app`` -> App itself; ``sdk:<id>`` -> the SDK's name; ``third-party:<pkg>`` -> the package."""
    if owner == "app":
        return Text(zh=LABELS["app"][0], en=LABELS["app"][1])
    sdk = facts.sdk_for(owner)
    if sdk is not None:
        return Text(zh=sdk.name_zh, en=sdk.name_en)
    ident = owner.partition(":")[2]
    return Text(zh=ident or owner, en=ident or owner)


def _purpose(purposes: Mapping[str, str], *keys: str) -> str | None:
    for k in keys:
        if purposes.get(k):
            return purposes[k]
    return None


def _policy_purposes(facts: Facts) -> dict[str, str]:
    """Purposes the policy states, with a generic parent's (设备标识符, 位置信息) applied to each
    specific PI type reached in code that has none of its own."""
    if facts.policy is None:
        return {}
    out = facts.policy.purposes()
    for site in facts.call_sites:
        parent = site.pi_type.split(".", 1)[0]
        if site.pi_type not in out and parent != site.pi_type and parent in out:
            out[site.pi_type] = out[parent]
    return out


def dual_list_rows(report: Report, *, purposes: Mapping[str, str] | None = None) -> DualList:
    """The rows of both lists, built once for every renderer.

    ``purposes`` are stated purposes (e.g. from the app's privacy policy): keyed by
    ``"<pi_type>@<owner>"`` or ``"<pi_type>"`` for the collected list, ``"sdk:<id>"`` for the shared
    list. A stated purpose replaces the "to be completed" placeholder (collected) or the draft from
    the SDK's category (shared). When ``purposes`` is None, those the analysed privacy policy
    states (``facts.policy``) are used.
    """
    facts = report.facts
    purposes = _policy_purposes(facts) if purposes is None else purposes
    names, sensitive = _names(), _sensitive()

    def name(pi: str) -> Text:
        return names.get(pi) or Text(zh=pi, en=pi)

    startup = {(c.pi_type, c.owner) for c in (facts.startup.collection if facts.startup else [])}
    groups: dict[tuple[str, str], list[str]] = {}
    for site in facts.call_sites:
        groups.setdefault((site.pi_type, site.owner), []).append(site.caller)

    def owner_key(owner: str) -> tuple[int, str]:
        return ({"app": 0, "sdk": 1}.get(owner.partition(":")[0], 2), owner)

    collected = [
        CollectedRow(
            pi_type=pi,
            name=name(pi),
            sensitive=pi in sensitive,
            owner=owner,
            owner_name=owner_name(owner, facts),
            purpose=_purpose(purposes, f"{pi}@{owner}", pi),
            at_startup=(pi, owner) in startup,
            call_sites=len(callers),
            first_caller=pretty_member(callers[0]) if callers else None,
        )
        for (pi, owner), callers in sorted(groups.items(), key=lambda kv: (owner_key(kv[0][1]), kv[0][0]))
    ]

    shared: list[SharedRow] = []
    for s in facts.sdks:
        reached, declared = set(s.pi_reached), set(s.pi_declared)
        marks = [
            PiMark(
                pi_type=p,
                name=name(p),
                sensitive=p in sensitive,
                reached=p in reached,
                declared=p in declared,
            )
            for p in sorted(reached | declared, key=lambda p: (p not in reached, p))
        ]
        cat = CATEGORIES.get(s.category)
        stated = _purpose(purposes, f"sdk:{s.id}")
        if stated:
            purpose: Text | None = Text(zh=stated, en=stated)
        elif cat and cat[2]:
            purpose = Text(zh=cat[2], en=cat[3])
        else:
            purpose = None
        shared.append(
            SharedRow(
                sdk_id=s.id,
                name=Text(zh=s.name_zh, en=s.name_en),
                vendor=Text(zh=s.vendor_zh, en=s.vendor_en),
                category=s.category,
                category_name=Text(zh=cat[0], en=cat[1]) if cat else Text(zh=s.category, en=s.category),
                pi=marks,
                purpose=purpose,
                purpose_stated=bool(stated),
                declared_basis=s.declared_basis,
                privacy_policy=s.privacy_policy,
                call_sites=sum(len(v) for (_, o), v in groups.items() if o == f"sdk:{s.id}"),
            )
        )
    for p in facts.third_party_packages:
        shared.append(
            SharedRow(
                sdk_id="",
                name=Text(zh=p.package, en=p.package),
                pi=[
                    PiMark(pi_type=t, name=name(t), sensitive=t in sensitive, reached=True)
                    for t in p.pi_reached
                ],
                unidentified=True,
                call_sites=p.call_sites,
            )
        )
    version = facts.version_name or "-"
    return DualList(
        app_name=facts.manifest.label or facts.package,
        package=facts.package,
        version=version + (f" ({facts.version_code})" if facts.version_code is not None else ""),
        sha256=facts.sha256,
        scanned_at=report.scanned_at,
        tool_version=report.tool.version,
        collected=collected,
        shared=shared,
    )


# -- cell texts shared by the renderers -----------------------------------------------------------


def collected_cells(row: CollectedRow, lang: str) -> dict[str, str]:
    evidence = (
        dl_label("sites", lang, n=row.call_sites, caller=row.first_caller)
        if row.first_caller
        else dl_label("sites_n", lang, n=row.call_sites)
    )
    sens = f"（{dl_label('sensitive', lang)}）" if lang != "en" else f" ({dl_label('sensitive', lang)})"
    return {
        "pi_type": row.name.get(lang) + (sens if row.sensitive else ""),
        "purpose": row.purpose or dl_label("todo", lang),
        "scenario": dl_label("startup", lang) if row.at_startup else dl_label("todo_scenario", lang),
        "owner": row.owner_name.get(lang),
        "evidence": evidence,
    }


def pi_mark_text(m: PiMark, lang: str, basis: str = "vendor") -> str:
    marks = []
    if m.reached:
        marks.append(dl_label("reached", lang))
    if m.declared:
        marks.append(dl_label("declared" if basis == "vendor" else "inferred", lang))
    joined = "、".join(marks) if lang != "en" else ", ".join(marks)
    return f"{m.name.get(lang)}（{joined}）" if lang != "en" else f"{m.name.get(lang)} ({joined})"


def shared_cells(row: SharedRow, lang: str) -> dict[str, str]:
    sep = "；" if lang != "en" else "; "
    if row.unidentified:
        name = f"{dl_label('unidentified', lang)}: {row.name.get(lang)}"
    else:
        name = row.name.get(lang)
    return {
        "sdk": name,
        "vendor": row.vendor.get(lang) if row.vendor else dl_label("todo", lang),
        "category": row.category_name.get(lang) if row.category_name else "",
        "pi": sep.join(pi_mark_text(m, lang, row.declared_basis) for m in row.pi),
        "purpose": row.purpose.get(lang) if row.purpose else dl_label("todo", lang),
        "method": dl_label("method_sdk", lang) if not row.unidentified else dl_label("todo", lang),
        "policy": row.privacy_policy or (dl_label("todo", lang) if not row.unidentified else ""),
    }


COLLECTED_COLUMNS = ("pi_type", "purpose", "scenario", "owner", "evidence")
SHARED_COLUMNS = ("sdk", "vendor", "category", "pi", "purpose", "method", "policy")

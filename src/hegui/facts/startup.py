"""What runs before any UI — and so before the user can agree to a privacy policy.

Android runs, in this order and before the first Activity: ``Application.attachBaseContext``,
every ContentProvider's ``onCreate`` (highest ``initOrder`` first), then ``Application.onCreate``.
From these entries the call graph is followed through the app's own bytecode (direct calls and
calls resolved in the class or its defined superclasses) to a bounded depth and method budget.

Reported:

- SDK initialisation calls (the catalogue's ``init_api``) reachable there, with the call chain,
  and whether they are *gated*: the SDK's documented consent API (``consent_api``: a pre-init or
  "privacy granted" switch) is called at startup, or a forward branch skips the call (the usual
  ``if (agreed) Sdk.init()``). The initialisation of a gated SDK is not followed further.
- Sensitive call sites reachable there, with the chain, and whether the path is *conditional*.

Not followed (a static approximation, stated in reports): callbacks run later through the
framework (threads, handlers, listeners, lambdas), reflection, native code, and calls into
interfaces or overriding subclasses. Conditions are seen, not evaluated.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from hegui.dex.code import invokes_with_guards
from hegui.dex.index import DexIndex
from hegui.errors import DexError
from hegui.facts.model import CallSite, Manifest, StartupCollection, StartupInit, StartupReach
from hegui.knowledge.loaders import SdkInfo

MAX_DEPTH = 12
MAX_METHODS = 20_000

_CTX = "(Landroid/content/Context;)V"


def entries(index: DexIndex, manifest: Manifest) -> list[str]:
    """Descriptors of the startup methods defined in the APK, in the order Android runs them."""
    out: list[str] = []
    app = _descriptor(manifest.application_class)
    if app:
        hit = index.resolve_code(app, "attachBaseContext", _CTX)
        if hit:
            out.append(hit[0])
    providers = [c for c in manifest.components if c.kind == "provider" and c.enabled]
    providers.sort(key=lambda c: -(c.init_order or 0))  # stable: manifest order among equals
    for p in providers:
        hit = index.resolve_code(_descriptor(p.name) or "", "onCreate", "()Z")
        if hit and hit[0] not in out:
            out.append(hit[0])
    if app:
        hit = index.resolve_code(app, "onCreate", "()V")
        if hit and hit[0] not in out:
            out.append(hit[0])
    return out


def _descriptor(class_name: str | None) -> str | None:
    return "L" + class_name.replace(".", "/") + ";" if class_name else None


@dataclass(frozen=True)
class _ApiTable:
    """init/consent API descriptors of the catalogue; an entry without ``(`` means any overload.
    One API can belong to several SDK entries of one vendor (e.g. a shared pre-init)."""

    exact: dict[str, tuple[str, ...]]
    by_name: dict[str, tuple[str, ...]]

    @classmethod
    def build(cls, catalogue: dict[str, SdkInfo], field: str) -> _ApiTable:
        exact: dict[str, tuple[str, ...]] = {}
        by_name: dict[str, tuple[str, ...]] = {}
        for sdk in catalogue.values():
            for d in getattr(sdk, field):
                table = exact if "(" in d else by_name
                table[d] = (*table.get(d, ()), sdk.id)
        return cls(exact, by_name)

    def match(self, descriptor: str) -> tuple[str, ...]:
        return self.exact.get(descriptor) or self.by_name.get(descriptor.partition("(")[0]) or ()


@dataclass
class _Walk:
    parent: dict[str, str | None]
    entry_of: dict[str, str]
    conditional: dict[str, bool]
    calls: list[tuple[str, str, int, bool]]  # (method, callee as written, pc, guarded)
    truncated: bool = False

    def chain(self, method: str) -> list[str]:
        out = [method]
        while (p := self.parent.get(out[-1])) is not None:
            out.append(p)
        return out[::-1]


def _walk(index: DexIndex, starts: list[str], skip_callee) -> _Walk:
    """Breadth-first over resolved calls; unguarded edges are explored before guarded ones so a
    method reached both ways counts as unconditional."""
    w = _Walk(parent={}, entry_of={}, conditional={}, calls=[])
    queue: deque[tuple[str, str | None, str, int, bool]] = deque((s, None, s, 0, False) for s in starts)
    while queue:
        method, parent, entry, depth, cond = queue.popleft()
        if method in w.conditional and (w.conditional[method] <= cond):
            continue
        if len(w.conditional) >= MAX_METHODS:
            w.truncated = True
            break
        w.conditional[method] = cond
        w.parent[method] = parent
        w.entry_of[method] = entry
        cls, _, rest = method.partition("->")
        name, _, proto = rest.partition("(")
        hit = index.resolve_code(cls, name, "(" + proto)
        if hit is None:
            continue
        _, dex, start, end = hit
        try:
            invokes = invokes_with_guards(dex.data, start, end)
        except (DexError, IndexError):
            continue
        later = []
        for pc, midx, guarded in invokes:
            try:
                callee = dex.method_descriptor(midx)
            except DexError:
                continue
            w.calls.append((method, callee, pc, guarded))
            if depth + 1 > MAX_DEPTH or skip_callee(callee):
                continue
            c_cls, _, c_rest = callee.partition("->")
            c_name, _, c_proto = c_rest.partition("(")
            target = index.resolve_code(c_cls, c_name, "(" + c_proto)
            if target is None:
                continue
            item = (target[0], method, entry, depth + 1, cond or guarded)
            (later if guarded else queue).append(item)
        queue.extend(later)
    return w


def analyse(
    index: DexIndex,
    manifest: Manifest,
    call_sites: list[CallSite],
    catalogue: dict[str, SdkInfo],
) -> StartupReach:
    starts = entries(index, manifest)
    if not starts:
        return StartupReach()
    inits = _ApiTable.build(catalogue, "init_api")
    consents = _ApiTable.build(catalogue, "consent_api")

    # pass 1: everything reachable, to see which SDKs have their consent switch called at startup
    full = _walk(index, starts, lambda _c: False)
    gates: dict[str, str] = {}
    for _, callee, _, _ in full.calls:
        for sid in consents.match(callee):
            gates.setdefault(sid, callee)

    # pass 2: do not enter the initialisation of a gated SDK
    def skip(callee: str) -> bool:
        return any(sid in gates for sid in inits.match(callee))

    w = full if not gates else _walk(index, starts, skip)
    out_inits: list[StartupInit] = []
    seen: set[tuple[str, str]] = set()
    for method, callee, _, guarded in w.calls:
        sids = inits.match(callee)
        if not sids or method not in w.conditional:
            continue
        # several entries of one vendor can share an init API: report the one detected, else the first
        sid = next((s for s in sids if s in gates), sids[0])
        if (sid, method) in seen:
            continue
        seen.add((sid, method))
        conditional = guarded or w.conditional[method]
        out_inits.append(
            StartupInit(
                sdk=sid,
                api=callee,
                entry=w.entry_of[method],
                chain=w.chain(method),
                gated=sid in gates or conditional,
                gate=gates.get(sid),
                conditional=conditional,
            )
        )
    collection = [
        StartupCollection(
            api=c.api,
            pi_type=c.pi_type,
            caller=c.caller,
            owner=c.owner,
            entry=w.entry_of[c.caller],
            chain=w.chain(c.caller),
            conditional=w.conditional[c.caller],
        )
        for c in call_sites
        if c.caller in w.conditional
    ]
    depth = max((len(w.chain(m)) - 1 for m in w.conditional), default=0)
    return StartupReach(
        entries=starts,
        sdk_inits=out_inits,
        collection=collection,
        max_depth=depth,
        truncated=w.truncated or full.truncated,
    )

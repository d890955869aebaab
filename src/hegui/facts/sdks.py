"""Which catalogued SDKs an APK embeds, and who owns each piece of code.

Signals, each counted separately so that partial obfuscation does not hide an SDK:

- ``code``: classes under one of the SDK's package prefixes (the longest catalogued prefix wins);
- ``component``: a manifest component the SDK declares (names in the manifest survive obfuscation);
- ``native_lib``: a ``.so`` file the SDK ships;
- ``domain``: a URL constant on one of the SDK's domains.

Confidence: ``high`` with three or more classes, or code plus another signal; ``medium`` with
code alone, or a component or native library; ``low`` with a domain only.

Ownership of a class: an SDK when its package matches the SDK's prefix; otherwise an SDK when
the class (outside the app's namespace) holds a URL on that SDK's domains — code repackaged by an
obfuscator keeps its endpoints —; otherwise ``app`` in the app's namespace, else
``third-party:<package prefix>``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from hegui.facts.model import DetectedSdk, Manifest, SdkSignal, ThirdPartyPackage
from hegui.facts.owner import class_package, owner_of
from hegui.knowledge.loaders import SdkInfo


@dataclass(frozen=True)
class SdkMatcher:
    """The catalogue arranged for lookup by package, component, library and domain."""

    by_prefix: dict[str, str]
    by_component: dict[str, str]
    by_lib: dict[str, str]
    by_domain: dict[str, str]

    @classmethod
    def build(cls, catalogue: dict[str, SdkInfo]) -> SdkMatcher:
        return cls(
            by_prefix={p: s.id for s in catalogue.values() for p in s.code},
            by_component={c: s.id for s in catalogue.values() for c in s.components},
            by_lib={n: s.id for s in catalogue.values() for n in s.native_libs},
            by_domain={d.lower(): s.id for s in catalogue.values() for d in s.domains},
        )

    def package(self, package: str) -> tuple[str, str] | None:
        """(sdk id, matching prefix) for a Java package, the longest catalogued prefix first."""
        parts = package.split(".")
        for n in range(len(parts), 0, -1):
            prefix = ".".join(parts[:n])
            sid = self.by_prefix.get(prefix)
            if sid is not None:
                return sid, prefix
        return None

    def domain(self, host: str) -> str | None:
        parts = host.lower().split(".")
        for n in range(len(parts) - 1):
            sid = self.by_domain.get(".".join(parts[n:]))
            if sid is not None:
                return sid
        return None


def detect(
    matcher: SdkMatcher,
    class_descriptors: Iterable[str],
    manifest: Manifest,
    native_libs: Iterable[str],
    domains: Iterable[str],
) -> dict[str, list[SdkSignal]]:
    """Signals per SDK id."""
    packages = Counter(class_package(d) for d in class_descriptors)
    code: dict[str, Counter[str]] = defaultdict(Counter)
    for pkg, n in packages.items():
        hit = matcher.package(pkg)
        if hit is not None:
            code[hit[0]][hit[1]] += n
    signals: dict[str, list[SdkSignal]] = defaultdict(list)
    for sid, prefixes in code.items():
        for prefix, n in sorted(prefixes.items()):
            signals[sid].append(SdkSignal(kind="code", value=prefix, count=n))
    for comp in manifest.components:
        sid = matcher.by_component.get(comp.name)
        if sid is not None:
            signals[sid].append(SdkSignal(kind="component", value=comp.name))
    for path in native_libs:
        sid = matcher.by_lib.get(path.rpartition("/")[2])
        if sid is not None and not any(s.value == path.rpartition("/")[2] for s in signals[sid]):
            signals[sid].append(SdkSignal(kind="native_lib", value=path.rpartition("/")[2]))
    for host in domains:
        sid = matcher.domain(host)
        if sid is not None:
            signals[sid].append(SdkSignal(kind="domain", value=host))
    return dict(signals)


def confidence(signals: list[SdkSignal]) -> str:
    kinds = {s.kind for s in signals}
    classes = sum(s.count for s in signals if s.kind == "code")
    if classes >= 3 or ("code" in kinds and len(kinds) > 1):
        return "high"
    if kinds & {"code", "component", "native_lib"}:
        return "medium"
    return "low"


@dataclass
class Attributor:
    """Owner of a class: ``sdk:<id>``, ``app`` or ``third-party:<prefix>`` (see module doc)."""

    matcher: SdkMatcher
    namespaces: tuple[str, ...]
    present: frozenset[str]  # ids of SDKs detected in this APK
    by_url_class: dict[str, str]  # class descriptor -> sdk id, from URL constants it holds

    def owner(self, class_descriptor: str) -> str:
        hit = self.matcher.package(class_package(class_descriptor))
        if hit is not None:
            return f"sdk:{hit[0]}"
        base = owner_of(class_descriptor, self.namespaces)
        if base != "app" or class_package(class_descriptor) == "":
            sid = self.by_url_class.get(class_descriptor)
            if sid is not None and sid in self.present:
                return f"sdk:{sid}"
        return base


def summarise(
    catalogue: dict[str, SdkInfo],
    signals: dict[str, list[SdkSignal]],
    owners_pi: dict[str, set[str]],
) -> list[DetectedSdk]:
    """DetectedSdk per SDK with signals, sorted by confidence then id."""
    rank = {"high": 0, "medium": 1, "low": 2}
    out = []
    for sid, sig in signals.items():
        info = catalogue[sid]
        out.append(
            DetectedSdk(
                id=sid,
                name_zh=info.name.zh,
                name_en=info.name.en,
                vendor_zh=info.vendor.zh,
                vendor_en=info.vendor.en,
                category=info.category,
                country=info.country,
                confidence=confidence(sig),
                signals=sig,
                pi_reached=sorted(owners_pi.get(f"sdk:{sid}", ())),
                pi_declared=sorted(info.collects),
                declared_basis=info.collects_basis,
                privacy_policy=info.privacy_policy,
            )
        )
    return sorted(out, key=lambda d: (rank[d.confidence], d.id))


def third_party(owners_pi: dict[str, set[str]], counts: Counter[str]) -> list[ThirdPartyPackage]:
    return [
        ThirdPartyPackage(package=o.partition(":")[2], pi_reached=sorted(pi), call_sites=counts[o])
        for o, pi in sorted(owners_pi.items())
        if o.startswith("third-party:")
    ]

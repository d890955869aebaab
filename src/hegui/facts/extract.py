"""APK -> Facts. The only place that opens the APK; everything downstream reads Facts."""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from hegui.apk.archive import Limits, open_apk
from hegui.apk.manifest import parse_manifest
from hegui.apk.signing import read_signing
from hegui.dex.index import Catalogue, DexIndex, RawSite, strings_with_prefix
from hegui.dex.reader import DexFile
from hegui.errors import DexError
from hegui.facts.model import AnalysisNote, CallSite, DexInfo, Facts
from hegui.facts.owner import app_namespaces, caller_class
from hegui.facts.policy import find_policy
from hegui.facts.sdks import Attributor, SdkMatcher, detect, summarise, third_party
from hegui.facts.startup import analyse as analyse_startup
from hegui.facts.tls import cleartext_url_refs, overrides
from hegui.knowledge import permissions, sdks, sensitive_apis

MAX_URLS = 2000
# XML namespaces and schema identifiers that look like URLs but are never contacted
_NOT_ENDPOINTS = ("schemas.android.com", "www.w3.org", "ns.adobe.com", "xml.org", "xmlpull.org", "purl.org")


@functools.cache
def _catalogue() -> Catalogue:
    return Catalogue.build(sensitive_apis())


def warm_up() -> None:
    """Load and index the packaged knowledge now (a worker calls this once before its first APK)."""
    _catalogue()
    permissions()
    _matcher()


def extract(path: str | Path, *, limits: Limits | None = None, bundled_policy: bool = True) -> Facts:
    """Read an APK once and return its facts. Raises ApkError if it cannot be analysed at all.
    ``bundled_policy=False`` skips the search for a bundled privacy policy (one is given instead)."""
    notes: list[AnalysisNote] = []
    with open_apk(path, limits or Limits()) as apk:
        manifest = parse_manifest(apk)
        schemes, certs, sign_problem = read_signing(apk)
        if sign_problem:
            notes.append(AnalysisNote(code="signing-unreadable", message=sign_problem))
        dexes: list[DexFile] = []
        infos: list[DexInfo] = []
        for name in apk.dex_names:
            try:
                dex = DexFile(apk.read(name), name)
            except DexError as exc:
                notes.append(AnalysisNote(code="dex-malformed", message=str(exc), file=name))
                continue
            dexes.append(dex)
            infos.append(
                DexInfo(
                    name=name,
                    size=len(dex.data),
                    version=dex.version,
                    classes=dex.class_defs_size,
                    methods=dex.method_ids_size,
                    strings=dex.string_ids_size,
                )
            )
        if not apk.dex_names:
            notes.append(AnalysisNote(code="no-dex", message="the APK has no classes*.dex: no code was analysed"))
        for name in apk.hidden_dex:
            notes.append(
                AnalysisNote(
                    code="hidden-dex",
                    message="code outside classes*.dex (a packed or hot-patched app): it was not analysed",
                    file=name,
                )
            )
        for name in apk.unsafe_names:
            notes.append(AnalysisNote(code="unsafe-entry-name", message="entry name with a path trick", file=name))
        for name in apk.duplicate_names:
            notes.append(AnalysisNote(code="duplicate-entry", message="entry name present twice", file=name))

        index = DexIndex(dexes)
        raw, problems = index.call_sites(_catalogue())
        for dex_name, problem in problems:
            notes.append(AnalysisNote(code="dex-malformed", message=problem, file=dex_name))
        urls = _urls(dexes, notes)
        domains = sorted({h for u in urls if (h := _host(u))})
        catalogue, matcher = sdks(), _matcher()
        try:
            classes = list(index.classes)
        except DexError as exc:
            notes.append(AnalysisNote(code="dex-malformed", message=str(exc)))
            classes = []
        signals = detect(matcher, classes, manifest, apk.native_libs, domains)
        attributor = Attributor(
            matcher=matcher,
            namespaces=app_namespaces(manifest.package, manifest.application_class),
            present=frozenset(signals),
            by_url_class=_url_classes(index, matcher, urls, notes),
        )
        call_sites = _merge(raw, attributor)
        tls, tls_notes = overrides(index, attributor.owner)
        url_refs, url_notes = cleartext_url_refs(index, urls, attributor.owner)
        notes.extend(tls_notes + url_notes)
        owners_pi: dict[str, set[str]] = defaultdict(set)
        for c in call_sites:
            owners_pi[c.owner].add(c.pi_type)
        try:
            startup = analyse_startup(index, manifest, call_sites, catalogue)
        except DexError as exc:
            notes.append(AnalysisNote(code="startup-unanalysed", message=str(exc)))
            startup = None
        policy, policy_source = find_policy(apk, notes) if bundled_policy else (None, None)
        facts = Facts(
            file_name=Path(path).name,
            file_size=apk.size,
            sha256=apk.sha256,
            package=manifest.package,
            version_code=manifest.version_code,
            version_name=manifest.version_name,
            min_sdk=manifest.min_sdk,
            target_sdk=manifest.target_sdk,
            permissions=sorted({p.name for p in manifest.permissions}),
            manifest=manifest,
            certificates=certs,
            signing_schemes=schemes,
            dex_files=infos,
            native_libs=list(apk.native_libs),
            assets=list(apk.assets),
            hidden_dex=list(apk.hidden_dex),
            call_sites=call_sites,
            sdks=summarise(catalogue, signals, owners_pi),
            third_party_packages=third_party(owners_pi, Counter(c.owner for c in call_sites)),
            startup=startup,
            urls=urls,
            domains=domains,
            cleartext_urls=url_refs,
            tls=tls,
            policy=policy,
            policy_source=policy_source,
            notes=notes,
        )
    return facts


@functools.cache
def _matcher() -> SdkMatcher:
    return SdkMatcher.build(sdks())


def _url_classes(index: DexIndex, matcher: SdkMatcher, urls: list[str], notes: list[AnalysisNote]) -> dict[str, str]:
    """Class descriptor -> SDK id, for classes that load a URL on a catalogued SDK's domain."""
    by_url = {u: sid for u in urls if (h := _host(u)) and (sid := matcher.domain(h))}
    if not by_url:
        return {}
    try:
        users = index.string_users(by_url)
    except DexError as exc:
        notes.append(AnalysisNote(code="dex-malformed", message=str(exc)))
        return {}
    return {caller_class(m): by_url[u] for u, methods in users.items() for m in methods}


def _merge(raw: list[RawSite], attributor: Attributor) -> list[CallSite]:
    """One call site per (api, caller), the first instruction's offset kept, sorted for stable output."""
    seen: dict[tuple[str, str, str], CallSite] = {}
    for r in raw:
        api = r.api.signature if r.api.kind != "string" else r.written
        key = (api, r.caller, r.api.id)
        if key in seen:
            continue
        seen[key] = CallSite(
            api=api,
            kind=r.api.kind,
            api_id=r.api.id,
            pi_type=r.api.pi_type,
            permissions=list(r.api.permissions),
            caller=r.caller,
            dex=r.dex,
            offset=r.pc,
            via=r.written if r.api.kind == "invoke" and r.written != r.api.signature else None,
            owner=attributor.owner(caller_class(r.caller)),
        )
    return sorted(seen.values(), key=lambda c: (c.pi_type, c.api, c.caller))


def _urls(dexes: list[DexFile], notes: list[AnalysisNote]) -> list[str]:
    found: set[str] = set()
    for dex in dexes:
        try:
            for prefix in ("http://", "https://"):
                for i in strings_with_prefix(dex, prefix):
                    found.add(dex.string(i))
        except DexError as exc:
            notes.append(AnalysisNote(code="dex-malformed", message=str(exc), file=dex.name))
    urls = sorted(u for u in found if (h := _host(u)) and not h.endswith(_NOT_ENDPOINTS))
    if len(urls) > MAX_URLS:
        notes.append(AnalysisNote(code="urls-truncated", message=f"{len(urls)} URLs; the first {MAX_URLS} kept"))
        urls = urls[:MAX_URLS]
    return urls


def _host(url: str) -> str | None:
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    if not host or "." not in host or any(c in host for c in "%{}$ "):
        return None
    return host.lower()

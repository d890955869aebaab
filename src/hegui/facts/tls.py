"""Transport security in the bytecode: overridden TLS checks, and the ``http://`` URLs code loads.

Overridden checks (:func:`overrides`), each a :class:`~hegui.facts.model.TlsOverride`:

- ``trust_manager``: ``checkServerTrusted`` of a class whose ancestors include
  ``X509TrustManager`` or ``X509ExtendedTrustManager``. *accepts_all* when the body has no
  ``throw`` and calls nothing but inert helpers (logging, string building, Kotlin's parameter
  null checks) outside try blocks; any other call (another TrustManager, ``checkValidity``, an
  app helper) that is not inside a try block, or a ``throw``, makes it *checks*. (A delegation
  wrapped in a try block with no ``throw`` anywhere swallows the rejection: *accepts_all*.)
- ``hostname_verifier``: ``verify(String, SSLSession)`` of a ``HostnameVerifier``. *accepts_all*
  when every ``return`` returns a register that the method only ever sets to a non-zero constant
  (``const/4 v0, 0x1; return v0``). Only a few opcodes are modelled (constants, moves of results,
  string/field loads, calls, jumps); anything else, or a ``throw``, makes it *checks*.
- ``webview_ssl_error``: ``onReceivedSslError`` of a ``WebViewClient`` subclass. *proceeds* when it
  calls ``SslErrorHandler.proceed()``; *conditional* when it also calls ``cancel()`` or the
  superclass method (which cancels); otherwise *checks*.
- ``allow_all_verifier``: a method that reads Apache's ``ALLOW_ALL_HOSTNAME_VERIFIER`` (or
  ``NoopHostnameVerifier.INSTANCE``, or constructs ``AllowAllHostnameVerifier``) and installs a
  hostname verifier in the same method (``setHostnameVerifier``, ``setDefaultHostnameVerifier``,
  OkHttp's ``hostnameVerifier``, or a constructor taking one).

Cost: candidate methods are found by name in the method-id tables (a binary search per name,
then one pass over the ids of the DEX files that hold the name); only classes whose ancestors
include a hooked platform type are decoded, and only the hooked method. Nothing here raises on
malformed code: a method that cannot be read is skipped with an :class:`AnalysisNote`.

Static limits: a check done in a helper the method calls counts as a check (no inter-procedural
analysis); lambdas compiled to ``invoke-custom`` and X5/third-party WebView clients are not seen.
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from hegui.dex.code import INVOKE_OPS, WIDTH, walk
from hegui.dex.index import DexIndex, _indices_with_name, _Targets, find_string
from hegui.dex.reader import DexFile
from hegui.errors import DexError
from hegui.facts.model import AnalysisNote, TlsOverride, UrlRef
from hegui.facts.owner import caller_class

TRUST_MANAGER = "Ljavax/net/ssl/X509TrustManager;"
EXTENDED_TRUST_MANAGER = "Ljavax/net/ssl/X509ExtendedTrustManager;"
HOSTNAME_VERIFIER = "Ljavax/net/ssl/HostnameVerifier;"
WEBVIEW_CLIENT = "Landroid/webkit/WebViewClient;"
SSL_ERROR_HANDLER = "Landroid/webkit/SslErrorHandler;"

MAX_OVERRIDES = 500
MAX_URL_REFS = 2000

# what malformed bytecode can raise while it is decoded
_MALFORMED = (DexError, IndexError, ValueError, KeyError, OverflowError, struct.error)

Resolve = Callable[[int], tuple[str, str, str]]  # method index -> (class, name, proto)
OwnerOf = Callable[[str], str]  # class descriptor -> app / sdk:<id> / third-party:<pkg>


@dataclass(frozen=True)
class Hook:
    """A platform method whose override replaces a TLS check."""

    kind: str
    interfaces: tuple[str, ...]
    name: str
    protos: frozenset[str]


_CHAIN = "[Ljava/security/cert/X509Certificate;Ljava/lang/String;"
HOOKS = (
    Hook(
        "trust_manager",
        (TRUST_MANAGER, EXTENDED_TRUST_MANAGER),
        "checkServerTrusted",
        frozenset({f"({_CHAIN})V", f"({_CHAIN}Ljava/net/Socket;)V", f"({_CHAIN}Ljavax/net/ssl/SSLEngine;)V"}),
    ),
    Hook(
        "hostname_verifier",
        (HOSTNAME_VERIFIER,),
        "verify",
        frozenset({"(Ljava/lang/String;Ljavax/net/ssl/SSLSession;)Z"}),
    ),
    Hook(
        "webview_ssl_error",
        (WEBVIEW_CLIENT,),
        "onReceivedSslError",
        frozenset({"(Landroid/webkit/WebView;Landroid/webkit/SslErrorHandler;Landroid/net/http/SslError;)V"}),
    ),
)

# Calls that cannot reject a certificate: logging, string building, Kotlin's parameter checks.
INERT_CLASSES = frozenset(
    {
        "Landroid/util/Log;",
        "Ljava/io/PrintStream;",
        "Ljava/lang/String;",
        "Ljava/lang/StringBuilder;",
        "Ljava/lang/StringBuffer;",
        "Ljava/lang/Object;",
        "Ljava/util/Arrays;",
        "Lkotlin/jvm/internal/Intrinsics;",
    }
)

# Apache HttpClient's allow-all hostname verifiers: (class, static field) and classes constructed
ALLOW_ALL_FIELDS = frozenset(
    {
        ("Lorg/apache/http/conn/ssl/SSLSocketFactory;", "ALLOW_ALL_HOSTNAME_VERIFIER"),
        ("Lorg/apache/http/conn/ssl/NoopHostnameVerifier;", "INSTANCE"),
    }
)
ALLOW_ALL_CLASSES = frozenset(
    {"Lorg/apache/http/conn/ssl/AllowAllHostnameVerifier;", "Lorg/apache/http/conn/ssl/NoopHostnameVerifier;"}
)
VERIFIER_SETTERS = frozenset({"setHostnameVerifier", "setDefaultHostnameVerifier", "hostnameVerifier"})

THROW = 0x27
RETURN = 0x0F
RETURN_VOID = 0x0E
INVOKE_SUPER = frozenset({0x6F, 0x75})
INVOKE_CUSTOM = frozenset({0xFC, 0xFD})
# verify(): opcodes that write register AA with a value that is not a known constant
_WRITES_AA = frozenset({0x0A, 0x0C, 0x1A, 0x1B, 0x1C, 0x1F, 0x22, *range(0x60, 0x67)})
# verify(): opcodes that write no register and do not leave the method (nop, monitors, jumps, if-*, sput)
_NO_WRITE = frozenset({0x00, 0x1D, 0x1E, 0x28, 0x29, 0x2A, *range(0x32, 0x3E), *range(0x67, 0x6E)})


# -- verdicts on one method body ------------------------------------------------------------
def _instructions(data: bytes, start: int, end: int) -> Iterator[tuple[int, int, int]]:
    """(byte offset, pc, opcode) of each whole instruction; stops at one cut by ``end``."""
    if start < 0 or end > len(data) or start > end:
        raise DexError(f"instructions at {start:#x}..{end:#x} lie outside the file")
    for pos, op in walk(data, start, end):
        if pos + 2 * WIDTH[op] > end:
            return
        yield pos, (pos - start) // 2, op


def _method_index(data: bytes, pos: int) -> int:
    return data[pos + 2] | (data[pos + 3] << 8)


def try_ranges(data: bytes, code_off: int) -> list[tuple[int, int]]:
    """(first pc, end pc) of every try block of a code item (``tries`` follow the instructions)."""
    (tries_size,) = struct.unpack_from("<H", data, code_off + 6)
    (insns_size,) = struct.unpack_from("<I", data, code_off + 12)
    pos = code_off + 16 + 2 * insns_size + (2 if tries_size and insns_size & 1 else 0)
    out = []
    for _ in range(tries_size):
        start_addr, count, _ = struct.unpack_from("<IHH", data, pos)
        out.append((start_addr, start_addr + count))
        pos += 8
    return out


def trust_verdict(
    data: bytes, start: int, end: int, resolve: Resolve, tries: Iterable[tuple[int, int]] = ()
) -> tuple[str, int]:
    """``checkServerTrusted``: (accepts_all | checks, pc of the deciding instruction).

    A call inside a try block does not count as a check when the method never throws: whatever
    the call raised was caught and dropped (the pitfall Google Play's TrustManager notice names).
    """
    tries = list(tries)
    first_return = 0
    seen_return = False
    delegation: int | None = None
    for pos, pc, op in _instructions(data, start, end):
        if op == THROW or op in INVOKE_CUSTOM:
            return "checks", pc
        if op in INVOKE_OPS:
            klass, _, _ = resolve(_method_index(data, pos))
            if klass not in INERT_CLASSES and not any(a <= pc < b for a, b in tries):
                return "checks", pc
            if klass not in INERT_CLASSES and delegation is None:
                delegation = pc
        elif op == RETURN_VOID and not seen_return:
            first_return, seen_return = pc, True
    return "accepts_all", first_return if delegation is None else delegation


def verifier_verdict(data: bytes, start: int, end: int) -> tuple[str, int]:
    """``HostnameVerifier.verify``: accepts_all when every return returns a non-zero constant."""
    values: dict[int, set[int | None]] = {}  # register -> every value written to it (None: unknown)
    returns: list[tuple[int, int]] = []
    for pos, pc, op in _instructions(data, start, end):
        a = data[pos + 1]
        if op == 0x12:  # const/4 vA, #+B (signed nibble)
            nib = a >> 4
            values.setdefault(a & 0xF, set()).add(nib - 16 if nib & 0x8 else nib)
        elif op == 0x13:  # const/16 vAA, #+BBBB
            values.setdefault(a, set()).add(int.from_bytes(data[pos + 2 : pos + 4], "little", signed=True))
        elif op == 0x14:  # const vAA, #+BBBBBBBB
            values.setdefault(a, set()).add(int.from_bytes(data[pos + 2 : pos + 6], "little", signed=True))
        elif op == 0x15:  # const/high16 vAA, #+BBBB0000
            values.setdefault(a, set()).add(
                int.from_bytes(data[pos + 2 : pos + 4], "little", signed=True) << 16
            )
        elif op in _WRITES_AA:
            values.setdefault(a, set()).add(None)
        elif op == 0x0B:  # move-result-wide vAA: a register pair
            values.setdefault(a, set()).add(None)
            values.setdefault(a + 1, set()).add(None)
        elif op == RETURN:
            returns.append((pc, a))
        elif op in INVOKE_OPS or op in _NO_WRITE:
            continue
        else:  # a throw, or an opcode not modelled here: not provably constant
            return "checks", pc
    if not returns:
        return "checks", 0
    for pc, reg in returns:
        written = values.get(reg)
        if not written or None in written or 0 in written:
            return "checks", pc
    return "accepts_all", returns[0][0]


def ssl_error_verdict(data: bytes, start: int, end: int, resolve: Resolve) -> tuple[str, int]:
    """``onReceivedSslError``: proceeds | conditional | checks, with the pc of ``proceed()``."""
    proceed: int | None = None
    cancels = False
    for pos, pc, op in _instructions(data, start, end):
        if op not in INVOKE_OPS:
            continue
        klass, name, proto = resolve(_method_index(data, pos))
        if klass == SSL_ERROR_HANDLER and proto == "()V":
            if name == "proceed" and proceed is None:
                proceed = pc
            elif name == "cancel":
                cancels = True
        elif op in INVOKE_SUPER and name == "onReceivedSslError":
            cancels = True  # WebViewClient's own implementation cancels
    if proceed is None:
        return "checks", 0
    return ("conditional" if cancels else "proceeds"), proceed


# -- finding the overrides -------------------------------------------------------------------
def _resolver(dex: DexFile) -> Resolve:
    def resolve(idx: int) -> tuple[str, str, str]:
        cls_idx, _, _ = dex.method_id(idx)
        name, proto = dex.method_name_proto(idx)
        return dex.type_name(cls_idx), name, proto

    return resolve


def _has_any(index: DexIndex, values: Iterable[str]) -> bool:
    return any(find_string(dex, v) is not None for dex in index.dexes for v in values)


def _declarations(index: DexIndex, hooks: tuple[Hook, ...]) -> Iterator[tuple[Hook, str, str]]:
    """(hook, class, proto) for every class defined in the APK whose method ids name a hook.

    Reads the method-id table directly (as DexIndex does for call sites): one pass per DEX file
    that holds a hook's name, instead of decoding the class data of every class.
    """
    for dex in index.dexes:
        by_name = {i: h for h in hooks if (i := find_string(dex, h.name)) is not None}
        if not by_name:
            continue
        m = dex._method_ids
        for idx in _indices_with_name(m[2::4], m[3::4], set(by_name)):
            cls_idx, proto_idx, name_idx = dex.method_id(idx)
            hook = by_name[name_idx]
            proto = dex.proto(proto_idx)
            if proto in hook.protos:
                yield hook, dex.type_name(cls_idx), proto


def _verdict(hook: Hook, dex: DexFile, code_off: int) -> tuple[str, int]:
    start, end = dex.code_bounds(code_off)
    if hook.kind == "trust_manager":
        return trust_verdict(dex.data, start, end, _resolver(dex), try_ranges(dex.data, code_off))
    if hook.kind == "hostname_verifier":
        return verifier_verdict(dex.data, start, end)
    return ssl_error_verdict(dex.data, start, end, _resolver(dex))


def overrides(index: DexIndex, owner_of: OwnerOf) -> tuple[list[TlsOverride], list[AnalysisNote]]:
    """Every overridden TLS check in the APK, and notes for what could not be read. Never raises."""
    out: list[TlsOverride] = []
    notes: list[AnalysisNote] = []
    try:
        hooks = tuple(h for h in HOOKS if _has_any(index, h.interfaces))
        candidates = sorted(set(_declarations(index, hooks)), key=lambda t: (t[1], t[0].name, t[2]))
        classes = index.classes
    except _MALFORMED as exc:
        return [], [AnalysisNote(code="tls-unanalysed", message=f"{type(exc).__name__}: {exc}")]
    for hook, klass, proto in candidates:
        if klass not in classes:
            continue  # a reference to a framework or missing class
        method = f"{klass}->{hook.name}{proto}"
        try:
            iface = next((a for a in index.ancestors(klass) if a in hook.interfaces), None)
            if iface is None:
                continue
            hit = index.declared_code(klass).get((hook.name, proto))
            if hit is None or not hit[2]:
                continue  # inherited or abstract: the declaring class is a candidate itself
            dex, _, code_off = hit
            verdict, pc = _verdict(hook, dex, code_off)
        except _MALFORMED as exc:
            notes.append(
                AnalysisNote(code="tls-unanalysed", message=f"{method}: {type(exc).__name__}: {exc}")
            )
            continue
        out.append(
            TlsOverride(
                kind=hook.kind,  # type: ignore[arg-type]
                declaring_class=klass,
                method=method,
                interface=iface,
                verdict=verdict,  # type: ignore[arg-type]
                owner=owner_of(klass),
                dex=dex.name,
                offset=pc,
            )
        )
    more, more_notes = _allow_all(index, owner_of)
    out.extend(more)
    notes.extend(more_notes)
    if len(out) > MAX_OVERRIDES:
        notes.append(
            AnalysisNote(
                code="tls-truncated", message=f"{len(out)} TLS overrides; the first {MAX_OVERRIDES} kept"
            )
        )
        out = out[:MAX_OVERRIDES]
    return out, notes


def _allow_all(index: DexIndex, owner_of: OwnerOf) -> tuple[list[TlsOverride], list[AnalysisNote]]:
    """Methods that take an allow-all hostname verifier and install one."""
    out: list[TlsOverride] = []
    notes: list[AnalysisNote] = []
    wanted_classes = {c for c, _ in ALLOW_ALL_FIELDS} | ALLOW_ALL_CLASSES
    for dex in index.dexes:
        try:
            if not any(find_string(dex, c) is not None for c in wanted_classes):
                continue
            targets = _Targets()
            names = {i for _, n in ALLOW_ALL_FIELDS if (i := find_string(dex, n)) is not None}
            f = dex._field_ids
            for idx in _indices_with_name(f[2::4], f[3::4], names):
                cls_idx, _, name_idx = dex.field_id(idx)
                key = (dex.type_name(cls_idx), dex.string(name_idx))
                if key in ALLOW_ALL_FIELDS:
                    targets.fields[idx] = (None, key[0])  # type: ignore[assignment]
            init = find_string(dex, "<init>")
            m = dex._method_ids
            for idx in _indices_with_name(m[2::4], m[3::4], {init} if init is not None else set()):
                klass = dex.type_name(dex.method_id(idx)[0])
                if klass in ALLOW_ALL_CLASSES:
                    targets.methods[idx] = (None, klass)  # type: ignore[assignment]
            if not targets.fields and not targets.methods:
                continue
            refs = index._refs(dex, targets)
        except _MALFORMED as exc:
            notes.append(
                AnalysisNote(code="tls-unanalysed", message=f"{type(exc).__name__}: {exc}", file=dex.name)
            )
            continue
        seen: set[str] = set()
        for ref, caller in refs:
            if caller in seen:
                continue
            seen.add(caller)
            source = (targets.fields if ref.kind == "field" else targets.methods)[ref.index][1]
            try:
                installs = _installs_verifier(index, caller)
            except _MALFORMED as exc:
                notes.append(
                    AnalysisNote(code="tls-unanalysed", message=f"{caller}: {type(exc).__name__}: {exc}")
                )
                continue
            if not installs:
                continue
            klass = caller_class(caller)
            out.append(
                TlsOverride(
                    kind="allow_all_verifier",
                    declaring_class=klass,
                    method=caller,
                    interface=source,
                    verdict="accepts_all",
                    owner=owner_of(klass),
                    dex=dex.name,
                    offset=ref.pc,
                )
            )
    return out, notes


def _installs_verifier(index: DexIndex, method: str) -> bool:
    """Does ``method`` call a hostname-verifier setter, or a constructor taking a verifier?"""
    klass, _, rest = method.partition("->")
    name, _, proto = rest.partition("(")
    hit = index.resolve_code(klass, name, "(" + proto)
    if hit is None:
        return False
    _, dex, start, end = hit
    resolve = _resolver(dex)
    for pos, _, op in _instructions(dex.data, start, end):
        if op in INVOKE_OPS:
            _, callee, callee_proto = resolve(_method_index(dex.data, pos))
            if callee in VERIFIER_SETTERS or (callee == "<init>" and "HostnameVerifier;" in callee_proto):
                return True
    return False


# -- cleartext URLs ----------------------------------------------------------------------------
def cleartext_url_refs(
    index: DexIndex, urls: Iterable[str], owner_of: OwnerOf
) -> tuple[list[UrlRef], list[AnalysisNote]]:
    """One :class:`UrlRef` per (``http://`` URL, method loading it), sorted. Never raises."""
    http = sorted({u for u in urls if u[:7].lower() == "http://"})
    if not http:
        return [], []
    try:
        users = index.string_users(http)
    except _MALFORMED as exc:
        return [], [AnalysisNote(code="urls-unattributed", message=f"{type(exc).__name__}: {exc}")]
    out = [
        UrlRef(url=u, caller=m, owner=owner_of(caller_class(m)))
        for u in sorted(users)
        for m in sorted(users[u])
    ]
    notes: list[AnalysisNote] = []
    if len(out) > MAX_URL_REFS:
        notes.append(
            AnalysisNote(
                code="urls-truncated", message=f"{len(out)} http:// URL uses; the first {MAX_URL_REFS} kept"
            )
        )
        out = out[:MAX_URL_REFS]
    return out, notes

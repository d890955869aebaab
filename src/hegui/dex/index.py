"""Index all DEX files of an APK and find the sensitive call sites.

Steps, per DEX file:

1. Targets: the method ids, static field ids and string ids that denote a catalogued sensitive
   API. DEX string tables are sorted (the platform verifier rejects unsorted ones), so names
   and literals are found by binary search instead of decoding every string. A method id whose
   class is an app subclass of a catalogued class (``MyTelephony->getDeviceId()``) resolves to
   the framework method when no class on the way up defines it.
2. Candidates: one regular expression over the file's bytes (see :mod:`hegui.dex.code`).
3. Exact: only methods holding a candidate are walked instruction by instruction.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from hegui.dex.code import Ref, candidate_pattern, candidates, refs_in
from hegui.dex.reader import NO_INDEX, DexFile
from hegui.errors import DexError
from hegui.knowledge.loaders import SensitiveApi


@dataclass(frozen=True)
class Catalogue:
    """The sensitive-API catalogue arranged for lookup."""

    methods: dict[tuple[str, str, str | None], SensitiveApi]  # (class, name, proto or None=any)
    method_names: frozenset[str]
    fields: dict[tuple[str, str], SensitiveApi]  # (class, name) -> entry
    field_names: frozenset[str]
    strings_exact: dict[str, SensitiveApi]
    strings_prefix: tuple[tuple[str, SensitiveApi], ...]

    @classmethod
    def build(cls, apis: Iterable[SensitiveApi]) -> Catalogue:
        methods: dict[tuple[str, str, str | None], SensitiveApi] = {}
        fields: dict[tuple[str, str], SensitiveApi] = {}
        exact: dict[str, SensitiveApi] = {}
        prefix: list[tuple[str, SensitiveApi]] = []
        for a in apis:
            if a.kind == "invoke":
                klass, _, rest = a.signature.partition("->")
                name, paren, proto = rest.partition("(")
                methods[(klass, name, "(" + proto if paren else None)] = a
            elif a.kind == "field":
                klass, _, rest = a.signature.partition("->")
                fields[(klass, rest.partition(":")[0])] = a
            elif a.match == "prefix":
                prefix.append((a.signature, a))
            else:
                exact[a.signature] = a
        return cls(
            methods=methods,
            method_names=frozenset(k[1] for k in methods),
            fields=fields,
            field_names=frozenset(k[1] for k in fields),
            strings_exact=exact,
            strings_prefix=tuple(sorted(prefix, key=lambda p: p[0])),
        )

    def method(self, klass: str, name: str, proto: str) -> SensitiveApi | None:
        return self.methods.get((klass, name, proto)) or self.methods.get((klass, name, None))

    def string(self, value: str) -> SensitiveApi | None:
        hit = self.strings_exact.get(value)
        if hit is not None:
            return hit
        for p, api in self.strings_prefix:
            if value.startswith(p):
                return api
        return None


@dataclass(frozen=True, slots=True)
class RawSite:
    api: SensitiveApi
    written: str  # descriptor or literal as it appears in the bytecode
    caller: str
    dex: str
    pc: int


@dataclass
class _Targets:
    methods: dict[int, tuple[SensitiveApi, str]] = field(default_factory=dict)
    fields: dict[int, tuple[SensitiveApi, str]] = field(default_factory=dict)
    strings: dict[int, tuple[SensitiveApi, str]] = field(default_factory=dict)


def _lower_bound(dex: DexFile, value: str) -> int:
    lo, hi = 0, dex.string_ids_size
    while lo < hi:
        mid = (lo + hi) // 2
        if dex.string(mid) < value:
            lo = mid + 1
        else:
            hi = mid
    return lo


def find_string(dex: DexFile, value: str) -> int | None:
    """Index of ``value`` in the sorted string table, or None."""
    i = _lower_bound(dex, value)
    return i if i < dex.string_ids_size and dex.string(i) == value else None


def strings_with_prefix(dex: DexFile, prefix: str) -> list[int]:
    """Indices of all strings beginning with ``prefix`` (contiguous in the sorted table)."""
    out = []
    i = _lower_bound(dex, prefix)
    while i < dex.string_ids_size and dex.string(i).startswith(prefix):
        out.append(i)
        i += 1
    return out


def _indices_with_name(name_lo: Sequence[int], name_hi: Sequence[int], names: set[int]) -> list[int]:
    if not names:
        return []
    if max(names) < 0x10000:
        return [i for i, (lo, hi) in enumerate(zip(name_lo, name_hi, strict=True)) if lo in names and not hi]
    return [i for i, (lo, hi) in enumerate(zip(name_lo, name_hi, strict=True)) if (lo | hi << 16) in names]


class DexIndex:
    """All DEX files of one APK, in class-loader order (classes.dex, classes2.dex, ...)."""

    def __init__(self, dexes: list[DexFile]) -> None:
        self.dexes = dexes
        self._ancestors: dict[str, tuple[str, ...]] = {}
        self._code: dict[str, dict[tuple[str, str], tuple[DexFile, int, int]]] = {}
        self._code_maps: dict[str, tuple[list[int], list[int], list[int]]] = {}

    @cached_property
    def classes(self) -> dict[str, tuple[DexFile, int]]:
        """Descriptor -> (DEX, class_def index) of every defined class; the first definition wins."""
        out: dict[str, tuple[DexFile, int]] = {}
        for dex in self.dexes:
            for desc, i in dex.defined_types.items():
                out.setdefault(desc, (dex, i))
        return out

    def ancestors(self, desc: str) -> tuple[str, ...]:
        """Every supertype of a defined class (defined or not), breadth first, without repeats."""
        got = self._ancestors.get(desc)
        if got is None:
            out: dict[str, None] = {}
            todo = list(self.supertypes(desc))
            while todo:
                c = todo.pop(0)
                if c in out or c == desc:
                    continue
                out[c] = None
                if c in self.classes:
                    todo.extend(self.supertypes(c))
            got = tuple(out)
            self._ancestors[desc] = got
        return got

    def supertypes(self, desc: str) -> list[str]:
        """Superclass then interfaces of a defined class."""
        dex, i = self.classes[desc]
        cd = dex.class_def(i)
        sup = [] if cd.superclass_idx == NO_INDEX else [dex.type_name(cd.superclass_idx)]
        return sup + dex.interfaces(cd)

    def resolve_method(self, cat: Catalogue, klass: str, name: str, proto: str) -> SensitiveApi | None:
        """The catalogued API a method reference reaches, following app subclasses upward.

        Stops (no API) as soon as a class defined in the APK declares the method itself: the
        call then runs app code. Bounded by the number of defined classes (cycles are ignored).
        """
        hit = cat.method(klass, name, proto)
        if hit is not None or klass not in self.classes:
            return hit
        if not any(cat.method(a, name, proto) for a in self.ancestors(klass)):
            return None  # no catalogued class above: skip the costly declared-method checks
        seen: set[str] = set()
        todo = [klass]
        while todo:
            c = todo.pop(0)
            if c in seen:
                continue
            seen.add(c)
            hit = cat.method(c, name, proto)
            if hit is not None:
                return hit
            if c not in self.classes:
                continue  # a framework or missing class: its own hierarchy is not known here
            if (name, proto) in self.declared_code(c):
                return None
            todo.extend(self.supertypes(c))
        return None

    def _targets(self, dex: DexFile, cat: Catalogue) -> _Targets:
        t = _Targets()
        # methods: filter ids by name first (binary search for each catalogued name)
        names = {i for n in cat.method_names if (i := find_string(dex, n)) is not None}
        m = dex._method_ids
        for idx in _indices_with_name(m[2::4], m[3::4], names):
            cls_idx, proto_idx, name_idx = dex.method_id(idx)
            klass, name, proto = dex.type_name(cls_idx), dex.string(name_idx), dex.proto(proto_idx)
            api = self.resolve_method(cat, klass, name, proto)
            if api is not None:
                t.methods[idx] = (api, f"{klass}->{name}{proto}")
        names = {i for n in cat.field_names if (i := find_string(dex, n)) is not None}
        f = dex._field_ids
        for idx in _indices_with_name(f[2::4], f[3::4], names):
            cls_idx, _, name_idx = dex.field_id(idx)
            api = cat.fields.get((dex.type_name(cls_idx), dex.string(name_idx)))
            if api is not None:
                t.fields[idx] = (api, dex.field_descriptor(idx))
        for value, api in cat.strings_exact.items():
            i = find_string(dex, value)
            if i is not None:
                t.strings[i] = (api, value)
        for prefix, api in cat.strings_prefix:
            for i in strings_with_prefix(dex, prefix):
                t.strings.setdefault(i, (api, dex.string(i)))
        return t

    def call_sites(self, cat: Catalogue) -> tuple[list[RawSite], list[tuple[str, str]]]:
        """Every reference to a catalogued API, and (dex name, problem) for files that failed."""
        sites: list[RawSite] = []
        problems: list[tuple[str, str]] = []
        for dex in self.dexes:
            try:
                sites.extend(self._dex_call_sites(dex, cat))
            except (DexError, IndexError, ValueError, OverflowError, KeyError) as exc:
                problems.append((dex.name, f"{type(exc).__name__}: {exc}"))
        return sites, problems

    def _dex_call_sites(self, dex: DexFile, cat: Catalogue) -> list[RawSite]:
        t = self._targets(dex, cat)
        out: list[RawSite] = []
        for r, caller in self._refs(dex, t):
            table = t.methods if r.kind == "invoke" else t.fields if r.kind == "field" else t.strings
            api, written = table[r.index]
            out.append(RawSite(api, written, caller, dex.name, r.pc))
        return out

    def _refs(self, dex: DexFile, t: _Targets) -> list[tuple[Ref, str]]:
        """Exact references to the targets, with the descriptor of the method holding each."""
        pattern = candidate_pattern(t.methods, t.fields, t.strings)
        if pattern is None:
            return []
        data = dex.data
        found = candidates(pattern, data)
        if not found:
            return []
        starts, ends, midx = self._code_maps.get(dex.name) or dex.code_map()
        self._code_maps[dex.name] = (starts, ends, midx)
        methods_hit: dict[int, None] = {}
        for pos in found:
            k = bisect.bisect_right(starts, pos) - 1
            if k >= 0 and pos < ends[k]:
                methods_hit[k] = None
        out: list[tuple[Ref, str]] = []
        mset, fset, sset = set(t.methods), set(t.fields), set(t.strings)
        for k in methods_hit:
            refs = refs_in(data, starts[k], ends[k], mset, fset, sset)
            if refs:
                caller = dex.method_descriptor(midx[k])
                out.extend((r, caller) for r in refs)
        return out

    # -- for call graphs (startup / consent analysis) ----------------------------------------
    def declared_code(self, desc: str) -> dict[tuple[str, str], tuple[DexFile, int, int]]:
        """(name, proto) -> (DEX, method index, code offset) of the methods a defined class declares."""
        got = self._code.get(desc)
        if got is None:
            got = {}
            if desc in self.classes:
                dex, i = self.classes[desc]
                for em in dex.class_methods(dex.class_def(i)):
                    got[dex.method_name_proto(em.method_idx)] = (dex, em.method_idx, em.code_off)
            self._code[desc] = got
        return got

    def resolve_code(self, desc: str, name: str, proto: str) -> tuple[str, DexFile, int, int] | None:
        """The method a call to ``desc->name proto`` runs, found in the class or its defined
        superclasses: (defining descriptor, DEX, start, end), or None if it is framework code,
        abstract, or not in the APK."""
        seen: set[str] = set()
        c = desc
        while c in self.classes and c not in seen:
            seen.add(c)
            hit = self.declared_code(c).get((name, proto))
            if hit is not None:
                dex, _, code_off = hit
                if not code_off:
                    return None
                start, end = dex.code_bounds(code_off)
                return f"{c}->{name}{proto}", dex, start, end
            sup = self.supertypes(c)
            c = sup[0] if sup else ""
        return None

    def string_users(self, values: Iterable[str]) -> dict[str, set[str]]:
        """For each string value, the descriptors of the methods that load it (const-string)."""
        wanted = set(values)
        out: dict[str, set[str]] = {}
        for dex in self.dexes:
            targets = _Targets()
            for v in wanted:
                i = find_string(dex, v)
                if i is not None:
                    targets.strings[i] = (None, v)  # type: ignore[assignment]
            for r, caller in self._refs(dex, targets):
                out.setdefault(targets.strings[r.index][1], set()).add(caller)
        return out

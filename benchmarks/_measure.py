"""One measurement in a fresh process: ``python benchmarks/_measure.py TOOL APK``.

TOOL is ``hegui`` (``hegui.facts.extract.extract``), ``hegui-scan`` (the full ``hegui.api.scan``) or
``androguard`` (``androguard.misc.AnalyzeAPK``, then the catalogued call sites read from its
cross-references). The child imports the tool, records the peak RSS so far (the baseline), times only
the analysis with ``time.perf_counter`` and prints one JSON object on stdout:

``{"tool", "apk", "status": "ok"|"rejected"|"crash", "seconds", "rss_baseline_kib", "rss_peak_kib",
"sites": [[api, kind, caller, via], ...], "error"}``; androguard adds ``derive_seconds`` (reading the
sites from its xrefs, not included in ``seconds``) and ``external_field_classes``; hegui adds
``warm_seconds``, the same analysis repeated in the same process once one-time costs are paid.

``rejected`` is a typed ``ApkError`` (the input is not analysable: a verdict, not a crash). Peak RSS
is ``getrusage(RUSAGE_SELF).ru_maxrss`` (KiB on Linux); one process per (tool, APK), so it is per run.
"""

from __future__ import annotations

import json
import re
import resource
import sys
import time
import traceback
from typing import Any

TOOLS = ("hegui", "hegui-scan", "androguard")


def peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def vm_hwm_kib() -> int | None:
    """Peak RSS of this process image (VmHWM), a cross-check: unlike ``ru_maxrss`` it is never
    inherited from the parent across fork and exec."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def dalvik(class_name: str, name: str, descriptor: str) -> str:
    """``Lcls;->name(params)ret``; androguard writes spaces between parameter types."""
    return f"{class_name}->{name}{descriptor.replace(' ', '')}"


def _split_method(signature: str) -> tuple[str, str, str]:
    cls, rest = signature.split("->", 1)
    name, desc = rest.split("(", 1)
    return cls, name, "(" + desc


def _split_field(signature: str) -> tuple[str, str, str]:
    cls, rest = signature.split("->", 1)
    name, _, ftype = rest.partition(":")
    return cls, name, ftype


def _caller(method_analysis: Any) -> str:
    return dalvik(method_analysis.class_name, method_analysis.name, method_analysis.descriptor)


def androguard_sites(dx: Any, catalogue: Any) -> list[list[Any]]:
    """The (api, kind, caller) triples androguard's xrefs give for every catalogued API."""
    invokes = {a.signature: a for a in catalogue if a.kind == "invoke"}
    fields = [a for a in catalogue if a.kind == "field"]
    strings = [a for a in catalogue if a.kind == "string"]
    out: set[tuple[str, str, str]] = set()

    # invoke: one pass over every MethodAnalysis (internal and external), exact class/name/descriptor
    for ma in dx.get_methods():
        sig = dalvik(ma.class_name, ma.name, ma.descriptor)
        if sig in invokes:
            for _, caller, _ in ma.get_xref_from():
                out.add((sig, "invoke", _caller(caller)))

    # field: find_fields takes regular expressions; escape the names
    for a in fields:
        cls, name, ftype = _split_field(a.signature)
        for fa in dx.find_fields(
            classname=re.escape(cls) + "$",
            fieldname=re.escape(name) + "$",
            fieldtype=(re.escape(ftype) + "$") if ftype else ".*",
        ):
            for _, caller in fa.get_xref_read():
                out.add((a.signature, "field", _caller(caller)))

    # string: exact or prefix match over the const-string table with xrefs
    for value, sa in dx.get_strings_analysis().items():
        for a in strings:
            hit = value == a.signature if a.match == "exact" else value.startswith(a.signature)
            if hit:
                for _, caller in sa.get_xref_from():
                    out.add((value, "string", _caller(caller)))
                break
    return [[api, kind, caller, None] for api, kind, caller in sorted(out)]


def external_field_classes(dx: Any, catalogue: Any) -> list[str]:
    """Classes of catalogued fields that the APK does not define.

    androguard 4.1 records a field read only when the field is defined in the loaded DEX files
    (``get_encoded_field_descriptor`` returns None otherwise), so reads of framework fields such as
    ``Landroid/os/Build;->SERIAL`` never appear in its cross-references.
    """
    out = set()
    for a in catalogue:
        if a.kind == "field":
            cls = _split_field(a.signature)[0]
            ca = dx.classes.get(cls)
            if ca is None or ca.is_external():
                out.add(cls)
    return sorted(out)


def run(tool: str, apk: str) -> dict[str, Any]:
    result: dict[str, Any] = {"tool": tool, "apk": apk, "status": "ok", "error": None, "sites": []}
    if tool in ("hegui", "hegui-scan"):
        from hegui.errors import ApkError

        if tool == "hegui":
            from hegui.facts.extract import extract as analyse
        else:
            from hegui.api import scan

            def analyse(path: str) -> Any:
                return scan(path).facts

        # One-time start-up, like an import: the packaged knowledge files are parsed once per
        # process (a batch worker or the service pays it once, not per APK). Timed separately.
        from hegui.checks.registry import all_rules
        from hegui.facts.extract import warm_up

        started = time.perf_counter()
        warm_up()
        all_rules()
        result["startup_seconds"] = time.perf_counter() - started
        result["rss_baseline_kib"] = peak_kib()
        started = time.perf_counter()
        try:
            facts = analyse(apk)
        except ApkError as exc:
            result.update(status="rejected", error=str(exc))
            facts = None
        result["seconds"] = time.perf_counter() - started
        result["rss_peak_kib"] = peak_kib()
        if facts is not None:
            result["sites"] = [[c.api, c.kind, c.caller, c.via] for c in facts.call_sites]
            # the same analysis again in this process, after the one-time costs (knowledge files
            # loaded and cached): what a long-running service pays per APK. Not in the peak above.
            started = time.perf_counter()
            analyse(apk)
            result["warm_seconds"] = time.perf_counter() - started
    elif tool == "androguard":
        from loguru import logger

        logger.remove()
        logger.disable("androguard")
        from androguard.misc import AnalyzeAPK

        from hegui.knowledge import sensitive_apis

        catalogue = sensitive_apis()
        result["rss_baseline_kib"] = peak_kib()
        started = time.perf_counter()
        _, _, dx = AnalyzeAPK(apk)
        result["seconds"] = time.perf_counter() - started
        result["rss_peak_kib"] = peak_kib()
        started = time.perf_counter()
        result["sites"] = androguard_sites(dx, catalogue)
        result["external_field_classes"] = external_field_classes(dx, catalogue)
        result["derive_seconds"] = time.perf_counter() - started
    else:
        raise SystemExit(f"unknown tool {tool!r}; one of {', '.join(TOOLS)}")
    return result


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(f"usage: python {__file__} {{{'|'.join(TOOLS)}}} APK", file=sys.stderr)
        return 2
    tool, apk = argv
    try:
        result = run(tool, apk)
    except Exception as exc:  # any other exception is a crash of the tool under test
        result = {
            "tool": tool,
            "apk": apk,
            "status": "crash",
            "error": f"{type(exc).__name__}: {exc}",
            "traceback": traceback.format_exc(),
            "sites": [],
            "rss_peak_kib": peak_kib(),
        }
    result["vm_hwm_kib"] = vm_hwm_kib()
    json.dump(result, sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

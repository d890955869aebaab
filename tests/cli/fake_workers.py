"""Test-only batch workers (module-level so they pickle into worker processes).

Each input file says what the worker should do: ``ok [severity...]``, ``crash``, ``segv``, ``hang``,
``not_apk``, ``boom`` or ``pid``
(returns the worker's process id).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from typing import Any

from hegui.checks.model import Severity
from hegui.errors import ApkError
from hegui.report.json import report_dict
from tests.report.builders import make_report


def fake_scan(path: str) -> dict[str, Any]:
    words = Path(path).read_text(encoding="utf-8").split() or ["ok"]
    match words[0]:
        case "crash":
            os._exit(3)
        case "segv":
            os.kill(os.getpid(), signal.SIGSEGV)
        case "hang":
            time.sleep(120)
        case "not_apk":
            raise ApkError("not_apk", "not a ZIP archive; is this an APK?")
        case "boom":
            raise RuntimeError("boom")
        case "pid":
            return {"pid": os.getpid()}
    return report_dict(make_report([Severity(w) for w in words[1:]], n_imei=3))


def write_inputs(folder: Path, spec: dict[str, str]) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, content in spec.items():
        p = folder / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(content, encoding="utf-8")
        paths.append(p)
    return paths

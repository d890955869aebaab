"""crud and domain import each other (publishing a notice applies the strike rule, the strike rule
records through crud): every entry point must import cleanly on its own."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "module",
    [
        "hegui.service.domain.strikes",
        "hegui.service.domain.gate",
        "hegui.service.crud.notices",
        "hegui.service.crud",
    ],
)
def test_imports_alone(module: str) -> None:
    code = f"import {module}; from hegui.service import crud; assert crud.notices.strikes.apply_strike_rule"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)

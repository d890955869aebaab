from __future__ import annotations

from pathlib import Path

import pytest
import yaml

FIXTURES = Path(__file__).parent / "fixtures"


def load_truth() -> dict:
    return yaml.safe_load((FIXTURES / "truth.yaml").read_text(encoding="utf-8"))["apks"]


@pytest.fixture(scope="session")
def truth() -> dict:
    return load_truth()


@pytest.fixture(scope="session")
def fixture_apk():
    def get(name: str) -> Path:
        return FIXTURES / "apk" / f"{name}.apk"

    return get

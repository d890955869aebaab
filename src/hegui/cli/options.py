"""Option types shared by the commands."""

from __future__ import annotations

from enum import StrEnum


class Lang(StrEnum):
    zh = "zh"
    en = "en"

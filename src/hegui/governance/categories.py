"""The violation categories (``data/categories.yaml``): fixed ids, zh/en names, a description and
the rule or law each rests on. ``load_categories(extra=...)`` adds configured categories from
further YAML files of the same shape ("others configurable")."""

from __future__ import annotations

import functools
import re
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}(\.[a-z][a-z0-9_]{0,39})?$")


class Names(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    zh: str
    en: str


class Category(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    name: Names
    description: str
    source: str = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not _ID.match(v):
            raise ValueError(f"category id {v!r} must be 'top' or 'top.sub' (lower-case ASCII)")
        return v

    @property
    def parent(self) -> str | None:
        return self.id.split(".", 1)[0] if "." in self.id else None

    @property
    def name_zh(self) -> str:
        return self.name.zh

    @property
    def name_en(self) -> str:
        return self.name.en


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")

    categories: list[Category]


def _parse(text: str, where: str) -> list[Category]:
    try:
        return _File.model_validate(yaml.safe_load(text) or {}).categories
    except (yaml.YAMLError, ValidationError) as exc:
        raise ValueError(f"{where}: {exc}") from exc


@functools.cache
def load_categories(extra: tuple[str | Path, ...] = ()) -> list[Category]:
    """The packaged categories, then those of ``extra`` files; ids unique, every parent defined."""
    text = resources.files("hegui.governance").joinpath("data", "categories.yaml").read_text("utf-8")
    cats = _parse(text, "categories.yaml")
    for path in extra:
        cats += _parse(Path(path).read_text("utf-8"), str(path))
    seen: set[str] = set()
    for c in cats:
        if c.id in seen:
            raise ValueError(f"category {c.id!r} is defined twice")
        if c.parent is not None and c.parent not in seen:
            raise ValueError(f"category {c.id!r} comes before (or without) its parent {c.parent!r}")
        seen.add(c.id)
    return cats


def category_ids(extra: tuple[str | Path, ...] = ()) -> list[str]:
    return [c.id for c in load_categories(extra)]

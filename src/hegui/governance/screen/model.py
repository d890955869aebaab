"""The screener's result: a score and a label per category, and the evidence spans.

Scores only order the review queue: nothing is sanctioned on a score alone.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

_M = TypeVar("_M", bound=BaseModel)


def build(cls: type[_M], data: dict[str, Any]) -> _M:
    """An instance of ``cls`` from complete, already valid ``data``, without validation: the
    screener builds thousands of these a second from values it computed itself."""
    obj = _new(cls)
    _set(obj, "__dict__", data)
    _set(obj, "__pydantic_fields_set__", set(data))
    _set(obj, "__pydantic_extra__", None)
    _set(obj, "__pydantic_private__", None)
    return obj


_new, _set = object.__new__, object.__setattr__


class CategoryScore(BaseModel):
    model_config = ConfigDict(frozen=True)

    score: float = Field(ge=0.0, le=1.0)
    label: bool


class Span(BaseModel):
    """A piece of the ORIGINAL post (``text == post[start:end]``) that a signal matched."""

    model_config = ConfigDict(frozen=True)

    category: str  # a category id, or "context" for commerce / contact / link / benign signals
    start: int
    end: int
    text: str
    signal: str


class ScreenResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    categories: dict[str, CategoryScore]
    evidence: list[Span] = Field(default_factory=list)
    screener: str = "lexicon"
    truncated: bool = False
    note: str | None = None

    def labels(self) -> list[str]:
        """The top-level category ids whose label is true."""
        return [cid for cid, s in self.categories.items() if s.label and "." not in cid]

"""Shared pieces of the schemas: bounded string types, the strict input base, links."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

API = "/api/v1"


def bounded(max_length: int, *, min_length: int = 0) -> object:
    """A string of at most ``max_length`` characters (surrounding white space removed)."""
    return StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length)


Name = Annotated[str, bounded(200, min_length=1)]
Reason = Annotated[str, bounded(2000, min_length=1)]
Note = Annotated[str, bounded(4000)]
Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Package = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*$", max_length=255)]
Id = Annotated[int, Field(ge=1, le=2**62)]


class Input(BaseModel):
    """Base of request bodies: unknown fields are an error, not silently dropped."""

    model_config = ConfigDict(extra="forbid")


class Public(BaseModel):
    """Base of responses built from ORM rows."""

    model_config = ConfigDict(from_attributes=True)


def version_links(version_id: int) -> dict[str, str]:
    base = f"{API}/versions/{version_id}"
    return {
        "version": base,
        "job": f"{base}/job",
        "result": f"{base}/result",
        "report_html": f"{base}/report.html",
    }

"""Data access without HTTP: one module per resource, plain functions, ``session`` first and every
other argument keyword-only.

Transactions belong to the caller: crud functions ``flush`` (so ids exist and constraints are
checked) but never ``commit``; wrap a request or a job in ``db.session.transaction(factory)``.
Every decision writes an ``audit_log`` row in the same transaction (``audit.record``), so a decision
and its record are committed or rolled back together. ``get_*`` return ``None`` for a missing row;
functions that act on an id raise ``hegui.service.errors.NotFoundError``.
"""

from hegui.service.crud import (
    apps,
    audit,
    cases,
    notices,
    organisations,
    release_review,
    removals,
    results,
    reviews,
    users,
    versions,
)

__all__ = [
    "apps",
    "audit",
    "cases",
    "notices",
    "organisations",
    "release_review",
    "removals",
    "results",
    "reviews",
    "users",
    "versions",
]

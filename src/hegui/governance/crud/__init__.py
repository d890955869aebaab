"""Data access of platform governance without HTTP (same rules as ``hegui.service.crud``): plain
functions, ``session`` first, keyword-only arguments, ``flush`` never ``commit``, every decision
audited in the service's append-only ``audit_log`` in the same transaction."""

from hegui.governance.crud import appeals, cases, complaints, notices, registration, targets

__all__ = ["appeals", "cases", "complaints", "notices", "registration", "targets"]

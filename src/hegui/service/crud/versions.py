"""Versions: uploaded APKs, deduplicated by sha256 (the file itself is in ``service.storage``)."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from hegui.service.crud import audit
from hegui.service.crud._common import add_unique, get_or_404
from hegui.service.db.models import App, Version
from hegui.service.errors import ConflictError, InvalidInputError
from hegui.service.storage import check_sha256

_UNSAFE = re.compile(r"[\x00-\x1f\x7f]")


def _display_name(file_name: str) -> str:
    """The uploader's file name, for display only: last path component, no control characters."""
    base = re.split(r"[\\/]", file_name or "")[-1]
    return _UNSAFE.sub("", base)[:255]


def add_version(
    session: Session,
    *,
    app_id: int,
    sha256: str,
    size: int,
    version_code: int | None,
    version_name: str | None,
    file_name: str = "",
    uploaded_by: int | None = None,
) -> tuple[Version, bool]:
    """The version of these bytes and whether it was created now. The same sha256 again returns the
    stored row (dedup), also when two uploads race; under another app it raises ``ConflictError``."""
    sha256 = check_sha256(sha256)
    if size < 0:
        raise InvalidInputError(f"a size cannot be negative: {size}")
    for _attempt in range(2):
        existing = get_version_by_sha256(session, sha256)
        if existing is not None:
            if existing.app_id != app_id:
                raise ConflictError(
                    f"an APK with sha256 {sha256} is already stored as version {existing.id} of app "
                    f"{existing.app_id}, not app {app_id}; the same bytes cannot belong to two apps",
                    zh="相同的安装包已属于另一个应用。",
                )
            return existing, False
        get_or_404(session, App, app_id, "app")
        version = Version(
            app_id=app_id,
            sha256=sha256,
            size=size,
            version_code=version_code,
            version_name=version_name[:100] if version_name else None,
            file_name=_display_name(file_name),
            uploaded_by=uploaded_by,
        )
        if add_unique(session, version):
            audit.record(
                session,
                actor_id=uploaded_by,
                action="version.upload",
                target_type="version",
                target_id=version.id,
                data={
                    "app_id": app_id,
                    "sha256": sha256,
                    "size": size,
                    "version_code": version_code,
                    "version_name": version.version_name,
                },
            )
            return version, True
    raise ConflictError(f"version {sha256} could not be stored; retry")  # pragma: no cover


def get_version(session: Session, version_id: int) -> Version | None:
    return session.get(Version, version_id)


def get_version_by_sha256(session: Session, sha256: str) -> Version | None:
    return session.scalar(select(Version).where(Version.sha256 == sha256))


def latest_version(session: Session, *, app_id: int, version_code: int) -> Version | None:
    """The most recent upload of the app with this versionCode (a rebuild may reuse a code)."""
    q = (
        select(Version)
        .where(Version.app_id == app_id, Version.version_code == version_code)
        .order_by(Version.id.desc())
        .limit(1)
    )
    return session.scalar(q)


def list_versions(session: Session, *, app_id: int) -> list[Version]:
    return list(session.scalars(select(Version).where(Version.app_id == app_id).order_by(Version.id)))

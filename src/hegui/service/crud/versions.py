"""Versions: uploaded APKs with the privacy policy given with them, deduplicated by the pair
(APK sha256, policy sha256); the files themselves are in ``service.storage``."""

from __future__ import annotations

import re

from sqlalchemy import or_, select
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
    policy_sha256: str | None = None,
    policy_file_name: str = "",
) -> tuple[Version, bool]:
    """The version of these bytes with this policy (None: no policy) and whether it was created
    now. The same pair again returns the stored row (dedup), also when two uploads race; the same
    APK under another app raises ``ConflictError``."""
    sha256 = check_sha256(sha256)
    if policy_sha256 is not None:
        policy_sha256 = check_sha256(policy_sha256)
    if size < 0:
        raise InvalidInputError(f"a size cannot be negative: {size}")
    for _attempt in range(2):
        other = session.scalar(select(Version).where(Version.sha256 == sha256, Version.app_id != app_id))
        if other is not None:
            raise ConflictError(
                f"an APK with sha256 {sha256} is already stored as version {other.id} of app "
                f"{other.app_id}, not app {app_id}; the same bytes cannot belong to two apps",
                zh="相同的安装包已属于另一个应用。",
            )
        existing = get_version_by_sha256(session, sha256, policy_sha256=policy_sha256)
        if existing is not None:
            return existing, False
        get_or_404(session, App, app_id, "app")
        version = Version(
            app_id=app_id,
            sha256=sha256,
            size=size,
            version_code=version_code,
            version_name=version_name[:100] if version_name else None,
            file_name=_display_name(file_name),
            policy_sha256=policy_sha256,
            policy_file_name=_display_name(policy_file_name) if policy_sha256 else None,
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
                    "policy_sha256": policy_sha256,
                },
            )
            return version, True
    raise ConflictError(f"version {sha256} could not be stored; retry")  # pragma: no cover


def get_version(session: Session, version_id: int) -> Version | None:
    return session.get(Version, version_id)


def get_version_by_sha256(
    session: Session, sha256: str, *, policy_sha256: str | None = None
) -> Version | None:
    """The version of these APK bytes uploaded with this policy (None: without a policy)."""
    same = (
        Version.policy_sha256.is_(None) if policy_sha256 is None else Version.policy_sha256 == policy_sha256
    )
    return session.scalar(select(Version).where(Version.sha256 == sha256, same))


def any_version_of(session: Session, sha256: str) -> Version | None:
    """The latest version of these APK bytes, whatever policy it was uploaded with."""
    return session.scalar(
        select(Version).where(Version.sha256 == sha256).order_by(Version.id.desc()).limit(1)
    )


def stored_file_used(session: Session, sha256: str) -> bool:
    """Whether a version uses this stored file, as its APK or as its privacy policy."""
    used = select(Version.id).where(or_(Version.sha256 == sha256, Version.policy_sha256 == sha256))
    return session.scalar(used.limit(1)) is not None


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

"""What a campaign started from the web UI tests: APK files on the server, or uploaded versions.

Files come only from under the campaign directory (``HEGUI_CAMPAIGN_DIR``, default
``<data dir>/campaigns``): a folder (its ``*.apk`` files, recursively), a single APK, or a manifest
(a text file naming one APK per line, relative to the manifest's folder; ``#`` starts a comment).
Every path is resolved (symbolic links followed) and refused when it leaves that directory. Each
file is copied into the store and recorded exactly as an upload (:func:`ingest`), so a campaign's
APKs are ordinary versions. No HTTP here: the caller renders the errors.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from hegui.service.db.models import User, Version
from hegui.service.errors import InvalidInputError, ServiceError

MAX_FILES = 10_000  # as POST /api/v1/campaigns
MAX_MANIFEST_BYTES = 2 * 1024 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")


class SourceError(InvalidInputError):
    """A campaign source the page refuses; ``key`` names its zh/en text (``campaign_err_*``)."""

    def __init__(self, key: str, message: str, **fmt: object) -> None:
        super().__init__(message)
        self.key = key
        self.fmt = fmt


def _inside(root: Path, path: Path) -> Path:
    resolved = path.resolve()
    if not resolved.is_relative_to(root):
        raise SourceError("campaign_err_outside", f"{path} is outside the campaign directory")
    return resolved


def collect_files(root: Path, given: str) -> list[Path]:
    """The APK files a folder, file or manifest under ``root`` names (sorted, deduplicated)."""
    text = (given or "").strip()
    if not text:
        raise SourceError("campaign_err_path", "give a path")
    if "\x00" in text or len(text) > 1000:
        raise SourceError("campaign_err_outside", "not a usable path")
    root = root.resolve()
    source = _inside(root, root / text)
    if not source.exists():
        raise SourceError("campaign_err_missing", f"no such path under the campaign directory: {text}")
    if source.is_dir():
        files = [_inside(root, p) for p in sorted(source.rglob("*.apk")) if p.is_file()]
    elif source.suffix.lower() == ".apk":
        files = [source]
    else:
        if source.stat().st_size > MAX_MANIFEST_BYTES:
            raise SourceError("campaign_err_too_many", "the manifest is too large", n=MAX_FILES)
        files = []
        for line in source.read_text(encoding="utf-8", errors="replace").splitlines():
            entry = line.split("#", 1)[0].strip()
            if entry:
                path = _inside(root, source.parent / entry)
                if not path.is_file():
                    raise SourceError("campaign_err_missing", f"no such file: {entry[:200]}")
                files.append(path)
    files = list(dict.fromkeys(files))
    if not files:
        raise SourceError("campaign_err_empty", "no APK file found")
    if len(files) > MAX_FILES:
        raise SourceError("campaign_err_too_many", f"more than {MAX_FILES} files", n=MAX_FILES)
    return files


@dataclass
class Imported:
    version_ids: list[int] = field(default_factory=list)
    refused: list[tuple[str, ServiceError]] = field(default_factory=list)  # (file name, why)


def import_files(
    session: Session,
    *,
    user: User,
    files: list[Path],
    store: Any,
    max_bytes: int,
    organisation_id: int | None,
) -> Imported:
    """Store and record each file as an upload by ``user`` (each commits on its own); a refused file
    (not an APK, a package of another organisation, too large…) is listed and the others go on."""
    from hegui.service.api.routes.uploads import ingest
    from hegui.service.api.upload_stream import UploadForm

    out = Imported()
    fields = {"organisation_id": str(organisation_id)} if organisation_id else {}
    for path in files:
        try:
            with path.open("rb") as fh:
                stored = store.put_stream(fh, max_bytes=max_bytes, hold=True)
            form = UploadForm(fields=dict(fields), file_name=path.name, stored=stored)
            public, _dispatch = ingest(session, user=user, form=form, store=store)
        except ServiceError as exc:
            session.rollback()
            out.refused.append((path.name, exc))
            continue
        except OSError as exc:
            out.refused.append(
                (path.name, InvalidInputError(f"cannot read: {exc.strerror}", zh="无法读取该文件。"))
            )
            continue
        out.version_ids.append(public.version.id)
    return out


def parse_versions(session: Session, text: str) -> list[int]:
    """Version ids and/or sha256s, separated by white space or commas, to version ids."""
    items = [x for x in re.split(r"[\s,;]+", text or "") if x]
    if not items:
        raise SourceError("campaign_err_versions", "give version ids or sha256s")
    if len(items) > MAX_FILES:
        raise SourceError("campaign_err_too_many", f"more than {MAX_FILES} versions", n=MAX_FILES)
    ids = {int(x) for x in items if x.isdigit() and len(x) < 12}
    shas = {x.lower() for x in items if _SHA256.fullmatch(x.lower())}
    bad = [x for x in items if not (x.isdigit() and len(x) < 12) and x.lower() not in shas]
    found = (
        dict(session.execute(select(Version.id, Version.id).where(Version.id.in_(ids))).all()) if ids else {}
    )
    # an APK uploaded with several policies: its latest upload (the dict keeps the last id)
    of_shas = select(Version.sha256, Version.id).where(Version.sha256.in_(shas)).order_by(Version.id)
    by_sha = dict(session.execute(of_shas).all())
    bad += [str(i) for i in sorted(ids - set(found))] + [s[:12] + "…" for s in sorted(shas - set(by_sha))]
    if bad:
        shown = ", ".join(x[:20] for x in bad[:5])
        raise SourceError("campaign_err_unknown", f"unknown versions: {shown}", items=shown)
    return sorted(set(found) | set(by_sha.values()))


def latest_versions(session: Session) -> list[int]:
    """The latest uploaded version of every app."""
    latest = select(func.max(Version.id)).group_by(Version.app_id)
    return sorted(session.scalars(latest).all())[:MAX_FILES]

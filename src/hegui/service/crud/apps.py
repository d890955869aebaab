"""Apps by package name. A package belongs to one organisation for good."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from hegui.service.crud import audit
from hegui.service.crud._common import add_unique, get_or_404
from hegui.service.db.models import App, Organisation
from hegui.service.errors import ConflictError, InvalidInputError

_PACKAGE = re.compile(r"[A-Za-z0-9_]+(\.[A-Za-z0-9_]+)*")


def get_or_create_app(
    session: Session,
    *,
    package: str,
    organisation_id: int,
    name: str = "",
    app_type: str | None = None,
    actor_id: int | None = None,
) -> App:
    """The app of ``package``, created for ``organisation_id`` if new. A package already owned by
    another organisation raises ``ConflictError``: a package never changes organisation here."""
    if not package or len(package) > 255 or not _PACKAGE.fullmatch(package):
        raise InvalidInputError(
            f"not an Android package name: {package!r:.80}", zh="不是有效的 Android 包名。"
        )
    for _attempt in range(2):
        app = get_app_by_package(session, package)
        if app is not None:
            if app.organisation_id != organisation_id:
                owner = session.get(Organisation, app.organisation_id)
                raise ConflictError(
                    f"package {package} belongs to organisation {owner.name if owner else app.organisation_id!r}; "
                    "a package cannot change organisation (ask an administrator if it was sold)",
                    zh=f"包名 {package} 属于其他企业；包名不能更换所属企业（如已转让，请联系管理员）。",
                )
            if name and not app.name:
                app.name = name[:200]
            if app_type and not app.app_type:
                app.app_type = app_type
            session.flush()
            return app
        get_or_404(session, Organisation, organisation_id, "organisation")
        app = App(
            package=package, organisation_id=organisation_id, name=(name or "")[:200], app_type=app_type
        )
        if add_unique(session, app):
            audit.record(
                session,
                actor_id=actor_id,
                action="app.create",
                target_type="app",
                target_id=app.id,
                data={"package": package, "organisation_id": organisation_id},
            )
            return app
        # a concurrent request created it between our read and our insert: read it again
    raise ConflictError(f"package {package} could not be created; retry")  # pragma: no cover


def get_app(session: Session, app_id: int) -> App | None:
    return session.get(App, app_id)


def get_app_by_package(session: Session, package: str) -> App | None:
    return session.scalar(select(App).where(App.package == package))


def list_apps(session: Session, *, organisation_id: int | None = None) -> list[App]:
    q = select(App)
    if organisation_id is not None:
        q = q.where(App.organisation_id == organisation_id)
    return list(session.scalars(q.order_by(App.package)))

"""A web environment for the governance pages: the service's (``tests/service/web/conftest.py``,
a migrated SQLite file, users of every role with passwords) plus a moderator."""

from __future__ import annotations

from pathlib import Path

from hegui.service import crud
from tests.service.web.conftest import PASSWORD, WebEnv, make_env


def gov_env(tmp: Path, template: Path) -> WebEnv:
    env = make_env(tmp, template)
    with env.sessions() as s:
        u = crud.users.create_user(
            s, username="moderator", role="moderator", password=PASSWORD, display_name="moderator user"
        )
        env.ids["moderator"] = u.id
        s.commit()
    return env

"""The governance pages' dependencies: who may read or act on a page, and an id in a path."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from hegui.service.db.models import User
from hegui.service.web.render import optional_user, page_user

Reader = Annotated[User, Depends(page_user("moderator", "regulator"))]
Moderator = Annotated[User, Depends(page_user("moderator"))]
Visitor = Annotated[User | None, Depends(optional_user())]
IdPath = Annotated[int, Path(ge=1, le=2**62)]

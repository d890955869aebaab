"""Role groups of the governance API (``admin`` passes every one)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from hegui.service.api.deps import require
from hegui.service.db.models import ROLES, User

Client = Annotated[User, Depends(require(*ROLES))]  # any authenticated caller, e.g. the platform's backend
Moderator = Annotated[User, Depends(require("moderator"))]
GovReader = Annotated[User, Depends(require("moderator", "regulator"))]

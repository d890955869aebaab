"""The governance API, mounted under ``/api/v1/governance`` (``router``; one module per resource).

Roles (``admin`` passes every check; see docs/governance.md):

* any authenticated role (the platform's own clients use a service account's token): submit a
  complaint, an account's or group's status, screening, file an appeal;
* ``moderator``: the queue, cases, decisions, appeal resolution, notices, registration controls,
  account links (evasion);
* ``regulator``: reads the queue, cases, appeals, notices and registration controls;
* nobody (no login): published notices, the registration status of a channel.
"""

from __future__ import annotations

from fastapi import APIRouter

from hegui.governance.api import appeals, cases, complaints, notices, registration, targets

router = APIRouter(prefix="/governance")
for _m in (complaints, targets, cases, appeals, notices, registration):
    router.include_router(_m.router)
router.include_router(notices.public_router)
router.include_router(registration.public_router)

TAG = {"name": "governance", "description": "Platform governance: complaints, cases, sanctions, notices."}

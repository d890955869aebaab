"""The governance pages, mounted at ``/governance`` by the service UI's router (roles; admin passes):

==========================================  ===========================================  =====================
path                                        page                                         roles
==========================================  ===========================================  =====================
``/governance/complaints/new``              complaint form (举报)                          any logged-in role
``/governance/queue``                       reviewer queue (score, report count)         moderator regulator
``/governance/cases/{id}``                  case: target, evidence, decisions, sanctions moderator regulator
                                            (decide, record / resolve appeals: moderator)
``/governance/appeals``                     pending appeals                              moderator regulator
``/governance/notices[/{id}]``              notices: draft for a period, publish         moderator regulator
``/governance/registration``                registration controls                        moderator regulator
``/governance/public/notices[/{id}]``       published notices                            anyone (no login)
``/governance/register``                    what a user sees when signing up             anyone (no login)
==========================================  ===========================================  =====================
"""

from __future__ import annotations

from fastapi import APIRouter

from hegui.governance.web import routes_cases, routes_complaints, routes_notices, routes_registration
from hegui.service.web.render import WebRoute

router = APIRouter(prefix="/governance", route_class=WebRoute, include_in_schema=False)
for _sub in (routes_complaints, routes_cases, routes_notices, routes_registration):
    router.include_router(_sub.router)

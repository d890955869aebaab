"""The web UI's router, mounted at ``/`` by ``hegui.service.app.create_app``
(``app.include_router(web_router)``). Every page is server-rendered (Jinja2, autoescaped) and works
without JavaScript; htmx adds polling, the upload progress bar and in-place review decisions.

Pages (roles; ``admin`` passes every check):

=================================  ============================================  ==========================
path                               page                                          roles
=================================  ============================================  ==========================
``/login``, ``/logout``            log in / out (signed session cookie)          anyone
``/upload``                        upload an APK, recent uploads                 developer reviewer regulator
``/jobs/{id}``                     job status, polled until the verdict          all but anonymous (*)
``/results/{id}``, ``…/report``    verdict and the HTML test report              all but anonymous (*)
``/results/{id}/review``           the reviewer's checklist                      reviewer
``/notices``, ``/notices/{id}``    notice batches: draft, add apps, publish      regulator
``/public/notices[/{id}]``         published notices, official style             anyone (no login)
``/apps``, ``/orgs``, ``/orgs/{id}``  apps, organisations: strikes, review        all but anonymous (*)
                                   before release (regulator lifts it)
``/dashboard``                     campaign figures as SVG charts                reviewer store regulator
``/removals``                      removals (下架): list; order one with a       reviewer store regulator
                                   reason, lift one (regulator)                  (decisions: regulator)
``/campaigns``, ``/campaigns/{id}``  campaigns (专项检测): start one over APKs     reviewer store regulator
                                   on the server or uploaded versions            (start: regulator)
                                   (regulator); progress (polled) and report
``/campaigns/{id}/progress``       the progress fragment htmx polls              reviewer store regulator
(any other path)                   404/405/500 error page (zh/en); ``/api/…``    anyone
                                   paths answer the API's JSON error body
=================================  ============================================  ==========================

(*) a developer sees only its own organisation's (others are "not found").
"""

from __future__ import annotations

from fastapi import APIRouter

from hegui.governance.web import routes as governance_routes
from hegui.service.web import (
    routes_auth,
    routes_campaigns,
    routes_notices,
    routes_orgs,
    routes_removals,
    routes_results,
    routes_upload,
)
from hegui.service.web.render import WebRoute

router = APIRouter(route_class=WebRoute, include_in_schema=False)
for _sub in (
    routes_auth,
    routes_upload,
    routes_results,
    routes_notices,
    routes_orgs,
    routes_removals,
    routes_campaigns,
):
    router.include_router(_sub.router)
router.include_router(governance_routes.router)  # platform governance pages (/governance)

web_router = router

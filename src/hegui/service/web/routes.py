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
=================================  ============================================  ==========================

(*) a developer sees only its own organisation's (others are "not found").
"""

from __future__ import annotations

from fastapi import APIRouter

from hegui.service.web import routes_auth, routes_notices, routes_orgs, routes_results, routes_upload
from hegui.service.web.render import WebRoute

router = APIRouter(route_class=WebRoute, include_in_schema=False)
for _sub in (routes_auth, routes_upload, routes_results, routes_notices, routes_orgs):
    router.include_router(_sub.router)

web_router = router

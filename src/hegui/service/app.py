"""The FastAPI application of the review and enforcement service.

``create_app(settings=None, *, dispatcher=None)`` builds everything a request needs and keeps it on
``app.state``: ``settings``, ``engine``, ``session_factory``, ``store`` and ``dispatcher`` (jobs run
in this process on a thread pool unless ``settings.broker_url`` names a Celery broker). At start-up
a SQLite database is migrated to the newest revision (PostgreSQL is migrated by the operator:
``python -m hegui.service.db.migrate upgrade``), jobs left ``running`` by a dead process are put
back, and every ``queued`` job is dispatched again (a job is a row first: nothing is lost).

The API lives under ``/api/v1`` (OpenAPI at ``/api/v1/openapi.json``, docs at ``/api/docs``); the
web UI, when installed, adds its pages through ``hegui.service.web.include_web(app)``.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy.engine import make_url
from starlette.concurrency import run_in_threadpool

from hegui import __version__
from hegui.service.api.errors import install_error_handlers
from hegui.service.api.main import API_PREFIX, TAGS, api_router
from hegui.service.api.middleware import BodyLimitMiddleware, EscapeJSONMiddleware, SecurityHeadersMiddleware
from hegui.service.config import Settings, from_env
from hegui.service.db.session import make_engine, session_factory, transaction
from hegui.service.ratelimit import make_limiter
from hegui.service.storage import make_store

log = logging.getLogger("hegui.service")

MAX_JSON_BODY = 2 * 1024 * 1024  # JSON and form bodies of the API (a campaign of 10 000 sha256s fits)

DESCRIPTION = """\
Review and enforcement of Android apps' personal-information compliance: upload an APK, get the
verdict in under a minute, and run the regulator's loop over it (notices, rectification deadlines,
removals, the strike rule) with a listing gate for distribution platforms.

Authenticate with `Authorization: Bearer <token>` (`POST /api/v1/auth/token` with a username and
password gives one). Every error body is `{"error": {"kind": ..., "message": ...}}`.
"""


def _migrate_sqlite(settings: Settings) -> None:
    url = make_url(settings.db_url)
    if url.get_backend_name() != "sqlite":
        return
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    from hegui.service.db.migrate import upgrade

    upgrade(settings.db_url)


def _recover(app: FastAPI) -> None:
    """Jobs left ``running`` by a dead process go back to ``queued``; every queued job is dispatched."""
    from hegui.service import tasks

    with transaction(app.state.session_factory) as session:
        settings = app.state.settings
        requeued = tasks.recover_stale(
            session, older_than=settings.stale_seconds, max_attempts=settings.job_max_attempts
        )
    with app.state.session_factory() as session:
        swept = tasks.sweep(session, app.state.dispatcher)
    if requeued or swept:
        log.info(
            "start-up: %d stale job(s) re-queued, %d queued job(s) dispatched", len(requeued), len(swept)
        )


def _default_dispatcher(settings: Settings, factory: Any, store: Any) -> Any:
    if settings.broker_url:
        from hegui.service.worker import CeleryDispatcher, make_celery

        return CeleryDispatcher(make_celery(settings))
    from hegui.service.dispatch import InProcessDispatcher

    return InProcessDispatcher(
        factory,
        store,
        max_workers=2,
        timeout=settings.job_timeout,
        max_attempts=settings.job_max_attempts,
        stale_seconds=settings.stale_seconds,
        autostart=False,  # started by the lifespan: an app built but never run leaves no thread
    )


def _include_web(app: FastAPI) -> None:
    """The web UI's pages, if its package provides ``include_web(app)``."""
    try:
        web = importlib.import_module("hegui.service.web")
    except ModuleNotFoundError as exc:
        if exc.name != "hegui.service.web":
            raise  # the UI is there but something it needs is not: say so
        return
    include = getattr(web, "include_web", None)
    if include is not None:
        include(app)


def create_app(settings: Settings | None = None, *, dispatcher: Any = None) -> FastAPI:
    """The application. ``dispatcher`` replaces the default job engine (tests run jobs inline)."""
    settings = settings or from_env()
    engine = make_engine(settings.db_url)
    factory = session_factory(engine)
    store = make_store(settings.store_path)
    own_dispatcher = dispatcher is None
    if dispatcher is None:
        dispatcher = _default_dispatcher(settings, factory, store)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(_migrate_sqlite, settings)
        await run_in_threadpool(_recover, app)
        start = getattr(dispatcher, "start", None)
        if own_dispatcher and start is not None:
            start()  # the periodic recovery of jobs left by a dead process
        sweep = getattr(store, "sweep_tmp", None)
        if sweep is not None:
            await run_in_threadpool(sweep)  # temporary files of a process killed mid-upload
        try:
            yield
        finally:
            close = getattr(dispatcher, "close", None)
            if own_dispatcher and close is not None:
                await run_in_threadpool(close, False)  # running scans are recovered after a restart
            engine.dispose()

    app = FastAPI(
        title="hegui review & enforcement service",
        version=__version__,
        description=DESCRIPTION,
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url="/api/docs",
        redoc_url="/api/redoc",
        swagger_ui_oauth2_redirect_url="/api/docs/oauth2-redirect",
        openapi_tags=TAGS,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = factory
    app.state.store = store
    app.state.dispatcher = dispatcher
    app.state.login_limiter = make_limiter(settings)  # failed logins: UI and /api/v1/auth/token
    install_error_handlers(app)
    app.include_router(api_router)
    _include_web(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=MAX_JSON_BODY, exempt=(f"{API_PREFIX}/uploads",))
    app.add_middleware(EscapeJSONMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    return app

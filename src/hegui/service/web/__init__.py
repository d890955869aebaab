"""The server-rendered web UI (Jinja2 + htmx, no front-end build): see :mod:`hegui.service.web.routes`.

``create_app`` calls :func:`include_web` to add the pages at ``/``.
"""

from __future__ import annotations

from typing import Any


def include_web(app: Any) -> None:
    """Add the UI's pages to a FastAPI application (``create_app`` does this)."""
    from hegui.service.web import error_pages
    from hegui.service.web.routes import web_router

    app.include_router(web_router)
    error_pages.install(app)  # errors on non-API paths are pages too

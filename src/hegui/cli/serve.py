"""``hegui serve``: run the review and enforcement service (HTTP API and web UI) with uvicorn.

Settings come from the environment (``HEGUI_*``, see :mod:`hegui.service.config`). Off the loopback
interface the service must sign its UI sessions with a real key: without ``HEGUI_SECRET_KEY`` a
non-loopback ``--host`` is refused (exit 2). A SQLite database is migrated once here, before the
worker processes start.
"""

from __future__ import annotations

import ipaddress
from typing import Annotated

import typer

EXIT_ERROR = 2
LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1); any other name is not."""
    name = host.strip().strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _fail(message: str) -> typer.Exit:
    typer.echo(f"hegui: serve: {' '.join(message.split())}", err=True)
    return typer.Exit(EXIT_ERROR)


def serve(
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Address to listen on. Anything but loopback needs HEGUI_SECRET_KEY.",
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="TCP port.")] = 8000,
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=64, help="Web worker processes (uvicorn).")
    ] = 1,
) -> None:
    """Run the review and enforcement service: HTTP API (/api/v1, docs at /api/docs) and web UI."""
    try:
        import uvicorn

        from hegui.service.app import _migrate_sqlite
        from hegui.service.config import from_env
    except ImportError as exc:
        raise _fail(
            f"the service needs the 'service' extra ({exc.name} is missing): pip install 'hegui[service]'"
        ) from None
    try:
        settings = from_env()
    except ValueError as exc:
        raise _fail(f"bad HEGUI_* setting: {exc}") from None
    if not is_loopback(host) and not settings.secret_key:
        raise _fail(
            f"refusing to listen on {host} without HEGUI_SECRET_KEY: set it to a long random value "
            "(it signs the web UI's sessions), or serve on 127.0.0.1 behind a reverse proxy"
        )
    try:
        _migrate_sqlite(settings)
    except Exception as exc:  # an unreadable data dir, a damaged database file
        raise _fail(f"cannot prepare the SQLite database: {exc}") from None
    from sqlalchemy.engine import make_url

    database = make_url(settings.db_url).render_as_string(hide_password=True)
    jobs = "Celery (HEGUI_BROKER_URL)" if settings.broker_url else "in-process"
    typer.echo(
        f"hegui: serving on http://{host}:{port} (API docs: /api/docs; database: {database}; jobs: {jobs})",
        err=True,
    )
    uvicorn.run(
        "hegui.service.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=False,
        server_header=False,
        log_level="info",
    )

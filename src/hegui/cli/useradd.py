"""``hegui useradd``: create a user of the review service (the first admin, or any later one).

The database is the one ``hegui serve`` uses (``HEGUI_DATABASE_URL`` / ``HEGUI_DATA_DIR``); SQLite is
migrated first. The password is asked for (twice, not echoed) or read from stdin with
``--password-stdin``; ``--token`` prints a new API token once (only its hash is stored).
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

ROLES = ("developer", "reviewer", "store", "regulator", "moderator", "admin")


def _fail(message: str) -> typer.Exit:
    typer.echo(f"hegui: useradd: {message}", err=True)
    return typer.Exit(2)


def useradd(
    username: Annotated[str, typer.Argument(help="Login name.", show_default=False)],
    role: Annotated[str, typer.Option("--role", help=f"One of: {', '.join(ROLES)}.")] = "admin",
    organisation: Annotated[
        str | None,
        typer.Option("--organisation", help="Developers: their organisation (created if it does not exist)."),
    ] = None,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from the first line of stdin.")
    ] = False,
    token: Annotated[
        bool, typer.Option("--token", help="Also create an API token and print it once.")
    ] = False,
) -> None:
    """Create a user of the review service (e.g. the first admin after installing)."""
    if role not in ROLES:
        raise _fail(f"unknown role {role!r}; choose one of: {', '.join(ROLES)}")
    if role == "developer" and not organisation:
        raise _fail("a developer belongs to an organisation: give --organisation NAME")
    try:
        from hegui.service import crud
        from hegui.service.app import _migrate_sqlite
        from hegui.service.config import from_env
        from hegui.service.db.session import make_engine, session_factory, transaction
        from hegui.service.errors import ServiceError
    except ImportError as exc:
        raise _fail(
            f"the service needs the 'service' extra ({exc.name} is missing): pip install 'hegui[service]'"
        ) from None
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < 10:
        raise _fail("the password must have at least 10 characters")
    settings = from_env()
    try:
        _migrate_sqlite(settings)
        engine = make_engine(settings.db_url)
        with transaction(session_factory(engine)) as s:
            org_id = None
            if organisation:
                org = crud.organisations.get_organisation_by_name(s, organisation)
                org = org or crud.organisations.create_organisation(s, name=organisation)
                org_id = org.id
            user = crud.users.create_user(
                s, username=username, role=role, password=password, organisation_id=org_id
            )
            plain = crud.users.create_token(s, user_id=user.id, name="useradd")[1] if token else None
        engine.dispose()
    except ServiceError as exc:
        raise _fail(str(exc)) from None
    except Exception as exc:  # unreachable database, duplicate name at the database level
        raise _fail(f"{type(exc).__name__}: {exc}".splitlines()[0]) from None
    typer.echo(f"hegui: created {role} {username!r}", err=True)
    if plain:
        typer.echo(plain)

"""hegui useradd: the first admin of a fresh service database, and its API token."""

from __future__ import annotations

import pytest

pytest.importorskip("sqlalchemy")

import hegui.cli.main as cli  # noqa: E402


def test_first_admin_gets_a_working_token(runner, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HEGUI_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("HEGUI_DATABASE_URL", raising=False)
    result = runner.invoke(
        cli.app, ["useradd", "root", "--token", "--password-stdin"], input="correct horse battery\n"
    )
    assert result.exit_code == 0, result.stderr
    token = result.stdout.strip()
    assert len(token) > 30 and "created admin 'root'" in result.stderr

    from hegui.service import crud
    from hegui.service.config import from_env
    from hegui.service.db.session import make_engine, session_factory

    engine = make_engine(from_env().db_url)
    with session_factory(engine)() as s:
        user = crud.users.user_for_token(s, token)
        assert user is not None and user.role == "admin"
        assert crud.users.authenticate(s, username="root", password="correct horse battery") is not None
    engine.dispose()
    again = runner.invoke(cli.app, ["useradd", "root", "--password-stdin"], input="correct horse battery\n")
    assert again.exit_code == 2 and again.stderr.startswith("hegui: useradd: ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["useradd", "x", "--role", "king"], "unknown role 'king'"),
        (["useradd", "x", "--role", "developer"], "give --organisation"),
        (["useradd", "x", "--password-stdin"], "at least 10 characters"),
    ],
)
def test_bad_useradd_is_one_line(runner, tmp_path, monkeypatch, args, message) -> None:
    monkeypatch.setenv("HEGUI_DATA_DIR", str(tmp_path))
    result = runner.invoke(cli.app, args, input="short\n")
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert message in line

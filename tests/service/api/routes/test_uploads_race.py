"""Identical bytes uploaded at the same moment (issue 6): one stored file, one version, one job, and
never a 500 — on SQLite and on PostgreSQL, with real threads."""

from __future__ import annotations

import io
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import func, select

from hegui.service.api.routes.uploads import ingest
from hegui.service.api.upload_stream import UploadForm
from hegui.service.db.models import Job, User, Version
from hegui.service.errors import ConflictError
from tests.service.api.conftest import apk, stored_files

N = 6


def _store(api: Any, name: str) -> Any:
    data = apk(name).read_bytes()
    return api.app.state.store.put_stream(io.BytesIO(data), max_bytes=10**7, hold=True)


def _ingest(api: Any, username: str, stored: Any, barrier: threading.Barrier | None = None, **fields: Any):
    factory = api.app.state.session_factory
    with factory() as session:
        user = session.get(User, api.ids[username])
        form = UploadForm(fields={k: str(v) for k, v in fields.items()}, file_name="x.apk", stored=stored)
        if barrier is not None:
            barrier.wait(timeout=30)
        try:
            public, _dispatch = ingest(session, user=user, form=form, store=api.app.state.store)
        except ConflictError as exc:
            return exc
        return public


def _counts(api: Any) -> tuple[int, int]:
    with api.app.state.session_factory() as s:
        return s.scalar(select(func.count(Version.id))), s.scalar(select(func.count(Job.id)))


def test_concurrent_uploads_of_the_same_bytes_get_one_version_and_one_job(api, settings):
    users = ["developer", "reviewer", "regulator", "admin", "developer", "regulator"]
    stored = [_store(api, "clean") for _ in range(N)]
    barrier = threading.Barrier(N)
    with ThreadPoolExecutor(N) as pool:
        futures = [
            pool.submit(_ingest, api, u, s, barrier, organisation_id=api.ids["org_a"])
            for u, s in zip(users, stored, strict=True)
        ]
        results = [f.result() for f in futures]  # any exception (IntegrityError, ...) fails here
    assert sorted(r.created for r in results) == [False] * (N - 1) + [True]
    assert len({r.version.id for r in results}) == 1 and len({r.job.id for r in results}) == 1
    assert _counts(api) == (1, 1)
    assert len(stored_files(settings)) == 1 and stored[0].path.is_file()
    assert list((settings.store_path / "tmp").iterdir()) == []  # every hold released


def test_concurrent_http_uploads_of_the_same_bytes_all_succeed(api, upload, settings, dispatcher):
    dispatcher.paused = True
    users = ["developer", "reviewer", "regulator", "admin"]
    with ThreadPoolExecutor(len(users)) as pool:
        responses = list(
            pool.map(lambda u: upload("sdk_no_consent", u, organisation_id=api.ids["org_a"]), users)
        )
    assert sorted(r.status_code for r in responses) == [200, 200, 200, 201], [r.text for r in responses]
    assert len({r.json()["job"]["id"] for r in responses}) == 1
    assert _counts(api) == (1, 1)
    assert len(stored_files(settings)) == 1


def test_two_organisations_racing_for_one_package_one_wins_the_other_is_409_not_500(api, settings):
    """A package belongs to one organisation: the loser is refused (409) whatever the timing, and
    its refusal never deletes the file the winner's version uses."""
    users = ["developer", "developer_b"] * (N // 2)
    stored = [_store(api, "clean") for _ in range(N)]
    barrier = threading.Barrier(N)
    with ThreadPoolExecutor(N) as pool:
        results = list(
            pool.map(lambda us: _ingest(api, us[0], us[1], barrier), zip(users, stored, strict=True))
        )
    won = [r for r in results if not isinstance(r, ConflictError)]
    assert won and all(isinstance(r, ConflictError) for r in results if r not in won)
    assert len({r.app.organisation_id for r in won}) == 1 and len({r.version.id for r in won}) == 1
    assert _counts(api) == (1, 1)
    assert stored[0].path.is_file(), "a refused upload deleted the accepted version's file"
    assert list((settings.store_path / "tmp").iterdir()) == []


def test_a_refused_upload_cannot_delete_the_file_of_an_accepted_one_not_yet_committed(
    api, upload, settings, dispatcher
):
    assert upload("bad_traversal", "developer").status_code == 201  # org A owns com.hegui.fixture.clean
    accepted = _store(api, "clean")  # org A's upload of new bytes, received but not recorded yet
    refused = _store(api, "clean")  # org B's upload of the same bytes
    assert isinstance(_ingest(api, "developer_b", refused), ConflictError)
    assert not accepted.path.exists()  # no version used it yet: the refused upload deleted the file
    public = _ingest(api, "developer", accepted)
    assert public.created is True
    assert accepted.path.is_file()  # put back from the accepted upload's own hold
    dispatcher.dispatch(public.job.id)
    assert dispatcher.results[-1] == "done"


def test_a_unique_insert_is_committed_with_its_transaction_not_before(db_sessions):
    """SQLite: the savepoint of a unique insert must not be the transaction itself (releasing it
    would commit half a request, e.g. a version without its job, visible to a concurrent upload)."""
    from hegui.service import crud

    with db_sessions() as s:
        org = crud.organisations.create_organisation(s, name="Savepoint Ltd")
        s.commit()
        org_id = org.id
    with db_sessions() as a, db_sessions() as b:
        crud.apps.get_or_create_app(a, package="com.example.savepoint", organisation_id=org_id)
        a.flush()
        assert crud.apps.get_app_by_package(b, "com.example.savepoint") is None
        b.rollback()
        a.rollback()
    with db_sessions() as c:
        assert crud.apps.get_app_by_package(c, "com.example.savepoint") is None


def _store_bytes(api: Any, data: bytes) -> Any:
    return api.app.state.store.put_stream(io.BytesIO(data), max_bytes=10**7, hold=True)


def _ingest_with_policy(api: Any, username: str, policy: bytes, barrier: threading.Barrier) -> Any:
    factory = api.app.state.session_factory
    stored, held = _store(api, "sdk_umeng"), _store_bytes(api, policy)
    with factory() as session:
        user = session.get(User, api.ids[username])
        form = UploadForm(
            fields={"organisation_id": str(api.ids["org_a"])},
            file_name="x.apk",
            stored=stored,
            policy=held,
            policy_name="privacy.txt",
        )
        barrier.wait(timeout=30)
        return ingest(session, user=user, form=form, store=api.app.state.store)[0]


def test_concurrent_uploads_of_one_apk_with_policies_get_one_version_per_pair(api, settings):
    """The same APK with the same policy at the same moment: one version and one job; with two
    different policies (and with none): one version each, never a 500."""
    policies = [b"policy one: we collect your location", b"policy two: we collect nothing", b""] * 2
    users = ["developer", "reviewer", "regulator", "admin", "developer", "regulator"]
    barrier = threading.Barrier(N)

    def one(i: int) -> Any:
        if not policies[i]:  # no policy: the APK alone
            stored = _store(api, "sdk_umeng")
            return _ingest(api, users[i], stored, barrier, organisation_id=api.ids["org_a"])
        return _ingest_with_policy(api, users[i], policies[i], barrier)

    with ThreadPoolExecutor(N) as pool:
        results = list(pool.map(one, range(N)))
    assert sorted(r.created for r in results) == [False] * 3 + [True] * 3
    by_policy: dict[Any, set[int]] = {}
    for r in results:
        by_policy.setdefault(r.version.policy_sha256, set()).add(r.version.id)
    assert len(by_policy) == 3 and all(len(ids) == 1 for ids in by_policy.values())
    assert _counts(api) == (3, 3)
    assert len(stored_files(settings)) == 3  # one APK, two policies
    assert list((settings.store_path / "tmp").iterdir()) == []

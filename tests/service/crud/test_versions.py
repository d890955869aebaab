from __future__ import annotations

import pytest

from hegui.service import crud
from hegui.service.errors import ConflictError, InvalidInputError, NotFoundError
from tests.service import factories as f


def test_dedup_by_sha256(db) -> None:
    app = f.app(db, f.org(db))
    uploader = f.user(db, "developer", organisation_id=app.organisation_id)
    kw = dict(app_id=app.id, sha256=f.sha("apk"), size=10, version_code=7, version_name="1.7")
    v, created = crud.versions.add_version(
        db, **kw, file_name="../../evil\x00/x.apk", uploaded_by=uploader.id
    )
    again, created_again = crud.versions.add_version(db, **kw)
    db.commit()
    assert created and not created_again and again is v
    assert v.file_name == "x.apk"  # display only: last component, no control characters
    assert crud.versions.get_version_by_sha256(db, f.sha("apk")) is v
    assert crud.versions.get_version(db, v.id) is v
    assert [a.action for a in crud.audit.list_for(db, target_type="version")] == ["version.upload"]
    assert crud.audit.list_for(db, target_type="version")[0].actor_id == uploader.id


def test_same_bytes_under_another_app_conflict(db) -> None:
    org = f.org(db)
    a, b = f.app(db, org), f.app(db, org)
    crud.versions.add_version(db, app_id=a.id, sha256=f.sha(1), size=1, version_code=1, version_name="1")
    with pytest.raises(ConflictError):
        crud.versions.add_version(db, app_id=b.id, sha256=f.sha(1), size=1, version_code=1, version_name="1")


def test_one_version_per_apk_and_policy_pair(db) -> None:
    org = f.org(db)
    app, other = f.app(db, org), f.app(db, org)
    kw = dict(app_id=app.id, sha256=f.sha("apk"), size=10, version_code=7, version_name="1.7")
    plain, _ = crud.versions.add_version(db, **kw)
    p1, c1 = crud.versions.add_version(db, **kw, policy_sha256=f.sha("p1"), policy_file_name="a/b/privacy.md")
    p1_again, c1_again = crud.versions.add_version(db, **kw, policy_sha256=f.sha("p1"), policy_file_name="x")
    p2, c2 = crud.versions.add_version(db, **kw, policy_sha256=f.sha("p2"))
    db.commit()
    assert c1 and c2 and not c1_again and p1_again is p1
    assert len({plain.id, p1.id, p2.id}) == 3
    assert (
        p1.policy_file_name == "privacy.md" and plain.policy_sha256 is None and plain.policy_file_name is None
    )
    assert crud.versions.get_version_by_sha256(db, f.sha("apk")) is plain
    assert crud.versions.get_version_by_sha256(db, f.sha("apk"), policy_sha256=f.sha("p2")) is p2
    assert crud.versions.any_version_of(db, f.sha("apk")) is p2  # the latest
    assert crud.versions.stored_file_used(db, f.sha("p1")) and crud.versions.stored_file_used(
        db, f.sha("apk")
    )
    assert not crud.versions.stored_file_used(db, f.sha("unused"))
    with pytest.raises(ConflictError):  # the same APK under another app, whatever the policy
        crud.versions.add_version(db, **{**kw, "app_id": other.id}, policy_sha256=f.sha("p3"))
    with pytest.raises(InvalidInputError):
        crud.versions.add_version(db, **kw, policy_sha256="../etc/passwd")


def test_concurrent_duplicate_insert_is_absorbed(db_sessions) -> None:
    """Two sessions upload the same bytes: the second insert hits the unique index and returns the first row."""
    with db_sessions() as s1:
        app = f.app(s1, f.org(s1))
        s1.commit()
        v1, c1 = crud.versions.add_version(
            s1, app_id=app.id, sha256=f.sha("race"), size=1, version_code=1, version_name="1"
        )
        s1.commit()
    with db_sessions() as s2:
        real = crud.versions.get_version_by_sha256
        calls = []

        def stale_first_read(*a, **k):  # the first read happened before s1 committed
            calls.append(1)
            return None if len(calls) == 1 else real(*a, **k)

        crud.versions.get_version_by_sha256 = stale_first_read
        try:
            v2, c2 = crud.versions.add_version(
                s2, app_id=app.id, sha256=f.sha("race"), size=1, version_code=1, version_name="1"
            )
        finally:
            crud.versions.get_version_by_sha256 = real
        s2.commit()  # the failed insert was rolled back to its savepoint: the transaction is fine
        assert c1 and not c2 and v2.id == v1.id and len(calls) == 2
        assert [a.action for a in crud.audit.list_for(s2, target_type="version")] == ["version.upload"]


def test_latest_version(db) -> None:
    app = f.app(db, f.org(db))
    old = f.version(db, app, 5)
    rebuilt = f.version(db, app, 5)
    f.version(db, app, 6)
    assert old.id != rebuilt.id
    assert crud.versions.latest_version(db, app_id=app.id, version_code=5) is rebuilt
    assert crud.versions.latest_version(db, app_id=app.id, version_code=4) is None
    assert len(crud.versions.list_versions(db, app_id=app.id)) == 3


@pytest.mark.parametrize(("sha", "size"), [("XYZ", 1), ("A" * 64, 1), (f.sha(0), -1)])
def test_bad_input(db, sha, size) -> None:
    app = f.app(db, f.org(db))
    with pytest.raises(InvalidInputError):
        crud.versions.add_version(db, app_id=app.id, sha256=sha, size=size, version_code=1, version_name="1")


def test_unknown_app(db) -> None:
    with pytest.raises(NotFoundError):
        crud.versions.add_version(
            db, app_id=99_999, sha256=f.sha(9), size=1, version_code=1, version_name=None
        )

"""A version uploaded with a privacy policy: the job analyses the stored policy with the APK (in the
child process, and in-process in a daemonic Celery pool child), the report names the uploader's
file (never the store's path); a policy missing from the store is an internal error (retried)."""

from __future__ import annotations

import io

from sqlalchemy import select, update

from hegui.service.db.models import Job, Result, Version
from hegui.service.db.session import transaction
from hegui.service.tasks import enqueue, run_job

POLICY = (
    "# 隐私政策\n\n为向您展示附近的门店，我们会收集您的位置信息。\n\n联系我们：privacy@example.com\n".encode()
)


def submit(factory, version_id: int) -> int:  # noqa: ANN001
    with transaction(factory) as s:
        return enqueue(s, version_id=version_id).id


def job_row(factory, job_id: int) -> Job:  # noqa: ANN001
    with factory() as s:
        job = s.get(Job, job_id)
        assert job is not None
        return job


def _with_policy(factory, store, version_id: int) -> str:  # noqa: ANN001
    stored = store.put_stream(io.BytesIO(POLICY), max_bytes=10**6)
    with transaction(factory) as s:
        s.execute(
            update(Version)
            .where(Version.id == version_id)
            .values(policy_sha256=stored.sha256, policy_file_name="privacy.md")
        )
    return stored.sha256


def _pol_rules(factory) -> tuple[set[str], dict]:  # noqa: ANN001
    with factory() as s:
        report = s.scalar(select(Result.report))
    return {f["rule_id"] for f in report["findings"] if f["rule_id"].startswith("HG-POL")}, report


def test_the_job_scans_against_the_stored_policy_in_a_child(factory, add_version, store):
    vid = add_version("sdk_umeng")
    _with_policy(factory, store, vid)
    assert run_job(factory, job_id=submit(factory, vid), store=store, timeout=120) == "done"
    rules, report = _pol_rules(factory)
    assert "HG-POL-005" not in rules and "HG-POL-002" in rules
    assert report["facts"]["policy_source"] == {
        **report["facts"]["policy_source"],
        "kind": "given",
        "path": "privacy.md",
    }
    assert str(store.root) not in str(report)


def test_a_daemonic_pool_child_scans_against_the_policy_in_process(factory, add_version, store, monkeypatch):
    import multiprocessing

    monkeypatch.setitem(multiprocessing.current_process()._config, "daemon", True)
    vid = add_version("sdk_umeng")
    _with_policy(factory, store, vid)
    assert run_job(factory, job_id=submit(factory, vid), store=store, timeout=120) == "done"
    assert "HG-POL-005" not in _pol_rules(factory)[0]


def test_a_policy_missing_from_the_store_is_retried(factory, add_version, store):
    vid = add_version("sdk_umeng")
    sha = _with_policy(factory, store, vid)
    store.delete(sha)
    job = submit(factory, vid)
    assert run_job(factory, job_id=job, store=store, isolate=False) == "queued"
    assert job_row(factory, job).error.startswith("internal: FileNotFoundError: the stored policy")

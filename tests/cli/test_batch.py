from __future__ import annotations

import time
from pathlib import Path

import pytest

from hegui.batch import ScanTimeout, collect_apks, file_sha256, scan_many, time_limit
from tests.cli.fake_workers import fake_scan, write_inputs


def test_crash_hang_and_errors_do_not_stop_the_batch(tmp_path: Path) -> None:
    paths = write_inputs(
        tmp_path,
        {
            "a_ok.apk": "ok high",
            "b_crash.apk": "crash",
            "c_hang.apk": "hang",
            "d_segv.apk": "segv",
            "e_not_apk.apk": "not_apk",
            "f_boom.apk": "boom",
            "g_ok.apk": "ok",
        },
    )
    seen = []
    started = time.monotonic()
    items = list(scan_many(paths, jobs=3, timeout=4, worker=fake_scan, on_result=seen.append))
    elapsed = time.monotonic() - started
    assert elapsed < 30
    assert [i.path for i in seen] == [i.path for i in items]
    by_name = {Path(i.path).name: i for i in items}
    assert sorted(by_name) == sorted(p.name for p in paths)
    assert sorted(i.index for i in items) == list(range(len(paths)))

    ok = by_name["a_ok.apk"]
    assert ok.ok and ok.report["facts"]["package"] == "com.example.shop"
    assert ok.report["findings"][0]["severity"] == "high"
    assert ok.sha256 == "ab" * 32  # from the report
    assert by_name["g_ok.apk"].ok

    crash = by_name["b_crash.apk"].error
    assert crash.kind == "crash" and "exited with code 3" in crash.message
    hang = by_name["c_hang.apk"]
    assert hang.error.kind == "timeout" and "4 s" in hang.error.message
    assert 3.5 < hang.seconds < 20
    segv = by_name["d_segv.apk"].error
    assert segv.kind == "crash" and "SIGSEGV" in segv.message
    assert by_name["e_not_apk.apk"].error.model_dump() == {
        "kind": "not_apk",
        "message": "not a ZIP archive; is this an APK?",
    }
    boom = by_name["f_boom.apk"].error
    assert boom.kind == "internal" and boom.message == "RuntimeError: boom"
    # errors carry the file hash when the file can be read
    assert by_name["b_crash.apk"].sha256 == file_sha256(tmp_path / "b_crash.apk")


def test_jobs_one_still_isolates(tmp_path: Path) -> None:
    paths = write_inputs(tmp_path, {"a.apk": "crash", "b.apk": "ok"})
    items = sorted(scan_many(paths, jobs=1, timeout=None, worker=fake_scan), key=lambda i: i.index)
    assert [i.ok for i in items] == [False, True]


def test_closing_the_iterator_kills_running_workers(tmp_path: Path) -> None:
    paths = write_inputs(tmp_path, {"a.apk": "ok", "b.apk": "hang", "c.apk": "hang"})
    gen = scan_many(paths, jobs=3, timeout=60, worker=fake_scan)
    first = next(gen)
    assert first.ok
    started = time.monotonic()
    gen.close()
    assert time.monotonic() - started < 10


def test_workers_are_reused_and_recycled(tmp_path: Path) -> None:
    paths = write_inputs(tmp_path, {f"{i}.apk": "pid" for i in range(6)})
    items = sorted(scan_many(paths, jobs=1, worker=fake_scan, max_tasks_per_worker=2), key=lambda i: i.index)
    pids = [i.report["pid"] for i in items]
    assert pids[0] == pids[1] != pids[2] == pids[3] != pids[4] == pids[5]


def test_a_dead_worker_is_replaced_and_a_failing_one_kept(tmp_path: Path) -> None:
    paths = write_inputs(tmp_path, {"0.apk": "crash", "1.apk": "pid", "2.apk": "boom", "3.apk": "pid"})
    items = sorted(scan_many(paths, jobs=1, worker=fake_scan), key=lambda i: i.index)
    assert [i.error.kind if i.error else "ok" for i in items] == ["crash", "ok", "internal", "ok"]
    assert items[1].report["pid"] == items[3].report["pid"]  # an exception does not cost the worker


def test_jobs_must_be_positive() -> None:
    with pytest.raises(ValueError):
        list(scan_many([], jobs=0))


def test_collect_apks(tmp_path: Path) -> None:
    write_inputs(
        tmp_path / "in",
        {"b.apk": "", "a.APK": "", "sub/c.apk": "", "notes.txt": "", "sub/deeper/d.apk": ""},
    )
    (tmp_path / "empty").mkdir()
    single = tmp_path / "in" / "b.apk"
    found, problems = collect_apks([tmp_path / "in", single, tmp_path / "missing.apk", tmp_path / "empty"])
    rel = [p.relative_to(tmp_path / "in").as_posix() for p in found]
    assert rel == ["a.APK", "b.apk", "sub/c.apk", "sub/deeper/d.apk"]  # sorted, recursive, no duplicate
    assert [(p.name, e.kind) for p, e in problems] == [("missing.apk", "io"), ("empty", "not_apk")]


def test_time_limit_raises_scan_timeout() -> None:
    with pytest.raises(ScanTimeout) as exc, time_limit(0.2):
        try:
            time.sleep(5)
        except Exception:  # analysis code catching Exception cannot swallow the time-out
            pytest.fail("swallowed")
    assert exc.value.kind == "timeout"


def test_time_limit_off() -> None:
    with time_limit(0):
        time.sleep(0.01)
    with time_limit(None):
        pass

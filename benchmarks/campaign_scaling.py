"""A campaign (专项检测) over a catalogue on 1 and on 2 Celery workers: APKs/hour/core and scaling.

    python benchmarks/campaign_scaling.py [FOLDER_OR_APKS...] [--min-apks 60] [--workers 1,2]
                                          [--database postgresql|sqlite]

Default input: ../shared/corpus/ (falls back to the fixture APKs when absent). When there are fewer
than ``--min-apks`` inputs, copies made distinct by a zip comment fill the catalogue, so the run is
long enough to time. For each worker count, in a fresh database and store: every APK is stored and
registered, one campaign is started over all of them and dispatched to that many Celery workers
(solo pool, one APK at a time each) on the local Redis; the clock runs from dispatch to the
campaign's end. Then the same campaign is started again on the same versions: it must finish at once
with no job run (nothing analysed twice). Prints the table and writes
benchmarks/results/campaign_scaling.json. A benchmark: no timed assertions; exit 1 only when an APK
was analysed twice or the campaign did not finish.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sdk_detection import inputs  # noqa: E402 - the benchmarks' shared input rules
from service_load import REDIS_DB, database, stack_env, start_worker  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def catalogue(paths: list[Path], minimum: int, folder: Path) -> list[Path]:
    import zipfile

    out = list(paths)
    i = 0
    while len(out) < minimum and paths:
        src = paths[i % len(paths)]
        dst = folder / f"copy{i:04d}-{src.name}"
        shutil.copyfile(src, dst)
        with zipfile.ZipFile(dst, "a") as z:
            z.comment = f"hegui campaign copy {i}".encode()
        out.append(dst)
        i += 1
    return out


def register(url: str, store_dir: Path, apks: list[Path]) -> tuple[list[int], list[str]]:
    """Store every APK and make org/app/version rows (package from the manifest); skip unreadable ones."""
    from hegui.apk.archive import open_apk
    from hegui.apk.manifest import parse_manifest
    from hegui.errors import HeguiError
    from hegui.service import crud
    from hegui.service.db.migrate import upgrade
    from hegui.service.db.session import make_engine, session_factory, transaction
    from hegui.service.storage import LocalStore

    upgrade(url)
    store = LocalStore(store_dir)
    engine = make_engine(url)
    ids, refused = [], []
    with transaction(session_factory(engine)) as s:
        org = crud.organisations.create_organisation(s, name="Campaign Co.")
        for p in apks:
            try:
                with open_apk(p) as apk:
                    m = parse_manifest(apk)
            except HeguiError as exc:
                refused.append(f"{p.name}: {exc}")
                continue
            with p.open("rb") as fh:
                stored = store.put_stream(fh, max_bytes=1 << 30)
            app = crud.apps.get_or_create_app(s, package=m.package, organisation_id=org.id)
            version, _ = crud.versions.add_version(
                s,
                app_id=app.id,
                sha256=stored.sha256,
                size=stored.size,
                version_code=m.version_code,
                version_name=m.version_name,
                file_name=p.name,
            )
            ids.append(version.id)
    engine.dispose()
    return ids, refused


def run_campaign(url: str, env: dict[str, str], version_ids: list[int], timeout: float) -> dict[str, Any]:
    from sqlalchemy import func, select

    from hegui.service.campaigns import campaign_progress, start_campaign
    from hegui.service.config import from_env
    from hegui.service.db.models import Job
    from hegui.service.db.session import make_engine, session_factory, transaction
    from hegui.service.tasks import dispatch_queued
    from hegui.service.worker import CeleryDispatcher, WorkerOptions, make_celery

    engine = make_engine(url)
    factory = session_factory(engine)
    dispatcher = CeleryDispatcher(make_celery(from_env(env), WorkerOptions.from_env(env)))
    with factory() as s:
        jobs_before = s.scalar(select(func.count()).select_from(Job))
    with transaction(factory) as s:
        campaign = start_campaign(s, name="bench", version_ids=version_ids, actor_id=None)
        cid = campaign.id
    started = time.monotonic()
    with factory() as s:
        dispatch_queued(s, dispatcher, campaign_id=cid)
    progress = None
    while time.monotonic() - started < timeout:
        with factory() as s:
            progress = campaign_progress(s, cid)
        if progress.queued == 0 and progress.running == 0:
            break
        time.sleep(0.5)
    wall = time.monotonic() - started
    with factory() as s:
        jobs_after = s.scalar(select(func.count()).select_from(Job))
        ran = s.scalar(select(func.count()).select_from(Job).where(Job.campaign_id == cid, Job.attempts > 0))
    engine.dispose()
    assert progress is not None
    return {
        "wall_s": round(wall, 2),
        "finished": progress.queued == 0 and progress.running == 0,
        "total": progress.total,
        "done": progress.done,
        "failed": progress.failed,
        "skipped": progress.skipped,
        "jobs_created": jobs_after - jobs_before,
        "jobs_run": ran,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("paths", nargs="*")
    ap.add_argument("--min-apks", type=int, default=60)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--database", choices=["sqlite", "postgresql"], default="postgresql")
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "campaign_scaling.json"))
    args = ap.parse_args(argv)
    import redis

    paths, source = inputs(args.paths)
    rows: list[dict[str, Any]] = []
    bad = False
    for n_workers in [int(x) for x in args.workers.split(",")]:
        tmp = Path(tempfile.mkdtemp(prefix="hegui-campaign-"))
        url, drop = database(args.database, tmp)
        prefix = f"hegui-camp-{secrets.token_hex(4)}"
        env = stack_env(url, tmp, prefix, HEGUI_MAINTENANCE_INTERVAL="0")
        workers = []
        try:
            apks = catalogue(paths, args.min_apks, tmp)
            version_ids, refused = register(url, tmp / "store", apks)
            workers = [start_worker(env, tmp / f"worker{i}.log") for i in range(n_workers)]
            first = run_campaign(url, env, version_ids, args.timeout)
            again = run_campaign(url, env, version_ids, 60)
        finally:
            for p in workers:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(p.pid, signal.SIGTERM)
            for p in workers:
                with contextlib.suppress(Exception):
                    p.wait(10)
            with contextlib.suppress(Exception):
                r = redis.Redis(db=REDIS_DB)
                keys = list(r.scan_iter(f"{prefix}*"))
                if keys:
                    r.delete(*keys)
            if drop is not None:
                drop()
            shutil.rmtree(tmp, ignore_errors=True)
        analysed = first["done"] + first["failed"] - first["skipped"]
        per_hour_core = analysed / (first["wall_s"] / 3600) / n_workers if first["wall_s"] else 0.0
        bad |= not first["finished"] or again["jobs_run"] != 0  # a re-run only records done jobs
        rows.append(
            {
                "workers": n_workers,
                "apks": len(version_ids),
                "refused": len(refused),
                "first": first,
                "rerun": again,
                "apks_per_hour": round(analysed / (first["wall_s"] / 3600), 1) if first["wall_s"] else None,
                "apks_per_hour_per_core": round(per_hour_core, 1),
            }
        )
    print(f"inputs: {source} ({len(paths)} files, filled to {rows[0]['apks'] if rows else 0} APKs)")
    print("| workers | APKs | wall s | APKs/hour | APKs/hour/core | re-run: jobs run | re-run wall s |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['workers']} | {r['apks']} | {r['first']['wall_s']} | {r['apks_per_hour']} | "
            f"{r['apks_per_hour_per_core']} | {r['rerun']['jobs_run']} | {r['rerun']['wall_s']} |"
        )
    if len(rows) >= 2 and rows[0]["apks_per_hour"]:
        print(
            f"scaling {rows[-1]['workers']}/{rows[0]['workers']} workers: "
            f"{rows[-1]['apks_per_hour'] / rows[0]['apks_per_hour']:.2f}x"
        )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"source": source, "rows": rows}, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())

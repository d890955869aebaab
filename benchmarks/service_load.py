"""Load on the review service: uploads from concurrent clients to a verdict, on loopback only.

    python benchmarks/service_load.py [--uploads 200] [--clients 20] [--workers 2] [--kill-halfway]
                                      [--database sqlite|postgresql] [--timeout 900]

Starts, in temporary folders, a real stack: the FastAPI app under uvicorn, ``--workers`` Celery
workers (solo pool, one APK at a time each) on the local Redis, and a fresh database (a SQLite file,
or a new database on the local PostgreSQL). ``--uploads`` distinct APKs (the fixture APKs, each
copy made distinct by a zip comment, so the sha256 differs and nothing is deduplicated) are
uploaded by ``--clients`` threads; each client then polls its version's job until it ends. With
``--kill-halfway`` one worker is SIGKILLed once half of the uploads are in, and a new one started.

Prints p50/p99 seconds from upload start to the job's end, the throughput, and the integrity
checks read from the database afterwards: every upload has exactly one job and (unless the APK is
broken) exactly one result — 0 lost, 0 duplicated. Writes benchmarks/results/service_load.json.
A benchmark, not a test: it never asserts on time; the exit status is 1 only when a job was lost or
duplicated, or the stack did not come up.
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "apk"
BIN = Path(sys.executable).parent
REDIS_DB = 14


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_apks(n: int, folder: Path) -> list[Path]:
    """n distinct APKs: fixture APKs cycled, each with a unique zip comment (new sha256)."""
    import zipfile

    sources = sorted(p for p in FIXTURES.glob("*.apk") if not p.name.startswith("bad_"))
    out = []
    for i in range(n):
        src = sources[i % len(sources)]
        dst = folder / f"{i:04d}-{src.name}"
        shutil.copyfile(src, dst)
        with zipfile.ZipFile(dst, "a") as z:
            z.comment = f"hegui load {i} {secrets.token_hex(4)}".encode()
        out.append(dst)
    return out


def database(kind: str, tmp: Path) -> tuple[str, Any]:
    if kind == "sqlite":
        return f"sqlite:///{tmp / 'hegui.db'}", None
    import psycopg

    name = f"hegui_load_{secrets.token_hex(4)}"
    with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"postgresql+psycopg://postgres@127.0.0.1/{name}", drop


def bootstrap(url: str) -> str:
    """Migrate, create an organisation and a developer, return the developer's API token."""
    from hegui.service import crud
    from hegui.service.db.migrate import upgrade
    from hegui.service.db.session import make_engine, session_factory, transaction

    upgrade(url)
    engine = make_engine(url)
    with transaction(session_factory(engine)) as s:
        org = crud.organisations.create_organisation(s, name="Load Test Co.")
        user = crud.users.create_user(s, username="loader", role="developer", organisation_id=org.id)
        _, token = crud.users.create_token(s, user_id=user.id, name="load")
    engine.dispose()
    return token


def stack_env(url: str, tmp: Path, prefix: str, **extra: str) -> dict[str, str]:
    """Environment of the server and workers: this database, a store in ``tmp``, the local Redis
    (DB ``REDIS_DB``) with its own queue and key prefix."""
    return {
        **os.environ,
        "HEGUI_DATABASE_URL": url,
        "HEGUI_STORE_DIR": str(tmp / "store"),
        "HEGUI_DATA_DIR": str(tmp),
        "HEGUI_BROKER_URL": f"redis://127.0.0.1:6379/{REDIS_DB}",
        "HEGUI_CELERY_QUEUE": prefix,
        "HEGUI_REDIS_KEY_PREFIX": prefix,
        **extra,
    }


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    cmd = [
        str(BIN / "celery"),
        "-A",
        "hegui.service.worker:celery_app",
        "worker",
        "--pool=solo",
        "-Q",
        env["HEGUI_CELERY_QUEUE"],
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel=WARNING",
    ]
    return subprocess.Popen(
        cmd, env=env, stdout=open(log, "ab"), stderr=subprocess.STDOUT, start_new_session=True
    )


def integrity(url: str, n: int) -> dict[str, int]:
    from sqlalchemy import func, select

    from hegui.service.db.models import Job, Result, Version
    from hegui.service.db.session import make_engine

    engine = make_engine(url)
    with engine.connect() as c:
        versions = c.scalar(select(func.count()).select_from(Version))
        jobs_per_version = dict(
            c.execute(select(Job.version_id, func.count()).group_by(Job.version_id)).all()
        )
        results_per_version = dict(
            c.execute(select(Result.version_id, func.count()).group_by(Result.version_id)).all()
        )
        states = dict(c.execute(select(Job.status, func.count()).group_by(Job.status)).all())
        all_versions = set(c.scalars(select(Version.id)).all())
        failed = set(c.scalars(select(Job.version_id).where(Job.status == "failed")).all())
    engine.dispose()
    return {
        "uploads": n,
        "versions": versions or 0,
        "jobs": sum(jobs_per_version.values()),
        "versions_with_several_jobs": sum(1 for v in jobs_per_version.values() if v > 1),
        "results": sum(results_per_version.values()),
        "duplicated_results": sum(1 for v in results_per_version.values() if v > 1),
        # a version with neither a result nor a failed job (a broken APK is a failed job, not a loss)
        "lost": len(all_versions - set(results_per_version) - failed) + max(0, n - (versions or 0)),
        **{f"jobs_{k}": v for k, v in states.items()},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--uploads", type=int, default=200)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--kill-halfway", action="store_true")
    ap.add_argument("--database", choices=["sqlite", "postgresql"], default="postgresql")
    ap.add_argument("--timeout", type=float, default=900)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results" / "service_load.json"))
    args = ap.parse_args(argv)

    import httpx
    import redis

    tmp = Path(tempfile.mkdtemp(prefix="hegui-load-"))
    url, drop = database(args.database, tmp)
    prefix = f"hegui-load-{secrets.token_hex(4)}"
    env = stack_env(url, tmp, prefix, HEGUI_MAINTENANCE_INTERVAL="5", HEGUI_JOB_STALE_AFTER="20")
    procs: list[subprocess.Popen[bytes]] = []
    try:
        token = bootstrap(url)
        apks = make_apks(args.uploads, tmp)
        port = free_port()
        server = subprocess.Popen(
            [
                str(BIN / "python"),
                "-m",
                "uvicorn",
                "--factory",
                "hegui.service.app:create_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            env=env,
            stdout=open(tmp / "server.log", "ab"),  # noqa: SIM115 - lives as long as the server
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        procs.append(server)
        workers = [start_worker(env, tmp / f"worker{i}.log") for i in range(args.workers)]
        procs.extend(workers)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                print("the server did not come up; see", tmp / "server.log", file=sys.stderr)
                return 1
            time.sleep(0.2)

        headers = {"Authorization": f"Bearer {token}"}
        uploaded = threading.Semaphore(0)
        done_uploads = [0]
        lock = threading.Lock()
        killed: dict[str, Any] = {}

        def one(path: Path) -> dict[str, Any]:
            t0 = time.monotonic()
            with httpx.Client(base_url=base, headers=headers, timeout=60) as c:
                with open(path, "rb") as f:
                    r = c.post("/api/v1/uploads", files={"file": (path.name, f, "application/octet-stream")})
                t_up = time.monotonic() - t0
                with lock:
                    done_uploads[0] += 1
                uploaded.release()
                if r.status_code not in (200, 201):
                    return {"file": path.name, "error": f"upload {r.status_code}: {r.text[:200]}"}
                vid = r.json()["version"]["id"]
                end = t0 + args.timeout
                while time.monotonic() < end:
                    j = c.get(f"/api/v1/versions/{vid}/job").json()
                    if j.get("status") in ("done", "failed"):
                        return {
                            "file": path.name,
                            "version": vid,
                            "status": j["status"],
                            "upload_s": t_up,
                            "verdict_s": time.monotonic() - t0,
                        }
                    time.sleep(0.25)
                return {"file": path.name, "version": vid, "error": "timed out"}

        def killer() -> None:
            for _ in range(args.uploads // 2):
                uploaded.acquire()
            victim = workers[0]
            os.killpg(victim.pid, signal.SIGKILL)
            killed["at_uploads"] = done_uploads[0]
            killed["at"] = time.monotonic() - started
            workers.append(start_worker(env, tmp / "worker-replacement.log"))
            procs.append(workers[-1])

        started = time.monotonic()
        if args.kill_halfway:
            threading.Thread(target=killer, daemon=True).start()
        with cf.ThreadPoolExecutor(args.clients) as pool:
            outcomes = list(pool.map(one, apks))
        wall = time.monotonic() - started
        checks = integrity(url, args.uploads)
    finally:
        for p in procs:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGTERM)
        for p in procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
        try:
            r = redis.Redis(db=REDIS_DB)
            keys = list(r.scan_iter(f"{prefix}*"))
            if keys:
                r.delete(*keys)
        except Exception:  # noqa: BLE001 - cleanup only
            pass
        if drop is not None:
            drop()
        shutil.rmtree(tmp, ignore_errors=True)

    times = sorted(o["verdict_s"] for o in outcomes if "verdict_s" in o)
    errors = [o for o in outcomes if "error" in o]

    def pct(q: float) -> float:
        return times[min(len(times) - 1, int(round(q * (len(times) - 1))))] if times else float("nan")

    summary = {
        "uploads": args.uploads,
        "clients": args.clients,
        "workers": args.workers,
        "database": args.database,
        "kill_halfway": args.kill_halfway,
        "killed": killed,
        "wall_s": round(wall, 2),
        "apks_per_s": round(len(times) / wall, 2) if wall else None,
        "p50_s": round(pct(0.5), 3),
        "p99_s": round(pct(0.99), 3),
        "mean_s": round(statistics.fmean(times), 3) if times else None,
        "client_errors": len(errors),
        "integrity": checks,
    }
    print(
        "| uploads | clients | workers | db | killed | wall s | APKs/s | p50 s | p99 s | lost | duplicated |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    dup = checks["versions_with_several_jobs"] + checks["duplicated_results"]
    print(
        f"| {args.uploads} | {args.clients} | {args.workers} | {args.database} | "
        f"{'yes' if killed else 'no'} | {summary['wall_s']} | {summary['apks_per_s']} | {summary['p50_s']} | "
        f"{summary['p99_s']} | {checks['lost']} | {dup} |"
    )
    print(json.dumps(checks))
    for e in errors[:5]:
        print("client error:", e)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"summary": summary, "outcomes": outcomes}, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out}")
    return 1 if checks["lost"] or dup or errors else 0


if __name__ == "__main__":
    raise SystemExit(main())

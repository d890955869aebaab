"""Every HEGUI_* variable is read in one place (service/config.py), including the job engine's and
the workers' (issue 6); the in-process engine lives in service/dispatch.py (old import kept)."""

from __future__ import annotations

from pathlib import Path

from hegui.service.config import Settings, from_env


def test_worker_settings_are_read_by_config_and_used_by_worker_options() -> None:
    env = {
        "HEGUI_JOB_TIMEOUT": "120",
        "HEGUI_JOB_MAX_ATTEMPTS": "5",
        "HEGUI_MAINTENANCE_INTERVAL": "0",
        "HEGUI_CELERY_QUEUE": "q2",
        "HEGUI_REDIS_KEY_PREFIX": "dep2:",
        "HEGUI_LOGIN_MAX_FAILURES": "3",
        "HEGUI_LOGIN_WINDOW": "60",
        "HEGUI_CAMPAIGN_DIR": "/srv/apks",
    }
    s = from_env(env)
    assert (s.job_timeout, s.job_max_attempts, s.maintenance_interval) == (120.0, 5, 0.0)
    assert s.stale_seconds == 180.0  # timeout + the grace, unless HEGUI_JOB_STALE_AFTER says
    assert from_env({**env, "HEGUI_JOB_STALE_AFTER": "999"}).stale_seconds == 999.0
    assert (s.celery_queue, s.redis_key_prefix) == ("q2", "dep2:")
    assert (s.login_max_failures, s.login_window_seconds) == (3, 60.0)
    assert s.campaign_root == Path("/srv/apks")
    assert Settings(data_dir=Path("/d")).campaign_root == Path("/d/campaigns")

    from hegui.service.worker import WorkerOptions

    opts = WorkerOptions.from_env(env)
    assert (opts.queue, opts.key_prefix, opts.timeout, opts.stale_after) == ("q2", "dep2:", 120.0, 180.0)
    assert (opts.max_attempts, opts.maintenance_interval) == (5, 0.0)
    defaults = WorkerOptions.from_env({})
    assert defaults == WorkerOptions()  # the dataclass defaults are the settings' defaults


def test_the_in_process_engine_moved_to_dispatch_and_the_old_import_works() -> None:
    from hegui.service import dispatch, tasks
    from hegui.service.tasks import InProcessDispatcher

    assert InProcessDispatcher is dispatch.InProcessDispatcher is tasks.InProcessDispatcher

"""Service settings, read once from the environment (``HEGUI_*``), with safe embedded defaults.

=========================  ===============================================  =====================================
variable                   meaning                                          default
=========================  ===============================================  =====================================
HEGUI_DATABASE_URL         SQLAlchemy URL                                   ``sqlite:///<data dir>/hegui.db``
HEGUI_DATA_DIR             where the SQLite file and the APK store live     ``./hegui-data``
HEGUI_STORE_DIR            content-addressed APK store                      ``<data dir>/store``
HEGUI_BROKER_URL           Celery broker; empty: jobs run in-process        empty
HEGUI_MAX_UPLOAD_MB        largest accepted upload                          ``500``
HEGUI_STRIKE_THRESHOLD     notices per organisation per year before         ``3`` (more than 3 → review before
                           review-before-release                            release)
HEGUI_SECRET_KEY           signs UI session cookies; required when serving  none (``hegui serve`` refuses to
                           on a non-loopback address                        start without one off loopback)
HEGUI_CAMPAIGN_DIR         folders and manifests of APKs on the server that ``<data dir>/campaigns``
                           the campaign page may test (nothing outside)
HEGUI_LOGIN_MAX_FAILURES   failed logins per username or address in the     ``5`` (0: no limit)
                           window before logins are refused (429)
HEGUI_LOGIN_WINDOW         the window of failed logins, in seconds          ``900``
HEGUI_JOB_TIMEOUT          seconds one APK may take (the scan is killed)    ``300``
HEGUI_JOB_STALE_AFTER      seconds ``running`` before a job counts as lost  timeout + 60
HEGUI_JOB_MAX_ATTEMPTS     claims of one job before it ends ``failed``      ``3``
HEGUI_MAINTENANCE_INTERVAL seconds between a worker's maintenance runs       ``60``
                           (0: only at start-up)
HEGUI_CELERY_QUEUE         Celery queue name                                ``hegui``
HEGUI_REDIS_KEY_PREFIX     prefix of every Redis key (broker, locks, login  none
                           limiter): several deployments on one Redis
=========================  ===============================================  =====================================

The in-process job engine uses the job settings too; Celery workers read them through
``hegui.service.worker.WorkerOptions.from_settings``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_JOB_TIMEOUT = 300.0  # seconds one APK may take (the scan child is killed after that)
STALE_GRACE = 60.0  # a job running longer than the time limit plus this was lost with its worker
DEFAULT_MAX_ATTEMPTS = 3  # claims of one job before it ends failed


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    data_dir: Path = Path("hegui-data")
    database_url: str = ""
    store_dir: Path | None = None
    broker_url: str = ""
    max_upload_bytes: int = Field(default=500 * 1024 * 1024, gt=0)
    strike_threshold: int = Field(default=3, ge=0)
    secret_key: str = ""
    campaign_dir: Path | None = None
    login_max_failures: int = Field(default=5, ge=0)
    login_window_seconds: float = Field(default=900.0, gt=0)
    job_timeout: float = Field(default=DEFAULT_JOB_TIMEOUT, gt=0)
    job_stale_after: float | None = Field(default=None, gt=0)
    job_max_attempts: int = Field(default=DEFAULT_MAX_ATTEMPTS, ge=1)
    maintenance_interval: float = Field(default=60.0, ge=0)
    celery_queue: str = "hegui"
    redis_key_prefix: str = ""

    @property
    def campaign_root(self) -> Path:
        return self.campaign_dir or self.data_dir / "campaigns"

    @property
    def stale_seconds(self) -> float:
        """How long a job may stay ``running`` before its worker counts as lost."""
        return self.job_stale_after or self.job_timeout + STALE_GRACE

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'hegui.db'}"

    @property
    def store_path(self) -> Path:
        return self.store_dir or self.data_dir / "store"


def from_env(env: Mapping[str, str] | None = None) -> Settings:
    e = os.environ if env is None else env
    values: dict[str, object] = {}
    if e.get("HEGUI_DATA_DIR"):
        values["data_dir"] = Path(e["HEGUI_DATA_DIR"])
    if e.get("HEGUI_DATABASE_URL"):
        values["database_url"] = e["HEGUI_DATABASE_URL"]
    if e.get("HEGUI_STORE_DIR"):
        values["store_dir"] = Path(e["HEGUI_STORE_DIR"])
    if e.get("HEGUI_BROKER_URL"):
        values["broker_url"] = e["HEGUI_BROKER_URL"]
    if e.get("HEGUI_MAX_UPLOAD_MB"):
        values["max_upload_bytes"] = int(e["HEGUI_MAX_UPLOAD_MB"]) * 1024 * 1024
    if e.get("HEGUI_STRIKE_THRESHOLD"):
        values["strike_threshold"] = int(e["HEGUI_STRIKE_THRESHOLD"])
    if e.get("HEGUI_SECRET_KEY"):
        values["secret_key"] = e["HEGUI_SECRET_KEY"]
    numbers = {
        "HEGUI_LOGIN_MAX_FAILURES": ("login_max_failures", int),
        "HEGUI_LOGIN_WINDOW": ("login_window_seconds", float),
        "HEGUI_JOB_TIMEOUT": ("job_timeout", float),
        "HEGUI_JOB_STALE_AFTER": ("job_stale_after", float),
        "HEGUI_JOB_MAX_ATTEMPTS": ("job_max_attempts", int),
        "HEGUI_MAINTENANCE_INTERVAL": ("maintenance_interval", float),
    }
    for var, (name, kind) in numbers.items():
        if e.get(var):
            values[name] = kind(e[var])
    if e.get("HEGUI_CAMPAIGN_DIR"):
        values["campaign_dir"] = Path(e["HEGUI_CAMPAIGN_DIR"])
    if e.get("HEGUI_CELERY_QUEUE"):
        values["celery_queue"] = e["HEGUI_CELERY_QUEUE"]
    if e.get("HEGUI_REDIS_KEY_PREFIX"):
        values["redis_key_prefix"] = e["HEGUI_REDIS_KEY_PREFIX"]
    return Settings.model_validate(values)

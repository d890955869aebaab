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
=========================  ===============================================  =====================================
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    data_dir: Path = Path("hegui-data")
    database_url: str = ""
    store_dir: Path | None = None
    broker_url: str = ""
    max_upload_bytes: int = Field(default=500 * 1024 * 1024, gt=0)
    strike_threshold: int = Field(default=3, ge=0)
    secret_key: str = ""

    @property
    def db_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'hegui.db'}"

    @property
    def store_path(self) -> Path:
        return self.store_dir or self.data_dir / "store"


def from_env(env: dict[str, str] | None = None) -> Settings:
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
    return Settings.model_validate(values)

"""Login rate limiting: failed logins per username and per client address, in a sliding window.

After ``max_failures`` failed logins within ``window`` seconds for one username (normalised: NFKC,
whitespace stripped, case-folded, so ``Admin``, `` admin `` and ``ＡＤＭＩＮ`` count as one) or
from one client address, further logins for it are refused with
:class:`RateLimitedError` (HTTP 429, ``Retry-After``) until enough failures have left the window.
The check runs before the password is verified, so a refused attempt costs no scrypt and reveals
nothing. A success clears the username's failures, not the address's (a valid account must not
reset an attacker's count on others).

Where the failures are counted: in this process (a bounded dict of timestamps), or, when
``HEGUI_BROKER_URL`` is a ``redis://`` URL, in Redis sorted sets shared by every web process
(``<prefix>hegui:login:<key>``, expiring with the window). If Redis cannot be reached the
in-process counter is used for that call. No table is involved: the audit log is append-only and
records decisions; failed logins would let anyone grow it without bound.
"""

from __future__ import annotations

import logging
import math
import threading
import time
import unicodedata
import uuid
from collections import deque
from collections.abc import Callable
from typing import Any, Protocol

from hegui.service.errors import ServiceError

log = logging.getLogger("hegui.service.ratelimit")

MAX_KEYS = 100_000  # in-process keys kept at most (oldest dropped first): memory stays bounded


class RateLimitedError(ServiceError):
    """Too many failed logins for this username or from this address (HTTP 429)."""

    http_status = 429
    kind = "rate_limited"

    def __init__(self, retry_after: float) -> None:
        self.retry_after = max(1, math.ceil(retry_after))
        self.minutes = max(1, math.ceil(self.retry_after / 60))
        super().__init__(
            f"too many failed logins; try again in {self.retry_after} seconds",
            zh=f"登录失败次数过多，请 {self.minutes} 分钟后再试。",
        )


def normalise_username(username: str) -> str:
    return unicodedata.normalize("NFKC", username or "").strip().casefold()


class Backend(Protocol):
    def add(self, key: str, now: float, window: float) -> None: ...

    def recent(self, key: str, now: float, window: float) -> list[float]: ...

    def clear(self, key: str) -> None: ...


class MemoryBackend:
    """Failure times per key in this process, pruned as they leave the window."""

    def __init__(self, max_keys: int = MAX_KEYS) -> None:
        self._times: dict[str, deque[float]] = {}
        self._lock = threading.Lock()
        self._max_keys = max_keys

    def add(self, key: str, now: float, window: float) -> None:
        with self._lock:
            times = self._times.pop(key, None) or deque(maxlen=1000)
            times.append(now)
            self._times[key] = times  # re-inserted: the dict's order is the keys' last failure
            while len(self._times) > self._max_keys:
                self._times.pop(next(iter(self._times)))

    def recent(self, key: str, now: float, window: float) -> list[float]:
        with self._lock:
            times = self._times.get(key)
            if not times:
                return []
            while times and times[0] <= now - window:
                times.popleft()
            if not times:
                del self._times[key]
            return list(times)

    def clear(self, key: str) -> None:
        with self._lock:
            self._times.pop(key, None)


class RedisBackend:
    """Failure times per key in a Redis sorted set, shared by every web process."""

    def __init__(self, client: Any, prefix: str = "") -> None:
        self._redis = client
        self._prefix = f"{prefix}hegui:login:"

    def add(self, key: str, now: float, window: float) -> None:
        name = self._prefix + key
        pipe = self._redis.pipeline()
        pipe.zadd(name, {f"{now:.6f}:{uuid.uuid4().hex[:8]}": now})
        pipe.zremrangebyscore(name, "-inf", now - window)
        pipe.expire(name, int(window) + 1)
        pipe.execute()

    def recent(self, key: str, now: float, window: float) -> list[float]:
        name = self._prefix + key
        return [score for _m, score in self._redis.zrangebyscore(name, now - window, "+inf", withscores=True)]

    def clear(self, key: str) -> None:
        self._redis.delete(self._prefix + key)


class LoginLimiter:
    """``check`` before verifying a password, then ``failed`` or ``succeeded``."""

    def __init__(
        self,
        *,
        max_failures: int = 5,
        window: float = 900.0,
        backend: Backend | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.max_failures = max_failures
        self.window = window
        self.clock = clock
        self._memory = MemoryBackend()
        self._backend = backend or self._memory

    def _keys(self, username: str, address: str | None) -> list[str]:
        keys = [f"user:{normalise_username(username)}"]
        if address:
            keys.append(f"ip:{address}")
        return keys

    def _call(self, method: str, *args: Any) -> Any:
        try:
            return getattr(self._backend, method)(*args)
        except Exception:  # Redis unreachable: count in this process for this call
            if self._backend is self._memory:
                raise
            log.warning(
                "login rate limit: the shared counter failed; counting in this process", exc_info=True
            )
            return getattr(self._memory, method)(*args)

    def check(self, username: str, address: str | None) -> None:
        """``RateLimitedError`` if the username or the address has too many recent failures."""
        if self.max_failures <= 0:
            return
        now = self.clock()
        wait = 0.0
        for key in self._keys(username, address):
            times = sorted(self._call("recent", key, now, self.window))
            if len(times) >= self.max_failures:
                # the oldest failures must leave the window until fewer than max_failures remain
                wait = max(wait, times[len(times) - self.max_failures] + self.window - now)
        if wait > 0:
            raise RateLimitedError(wait)

    def failed(self, username: str, address: str | None) -> None:
        now = self.clock()
        for key in self._keys(username, address):
            self._call("add", key, now, self.window)

    def succeeded(self, username: str) -> None:
        self._call("clear", f"user:{normalise_username(username)}")


def make_limiter(settings: Any) -> LoginLimiter:
    """The limiter of the settings: Redis-backed when the broker is Redis, else in this process."""
    backend: Backend | None = None
    url = getattr(settings, "broker_url", "") or ""
    if url.startswith(("redis://", "rediss://")):
        try:
            import redis

            client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
            backend = RedisBackend(client, getattr(settings, "redis_key_prefix", "") or "")
        except ImportError:  # pragma: no cover - redis comes with the celery extra
            log.warning("HEGUI_BROKER_URL is Redis but the redis package is missing: limiting in-process")
    return LoginLimiter(
        max_failures=getattr(settings, "login_max_failures", 5),
        window=float(getattr(settings, "login_window_seconds", 900)),
        backend=backend,
    )

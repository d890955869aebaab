"""Login rate limiting (issue 6): failed logins per username and per address, on the UI login and
on POST /api/v1/auth/token; 429 with Retry-After and a zh/en message; no bypass by case or spaces."""

from __future__ import annotations

import os
import socket
import uuid

import pytest
from fastapi.testclient import TestClient

from hegui.service.config import Settings
from hegui.service.ratelimit import (
    LoginLimiter,
    MemoryBackend,
    RedisBackend,
    make_limiter,
    normalise_username,
)
from tests.service.web.conftest import PASSWORD, WebEnv, csrf_of


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(web: WebEnv) -> Clock:
    clock = Clock()
    web.app.state.login_limiter = LoginLimiter(max_failures=5, window=900, clock=clock)
    return clock


def _client(web: WebEnv, address: str = "10.0.0.1") -> TestClient:
    c = TestClient(web.app, follow_redirects=False, client=(address, 40000))
    web.clients.append(c)
    return c


def _ui_login(c: TestClient, username: str, password: str, lang: str = "zh"):  # noqa: ANN202
    token = csrf_of(c.get(f"/login?lang={lang}").text)
    return c.post(f"/login?lang={lang}", data={"csrf": token, "username": username, "password": password})


def _api_login(c: TestClient, username: str, password: str):  # noqa: ANN202
    return c.post("/api/v1/auth/token", data={"username": username, "password": password})


def test_five_failed_ui_logins_refuse_the_sixth_even_with_the_right_password(
    web: WebEnv, clock: Clock
) -> None:
    c = _client(web)
    for _ in range(5):
        assert _ui_login(c, "regulator", "wrong").status_code == 401
    r = _ui_login(c, "regulator", PASSWORD)
    assert r.status_code == 429 and 'id="login-limited"' in r.text
    assert "登录失败次数过多，请 15 分钟后再试" in r.text
    assert int(r.headers["retry-after"]) == 900
    en = _ui_login(c, "regulator", PASSWORD, lang="en")
    assert en.status_code == 429 and "too many failed logins; try again in 900 seconds" in en.text
    clock.now += 901  # the window has passed: the right password works again
    assert _ui_login(c, "regulator", PASSWORD).status_code == 303


def test_the_api_token_login_is_limited_too_and_shares_the_count(web: WebEnv, clock: Clock) -> None:
    c = _client(web)
    for _ in range(3):
        assert _ui_login(c, "store", "wrong").status_code == 401
    for _ in range(2):
        assert _api_login(c, "store", "wrong").status_code == 401
    r = _api_login(c, "store", PASSWORD)
    assert r.status_code == 429 and r.headers["content-type"].startswith("application/json")
    assert r.json()["error"]["kind"] == "rate_limited" and int(r.headers["retry-after"]) == 900
    clock.now += 300
    assert int(_api_login(c, "store", PASSWORD).headers["retry-after"]) == 600
    clock.now += 601
    ok = _api_login(c, "store", PASSWORD)
    assert ok.status_code == 200 and ok.json()["access_token"]


@pytest.mark.parametrize("variant", ["Reviewer", " reviewer ", "REVIEWER", "ｒｅｖｉｅｗｅｒ", "reviewer\t"])
def test_case_width_and_whitespace_variants_count_as_the_same_username(
    web: WebEnv, clock: Clock, variant: str
) -> None:
    for i in range(5):  # from five different addresses: only the username's count can refuse
        _api_login(_client(web, f"10.0.1.{i}"), variant if i % 2 else "reviewer", "wrong")
    r = _ui_login(_client(web, "10.0.2.1"), "reviewer", PASSWORD)
    assert r.status_code == 429
    assert _api_login(_client(web, "10.0.2.2"), variant, PASSWORD).status_code == 429


def test_one_address_trying_many_usernames_is_refused(web: WebEnv, clock: Clock) -> None:
    attacker = _client(web, "10.9.9.9")
    for name in ("admin", "root", "reviewer", "store", "nobody"):
        assert _api_login(attacker, name, "guess").status_code == 401
    assert _api_login(attacker, "developer", PASSWORD).status_code == 429
    assert _ui_login(attacker, "developer", PASSWORD).status_code == 429
    assert _ui_login(_client(web, "10.9.9.10"), "developer", PASSWORD).status_code == 303  # others are not


def test_a_success_clears_the_usernames_failures(web: WebEnv, clock: Clock) -> None:
    for i in range(4):
        _api_login(_client(web, f"10.3.0.{i}"), "regulator", "wrong")
    assert _api_login(_client(web, "10.3.1.0"), "regulator", PASSWORD).status_code == 200
    for i in range(4):
        _api_login(_client(web, f"10.3.2.{i}"), "regulator", "wrong")
    assert _api_login(_client(web, "10.3.3.0"), "regulator", PASSWORD).status_code == 200


def test_failures_are_forgotten_one_by_one_as_they_leave_the_window() -> None:
    clock = Clock()
    limiter = LoginLimiter(max_failures=2, window=100, clock=clock)
    limiter.failed("a", None)
    clock.now += 50
    limiter.failed("a", None)
    with pytest.raises(Exception) as refused:
        limiter.check("a", None)
    assert refused.value.retry_after == 50  # type: ignore[attr-defined]
    clock.now += 51
    limiter.check("a", None)  # the first failure left the window


def test_the_in_process_counter_stays_bounded() -> None:
    backend = MemoryBackend(max_keys=10)
    for i in range(100):
        backend.add(f"k{i}", 1.0, 900)
    assert len(backend._times) == 10 and backend.recent("k99", 2.0, 900) == [1.0]


def test_normalised_usernames() -> None:
    assert normalise_username("  ＡＤＭＩＮ\n") == normalise_username("admin") == "admin"


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="Redis is not reachable on 127.0.0.1:6379")
def test_the_redis_counter_is_shared_between_processes() -> None:
    prefix = f"test-{uuid.uuid4().hex[:8]}:"
    settings = Settings(broker_url="redis://127.0.0.1:6379/0", redis_key_prefix=prefix)
    clock = Clock()
    one, two = make_limiter(settings), make_limiter(settings)  # two web processes
    assert isinstance(one._backend, RedisBackend)
    one.clock = two.clock = clock
    try:
        for _ in range(3):
            one.failed("Alice", "10.0.0.1")
        for _ in range(2):
            two.failed(" alice", "10.0.0.2")
        with pytest.raises(Exception, match="too many failed logins"):
            one.check("ALICE", "10.0.0.3")
        two.succeeded("alice")
        one.check("alice", "10.0.0.3")
    finally:
        client = one._backend._redis  # type: ignore[attr-defined]
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)


def test_an_unreachable_redis_falls_back_to_counting_in_process() -> None:
    port = int(os.environ.get("HEGUI_TEST_CLOSED_PORT", "1"))
    limiter = make_limiter(Settings(broker_url=f"redis://127.0.0.1:{port}/0"))
    limiter._backend._redis.connection_pool.connection_kwargs["socket_connect_timeout"] = 0.2  # type: ignore[attr-defined]
    for _ in range(5):
        limiter.failed("bob", None)
    with pytest.raises(Exception, match="too many failed logins"):
        limiter.check("bob", None)

"""The governance pages through the whole app (TestClient): roles, the forms, escaping, errors."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

import pytest

from tests.governance.web_env import gov_env
from tests.service.web.conftest import PASSWORD, _migrated, csrf_of  # noqa: F401 - the migrated template

G = "/governance"


@pytest.fixture
def web(tmp_path, _migrated) -> Iterator:  # noqa: F811
    env = gov_env(tmp_path, _migrated)
    try:
        yield env
    finally:
        env.dispatcher.close(wait=True)


def _post(client, url: str, data: dict, page_url: str | None = None):
    page = client.get(page_url or url)
    assert page.status_code == 200, page.text[:300]
    return client.post(url, data={"csrf": csrf_of(page.text), **data})


def _complain(client, uid: str = "wxid_abcdef12yz", **extra):
    data = {
        "target_type": "account",
        "target_uid": uid,
        "category": "porn",
        "text": "卖片",
        "ev_text": "加V看片",
        "ev_url": "",
        "ev_media": "",
        **extra,
    }
    return _post(client, f"{G}/complaints/new", data)


def test_anonymous_goes_to_login_and_roles_are_enforced(web) -> None:
    anon = web.client()
    assert anon.get(f"{G}/queue").status_code == 303
    assert anon.get(f"{G}/public/notices").status_code == 200
    assert anon.get(f"{G}/register").status_code == 200
    dev = web.as_role("developer")
    assert dev.get(f"{G}/complaints/new").status_code == 200
    for path in ("/queue", "/appeals", "/notices", "/registration", "/cases/1"):
        assert dev.get(G + path).status_code == 403, path
    reg = web.as_role("regulator")
    assert reg.get(f"{G}/queue").status_code == 200
    r = _post(reg, f"{G}/notices", {"start": "2026-01-01", "end": "2026-01-31"})
    assert r.status_code == 403


def test_complaint_queue_decide_notice(web) -> None:
    dev = web.as_role("developer")
    r = _complain(dev, target_name="<script>alert(1)</script>")
    assert r.status_code == 303
    case_id = int(r.headers["location"].rsplit("=", 1)[1])
    mod = web.as_role("moderator")
    q = mod.get(f"{G}/queue")
    assert f"/governance/cases/{case_id}" in q.text
    page = mod.get(f"{G}/cases/{case_id}")
    assert (
        "加V看片" in page.text
        and "<script>alert(1)</script>" not in page.text
        and "&lt;script&gt;" in page.text
    )
    # a violation without verified evidence is a form error, not a sanction
    r = _post(
        mod,
        f"{G}/cases/{case_id}/decide",
        {"outcome": "violation", "category": "porn", "severity": "medium", "reason": "核实"},
        f"{G}/cases/{case_id}",
    )
    assert r.status_code == 422 and 'id="case-error"' in r.text
    r = _post(
        mod,
        f"{G}/cases/{case_id}/decide",
        {
            "outcome": "violation",
            "category": "porn",
            "severity": "medium",
            "reason": "核实",
            "verified": "on",
        },
        f"{G}/cases/{case_id}",
    )
    assert r.status_code == 303
    page = mod.get(f"{G}/cases/{case_id}")
    assert "警告" in page.text
    today = date.today().isoformat()
    r = _post(mod, f"{G}/notices", {"start": today, "end": today, "category": ""})
    assert r.status_code == 303
    nid = r.headers["location"].rsplit("/", 1)[1]
    assert "个人账号1个、群聊0个" in mod.get(f"{G}/notices/{nid}").text
    r = _post(mod, f"{G}/notices/{nid}/publish", {}, f"{G}/notices/{nid}")
    assert r.status_code == 303
    public = web.client().get(f"{G}/public/notices/{nid}")
    assert (
        public.status_code == 200 and "wxid_ab****yz" in public.text and "wxid_abcdef12yz" not in public.text
    )
    assert "1 personal accounts" in web.client().get(f"{G}/public/notices/{nid}?lang=en").text


def test_hostile_form_fields(web) -> None:
    dev = web.as_role("developer")
    for extra in (
        {"target_uid": "<b>"},
        {"category": "nope"},
        {"text": "x" * 2500},
        {"ev_url": "javascript:x"},
    ):
        r = _complain(dev, **extra)
        assert r.status_code == 422, extra
        assert 'role="alert"' in r.text and "Traceback" not in r.text
    assert dev.post(f"{G}/complaints/new", data={"target_uid": "x"}).status_code == 403  # no CSRF token
    mod = web.as_role("moderator")
    assert mod.get(f"{G}/cases/999999999999999999999").status_code == 422
    assert mod.get(f"{G}/cases/12345").status_code == 404
    r = _post(mod, f"{G}/notices", {"start": "bad", "end": "2026-01-01"})
    assert r.status_code == 422


def test_registration_pause_shows_message(web) -> None:
    mod = web.as_role("moderator")
    r = _post(
        mod,
        f"{G}/registration",
        {
            "channel": "*",
            "paused": "on",
            "message_zh": "系统升级<b>暂停</b>注册",
            "message_en": "Paused for an upgrade",
            "resume_on": "2026-12-01",
            "minors_mode": "on",
            "reason": "合规升级",
        },
    )
    assert r.status_code == 303
    page = web.client().get(f"{G}/register?channel=phone")
    assert page.status_code == 503
    assert re.search(r"系统升级&lt;b&gt;暂停&lt;/b&gt;注册", page.text) and "2026-12-01" in page.text
    assert "Paused for an upgrade" in web.client().get(f"{G}/register?channel=phone&lang=en").text
    r = _post(mod, f"{G}/registration", {"channel": "*", "paused": "on", "reason": "x"})
    assert r.status_code == 422


def test_appeal_recorded_and_overturned_on_the_case_page(web) -> None:
    dev = web.as_role("developer")
    case_id = int(_complain(dev).headers["location"].rsplit("=", 1)[1])
    mod = web.as_role("moderator")
    url = f"{G}/cases/{case_id}"
    _post(
        mod,
        f"{url}/decide",
        {
            "outcome": "violation",
            "category": "porn",
            "severity": "medium",
            "reason": "核实",
            "verified": "on",
        },
        url,
    )
    page = mod.get(url).text
    decision_id = re.search(r'name="decision_id" value="(\d+)"', page).group(1)
    assert (
        _post(mod, f"{url}/appeal", {"decision_id": decision_id, "text": "用户申诉：误判"}, url).status_code
        == 303
    )
    page = mod.get(url).text
    assert "申诉中" in page and "用户申诉：误判" in page
    appeal_id = re.search(r"/appeals/(\d+)/resolve", page).group(1)
    form = {"resolution": "overturned", "reason": "复核撤销"}
    assert _post(mod, f"{url}/appeals/{appeal_id}/resolve", form, url).status_code == 403  # decided it
    adm = web.as_role("admin")  # another reviewer (an admin may review any appeal)
    r = _post(adm, f"{url}/appeals/{appeal_id}/resolve", form, url)
    assert r.status_code == 303
    page = mod.get(url).text
    assert "已撤销" in page and "gov.appeal.resolve" in page
    assert "Pending appeals" in mod.get(f"{G}/appeals?lang=en").text


def test_every_page_in_both_languages(web) -> None:
    dev = web.as_role("developer")
    case_id = int(_complain(dev).headers["location"].rsplit("=", 1)[1])
    mod = web.as_role("moderator")
    for path in (
        "/complaints/new",
        "/queue",
        f"/cases/{case_id}",
        "/appeals",
        "/notices",
        "/registration",
        "/public/notices",
        "/register",
    ):
        for lang in ("zh", "en"):
            r = mod.get(f"{G}{path}?lang={lang}")
            assert r.status_code == 200, (path, lang)
            assert "gov_" not in r.text, (path, lang)  # no untranslated key


def test_a_moderator_lands_on_the_queue_not_a_page_it_may_not_see(web) -> None:
    mod = web.client()
    page = mod.get("/login")
    r = mod.post("/login", data={"csrf": csrf_of(page.text), "username": "moderator", "password": PASSWORD})
    assert r.status_code == 303 and r.headers["location"] == f"{G}/queue"
    assert mod.get(r.headers["location"]).status_code == 200
    assert mod.get("/").headers["location"] == f"{G}/queue"

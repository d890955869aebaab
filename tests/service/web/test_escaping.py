"""Every string from the database is escaped: hostile app, organisation, notice and note texts."""

from __future__ import annotations

from typing import Any

from hegui.service import crud
from tests.service.web.conftest import WebEnv, csrf_of

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def _clean(html: str) -> None:
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert" in html


def test_hostile_names_are_escaped_on_every_page(web: WebEnv, reports: dict[str, dict[str, Any]]) -> None:
    with web.sessions() as s:
        org = crud.organisations.create_organisation(s, name="Org " + HOSTILE)
        web.ids["evil"] = org.id
        s.commit()
    app_id, _v, result_id = web.seed_result(
        reports["sdk_no_consent"], package="com.evil.app", name="App " + HOSTILE, org="evil", seed="evil"
    )
    batch = web.notice([app_id], title="Title " + HOSTILE, number="No " + HOSTILE, publish=True)
    draft = web.notice([], title="Draft " + HOSTILE, number="D " + HOSTILE)
    reviewer = web.as_role("reviewer")
    page = reviewer.get(f"/results/{result_id}/review")
    r = reviewer.post(
        f"/results/{result_id}/review",
        data={
            "csrf": csrf_of(page.text),
            "item": "HG-SDK-001",
            "decision": "confirmed",
            "note": "Note " + HOSTILE,
        },
    )
    assert r.status_code == 303
    regulator = web.as_role("regulator")
    paths = [
        "/apps",
        "/orgs",
        f"/orgs/{web.ids['evil']}",
        f"/results/{result_id}",
        "/notices",
        f"/notices/{batch}",
        f"/notices/{draft}",
        f"/notices/{draft}/publish",
        "/dashboard",  # the batch number is a label in the SVG chart
    ]
    for path in paths:
        r = regulator.get(path)
        assert r.status_code == 200, path
        _clean(r.text)
    _clean(reviewer.get(f"/results/{result_id}/review").text)
    anon = web.client()
    for path in ("/public/notices", f"/public/notices/{batch}"):
        _clean(anon.get(path).text)


def test_hostile_form_input_is_escaped_when_shown_back(web: WebEnv) -> None:
    c = web.as_role("regulator")
    token = csrf_of(c.get("/notices").text)
    r = c.post(
        "/notices", data={"csrf": token, "title": HOSTILE, "number": HOSTILE, "deadline": "not a date"}
    )
    assert r.status_code == 422
    _clean(r.text)
    c = web.client()
    page = c.get("/login")
    r = c.post("/login", data={"csrf": csrf_of(page.text), "username": HOSTILE, "password": "x"})
    assert r.status_code == 401
    _clean(r.text)


def test_the_autoescape_is_on_for_every_template() -> None:
    from hegui.service.web.render import environment

    env = environment()
    assert env.autoescape is True  # for every template, whatever its name
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
    assert all(name.endswith(".j2") for name in env.list_templates())

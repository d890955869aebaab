"""Rendering of the governance pages: the service UI's Jinja2 environment rules (autoescape, strict
undefined, its filters) over a loader that finds ``gov/*.html.j2`` here and ``base.html.j2`` in the
service, and the service's page context (user, language, CSRF token, nav)."""

from __future__ import annotations

import functools
from typing import Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from hegui.governance.domain import categories
from hegui.governance.domain.masking import mask_identifier
from hegui.service.db.models import User
from hegui.service.web import render as service_render


@functools.cache
def environment() -> jinja2.Environment:
    base = service_render.environment()
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [jinja2.PackageLoader("hegui.governance.web", "templates"), base.loader]  # type: ignore[list-item]
        ),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(base.filters)
    env.filters["mask"] = mask_identifier
    return env


def page(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    user: User | None,
    status: int = 200,
) -> HTMLResponse:
    ctx = service_render.base_context(request, user)
    lang = ctx["lang"]
    ctx["cat_name"] = lambda cid: categories.name(cid, lang) if cid else ctx["t"]("gov_all_categories")
    ctx["category_choices"] = categories.choices(lang)
    ctx.update(context or {})
    html = environment().get_template(name).render(**ctx)
    response = HTMLResponse(html, status_code=status)
    service_render.remember_lang(request, response)
    return response

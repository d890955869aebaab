"""Error pages for errors outside the pages' own routes: an unknown path (404), a wrong method
(405), a crash in a middleware (500). The API's handlers (``api/errors.py``) call
``app.state.page_error`` for every path that is not under ``/api/``; API paths keep the JSON body.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import Request, Response

from hegui.service.db.models import User
from hegui.service.errors import ServiceError
from hegui.service.web import auth
from hegui.service.web.i18n import request_lang, t
from hegui.service.web.messages import error_text, status_text
from hegui.service.web.render import error_page

log = logging.getLogger("hegui.service.web")


def _user(request: Request) -> User | None:
    """The logged-in user, best effort (for the navigation of the page): None on any failure."""
    if getattr(request.state, "web_user", None) is not None:
        return request.state.web_user
    web = auth.read_session(request)
    if web is None:
        return None
    try:
        with request.app.state.session_factory() as session:
            user = session.get(User, web.user_id)
            if user is not None and user.active:
                session.expunge(user)
                return user
    except Exception:  # the database may be the reason of the error
        log.debug("no user for the error page", exc_info=True)
    return None


def page_error(request: Request, status: int, exc: Exception) -> Response:
    lang = request_lang(request)
    if isinstance(exc, ServiceError):
        message = error_text(exc, lang)
    elif status >= 500:
        message = t("error_internal", lang)
    else:
        message = status_text(status, lang)
    request.state.web_user = _user(request)
    return error_page(request, status, message)


def install(app: Any) -> None:
    app.state.page_error = page_error

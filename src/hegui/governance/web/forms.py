"""Reading the governance forms, beside the service's ``read_form`` and ``text_field``: choices, dates,
checkboxes."""

from __future__ import annotations

from datetime import date
from typing import Any

from hegui.service.errors import InvalidInputError
from hegui.service.web.render import text_field


def checked(form: Any, name: str) -> bool:
    return form.get(name) in ("on", "1", "true", "yes")


def choice(form: Any, name: str, allowed: tuple[str, ...], default: str) -> str:
    value = text_field(form, name, max_len=40) or default
    if value not in allowed:
        raise InvalidInputError(f"{name}: not one of {', '.join(allowed)}")
    return value


def day(form: Any, name: str, *, required: bool = False) -> date | None:
    value = text_field(form, name, max_len=10)
    if not value:
        if required:
            raise InvalidInputError(f"{name} is required")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInputError(f"{name}: not a date (YYYY-MM-DD)") from exc

"""Reading the governance forms: bounded fields (the service's ``read_form``), ids, dates, checkboxes."""

from __future__ import annotations

from datetime import date
from typing import Any

from hegui.service.errors import InvalidInputError


def field(form: Any, name: str, max_len: int) -> str:
    value = form.get(name)
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > max_len:
        raise InvalidInputError(f"{name}: more than {max_len} characters")
    return text


def checked(form: Any, name: str) -> bool:
    return form.get(name) in ("on", "1", "true", "yes")


def choice(form: Any, name: str, allowed: tuple[str, ...], default: str) -> str:
    value = field(form, name, 40) or default
    if value not in allowed:
        raise InvalidInputError(f"{name}: not one of {', '.join(allowed)}")
    return value


def day(form: Any, name: str, *, required: bool = False) -> date | None:
    value = field(form, name, 10)
    if not value:
        if required:
            raise InvalidInputError(f"{name} is required")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InvalidInputError(f"{name}: not a date (YYYY-MM-DD)") from exc

"""Masking of personal identifiers in public notices (个人信息去标识化): 微信号 ``wxid_ab****yz``,
phone ``138****5678``, names ``张*``, group names ``家**``. Nothing shorter than what is kept is shown."""

from __future__ import annotations

import re

_PHONE = re.compile(r"^\+?(86)?(1\d{10})$")
_PREFIXES = ("wxid_", "gh_")


def mask_phone(phone: str) -> str:
    digits = re.sub(r"[\s-]", "", phone or "")
    m = _PHONE.match(digits)
    if m:
        p = m.group(2)
        return f"{p[:3]}****{p[-4:]}"
    return mask_id(digits)


def mask_id(value: str, keep: int = 2) -> str:
    """Keep a known prefix and ``keep`` characters at each end; at least four stars."""
    value = (value or "").strip()
    prefix = next((p for p in _PREFIXES if value.startswith(p)), "")
    rest = value[len(prefix) :]
    if len(rest) <= 2 * keep + 1:
        return prefix + (rest[:1] + "****" if rest else "****")
    return f"{prefix}{rest[:keep]}****{rest[-keep:]}"


def mask_name(name: str) -> str:
    """The first character, a star for each other one (at most 3): 张三 → 张*, 欧阳娜娜 → 欧***."""
    name = (name or "").strip()
    if not name:
        return ""
    return name[0] + "*" * min(max(len(name) - 1, 1), 3)


def mask_identifier(value: str) -> str:
    """A phone number or a platform id, whichever ``value`` looks like."""
    digits = re.sub(r"[\s-]", "", value or "")
    return mask_phone(digits) if _PHONE.match(digits) else mask_id(value)

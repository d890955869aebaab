"""The screener as the queue sees it: a score in [0, 1] for a text and a category, or 0.0 while the
screener (``hegui.governance.screen.screen``) is not installed. Scores only order the review queue:
nothing is sanctioned on a score."""

from __future__ import annotations

import logging
from typing import Any

from hegui.service.errors import ServiceError

log = logging.getLogger("hegui.governance")
MAX_SCREEN_CHARS = 20_000


class ScreenerUnavailableError(ServiceError):
    """The text screener is not installed in this build."""

    http_status = 503
    kind = "screener_unavailable"


def _screen_fn() -> Any:
    try:
        from hegui.governance.screen import screen
    except ImportError:
        return None
    return screen


def available() -> bool:
    return _screen_fn() is not None


def as_dict(result: Any) -> dict[str, Any]:
    """A ScreenResult (dataclass, pydantic model or dict) as plain JSON-able data."""
    if isinstance(result, dict):
        data = result
    elif hasattr(result, "model_dump"):
        data = result.model_dump()
    else:
        data = {"categories": getattr(result, "categories", {}), "evidence": getattr(result, "evidence", [])}
    cats = {}
    for cid, value in dict(data.get("categories") or {}).items():
        v = value if isinstance(value, dict) else getattr(value, "__dict__", {})
        cats[str(cid)] = {"score": float(v.get("score", 0.0)), "label": str(v.get("label", ""))}
    evidence = []
    for item in data.get("evidence") or []:
        e = item if isinstance(item, dict) else getattr(item, "__dict__", {})
        evidence.append({k: e.get(k) for k in ("category", "start", "end", "text", "signal")})
    return {"categories": cats, "evidence": evidence}


def screen_text(text: str) -> dict[str, Any]:
    """The screener's result for ``text`` (``ScreenerUnavailableError`` when it is not installed)."""
    fn = _screen_fn()
    if fn is None:
        raise ScreenerUnavailableError("the text screener is not installed in this build; retry later")
    return as_dict(fn(text[:MAX_SCREEN_CHARS]))


def score_for(text: str, category: str) -> float:
    """The screener's score of ``category`` (or its top level) for ``text``; 0.0 without a screener."""
    if not text.strip() or _screen_fn() is None:
        return 0.0
    try:
        cats = screen_text(text)["categories"]
    except Exception:  # noqa: BLE001 - a screener failure must not lose a complaint
        log.exception("screening a complaint failed; its score is 0")
        return 0.0
    root = category.split(".", 1)[0]
    scores = [v["score"] for k, v in cats.items() if k in (category, root) or k.startswith(root + ".")]
    return round(max(scores, default=0.0), 4)

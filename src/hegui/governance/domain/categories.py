"""Category ids of complaints and decisions, validated against the loaded category tree.

The tree is ``hegui.governance.categories.load_categories()`` (``data/categories.yaml``); until it is
importable, the fixed top-level ids below are the tree. An id is ``root`` or ``root.sub`` (ASCII,
lower case); a subcategory is accepted when the tree lists it.
"""

from __future__ import annotations

import functools
import re

from hegui.service.errors import InvalidInputError

ROOTS = ("porn", "prohibited_goods", "black_market", "gambling", "fraud", "minors")
ROOT_NAMES = {
    "porn": ("色情低俗", "Pornography"),
    "prohibited_goods": ("违禁品营销", "Prohibited goods"),
    "black_market": ("黑灰产", "Black market"),
    "gambling": ("赌博", "Gambling"),
    "fraud": ("诈骗", "Fraud"),
    "minors": ("未成年人保护", "Minors"),
}
_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}(\.[a-z][a-z0-9_]{0,39})?$")


@functools.cache
def tree() -> dict[str, tuple[str, str]]:
    """id → (zh name, en name), top levels and subcategories."""
    names = dict(ROOT_NAMES)
    try:
        from hegui.governance.categories import load_categories
    except ImportError:
        return names
    try:
        for cat in load_categories():
            zh = getattr(cat, "name_zh", None) or getattr(cat, "zh", None) or cat.id
            en = getattr(cat, "name_en", None) or getattr(cat, "en", None) or cat.id
            if isinstance(getattr(cat, "name", None), dict):
                zh, en = cat.name.get("zh", zh), cat.name.get("en", en)
            names[cat.id] = (str(zh), str(en))
    except Exception:  # noqa: BLE001 - a broken file must not take the service down: roots only
        return dict(ROOT_NAMES)
    return names


def root_of(category: str) -> str:
    return category.split(".", 1)[0]


def validate(category: str) -> str:
    """The id if it is a known category, else ``InvalidInputError`` naming the top-level ids."""
    cid = (category or "").strip()
    known = tree()
    if not _ID.match(cid) or root_of(cid) not in ROOTS:
        raise InvalidInputError(f"unknown category; use one of {', '.join(ROOTS)} (or 'root.sub')")
    if cid not in known and "." in cid and len(known) > len(ROOT_NAMES):
        raise InvalidInputError(f"unknown subcategory of {root_of(cid)}; see the category list")
    return cid


def name(category: str, lang: str = "zh") -> str:
    pair = tree().get(category) or tree().get(root_of(category))
    if pair is None:
        return category
    return pair[1] if lang == "en" else pair[0]


def choices(lang: str = "zh") -> list[tuple[str, str]]:
    """(id, label) of every category, roots first in their order, subcategories after their root."""
    out = []
    known = tree()
    for root in ROOTS:
        out.append((root, name(root, lang)))
        out += [(c, "— " + name(c, lang)) for c in sorted(known) if c.startswith(root + ".")]
    return out

"""Small typed loaders for the packaged knowledge files (one per file)."""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from hegui.errors import KnowledgeError

_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 8x faster


class _Entry(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Bilingual(_Entry):
    zh: str
    en: str


class PiType(_Entry):
    id: str
    name: Bilingual
    sensitive: bool
    category: str
    description: Bilingual
    source: str


class PermissionInfo(_Entry):
    name: str
    protection_level: str
    protection_flags: list[str] = Field(default_factory=list)
    pi_types: list[str] = Field(default_factory=list)
    group: str | None = None
    added_api: int | None = None
    deprecated_api: int | None = None
    removed_api: int | None = None
    max_effective_api: int | None = None
    name_zh: str | None = None
    description: Bilingual
    notes: str | Bilingual | None = None
    source: str

    @property
    def dangerous(self) -> bool:
        return "dangerous" in self.protection_level


class SensitiveApi(_Entry):
    id: str
    kind: Literal["invoke", "field", "string"]
    signature: str
    match: Literal["exact", "prefix"] = "exact"
    pi_type: str
    permissions: list[str] = Field(default_factory=list)
    note: Bilingual | None = None
    source: str


class SdkInfo(_Entry):
    """One third-party SDK: how to recognise it and what its vendor says it collects."""

    id: str = Field(pattern=r"^[a-z0-9]+(_[a-z0-9]+)+$")
    name: Bilingual
    # other names as privacy policies write them ("友盟+", "小米PUSH"); used by hegui.policy
    aliases: list[str] = Field(default_factory=list)
    vendor: Bilingual
    country: str = Field(pattern=r"^[A-Z]{2}$")
    category: str
    code: list[str] = Field(default_factory=list)  # Java package prefixes, dot form
    components: list[str] = Field(default_factory=list)
    native_libs: list[str] = Field(default_factory=list)
    domains: list[str] = Field(default_factory=list)
    collects: list[str] = Field(default_factory=list)
    # "vendor": from the vendor's own disclosure; "inferred": what the SDK's function needs, not yet
    # checked against a disclosure (shown as such in the 双清单 draft)
    collects_basis: Literal["vendor", "inferred"] = "vendor"
    privacy_policy: str | None = None
    consent_api: list[str] = Field(default_factory=list)
    init_api: list[str] = Field(default_factory=list)
    version_field: str | None = None
    sources: list[str] = Field(min_length=1)

    @property
    def chinese(self) -> bool:
        return self.country in ("CN", "HK", "MO")


SDK_CATEGORIES = frozenset(
    [
        "push",
        "analytics",
        "ads",
        "attribution",
        "payment",
        "map_location",
        "social_login",
        "share",
        "one_click_login",
        "crash_reporting",
        "apm",
        "customer_service",
        "ocr_face",
        "identity_verification",
        "security_antifraud",
        "app_hardening",
        "game",
        "live_video",
        "rtc_im",
        "cloud_storage",
        "hotfix_update",
        "speech",
        "webview_browser",
        "oaid",
        "device_vendor_service",
        "ui_utility",
        "network",
        "database",
        "other",
    ]
)


def _load(name: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    try:
        text = resources.files("hegui.knowledge").joinpath("data", name).read_text(encoding="utf-8")
        doc = yaml.load(text, Loader=_YamlLoader)  # noqa: S506 - a safe loader (C or pure Python)
    except (OSError, yaml.YAMLError) as exc:
        raise KnowledgeError(f"knowledge file {name} cannot be read: {exc}; reinstall hegui") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("entries"), list):
        raise KnowledgeError(f"knowledge file {name} must be a mapping with 'meta' and 'entries'")
    return doc.get("meta") or {}, doc["entries"]


def _parse(name: str, model: type[_Entry], key: str) -> dict[str, Any]:
    _, entries = _load(name)
    out: dict[str, Any] = {}
    for i, raw in enumerate(entries):
        try:
            entry = model.model_validate(raw)
        except ValidationError as exc:
            raise KnowledgeError(f"{name} entry {i}: {exc}") from exc
        k = getattr(entry, key)
        if k in out:
            raise KnowledgeError(f"{name}: duplicate {key} {k!r}")
        out[k] = entry
    return out


@functools.cache
def pi_types() -> dict[str, PiType]:
    """PI taxonomy by id (e.g. ``device_id.imei``)."""
    return _parse("pi_types.yaml", PiType, "id")


@functools.cache
def permissions() -> dict[str, PermissionInfo]:
    """Android permissions relevant to PI, by permission name."""
    perms: dict[str, PermissionInfo] = _parse("permissions.yaml", PermissionInfo, "name")
    known = pi_types()
    for p in perms.values():
        for t in p.pi_types:
            if t not in known:
                raise KnowledgeError(f"permissions.yaml: {p.name} names unknown pi_type {t!r}")
    return perms


@functools.cache
def sensitive_apis() -> tuple[SensitiveApi, ...]:
    """Catalogued sensitive APIs (methods, static fields, string literals) reaching PI."""
    apis: dict[str, SensitiveApi] = _parse("sensitive_apis.yaml", SensitiveApi, "id")
    known, perms = pi_types(), permissions()
    seen: set[tuple[str, str]] = set()
    for a in apis.values():
        if a.pi_type not in known:
            raise KnowledgeError(f"sensitive_apis.yaml: {a.id} names unknown pi_type {a.pi_type!r}")
        for p in a.permissions:
            if p not in perms:
                raise KnowledgeError(f"sensitive_apis.yaml: {a.id} names unknown permission {p!r}")
        if (a.kind, a.signature) in seen:
            raise KnowledgeError(f"sensitive_apis.yaml: duplicate {a.kind} signature {a.signature!r}")
        seen.add((a.kind, a.signature))
    return tuple(apis.values())


@functools.cache
def sdks() -> dict[str, SdkInfo]:
    """The SDK catalogue (every ``data/sdks/*.yaml``), by id. Code prefixes are unique across it."""
    folder = resources.files("hegui.knowledge").joinpath("data", "sdks")
    if not folder.is_dir():
        raise KnowledgeError("the SDK catalogue (knowledge/data/sdks/) is missing: reinstall hegui")
    names = sorted(f.name for f in folder.iterdir() if f.name.endswith(".yaml"))
    out: dict[str, SdkInfo] = {}
    prefixes: dict[str, str] = {}
    known = pi_types()
    for name in names:
        for sid, sdk in _parse(f"sdks/{name}", SdkInfo, "id").items():
            if sid in out:
                raise KnowledgeError(f"sdks/{name}: id {sid!r} is also defined in another SDK file")
            if sdk.category not in SDK_CATEGORIES:
                raise KnowledgeError(f"sdks/{name}: {sid} has unknown category {sdk.category!r}")
            for t in sdk.collects:
                if t not in known:
                    raise KnowledgeError(f"sdks/{name}: {sid} names unknown pi_type {t!r}")
            for p in sdk.code:
                if p in prefixes:
                    raise KnowledgeError(
                        f"sdks/{name}: code prefix {p!r} of {sid} also belongs to {prefixes[p]}"
                    )
                prefixes[p] = sid
            out[sid] = sdk
    return out

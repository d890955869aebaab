"""AndroidManifest.xml (binary AXML) -> :class:`hegui.facts.model.Manifest`.

Parsed with androguard's AXML printer into an lxml tree. resources.arsc is parsed only when a value
is a resource reference that matters (network security config, backup rules, version name or code,
boolean flags) and at most once per APK.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from androguard.core.axml import ARSCParser, ARSCResTableConfig, AXMLPrinter
from lxml import etree

from hegui.apk.archive import MANIFEST, Apk
from hegui.apk.netsec import parse_network_security_config
from hegui.apk.resources import resource_table
from hegui.errors import ApkError
from hegui.facts.model import Component, IntentFilter, Manifest, NetworkSecurityConfig, PermissionRequest

ANDROID_NS = "{http://schemas.android.com/apk/res/android}"
COMPONENT_KINDS = ("activity", "activity-alias", "service", "receiver", "provider")
MAIN = "android.intent.action.MAIN"
LAUNCHER = "android.intent.category.LAUNCHER"
_APP_REF = re.compile(r"^@([0-9A-Fa-f]{8})$")


def parse_manifest(apk: Apk) -> Manifest:
    """Facts from the manifest of ``apk``. Raises ApkError ``corrupt`` when it is too large or cannot be
    parsed (and ``zip_bomb``/``corrupt`` from reading the entry)."""
    root = _manifest_root(apk)
    res = _Resources(apk)
    package = (root.get("package") or "").strip()
    if not package:
        raise ApkError(
            "corrupt", f"{apk.path.name}: AndroidManifest.xml has no package name; the APK is damaged."
        )
    sdk = _first(root, "uses-sdk")
    raw_min, raw_target = _attr(sdk, "minSdkVersion"), _attr(sdk, "targetSdkVersion")
    # Android's defaults: minSdkVersion 1, targetSdkVersion = minSdkVersion (a codename stays None)
    min_sdk = 1 if raw_min is None else _int(res.value(raw_min))
    target_sdk = min_sdk if raw_target is None else _int(res.value(raw_target))
    max_sdk = _int(res.value(_attr(sdk, "maxSdkVersion")))

    app = _first(root, "application")
    components = _components(app, package, target_sdk, res) if app is not None else []
    return Manifest(
        package=package,
        version_code=_int(res.value(_attr(root, "versionCode"))),
        version_name=res.value(_attr(root, "versionName")),
        min_sdk=min_sdk,
        target_sdk=target_sdk,
        max_sdk=max_sdk,
        permissions=_permissions(root),
        declared_permissions=[n for e in _children(root, "permission") if (n := _attr(e, "name"))],
        application_class=_class_name(package, _attr(app, "name")),
        app_component_factory=_class_name(package, _attr(app, "appComponentFactory")),
        label=_label(res.value(_attr(app, "label"))),
        debuggable=_bool(res.value(_attr(app, "debuggable")), False),
        allow_backup=_bool(res.value(_attr(app, "allowBackup")), True),
        full_backup_content=res.value(_attr(app, "fullBackupContent")),
        data_extraction_rules=res.value(_attr(app, "dataExtractionRules")),
        uses_cleartext_traffic=_opt_bool(res.value(_attr(app, "usesCleartextTraffic"))),
        network_security_config=_network_security_config(apk, _attr(app, "networkSecurityConfig"), res),
        components=components,
        launcher_activity=_launcher(components),
        uses_features=[n for e in _children(root, "uses-feature") if (n := _attr(e, "name"))],
        queries_packages=[
            n for q in _children(root, "queries") for e in _children(q, "package") if (n := _attr(e, "name"))
        ],
        metadata=_metadata(app),
    )


def _manifest_root(apk: Apk) -> etree._Element:
    label = f"{apk.path.name}: AndroidManifest.xml"
    declared = apk.entry(MANIFEST).size
    limit = apk.limits.max_manifest_size
    if declared > limit:
        raise ApkError(
            "corrupt",
            f"{label} declares {declared} bytes, over the {limit}-byte manifest limit; "
            "this is not a normal app manifest, it is not analysed.",
        )
    data = apk.read(MANIFEST, max_size=limit)
    try:
        printer = AXMLPrinter(data)
        root = printer.get_xml_obj() if printer.is_valid() else None
    except Exception as exc:  # noqa: BLE001 - androguard fails in many ways on hostile AXML
        raise ApkError(
            "corrupt",
            f"{label} cannot be parsed ({type(exc).__name__}); the APK is damaged or deliberately malformed.",
        ) from None
    if root is None or root.tag != "manifest":
        raise ApkError(
            "corrupt",
            f"{label} is not a valid binary manifest; the APK is damaged or deliberately malformed.",
        )
    return root


class _Resources:
    """Resolves ``@7fxxxxxx`` references through resources.arsc, parsed lazily, at most once per APK
    (:func:`hegui.apk.resources.resource_table`)."""

    def __init__(self, apk: Apk) -> None:
        self._apk = apk

    def value(self, raw: str | None) -> str | None:
        """``raw`` itself, or for an app resource reference its default-configuration value when it
        resolves to a simple value (else the reference unchanged)."""
        if raw is None or not _APP_REF.match(raw):
            return raw
        return self.resolve(raw) or raw

    def resolve(self, ref: str) -> str | None:
        match = _APP_REF.match(ref)
        arsc = self._parser() if match else None
        if arsc is None or match is None:
            return None
        try:
            rid = int(match.group(1), 16)
            found = arsc.get_resolved_res_configs(
                rid, ARSCResTableConfig.default_config()
            ) or arsc.get_resolved_res_configs(rid)
        except Exception:  # noqa: BLE001 - hostile resource tables
            return None
        for _, value in found:
            if isinstance(value, str) and value:
                return value
        return None

    def _parser(self) -> ARSCParser | None:
        try:
            return resource_table(self._apk)
        except Exception:  # noqa: BLE001 - absent, too large or malformed: references stay unresolved
            return None


def _network_security_config(apk: Apk, raw: str | None, res: _Resources) -> NetworkSecurityConfig | None:
    if raw is None:
        return None
    path = res.resolve(raw) if _APP_REF.match(raw) else raw
    if not path or path not in apk:
        return NetworkSecurityConfig(
            file=path, parse_error=f"the network security config {raw} could not be found in the APK"
        )
    try:
        data = apk.read(path, max_size=apk.limits.max_manifest_size)
    except ApkError as exc:
        return NetworkSecurityConfig(file=path, parse_error=exc.message)
    return parse_network_security_config(data, path)


def _components(
    app: etree._Element, package: str, target_sdk: int | None, res: _Resources
) -> list[Component]:
    out: list[Component] = []
    for elem in app:
        kind = elem.tag if isinstance(elem.tag, str) else ""
        if kind not in COMPONENT_KINDS:
            continue
        name = _class_name(package, _attr(elem, "name"))
        if not name:
            continue
        filters = [_intent_filter(f) for f in _children(elem, "intent-filter")]
        explicit = _opt_bool(res.value(_attr(elem, "exported")))
        if explicit is not None:
            exported = explicit
        elif kind == "provider":
            exported = target_sdk is not None and target_sdk <= 16
        else:
            exported = bool(filters)
        provider = kind == "provider"
        out.append(
            Component(
                kind=kind,  # type: ignore[arg-type]
                name=name,
                exported=exported,
                exported_explicit=explicit,
                permission=_attr(elem, "permission"),
                read_permission=_attr(elem, "readPermission"),
                write_permission=_attr(elem, "writePermission"),
                intent_filters=filters,
                authorities=[a.strip() for a in (_attr(elem, "authorities") or "").split(";") if a.strip()]
                if provider
                else [],
                init_order=_int(_attr(elem, "initOrder")) if provider else None,
                enabled=_bool(res.value(_attr(elem, "enabled")), True),
                process=_attr(elem, "process"),
            )
        )
    return out


def _intent_filter(elem: etree._Element) -> IntentFilter:
    return IntentFilter(
        actions=[n for e in _children(elem, "action") if (n := _attr(e, "name"))],
        categories=[n for e in _children(elem, "category") if (n := _attr(e, "name"))],
        schemes=[s for e in _children(elem, "data") if (s := _attr(e, "scheme"))],
    )


def _launcher(components: list[Component]) -> str | None:
    for c in components:
        if c.kind in ("activity", "activity-alias") and any(
            MAIN in f.actions and LAUNCHER in f.categories for f in c.intent_filters
        ):
            return c.name
    return None


def _permissions(root: etree._Element) -> list[PermissionRequest]:
    out: list[PermissionRequest] = []
    for elem in root:
        if elem.tag in ("uses-permission", "uses-permission-sdk-23", "uses-permission-sdk-m"):
            name = _attr(elem, "name")
            if name:
                max_sdk = _int(_attr(elem, "maxSdkVersion"))
                out.append(
                    PermissionRequest(name=name, max_sdk_version=max_sdk, sdk23=elem.tag != "uses-permission")
                )
    return out


def _metadata(app: etree._Element | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for elem in _children(app, "meta-data"):
        name = _attr(elem, "name")
        if name:
            value = _attr(elem, "value")
            out[name] = value if value is not None else (_attr(elem, "resource") or "")
    return out


def _class_name(package: str, name: str | None) -> str | None:
    """Android's rule: ".Foo" and "Foo" are relative to the package; "a.b.Foo" is absolute."""
    if not name:
        return None
    name = name.strip()
    if name.startswith("."):
        return package + name
    return name if "." in name else f"{package}.{name}"


def _attr(elem: etree._Element | None, name: str) -> str | None:
    """An android: attribute; falls back to the bare name (how tampered manifests still work on Android)."""
    if elem is None:
        return None
    value = elem.get(ANDROID_NS + name)
    return elem.get(name) if value is None else value


def _first(elem: etree._Element, tag: str) -> etree._Element | None:
    return next(_children(elem, tag), None)


def _children(elem: etree._Element | None, tag: str) -> Iterator[etree._Element]:
    if elem is None:
        return iter(())
    return (child for child in elem if child.tag == tag)


def _bool(value: str | None, default: bool) -> bool:
    found = _opt_bool(value)
    return default if found is None else found


def _opt_bool(value: str | None) -> bool | None:
    value = None if value is None else value.strip().lower()
    return True if value == "true" else False if value == "false" else None


def _label(value: str | None) -> str | None:
    """The application label as shown to users; an unresolved reference is no label."""
    if value is None or _APP_REF.match(value) or value.startswith("@"):
        return None
    return value.strip()[:200] or None


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    value = value.strip()
    try:
        return int(value, 16) if value.lower().startswith("0x") else int(value)
    except ValueError:
        return None

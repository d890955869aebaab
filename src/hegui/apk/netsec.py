"""The network security config (res/xml/…), binary AXML or plain XML, reduced to what PI compliance needs.

Never raises for bad input: problems end up in ``NetworkSecurityConfig.parse_error``.
"""

from __future__ import annotations

from lxml import etree

from hegui.facts.model import NetworkSecurityConfig

_AXML_MAGIC = b"\x03\x00\x08\x00"  # RES_XML_TYPE chunk with an 8-byte header
_SAFE_XML = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    remove_comments=True,
    remove_pis=True,
)


def parse_network_security_config(data: bytes, file: str | None = None) -> NetworkSecurityConfig:
    """Parse the bytes of a network security config found at ``file`` (its path inside the APK)."""
    try:
        root = _xml_root(data)
    except Exception as exc:  # noqa: BLE001 - any parser failure on hostile input becomes a note
        return NetworkSecurityConfig(
            file=file, parse_error=f"cannot parse the network security config: {exc}"
        )
    if root is None or _local(root.tag) != "network-security-config":
        return NetworkSecurityConfig(
            file=file,
            parse_error="not a network security config (root element is not <network-security-config>)",
        )
    base: bool | None = None
    trusts_user = False
    debug = False
    domains: list[str] = []
    for child in root:
        tag = _local(child.tag)
        if tag == "base-config":
            base = _bool(child.get("cleartextTrafficPermitted"))
            trusts_user = trusts_user or _trusts_user(child)
        elif tag == "domain-config":
            trusts_user = _domain_config(child, None, domains) or trusts_user
        elif tag == "debug-overrides":
            debug = True
    return NetworkSecurityConfig(
        file=file,
        base_cleartext_permitted=base,
        cleartext_domains=list(dict.fromkeys(domains)),
        trusts_user_certificates=trusts_user,
        debug_overrides=debug,
    )


def _xml_root(data: bytes) -> etree._Element | None:
    if data.startswith(_AXML_MAGIC):
        from androguard.core.axml import AXMLPrinter

        printer = AXMLPrinter(data)
        if not printer.is_valid():
            raise ValueError("the binary XML is malformed")
        return printer.get_xml_obj()
    return etree.fromstring(data, parser=_SAFE_XML)


def _domain_config(elem: etree._Element, inherited: bool | None, domains: list[str]) -> bool:
    """Collect cleartext domains of a domain-config and its nested ones (which inherit the setting).
    Returns True if this config or a nested one trusts user-installed CAs."""
    own = _bool(elem.get("cleartextTrafficPermitted"))
    cleartext = inherited if own is None else own
    trusts_user = _trusts_user(elem)
    for child in elem:
        tag = _local(child.tag)
        if tag == "domain" and cleartext:
            name = (child.text or "").strip().lower()
            if name:
                wildcard = _bool(child.get("includeSubdomains")) is True
                domains.append(f"*.{name}" if wildcard else name)
        elif tag == "domain-config":
            trusts_user = _domain_config(child, cleartext, domains) or trusts_user
    return trusts_user


def _trusts_user(config: etree._Element) -> bool:
    for anchors in config:
        if _local(anchors.tag) != "trust-anchors":
            continue
        for cert in anchors:
            if _local(cert.tag) == "certificates" and (cert.get("src") or "").strip().lower() == "user":
                return True
    return False


def _bool(value: str | None) -> bool | None:
    if value is None:
        return None
    value = value.strip().lower()
    return True if value == "true" else False if value == "false" else None


def _local(tag: object) -> str:
    """Element name without namespace; comments and processing instructions give ''."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""

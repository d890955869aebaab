"""Facts: what the APK is and does. ``extract(path)`` builds them; checks read them."""

from hegui.facts.model import (
    FACTS_SCHEMA_VERSION,
    AnalysisNote,
    CallSite,
    Certificate,
    Component,
    DexInfo,
    Facts,
    IntentFilter,
    Manifest,
    NetworkSecurityConfig,
    PermissionRequest,
)

__all__ = [
    "FACTS_SCHEMA_VERSION",
    "AnalysisNote",
    "CallSite",
    "Certificate",
    "Component",
    "DexInfo",
    "Facts",
    "IntentFilter",
    "Manifest",
    "NetworkSecurityConfig",
    "PermissionRequest",
]

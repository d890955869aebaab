"""Knowledge as data: permissions, sensitive APIs and the PI taxonomy.

Each file in ``data/`` has a ``meta`` header and a list of ``entries``, every entry citing its
source. The loaders here validate with pydantic and cache; a bad file raises ``KnowledgeError``.
"""

from hegui.knowledge.loaders import (
    PermissionInfo,
    PiType,
    SdkInfo,
    SensitiveApi,
    permissions,
    pi_types,
    sdks,
    sensitive_apis,
)

__all__ = [
    "PermissionInfo",
    "PiType",
    "SdkInfo",
    "SensitiveApi",
    "permissions",
    "pi_types",
    "sdks",
    "sensitive_apis",
]

"""Typed errors. Every message says what went wrong and what to do; the CLI prints it as one line."""

from __future__ import annotations


class HeguiError(Exception):
    """Base of every error hegui raises on purpose."""


class ApkError(HeguiError):
    """The input could not be analysed as an APK.

    ``kind`` is one of ``corrupt``, ``zip_bomb``, ``not_apk``, ``too_large``, ``unsupported``, ``io``.
    """

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"


class DexError(HeguiError):
    """A DEX file is malformed. Extraction turns this into an analysis note for that file."""


class KnowledgeError(HeguiError):
    """A packaged knowledge file is missing or does not validate (a bug in hegui, not in the input)."""


class FormatterError(HeguiError):
    """An unknown output format, or a formatter failed."""


class ConfigError(HeguiError):
    """A configuration file (hegui.toml) cannot be read or has a malformed entry."""

"""The APK's resource table (resources.arsc), parsed at most once per opened APK.

androguard parses a whole table in pure Python (~2 s and ~200 MB for a 31 MB table), so the
manifest's reference resolution and the search for consent-dialog strings share one parse:
:func:`resource_table` parses (or remembers why it could not), :func:`parsed_resource_table` only
returns what an earlier call produced.
"""

from __future__ import annotations

import weakref

from androguard.core.axml import ARSCParser

from hegui.apk.archive import Apk

MAX_ARSC = 64 << 20  # bytes of resources.arsc read at most

_TABLES: weakref.WeakKeyDictionary[Apk, ARSCParser | Exception] = weakref.WeakKeyDictionary()


def resource_table(apk: Apk, data: bytes | None = None) -> ARSCParser:
    """The parsed table of ``apk`` (``data``: its bytes, when the caller has read them already).
    Raises what reading or parsing raised — again on every later call, without retrying."""
    table = _TABLES.get(apk)
    if table is None:
        try:
            table = ARSCParser(data if data is not None else apk.read("resources.arsc", max_size=MAX_ARSC))
        except Exception as exc:  # noqa: BLE001 - absent, too large or hostile: remembered, re-raised
            table = exc
        _TABLES[apk] = table
    if isinstance(table, Exception):
        raise table
    return table


def parsed_resource_table(apk: Apk) -> ARSCParser | None:
    """The table if an earlier :func:`resource_table` call parsed it, None if none was made; raises
    if that call failed. Never parses."""
    table = _TABLES.get(apk)
    if isinstance(table, Exception):
        raise table
    return table

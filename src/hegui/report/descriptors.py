"""Turn Dalvik descriptors into the Java-like names people read in reports.

``Lcom/example/Foo;->bar(Ljava/lang/String;I)V`` becomes class ``com.example.Foo`` and method
``bar(String, int)``. Anything that does not parse is returned unchanged: reports never fail on
an odd descriptor.
"""

from __future__ import annotations

_PRIMITIVES = {
    "V": "void",
    "Z": "boolean",
    "B": "byte",
    "S": "short",
    "C": "char",
    "I": "int",
    "J": "long",
    "F": "float",
    "D": "double",
}


def class_name(desc: str) -> str:
    """``Lcom/example/Foo;`` -> ``com.example.Foo``; arrays and primitives get Java spelling."""
    dims = len(desc) - len(desc.lstrip("["))
    base = desc[dims:]
    if base.startswith("L") and base.endswith(";"):
        name = base[1:-1].replace("/", ".")
    elif base in _PRIMITIVES:
        name = _PRIMITIVES[base]
    else:
        return desc
    return name + "[]" * dims


def _simple(desc: str) -> str:
    name = class_name(desc)
    return name.rsplit(".", 1)[-1]


def _param_types(params: str) -> list[str] | None:
    out: list[str] = []
    i = 0
    while i < len(params):
        j = i
        while j < len(params) and params[j] == "[":
            j += 1
        if j >= len(params):
            return None
        if params[j] == "L":
            end = params.find(";", j)
            if end < 0:
                return None
            j = end
        elif params[j] not in _PRIMITIVES:
            return None
        out.append(params[i : j + 1])
        i = j + 1
    return out


def split_member(desc: str) -> tuple[str, str]:
    """A method or field descriptor as (class name, member), e.g.
    ``("com.example.Foo", "bar(String, int)")`` or ``("android.os.Build", "SERIAL")``.

    A string that is not a member descriptor comes back as ``("", desc)``.
    """
    klass, sep, member = desc.partition("->")
    if not sep:
        return "", desc
    open_, close = member.find("("), member.find(")")
    if open_ >= 0 and close > open_:
        params = _param_types(member[open_ + 1 : close])
        if params is None:
            return class_name(klass), member
        return class_name(klass), f"{member[:open_]}({', '.join(_simple(p) for p in params)})"
    name, _, _type = member.partition(":")
    return class_name(klass), name


def pretty_member(desc: str, *, short: bool = False) -> str:
    """``Landroid/telephony/TelephonyManager;->getDeviceId()Ljava/lang/String;`` ->
    ``android.telephony.TelephonyManager.getDeviceId()`` (``TelephonyManager.getDeviceId()`` when
    ``short``)."""
    klass, member = split_member(desc)
    if short:
        klass = klass.rsplit(".", 1)[-1]
    return f"{klass}.{member}" if klass else member

"""Who owns a piece of code: the app itself, or a third party.

``app`` when the class lies in the app's own namespace (its package, or the package of its
Application class); otherwise ``third-party:<package prefix>``. The SDK catalogue refines the
latter into ``sdk:<id>`` (see hegui.facts.extract).
"""

from __future__ import annotations


def class_package(descriptor: str) -> str:
    """``Lcom/example/Main$1;`` -> ``com.example``."""
    name = descriptor[1:-1] if descriptor.startswith("L") and descriptor.endswith(";") else descriptor
    return name.rpartition("/")[0].replace("/", ".")


def caller_class(method_descriptor: str) -> str:
    return method_descriptor.partition("->")[0]


def app_namespaces(package: str, application_class: str | None) -> tuple[str, ...]:
    spaces = {package}
    if application_class and "." in application_class:
        spaces.add(application_class.rpartition(".")[0])
    return tuple(sorted(spaces))


def owner_of(class_descriptor: str, namespaces: tuple[str, ...]) -> str:
    pkg = class_package(class_descriptor)
    for ns in namespaces:
        if pkg == ns or pkg.startswith(ns + "."):
            return "app"
    if not pkg:
        return "app"  # classes in the default package are the app's own (often obfuscated) code
    return "third-party:" + ".".join(pkg.split(".")[:3])

"""Required elements of a privacy policy (``ELEMENTS``), each present or not with evidence.

An element is present when a unit (sentence, table cell, heading) matches its patterns in
``knowledge/data/policy/elements.yaml``; the first matching unit in document order is the evidence.
"""

from __future__ import annotations

from hegui.policy.lexicon import element_patterns
from hegui.policy.load import PolicyDocument
from hegui.policy.model import ELEMENTS, ElementResult
from hegui.policy.segment import Unit, evidence


def extract_elements(doc: PolicyDocument, units: list[Unit]) -> dict[str, ElementResult]:
    patterns = element_patterns()
    text = doc.text
    found: dict[str, ElementResult] = {}
    todo = [e for e in ELEMENTS if e in patterns]
    for u in units:
        if not todo:
            break
        chunk = text[u.start : u.end]
        left = []
        for el in todo:
            rx, ex = patterns[el]
            if rx.search(chunk) and not (ex and ex.search(chunk)):
                found[el] = ElementResult(present=True, evidence=evidence(doc, u))
            else:
                left.append(el)
        todo = left
    return {el: found.get(el, ElementResult(present=False)) for el in ELEMENTS}

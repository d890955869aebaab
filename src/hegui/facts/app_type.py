"""Which of the 39 app types an app is: given by the operator, or inferred from its label and package.

The type decides the PI that is *necessary* for the app's basic function (《常见类型移动互联网应用程序
必要个人信息范围规定》); HG-PI-006 compares it with the PI the code reaches. Inference is a keyword
match over the application label and the package name, so its confidence is never above medium:
give ``--app-type`` for a verdict that relies on it.
"""

from __future__ import annotations

from hegui.facts.model import AppTypeAssessment, Facts
from hegui.knowledge.rulebook import AppType, get_app_type, infer_app_type_with_basis


def _assessment(t: AppType, **kw: str) -> AppTypeAssessment:
    return AppTypeAssessment(
        id=t.id,
        name_zh=t.name.zh,
        name_en=t.name.en,
        necessary_pi_types=sorted(t.pi_types),
        **kw,
    )


def given(app_type_id: str) -> AppTypeAssessment:
    """The assessment for a type the operator states; KnowledgeError names the choices if unknown."""
    return _assessment(get_app_type(app_type_id), source="given", confidence="high", basis="--app-type")


def inferred(facts: Facts) -> AppTypeAssessment | None:
    found = infer_app_type_with_basis(facts.manifest.label, facts.package)
    if found is None:
        return None
    t, confidence, basis = found
    return _assessment(t, source="inferred", confidence=confidence, basis=basis)


def with_app_type(facts: Facts, app_type_id: str | None) -> Facts:
    """``facts`` with ``app_type`` set: the given type, else the inferred one (or none)."""
    assessment = given(app_type_id) if app_type_id else inferred(facts)
    return facts.model_copy(update={"app_type": assessment})

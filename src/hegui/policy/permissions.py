"""Runtime permission groups whose purpose the policy explains ("相机权限，用于扫码")."""

from __future__ import annotations

import re

from hegui.policy.extract import PURPOSE_HEAD, negated, purpose_of, skip_unit, table_info
from hegui.policy.lexicon import permission_matcher
from hegui.policy.load import PolicyDocument
from hegui.policy.model import PermissionPurpose
from hegui.policy.segment import Unit, evidence

PERMISSION_CUE = re.compile(r"权限|授权|开启|调用|访问|使用您的|允许|启用|打开|读取|获取|收集")
PURPOSE_CUE = re.compile(r"用于|用来|以便|为了|便于|实现|帮助|需要|从而|以供|时[，,]|场景|功能")


def extract_permissions(doc: PolicyDocument, units: list[Unit]) -> list[PermissionPurpose]:
    matcher = permission_matcher()
    tables = table_info(doc)
    text = doc.text
    out: dict[str, PermissionPurpose] = {}
    for u in units:
        chunk = text[u.start : u.end]
        if not PERMISSION_CUE.search(chunk) or skip_unit(doc, u):
            continue
        in_table = u.kind == "table_cell"
        if not (PURPOSE_CUE.search(chunk) or in_table):
            continue
        if in_table and not PURPOSE_CUE.search(chunk):
            info = tables.get(doc.blocks[u.block].table)
            if not info or not any(PURPOSE_HEAD.search(h) for h in info.header):
                continue
        for s, _e, group in matcher.find(text, u.start, u.end):
            if group in out or negated(text, u.start, s):
                continue
            out[group] = PermissionPurpose(group=group, purpose=purpose_of(chunk), evidence=evidence(doc, u))
    return list(out.values())

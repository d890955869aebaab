"""PI types a policy says are collected (or not), with the sentence or table cell as evidence.

A lexicon term (``pi_lexicon.yaml``) found in a sentence, table cell or heading states that PI
type, unless a negation cue ("不会", "不收集", "无需" …) precedes it in the same clause. Table rows
also give who collects (``by``: the SDK/third-party column) and the purpose column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hegui.policy.lexicon import pi_matcher
from hegui.policy.load import Block, PolicyDocument
from hegui.policy.model import CollectedPI, Evidence, NotCollected
from hegui.policy.segment import Unit, clause_start, evidence

NEGATION = re.compile(
    r"不会|不得|不(?:主动|再|需|必|去|对|以)?(?:收集|获取|读取|采集|调用|访问|使用|申请|上传|存储|保存|要求|处理|记录|开启|"
    r"索取|监听|识别|追踪|跟踪|共享|涉及|包括|包含|含有)|无需|无须|不需要|并未|从未|未曾|绝不|没有(?:收集|获取|读取|采集)|"
    r"禁止|不涉及|不存在|不要|请勿|切勿|not\s+(?:collect|access|read|use)|never|do\s+not|don't"
)
_PURPOSE = re.compile(r"(?:用于|以便|以便于|为了|目的是|目的为|便于|从而)([^，。；;,\n]{2,40})")
PURPOSE_HEAD = re.compile(r"目的|用途|功能|场景|使用方式|使用规则|业务")
NAME_HEAD = re.compile(r"SDK|sdk|名称|第三方|合作方|服务商|提供方|产品|插件|共享方|接收方")
PI_HEAD = re.compile(r"个人信息|信息类型|信息字段|字段|收集|数据类型|权限")
_NUMERIC = re.compile(r"^\s*[\d.、]+\s*$")


@dataclass
class TableInfo:
    header: list[str]
    name_col: int
    purpose_col: int
    pi_col: int = -1  # the column listing the PI collected, when the header names one


_VENDOR_HEAD = re.compile(r"公司|机构|主体|运营方|开发者|厂商|所属|提供方")


def _name_score(h: str) -> int:
    if (
        len(h) >= 20
        or not NAME_HEAD.search(h)
        or re.search(r"链接|政策|网址|URL|地址|目的|类型|字段|方式", h, re.I)
    ):
        return 0
    if _VENDOR_HEAD.search(h) and not re.search(r"SDK|产品|插件", h, re.I):
        return 1
    return 3 if re.search(r"SDK|插件", h, re.I) else 2


def table_info(doc: PolicyDocument) -> dict[int, TableInfo]:
    """Header cells, and which column names the third party / the purpose, per table."""
    out: dict[int, TableInfo] = {}
    for b in doc.blocks:
        if b.kind != "row" or b.table in out:
            continue
        header = [doc.text[s:e] for s, e in b.cells]
        scores = [_name_score(h) for h in header]
        name_col = scores.index(max(scores)) if scores and max(scores) > 0 else -1
        purpose_col = next((i for i, h in enumerate(header) if PURPOSE_HEAD.search(h) and len(h) < 20), -1)
        pi_cols = [
            i
            for i, h in enumerate(header)
            if PI_HEAD.search(h) and len(h) < 20 and i not in (name_col, purpose_col)
        ]
        pi_col = pi_cols[0] if pi_cols else -1
        if name_col < 0 and purpose_col < 0 and pi_col < 0:
            out[b.table] = TableInfo([], -1, -1)
        else:
            out[b.table] = TableInfo(header, name_col, purpose_col, pi_col)
    return out


def _cell(doc: PolicyDocument, b: Block, col: int) -> str | None:
    if 0 <= col < len(b.cells):
        s, e = b.cells[col]
        t = doc.text[s:e].strip()
        return t or None
    return None


_COMPANY = re.compile(r"(?:公司|集团|Inc\.?|Ltd\.?|Limited|LLC)\s*$", re.I)


def row_name(doc: PolicyDocument, b: Block, info: TableInfo | None) -> str | None:
    """The third party a table row is about: its name column; the next column when that one
    holds an index number or the vendor company (tables that put the company first)."""
    if info is None or info.name_col < 0 or b.header or len(b.cells) < len(info.header) - 1:
        return None  # a header, or a continuation row of a multi-line cell
    name = _cell(doc, b, info.name_col)
    if name and _NUMERIC.match(name):
        name = _cell(doc, b, info.name_col + 1)
    if name and _COMPANY.search(name):
        nxt = _cell(doc, b, info.name_col + 1)
        if nxt and len(nxt) <= 30 and not _COMPANY.search(nxt) and not PURPOSE_HEAD.search(nxt[:4]):
            name = nxt
    return name[:80] if name else None


def purpose_of(text: str) -> str | None:
    m = _PURPOSE.search(text)
    return m.group(1).strip() if m else None


_LIST_START = re.compile(
    r"\s*(?:包括但不限于|包括|包含|例如|比如|诸如|如|即|含|涵盖|无论是|也不会|亦不会|或|以及)"
)
# a medium of contact, not PI collected: "通过短信/电子邮件等方式通知您"
_CHANNEL_TYPES = frozenset({"sms", "contact.email", "phone_number", "call_log"})
_CHANNEL_BEFORE = re.compile(r"(?:通过|以|经由|采用|发送|发出|致信|拨打)\s*$")
_CHANNEL_AFTER = re.compile(
    r"[^，。；,;]{0,10}?(?<!联系)(?:方式|形式|渠道|途径)|[^，。；,;]{0,6}?(?:通知|告知|联系我们|与您联系|发送给您|推送给您)"
    r"|\s*(?:地址|号码)?\s*[:：]\s*(?:[\w.+-]+@|[\d(（+])"
)
# definitions of terms ("个人信息是指…，包括姓名…") state what PI is, not what is collected
_DEFINITION = re.compile(
    r"^[\W\da-z]*(?:个人(?:敏感)?信息|敏感个人信息)(?:包括|是指|指)|(?:个人(?:敏感)?信息|敏感个人信息)[^，。；]{0,12}(?:是指|指的是|系指|：指)|^[^，。]{0,20}(?:是指|系指)"
)
_NOT_COLLECTION = re.compile(
    r"^[\W\d]*(?:功能|用途|使用目的|目的|应用场景|使用场景|场景描述)[:：]|可能被(?:认为|视为)|^[\W\da-z]*敏感个人信息[:：]"
)
_PERMISSION_MGMT = re.compile(r"(?:关闭|撤回|改变|取消|管理|拒绝)[^。]{0,30}(?:权限|授权)")
_CUE = re.compile(
    r"收集|获取|读取|访问|调用|申请|上传|采集|权限|授权|记录|识别|保存|存储|选择|填写|提供|使用您|开启|接收"
)
_COLLECT_VERB = re.compile(r"收集|获取|读取|采集|申请|调用|上传|记录")
_DEF_SECTION = re.compile(r"定义|释义|名词解释|术语")
_TITLE = re.compile(r"隐私政策|隐私协议|隐私保护指引|个人信息保护政策|隐私权政策|_")


def negated(text: str, start: int, pos: int) -> bool:
    cs = clause_start(text, start, pos)
    if cs > start and _LIST_START.match(text, cs, pos):
        cs = clause_start(text, start, max(start, cs - 1))
    return bool(NEGATION.search(text, cs, pos))


def channel(text: str, s: int, e: int) -> bool:
    return bool(
        _CHANNEL_BEFORE.search(text, max(0, s - 4), s)
        or _CHANNEL_AFTER.match(text, e, min(len(text), e + 40))
    )


def skip_unit(doc: PolicyDocument, u: Unit) -> bool:
    """Units that name PI without saying it is collected: definitions, the document title."""
    chunk = doc.text[u.start : u.end]
    if u.kind == "heading" or (u.block == 0 and len(chunk) < 40):
        if _TITLE.search(chunk):
            return True
        if u.kind == "heading":
            return False
    if (
        _DEFINITION.search(chunk)
        or _NOT_COLLECTION.search(chunk)
        or (u.section and _DEF_SECTION.search(u.section))
    ):
        return True
    return bool(_PERMISSION_MGMT.search(chunk) and not _COLLECT_VERB.search(chunk))


def extract_pi(doc: PolicyDocument, units: list[Unit]) -> tuple[list[CollectedPI], list[NotCollected]]:
    matcher = pi_matcher()
    tables = table_info(doc)
    text = doc.text
    collected: dict[tuple[str, str | None], CollectedPI] = {}
    negs: dict[str, NotCollected] = {}
    for u in units:
        hits = matcher.find(text, u.start, u.end)
        if not hits or skip_unit(doc, u):
            continue
        ev: Evidence | None = None
        by = purpose = None
        if u.kind == "table_cell":
            b = doc.blocks[u.block]
            if b.header:
                continue
            info = tables.get(b.table)
            if info and info.pi_col >= 0 and u.cell != info.pi_col:
                continue
            by = row_name(doc, b, info)
            if info and info.purpose_col >= 0:
                purpose = _cell(doc, b, info.purpose_col)
        for s, e, pid in hits:
            if pid in _CHANNEL_TYPES and channel(text, s, e):
                continue
            if pid in matcher.needs_cue and u.kind != "table_cell" and not _CUE.search(text, u.start, u.end):
                continue
            if negated(text, u.start, s):
                if pid not in negs:
                    negs[pid] = NotCollected(pi_type=pid, term=text[s:e], evidence=ev or evidence(doc, u))
                continue
            key = (pid, by)
            if key in collected:
                continue
            ev = ev or evidence(doc, u)
            if purpose is None and u.kind == "sentence":
                purpose = purpose_of(text[u.start : u.end])
            collected[key] = CollectedPI(pi_type=pid, term=text[s:e], evidence=ev, purpose=purpose, by=by)
    stated = {p for p, _ in collected}
    return list(collected.values()), [n for p, n in negs.items() if p not in stated]

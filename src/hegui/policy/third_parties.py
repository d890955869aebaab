"""Third parties and SDKs a policy names, matched to hegui's SDK catalogue by name, alias, vendor.

Names come from SDK tables (the name column of a table whose header names SDKs / third parties),
from "名称：XX" lines, from headings that end in "SDK", and from prose ("XX SDK"). Generic
classes ("第三方SDK", "广告类SDK") are dropped.
"""

from __future__ import annotations

import re

from hegui.policy.extract import row_name, table_info
from hegui.policy.lexicon import pi_matcher
from hegui.policy.load import PolicyDocument
from hegui.policy.model import CollectedPI, Evidence, ThirdParty
from hegui.policy.sdk_match import GENERIC, NON_WORD, PAREN, TRAIL, alias_regex, match_sdk, norm
from hegui.policy.segment import Unit, evidence

_SDK = re.compile(r"SDK", re.I)
_NAME_CHARS = re.compile(r"[A-Za-z0-9\u4e00-\u9fff+·.\-& ]")
_STOP = re.compile(
    r".*(?:使用了|使用|接入了|接入|集成了|集成|嵌入了|嵌入|引入了|引入|通过|提供的|包括|包含|例如|采用|调用|名称|"
    r"有限公司|公司|简称|主要|部分|逐项|改善|一些|以下|如下|名为|参见|确保|唤醒|附带|附属|具体|场景方|这些|"
    r"为|如|的|了|与|和|及|或|等|是|在|由|将|向|从|含|其|该|各|于|以|：|:|"
    r"\b(?:and|or|the|some|of|by|third[- ]party|other|with|uses?|our|its)\b\s*)",
    re.I,
)
_KV = re.compile(
    r"(?:SDK|插件|产品)(?:名称|全称)[:：]\s?([^\s，。；;|]{2,40})|“([^”]{2,20})”[:：]?\s?(?:该|此)\s?SDK",
    re.I,
)
_LISTEDGENERIC = re.compile(r"^(?:sdk|第三方|三方|其他|其它|厂商通道|定义|释义|说明|广告服务|基础|功能)+$")
_SECTION_NUMBER = re.compile(r"\s*\d+\.\d+")  # "1.5 个性化推荐": a section of the policy, not an SDK
_VENDOR_COL = re.compile(r"公司|运营方|主体|机构|提供方|开发者|厂商|所属")
_VENDOR_LINE = re.compile(
    r"[\W\d]*(?:运营方|运营主体|公司名称|所属公司|SDK提供方|提供方|开发者|第三方名称|第三方主体)[:：]\s*"
)
_SDK_CELL = re.compile(r"\S\s?SDK\s*$", re.I)
_ENUM = re.compile(
    r"^\s*(?:\d+(?:\.\d+)*[、.．)）]?\s|[\d一二三四五六七八九十]+[、.．)）]|[（(][\d一二三四五六七八九十]+[)）])\s*"
)
_CONTEXT = re.compile(r"SDK|第三方|合作方|服务商|接入|集成|嵌入|插件|推送|PUSH|开放平台", re.I)
_SECTION_CONTEXT = re.compile(r"SDK|第三方|合作|共享|委托", re.I)
_BRAND = re.compile(r"[A-Za-z][A-Za-z0-9+]*\s?|[\u4e00-\u9fff]{2}")
# "XX的《隐私政策》", "XX：点击查看…隐私政策": a third party named by a link to its policy
_LINKED = re.compile(
    r"([A-Za-z0-9\u4e00-\u9fff+·.\- ]{2,20})(?:的《[^》]{0,15}(?:隐私|个人信息)[^》]{0,15}》|[:：]\s?点击查看)"
)
NEARBY = 12
MAX_THIRD_PARTIES = 400  # real SDK lists name < 150; more is a hostile or garbled document
_KEY_LINE = re.compile(
    r"[\W\d]*(?:使用目的|目的|功能|用途|用途描述|功能描述|功能说明|用途说明|数据类型|收集[^:：]{0,8}信息|个人信息(?:类型|字段)|运营方|SDK提供方|提供方|"
    r"公司名称|所属公司|第三方名称|使用场景|应用场景|场景描述|开发者|服务类型)[:：]"
)
_PAREN_LIST = re.compile(r"\s?[（(](?:如|例如|包括|含)[:：]?([^）)]{2,80}?)(?:等)?[）)]")
_SENTENCE_PUNCT = re.compile(r"[。，,；;：:！？!?]")
_VERBS = re.compile(r"阅读|制定|参阅|查看|了解|请|应|详见|参见")
# platform names that appear in prose about login/payment: a product only with a suffix ("微信SDK")
_BROAD = frozenset(
    NON_WORD.sub("", n.lower())
    for n in (
        "微信",
        "WeChat",
        "QQ",
        "QQ登录",
        "微博",
        "新浪微博",
        "微博登录",
        "微信登录",
        "支付宝",
        "Alipay",
        "HMS",
        "HMS Core",
        "华为HMS",
        "小米帐号",
        "华为帐号",
        "华为账号",
        "天翼账号",
        "中国移动认证",
        "移动认证",
        "联通认证",
        "银联",
        "中国银联",
        "云闪付",
        "华为账号登录",
        "支付宝支付",
    )
)


def _clean(name: str, strict: bool = True) -> str | None:
    """The name, or None for garbage and (when ``strict``, i.e. found in prose) generic classes;
    a listed item (table row, "key: value" list) may have a generic-sounding name ("人脸识别SDK")."""
    name = _ENUM.sub("", name).strip(' *:：-|“”"')
    name = re.sub(r"\s+", " ", name)
    n = norm(name)
    if not (2 <= len(name) <= 40) or len(n) < 2 or re.fullmatch(r"[\d.]+", n):
        return None
    if GENERIC.match(n) and (strict or _LISTEDGENERIC.match(n)):
        return None
    if re.search(
        r"[中时后内下]$|同意|三方|合作方|我们|您|以下|上述|相关|类SDK|等SDK|^www|^https?|链接|点击|查看|获取|政策|说明|目录|列表|清单|协议|名称",
        name,
        re.I,
    ):
        return None
    bare = TRAIL.sub("", n)
    if len(bare) <= 2 and bare.isascii() or len(bare) < 2:
        return None
    return name


def _before_sdk(text: str, start: int, pos: int) -> list[str]:
    """The name(s) just before "SDK": "友盟+SDK" → 友盟+SDK; "小米/华为推送SDK" → both, with the
    shared suffix ("推送") carried to every brand of the list."""
    i = pos
    while i > start and pos - i < 24 and _NAME_CHARS.match(text[i - 1]):
        i -= 1
    chunk = text[i:pos]
    m = _STOP.match(chunk)
    if m:
        chunk = chunk[m.end() :]
    chunk = chunk.strip(" -·.")
    if not chunk:
        return []
    if _in_url(text, i):
        return []
    names = [chunk + "SDK"]
    if i > start and text[i - 1] in "/、" and m is None:
        brand = _BRAND.match(chunk)
        suffix = chunk[brand.end() :] if brand else ""
        j = i - 1
        for _ in range(8):
            k = j
            while k > start and j - k < 12 and _NAME_CHARS.match(text[k - 1]) and text[k - 1] != " ":
                k -= 1
            token = text[k:j].strip()
            mm = _STOP.match(token)
            token = token[mm.end() :] if mm else token
            if not token or len(token) > 10 or _SDK.search(token):
                break
            names.append(token + suffix + "SDK")
            if k <= start or text[k - 1] not in "/、" or mm:
                break
            j = k - 1
    return names


def _in_url(text: str, pos: int) -> bool:
    """Whether ``pos`` is inside a URL or file path (no whitespace since "://" / "www.")."""
    lo = max(0, pos - 200)
    seg = text[lo:pos]
    cut = max(seg.rfind(" "), seg.rfind("\n"), seg.rfind("\t"), seg.rfind("（"), seg.rfind("("))
    seg = seg[cut + 1 :]
    return "://" in seg or "www." in seg or seg.count("/") >= 2 and seg.isascii()


def _brand_list(text: str, start: int, pos: int, after: int, end: int) -> list[str]:
    """ "推送通道SDK（如小米、华为、魅族等）" → 小米推送通道SDK, 华为推送通道SDK, 魅族推送通道SDK."""
    m = _PAREN_LIST.match(text, after, end)
    if not m:
        return []
    i = pos
    while i > start and pos - i < 10 and "\u4e00" <= text[i - 1] <= "\u9fff":
        i -= 1
    stop = _STOP.match(text[i:pos])
    core = text[i:pos][stop.end() :] if stop else text[i:pos]
    tokens = [t.strip() for t in re.split(r"[、/,，]", m.group(1))]
    if not core or any(pi_matcher().find(t) for t in tokens):
        return []  # "（如设备型号、地区）" lists data, not brands
    return [t + core + "SDK" for t in tokens if 2 <= len(t) <= 8 and not _SENTENCE_PUNCT.search(t)]


def _split_list(name: str) -> list[str]:
    """ "A SDK、B SDK、C" (a table cell or "名称：" value listing several) → each; keeps "A（B、C）"."""
    if not re.search(r"[、，,；;]", PAREN.sub("", name)):
        return [name]
    parts = [p.strip() for p in re.split(r"[、，,；;](?![^（(]*[）)])", name) if p.strip()]
    # "个推、个像、个数SDK" is one product family; "A SDK、B SDK" two products
    return parts if sum(1 for p in parts if _SDK.search(p)) >= 2 else [name]


def _listed_vendor(doc: PolicyDocument, i: int) -> str | None:
    for b in doc.blocks[i + 1 : i + 6]:
        m = _VENDOR_LINE.match(doc.text, b.start, b.end)
        if m:
            return doc.text[m.end() : b.end].strip()[:80] or None
    return None


def _listed_names(doc: PolicyDocument) -> dict[int, str]:
    """Names in "key: value" SDK lists: a short line followed by "使用目的：…", "运营方：…" lines."""
    out: dict[int, str] = {}
    blocks = doc.blocks
    for i, b in enumerate(blocks[:-1]):
        if b.kind == "row" or b.end - b.start > 40:
            continue
        nxt = blocks[i + 1]
        if nxt.kind == "row" or not _KEY_LINE.match(doc.text, nxt.start, nxt.end):
            continue
        name = doc.text[b.start : b.end]
        if not _SENTENCE_PUNCT.search(name) and not _SECTION_NUMBER.match(name):
            out[i] = name
    return out


def _context_blocks(doc: PolicyDocument) -> set[int]:
    """Blocks that speak of SDKs / third parties, and the few blocks after each (lists that
    follow an SDK heading or sentence)."""
    out: set[int] = set()
    for i, b in enumerate(doc.blocks):
        if _CONTEXT.search(doc.text, b.start, b.end) or (b.section and _SECTION_CONTEXT.search(b.section)):
            out.update(range(i, i + NEARBY))
    return out


def _candidates(
    doc: PolicyDocument, units: list[Unit], vendors: dict[str, str]
) -> list[tuple[str, Unit, str | None, bool]]:
    """(name as written, unit, purpose, found in prose) in document order; fills ``vendors``
    (name → company, from a vendor column or a "运营方：" line)."""
    text = doc.text
    tables = table_info(doc)
    context = _context_blocks(doc)
    cells = {(u.block, u.cell): u for u in units if u.kind == "table_cell"}
    out: list[tuple[str, Unit, str | None, bool]] = []
    first_unit: dict[int, Unit] = {}
    for u in units:
        first_unit.setdefault(u.block, u)
    listed = _listed_names(doc)
    seen_rows: set[int] = set()
    for u in units:
        if u.block in listed and first_unit[u.block] is u and u.block in context:
            out.append((listed[u.block], u, None, False))
            vendor = _listed_vendor(doc, u.block)
            if vendor:
                vendors[listed[u.block]] = vendor
            continue
        if u.kind == "table_cell":
            if u.block in seen_rows:
                continue
            seen_rows.add(u.block)
            b = doc.blocks[u.block]
            info = tables.get(b.table)
            name = row_name(doc, b, info)
            if (
                name
                and info
                and (
                    _SDK.search(" ".join(info.header))
                    or re.search(r"第三方|合作方|名称", info.header[info.name_col])
                )
            ):
                purpose = None
                if 0 <= info.purpose_col < len(b.cells):
                    s, e = b.cells[info.purpose_col]
                    purpose = text[s:e].strip() or None
                out.append((name, cells.get((u.block, info.name_col), u), purpose, False))
                vendor_col = next(
                    (
                        i
                        for i, h in enumerate(info.header)
                        if i != info.name_col and _VENDOR_COL.search(h) and len(h) < 20
                    ),
                    -1,
                )
                if 0 <= vendor_col < len(b.cells) and (
                    v := text[b.cells[vendor_col][0] : b.cells[vendor_col][1]].strip()
                ):
                    vendors[name] = v[:80]
            elif info is None or info.name_col < 0:  # a table without a name header: a cell "XX SDK"
                for s_, e_ in b.cells:
                    if e_ - s_ <= 30 and _SDK_CELL.search(text, s_, e_):
                        out.append(
                            (text[s_:e_], cells.get((u.block, b.cells.index((s_, e_))), u), None, False)
                        )
                        break
            continue
        chunk = text[u.start : u.end]
        if u.kind == "heading" and re.search(r"SDK\s*$", chunk, re.I):
            out.append((chunk, u, None, False))
            continue
        for m in _KV.finditer(chunk):
            out.append((m.group(1) or m.group(2), u, None, False))
        for m in _SDK.finditer(text, u.start, u.end):
            out.extend((name, u, None, True) for name in _before_sdk(text, u.start, m.start()))
            out.extend(
                (name, u, None, True) for name in _brand_list(text, u.start, m.start(), m.end(), u.end)
            )
        if u.block in context:
            for m in alias_regex().finditer(text, u.start, u.end):
                name = m.group().strip()
                if norm(name) not in _BROAD and not _in_url(
                    text, m.start()
                ):  # "微信" alone is a platform, "微信SDK" a product
                    out.append((name, u, None, True))
            for m in _LINKED.finditer(chunk):
                name = m.group(1)
                stop = _STOP.match(name)
                name = name[stop.end() :] if stop else name
                if len(name) <= 12 and not _VERBS.search(name):
                    out.append((name, u, None, True))
    return out


def extract_third_parties(
    doc: PolicyDocument, units: list[Unit], collected: list[CollectedPI]
) -> list[ThirdParty]:
    by_name: dict[str, list[str]] = {}
    for c in collected:
        if c.by:
            by_name.setdefault(c.by, []).append(c.pi_type)
    out: list[ThirdParty] = []
    keys: list[tuple[str, str | None]] = []
    seen: set[str] = set()
    vendors: dict[str, str] = {}
    found = _candidates(doc, units, vendors)
    split = [
        (part, u, purpose, strict)
        for raw, u, purpose, strict in found
        for part in (_split_list(raw) if not strict else [raw])
    ]
    for raw, u, purpose, strict in split:
        if raw in seen:
            continue
        seen.add(raw)
        if len(out) >= MAX_THIRD_PARTIES:
            note = f"third parties: only the first {MAX_THIRD_PARTIES} names are listed"
            if note not in doc.warnings:
                doc.warnings.append(note)
            break
        name = _clean(raw, strict)
        if not name:
            continue
        n = norm(name)
        sid = match_sdk(name)
        if any(
            (strict and sid and sid == s) or n == k or (len(n) >= 2 and (n in k or k in n)) for k, s in keys
        ):
            continue
        keys.append((n, sid))
        ev: Evidence = evidence(doc, u)
        out.append(
            ThirdParty(
                name=name,
                sdk_id=sid,
                vendor=vendors.get(raw),
                pi_types=sorted(set(by_name.get(raw, []))),
                purpose=purpose,
                evidence=ev,
            )
        )
    return out

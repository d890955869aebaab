"""Matching a third-party name as a policy writes it to hegui's SDK catalogue: by name, by the
optional ``aliases:`` of the catalogue entries, and by the longest catalogue name it contains."""

from __future__ import annotations

import functools
import re

NON_WORD = re.compile(r"[\W_]+")
TRAIL = re.compile(r"(?:sdk|开发包|软件开发工具包|组件|插件|服务)+$")
PAREN = re.compile(r"[（(][^）)]*[)）]")
# category words that are no product name alone ("推送", "广告")
GENERIC = re.compile(
    r"^(?:第三方|三方|相关|上述|以下|下述|前述|所述|这些|此类|该类|其他|其它|各类|部分|对应|特定|合作方?|我们|本|该|此|"
    r"广告|统计|分析|推送|消息推送|分享|支付|登录|地图|定位|功能|服务|安全|风控|一键登录|认证|授权|性能|崩溃|监测|"
    r"客服|直播|音视频|视频|语音|识别|人脸|扫码|厂商|手机厂商|系统|基础|技术|类|等|个|一|多|数|某|若干|所有|全部|"
    r"应用|程序|插件|组件|开发包|工具|平台|公司|机构|官方|移动|在线|实名|身份|数据|信息|服务商|合作伙伴|提供商|"
    r"android|ios|java|开源|厂商通道|通道|原生|其它|三方|无)+$"
)


def norm(name: str) -> str:
    n = NON_WORD.sub("", PAREN.sub("", name).lower())
    return TRAIL.sub("", n) or NON_WORD.sub("", name.lower())


@functools.cache
def catalogue_keys() -> tuple[tuple[str, str], ...]:
    """(normalised name/alias, sdk_id), longest first."""
    from hegui.knowledge import sdks

    seen: dict[str, str] = {}
    for sid, sdk in sdks().items():
        for a in sdk.aliases:  # aliases first: they name the product as policies do
            seen.setdefault(norm(a), sid)
    for sid, sdk in sdks().items():
        for n in (sdk.name.zh, sdk.name.en):
            variants = {n, PAREN.sub("", n)} | set(re.findall(r"[（(]([^）)]+)[)）]", n))
            for v in variants:
                k = norm(v)
                if len(k) >= 2 and not GENERIC.match(k) and (not k.isascii() or len(k) >= 3):
                    seen.setdefault(k, sid)
    return tuple(sorted(seen.items(), key=lambda kv: -len(kv[0])))


@functools.cache
def _exact_keys() -> dict[str, str]:
    return dict(reversed(catalogue_keys()))


@functools.cache
def alias_regex() -> re.Pattern[str]:
    """Every catalogue alias, longest first, with an optional product suffix."""
    from hegui.knowledge import sdks
    from hegui.policy.lexicon import trie_regex

    body = trie_regex(sorted({a for sdk in sdks().values() for a in sdk.aliases}))
    return re.compile(rf"(?:{body})(?:\s?(?:SDK|推送|PUSH|通道|开放平台|登录|分享|支付|联盟))*", re.I)


@functools.lru_cache(maxsize=4096)
def match_sdk(name: str) -> str | None:
    """The catalogue id whose name or alias equals the name, else the longest one it contains."""
    n = norm(name)
    if len(n) < 2:
        return None
    keys = catalogue_keys()
    exact = _exact_keys()
    if n in exact:
        return exact[n]
    for k, sid in keys:
        if k in n and (
            len(k) >= 5 or not k.isascii() or (len(k) == 4 and (n.startswith(k) or n.endswith(k)))
        ):
            return sid
    for inner in re.findall(r"[（(]([^）)]+)[)）]", name):  # "推送通知消息（OPPO推送SDK）"
        if inner != name and (sid := match_sdk(inner)):
            return sid
    return None

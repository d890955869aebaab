"""The text of an error on a page, in the page's language.

Service errors (``hegui.service.errors``) carry an English message for the API and the logs, and
optionally the same in Chinese (``zh=``). A Chinese page shows that, or else a Chinese text of the
error's kind — never the English message; an English page shows the English message.
"""

from __future__ import annotations

from hegui.service.api.errors import APK_KIND_ZH
from hegui.service.errors import ServiceError

# kind → (zh, en): what a page says when the error has no message of its own in that language
KIND_TEXT: dict[str, tuple[str, str]] = {
    "not_found": ("未找到所请求的内容，或你无权查看。", "Not found, or not visible to you."),
    "conflict": (
        "操作与已保存的数据冲突（例如名称重复，或包名属于其他企业）。",
        "This conflicts with stored data (a duplicate name, a package of another organisation).",
    ),
    "state": (
        "当前状态不允许此操作（例如通报已发布、下架已解除）。请刷新页面查看最新状态。",
        "The current state does not allow this step (a published notice, a lifted removal). Reload the page.",
    ),
    "permission_denied": ("你的角色无权执行此操作。", "Your role does not allow this."),
    "too_large": ("提交的内容超过大小限制。", "What was sent is over the size limit."),
    "invalid_input": (
        "输入有误：请检查必填项和长度。",
        "Invalid input: check the required fields and lengths.",
    ),
    "not_authenticated": ("请先登录。", "Please log in."),
    "bad_apk": ("无法读取该安装包。", "This APK cannot be read."),
    "validation": ("输入有误：请检查必填项和格式。", "Invalid input: check the required fields and formats."),
    "rate_limited": (
        "登录失败次数过多，请 {minutes} 分钟后再试。",
        "Too many failed logins; try again in {minutes} minutes.",
    ),
    "internal": (
        "请求未能完成，已记录。请稍后重试。",
        "The request could not be completed and has been logged.",
    ),
}


# HTTP statuses of errors raised outside the service (an unknown page, a wrong method)
STATUS_TEXT: dict[int, tuple[str, str]] = {
    400: ("请求无效。", "Bad request."),
    401: ("请先登录。", "Please log in."),
    403: ("无权访问此页面。", "You may not open this page."),
    404: (
        "页面不存在。请检查地址，或返回首页。",
        "There is no such page. Check the address or go back to the start.",
    ),
    405: ("此页面不支持该请求方法。", "This page does not accept this request method."),
    413: ("提交的内容超过大小限制。", "What was sent is over the size limit."),
    422: ("输入有误。", "Invalid input."),
    429: ("请求过于频繁，请稍后再试。", "Too many requests; try again later."),
}


def kind_text(kind: str, lang: str, **fmt: object) -> str:
    pair = KIND_TEXT.get(kind, KIND_TEXT["internal"])
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**fmt) if fmt else text


def status_text(status: int, lang: str) -> str:
    pair = STATUS_TEXT.get(status) or KIND_TEXT["internal"]
    return pair[1] if lang == "en" else pair[0]


def error_text(exc: ServiceError, lang: str) -> str:
    """``exc`` as a page shows it: English as raised, Chinese from ``exc.zh`` or the error's kind."""
    from hegui.service.api.errors import kind_of, one_line

    if lang == "en":
        return one_line(exc)
    zh = getattr(exc, "zh", None)
    if zh:
        return zh
    kind = kind_of(exc)
    if kind == "bad_apk":
        first = str(exc).split(":", 1)[0].strip()
        return APK_KIND_ZH.get(first, KIND_TEXT["bad_apk"][0])
    if kind == "rate_limited":
        return kind_text(kind, "zh", minutes=getattr(exc, "minutes", 15))
    return kind_text(kind, "zh")

"""Every string of the web UI, in Chinese (the default) and English.

``?lang=en`` (or ``zh``) on any page chooses the language and remembers it in a cookie.
"""

from __future__ import annotations

from fastapi import Request

from hegui.governance.web.i18n import STRINGS as GOVERNANCE_STRINGS
from hegui.service.web.i18n_enforcement import STRINGS as ENFORCEMENT_STRINGS

LANGS = ("zh", "en")

_T: dict[str, tuple[str, str]] = {
    "brand": ("hegui 合规检测", "hegui compliance"),
    "nav_dashboard": ("概览", "Dashboard"),
    "nav_upload": ("送检", "Upload"),
    "nav_apps": ("应用", "Apps"),
    "nav_notices": ("通报", "Notices"),
    "nav_orgs": ("企业", "Organisations"),
    "nav_public": ("公开通报", "Public notices"),
    "switch_lang": ("English", "中文"),
    "logout": ("退出", "Log out"),
    "login": ("登录", "Log in"),
    "login_title": ("登录", "Log in"),
    "login_intro": (
        "个人信息保护合规检测、审核与处置平台。",
        "Testing, review and enforcement of personal-information compliance for Android apps.",
    ),
    "username": ("用户名", "Username"),
    "password": ("密码", "Password"),
    "login_failed": ("用户名或密码不正确。", "Wrong username or password."),
    "role_developer": ("开发者", "developer"),
    "role_reviewer": ("审核员", "reviewer"),
    "role_store": ("应用商店", "store"),
    "role_regulator": ("监管人员", "regulator"),
    "role_admin": ("管理员", "admin"),
    # errors
    "error": ("出错了", "Something went wrong"),
    "error_400": ("请求无效", "Bad request"),
    "error_401": ("请先登录", "Please log in"),
    "error_403": ("无权访问", "Not allowed"),
    "error_404": ("未找到", "Not found"),
    "error_405": ("不支持的操作", "Method not allowed"),
    "error_409": ("与当前状态冲突", "Conflict with the current state"),
    "error_413": ("文件过大", "File too large"),
    "error_422": ("输入有误", "Invalid input"),
    "error_500": ("服务器内部错误", "Internal error"),
    "error_csrf": (
        "表单已过期或来源不明（缺少有效的 CSRF 令牌）。请返回刷新页面后重试。",
        "The form has expired or did not come from this site (no valid CSRF token). Go back, reload and retry.",
    ),
    "error_role": ("你的角色（{role}）不能访问此页面。", "Your role ({role}) cannot open this page."),
    "error_internal": (
        "请求未能完成，已记录。请稍后重试。",
        "The request could not be completed and has been logged. Please retry later.",
    ),
    "back_home": ("返回首页", "Back to the start"),
    # upload / jobs
    "upload_title": ("上传安装包送检", "Upload an APK for testing"),
    "upload_intro": (
        "上传 APK 后自动进行静态检测，通常一分钟内给出结论。相同文件与相同隐私政策（按 SHA-256）不会重复检测。",
        "The APK is analysed statically as soon as it is uploaded, usually in under a minute. The same file "
        "with the same privacy policy (by SHA-256) is never analysed twice.",
    ),
    "policy_file": ("隐私政策（可选）", "Privacy policy (optional)"),
    "policy_hint": (
        "HTML、Markdown 或文本文件，最大 3 MB，不支持 PDF；将核对应用行为与政策是否一致",
        "HTML, Markdown or text, at most 3 MB, not a PDF; the app is checked against it",
    ),
    "policy_given": ("隐私政策", "Privacy policy"),
    "policy_none": (
        "未提供隐私政策（仅检查安装包内置的政策）",
        "none given (only a policy bundled in the APK is checked)",
    ),
    "apk_file": ("APK 文件", "APK file"),
    "max_size": ("最大 {mb} MB", "at most {mb} MB"),
    "upload_button": ("上传并检测", "Upload and test"),
    "uploading": ("上传中…", "Uploading…"),
    "no_file": ("请选择一个 APK 文件。", "Choose an APK file."),
    "upload_failed": ("上传失败", "Upload failed"),
    "upload_org_hint": (
        "新应用须指定所属企业；已登记的应用可不选",
        "needed for a new app; known apps keep theirs",
    ),
    "recent_uploads": ("最近送检", "Recent uploads"),
    "job_title": ("检测任务 #{id}", "Job #{id}"),
    "job_status": ("状态", "Status"),
    "job_queued": ("排队中", "queued"),
    "job_running": ("检测中", "running"),
    "job_done": ("已完成", "done"),
    "job_failed": ("检测失败", "failed"),
    "job_failed_internal": (
        "检测未能完成（服务内部原因），已多次重试。请联系管理员。",
        "The analysis could not be completed (an internal problem) after retries. Contact an administrator.",
    ),
    "job_wait": ("页面会自动刷新，直到给出结论。", "This page refreshes itself until the verdict is in."),
    "job_wait_nojs": ("未启用脚本时请手动刷新。", "Without scripts, reload the page."),
    "attempts": ("尝试次数", "Attempts"),
    "verdict": ("结论", "Verdict"),
    "verdict_pass": ("通过", "pass"),
    "verdict_fail": ("不通过", "fail"),
    "verdict_needs-review": ("需人工复核", "needs review"),
    "verdict_none": ("未检测", "not tested"),
    "open_report": ("查看检测报告", "Open the test report"),
    "open_report_new": ("在新窗口打开", "open in a new window"),
    "open_review": ("复核清单", "Review checklist"),
    "result_title": ("检测结果", "Test result"),
    "file": ("文件", "File"),
    "size": ("大小", "Size"),
    "package": ("包名", "Package"),
    "app_name": ("应用名称", "App name"),
    "version": ("版本", "Version"),
    "uploaded": ("上传时间", "Uploaded"),
    "tested_at": ("检测时间", "Tested"),
    "organisation": ("企业", "Organisation"),
    "reasons": ("主要原因", "Main reasons"),
    "findings_n": ("{n} 项检测发现", "{n} findings"),
    # review
    "review_title": ("复核清单", "Review checklist"),
    "review_intro": (
        "以下项目无法仅凭静态检测判定：辅助判定的检测发现需确认证据是否成立，人工判定的合规要求需由复核人员检查。每项可确认（问题属实）或排除，并填写说明。",
        "These items cannot be decided by static analysis alone: assisted findings need their evidence "
        "confirmed, manual requirements need a reviewer's check. Confirm (the problem is real) or dismiss "
        "each one, with a note.",
    ),
    "review_findings": ("需复核的检测发现", "Findings to review"),
    "review_items": ("人工 / 辅助判定的合规要求", "Manual and assisted requirements"),
    "confirm": ("确认问题", "Confirm"),
    "dismiss": ("排除", "Dismiss"),
    "decided_confirmed": ("已确认", "confirmed"),
    "decided_dismissed": ("已排除", "dismissed"),
    "undecided": ("待复核", "to review"),
    "note": ("说明", "Note"),
    "note_placeholder": ("依据、检查方法或排除理由", "basis, how it was checked, or why dismissed"),
    "decided_by": ("{who} 于 {when}", "{who} on {when}"),
    "how": ("检查方法", "How to check"),
    "progress_n": ("已复核 {done} / {total}", "{done} of {total} reviewed"),
    "no_review_findings": ("没有需复核的检测发现。", "No finding needs a reviewer."),
    # notices
    "notices_title": ("通报批次", "Notice batches"),
    "notice_new": ("新建通报草稿", "New draft notice"),
    "notice_title_field": ("标题", "Title"),
    "notice_number": ("批次", "Batch number"),
    "notice_number_hint": ("例如 2021年第4批", "e.g. 2021年第4批"),
    "notice_deadline": ("整改期限", "Rectify by"),
    "notice_default_title": ("关于侵害用户权益行为的APP通报", "关于侵害用户权益行为的APP通报"),
    "create_draft": ("创建草稿", "Create draft"),
    "status": ("状态", "Status"),
    "notice_draft": ("草稿", "draft"),
    "notice_published": ("已发布", "published"),
    "entries": ("应用数", "Apps"),
    "created": ("创建时间", "Created"),
    "published_at": ("发布时间", "Published"),
    "no_notices": ("还没有通报。", "No notice yet."),
    "notice_entries": ("通报的应用", "Apps in this notice"),
    "no_entries": ("尚未加入应用。", "No app added yet."),
    "candidates": ("候选应用（检测不通过、尚未通报）", "Candidates (failed, not yet notified)"),
    "no_candidates": ("没有候选应用。", "No candidate."),
    "add": ("加入", "Add"),
    "problems": ("所涉问题", "Problems"),
    "publish": ("发布通报", "Publish"),
    "publish_confirm_title": ("确认发布", "Confirm publication"),
    "publish_confirm_text": (
        "发布后通报将公开，{n} 款应用进入整改期（至 {deadline}），并计入各企业本年度的通报次数。发布后不可撤回。",
        "Once published, the notice is public, {n} apps must rectify by {deadline}, and each organisation's "
        "notice count for the year goes up. This cannot be undone.",
    ),
    "publish_confirm_box": ("我已核对以上内容，确认发布", "I have checked the list above; publish it"),
    "cancel": ("取消", "Cancel"),
    "public_link": ("公开页面", "Public page"),
    "edit": ("编辑", "Edit"),
    "view": ("查看", "View"),
    "field_required": ("必填：{field}", "Required: {field}"),
    "field_too_long": ("{field} 过长（最多 {n} 字）", "{field} is too long (at most {n} characters)"),
    "bad_date": ("日期格式应为 YYYY-MM-DD", "Dates are YYYY-MM-DD"),
    "need_entries": ("通报至少需要一款应用。", "A notice needs at least one app."),
    "need_deadline": ("发布前须设定整改期限。", "Set a deadline before publishing."),
    # public notice
    "public_notices_title": ("通报公开", "Published notices"),
    "pn_no": ("序号", "No."),
    "pn_app": ("应用名称", "App"),
    "pn_dev": ("应用开发者", "Developer"),
    "pn_source": ("应用来源", "Source"),
    "pn_version": ("应用版本", "Version"),
    "pn_problems": ("所涉问题", "Problems"),
    "pn_intro": (
        "依据《中华人民共和国个人信息保护法》《中华人民共和国网络安全法》等法律法规，经对送检APP进行技术检测，发现以下 {n} 款APP存在侵害用户权益行为（详见下表）。",
        "Under the Personal Information Protection Law, the Cybersecurity Law and related rules, technical "
        "testing found that the following {n} apps infringe users' rights (see the table).",
    ),
    "pn_deadline": (
        "上述APP应于 {date} 前完成整改落实工作。逾期不整改的，将依法依规组织开展相关处置工作。",
        "The apps above must be rectified by {date}. Apps not rectified by then will be dealt with according "
        "to the law and regulations.",
    ),
    "pn_source_upload": ("送检安装包", "uploaded APK"),
    # organisations
    "orgs_title": ("企业", "Organisations"),
    "org_apps": ("应用", "Apps"),
    "org_strikes": ("各年度被通报次数", "Notices per year"),
    "strike_year": ("年度", "Year"),
    "strike_count": ("通报次数", "Notices"),
    "threshold": (
        "阈值：一年内超过 {n} 次即进入上架前检测",
        "Threshold: more than {n} in a year means review before release",
    ),
    "release_review": ("上架前检测", "Review before release"),
    "rr_active": (
        "生效中：该企业所有应用的每个新版本须检测通过后方可上架。",
        "In force: every new version of every app of this organisation must pass before release.",
    ),
    "rr_none": ("未处于上架前检测。", "Not under review before release."),
    "rr_since": ("自 {when} 起，原因：{reason}", "Since {when}; reason: {reason}"),
    "rr_lift": ("解除上架前检测", "Lift review before release"),
    "rr_lift_reason": ("解除理由", "Reason for lifting"),
    "rr_lifted": ("已于 {when} 解除，理由：{reason}", "Lifted on {when}; reason: {reason}"),
    "rr_history": ("历史记录", "History"),
    "latest_verdict": ("最新结论", "Latest verdict"),
    "removed": ("已下架", "removed"),
    "listed": ("在架", "listed"),
    "no_apps": ("暂无应用。", "No app yet."),
    "versions": ("版本", "Versions"),
    "apps_title": ("应用", "Apps"),
    "credit_code": ("统一社会信用代码", "Credit code"),
    # dashboard
    "dash_title": ("专项检测概览", "Campaign dashboard"),
    "m_tested": ("已检测", "tested"),
    "m_failing": ("不通过", "failing"),
    "m_notified": ("已通报", "notified"),
    "m_rectified": ("已整改", "rectified"),
    "m_removed": ("已下架", "removed"),
    "m_open": ("整改中", "rectifying"),
    "m_overdue": ("逾期未整改", "overdue"),
    "dash_by_month": ("按月统计", "By month"),
    "dash_by_batch": ("各批次通报应用的处置情况", "What became of the apps in each notice"),
    "dash_no_batches": ("尚无已发布的通报。", "No published notice yet."),
    "dash_no_data": ("暂无数据。", "No data yet."),
    "dash_months_note": ("最近 {n} 个月", "last {n} months"),
    "campaigns": ("专项检测批次", "Campaigns"),
    "campaign_name": ("名称", "Name"),
    "campaign_progress": ("进度", "Progress"),
    "campaign_rate": ("吞吐量（个/小时）", "Throughput (APKs/hour)"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "none": ("无", "none"),
    "lang_name": ("中文", "English"),
    "skip_to_main": ("跳到正文", "Skip to content"),
    "footer_note": (
        "个人信息保护合规检测、审核与处置。静态检测结果中标记为需复核的项目由人工判定。",
        "Testing, review and enforcement of personal-information compliance. Items marked for review are "
        "decided by a person.",
    ),
}

_T.update(GOVERNANCE_STRINGS)  # the governance pages (hegui.governance.web)
_T.update(ENFORCEMENT_STRINGS)  # the removal and campaign pages


def t(key: str, lang: str = "zh", **fmt: object) -> str:
    pair = _T.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**fmt) if fmt else text


def keys() -> frozenset[str]:
    return frozenset(_T)


def request_lang(request: Request) -> str:
    """``?lang=`` first, then the cookie, then Chinese."""
    q = request.query_params.get("lang")
    if q in LANGS:
        return q
    c = request.cookies.get("hegui_lang")
    return c if c in LANGS else "zh"

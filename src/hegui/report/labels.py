"""Every fixed label the text output shows, in Chinese and English, in one place."""

from __future__ import annotations

LANGS = ("zh", "en")

_LABELS: dict[str, tuple[str, str]] = {
    # header
    "title": ("hegui 个人信息合规检测报告", "hegui personal-information compliance report"),
    "file": ("文件", "File"),
    "package": ("包名", "Package"),
    "version": ("版本", "Version"),
    "sdk": ("SDK 版本", "SDK"),
    "sdk_value": ("最低 {min} / 目标 {target}", "min {min} / target {target}"),
    "signer": ("签名", "Signer"),
    "debug_cert": ("调试证书", "debug certificate"),
    "unsigned": ("未签名", "unsigned"),
    "sha256": ("SHA-256", "SHA-256"),
    "size": ("大小", "Size"),
    "scanned": ("检测时间", "Scanned"),
    "tool": ("工具", "Tool"),
    # verdict
    "verdict": ("结论", "Verdict"),
    "pass": ("通过", "pass"),
    "fail": ("不通过", "fail"),
    "needs-review": ("需人工复核", "needs review"),
    "reasons": ("原因", "Reasons"),
    # permissions
    "permissions": ("申请的权限", "Requested permissions"),
    "no_permissions": ("未申请任何权限。", "No permission requested."),
    "perm_name": ("权限", "Permission"),
    "perm_label": ("中文名", "Description"),
    "dangerous": ("危险权限", "Dangerous"),
    "used": ("代码中使用", "Used in code"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "unknown": ("未知", "unknown"),
    # SDKs and startup
    "sdks": ("第三方 SDK", "Third-party SDKs"),
    "no_sdks": ("未识别到第三方 SDK。", "No third-party SDK identified."),
    "sdk_name": ("SDK", "SDK"),
    "sdk_vendor": ("提供方", "Vendor"),
    "sdk_category": ("类别", "Category"),
    "sdk_confidence": ("置信度", "Confidence"),
    "sdk_signals": ("识别依据", "Signals"),
    "sdk_pi_reached": ("本 APK 中可触达的个人信息", "PI reached in this APK"),
    "sdk_pi_declared": ("提供方声明收集", "PI the vendor declares"),
    "inferred_note": (
        "* 由 SDK 功能推定，尚未与提供方的公开说明核对。",
        "* inferred from the SDK's function, not yet checked against the vendor's disclosure.",
    ),
    "unidentified": ("未识别的第三方代码", "Unidentified third-party code"),
    "startup": ("启动阶段（同意隐私政策前）运行的代码", "Code run at startup (before consent)"),
    "startup_entries": ("入口", "Entry points"),
    "gated": ("有合规开关或条件保护", "gated by a consent API or a condition"),
    "not_gated": ("无同意保护", "not gated by consent"),
    "conditional": ("有条件", "conditional"),
    "unconditional": ("无条件", "unconditional"),
    "startup_truncated": (
        "调用图超出分析上限，结果可能不完整。",
        "The call graph exceeded the analysis budget; results may be incomplete.",
    ),
    "startup_clean": (
        "启动阶段未发现 SDK 初始化或个人信息获取。",
        "No SDK initialisation or PI access found at startup.",
    ),
    # personal information
    "pi": ("代码中可触达的个人信息", "Personal information reachable in code"),
    "no_pi": ("未发现调用个人信息相关 API。", "No call to a personal-information API found."),
    "pi_name": ("{name}（{id}）", "{name} ({id})"),
    "pi_group": (
        "{name}：调用 {sites} 处，调用方法 {callers} 个",
        "{name}: call sites {sites}, calling methods {callers}",
    ),
    "sensitive_pi": ("敏感个人信息", "sensitive PI"),
    "api": ("API", "API"),
    "caller_class": ("调用类", "Caller class"),
    "caller_method": ("调用方法", "Method"),
    "owner": ("归属", "Owner"),
    "count": ("次数", "Count"),
    "more": (
        "… 另有 {n} 处，完整列表见 JSON 输出（--format json）",
        "… and {n} more; the full list is in the JSON output (--format json)",
    ),
    # findings
    "findings": ("检测发现", "Findings"),
    "no_findings": ("无检测发现。", "No findings."),
    "severity": ("严重程度", "Severity"),
    "rule_id": ("规则", "Rule"),
    "finding_title": ("问题", "Issue"),
    "evidence": ("证据", "Evidence"),
    "advice": ("整改建议", "Advice"),
    "confidence": ("置信度", "confidence"),
    "judgement_assisted": ("需人工辅助判断", "needs human judgement"),
    "judgement_manual": ("需人工判断", "manual check"),
    "same_advice": ("〃 同上", "〃 as above"),
    "evidence_more": ("另有 {n} 条", "+{n} more"),
    "totals": ("合计", "Total"),
    # severities
    "critical": ("严重", "critical"),
    "high": ("高", "high"),
    "medium": ("中", "medium"),
    "low": ("低", "low"),
    "info": ("提示", "info"),
    "critical_short": ("严重", "crit"),
    "high_short": ("高", "high"),
    "medium_short": ("中", "med"),
    "low_short": ("低", "low"),
    "info_short": ("提示", "info"),
    # notes
    "notes": ("分析说明", "Analysis notes"),
    "note_code": ("代码", "Code"),
    "note_message": ("说明", "Message"),
    # batch summary
    "summary": ("批量检测汇总", "Batch summary"),
    "time": ("耗时", "Time"),
    "error": ("错误", "Error"),
    "scanned_count": (
        "共 {total} 个文件：{ok} 个完成，{failed} 个无法分析",
        "{total} files: {ok} analysed, {failed} could not be analysed",
    ),
    # rules
    "rules": ("规则列表", "Rules"),
    "title_col": ("标题", "Title"),
    "legal_basis": ("法律依据", "Legal basis"),
    "status": ("状态", "Status"),
}


def label(key: str, lang: str = "zh", **fmt: object) -> str:
    """The label ``key`` in ``lang`` (``zh`` unless ``en``), formatted with ``fmt`` if given."""
    zh, en = _LABELS[key]
    text = en if lang == "en" else zh
    return text.format(**fmt) if fmt else text


def keys() -> list[str]:
    return list(_LABELS)

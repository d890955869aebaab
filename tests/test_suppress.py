"""hegui.toml suppressions: accepted findings stay visible, leave the verdict, and expire."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from hegui.api import ScanOptions, scan
from hegui.checks.model import Evidence, Finding, Severity, Text
from hegui.errors import ConfigError
from hegui.suppress import apply, load_config
from hegui.verdict import decide

FIXTURES = Path(__file__).parent / "fixtures" / "apk"
WHY = "初始化在同意后执行，见 PrivacyActivity（法务 2026-10 复核）"


def _finding(rule_id: str = "HG-SDK-001", owner: str | None = "sdk:umeng_common", sev=Severity.high) -> Finding:
    t = Text(zh="t", en="t")
    return Finding(
        rule_id=rule_id,
        title=t,
        severity=sev,
        confidence="high",
        message=Text(zh="UMConfigure.init 在同意前调用", en="UMConfigure.init called before consent"),
        advice=t,
        owner=owner,
        evidence=[Evidence(kind="call_site", api="Lcom/umeng/commonsdk/UMConfigure;->init", owner=owner)],
    )


def _toml(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "hegui.toml"
    p.write_text(body, encoding="utf-8")
    return p


def test_load_and_apply(tmp_path) -> None:
    cfg = load_config(
        _toml(
            tmp_path,
            f'[[suppress]]\nrule = "HG-SDK"\nowner = "sdk:umeng_common"\ncontains = "UMConfigure"\n'
            f'justification = "{WHY}"\nexpires = 2027-06-30\n',
        )
    )
    (rule,) = cfg.suppress
    assert rule.expires == date(2027, 6, 30) and rule.source == "hegui.toml:[[suppress]] #1"
    other = _finding(owner="app")
    out, warnings = apply([_finding(), other], cfg.suppress, today=date(2026, 11, 23))
    assert out[0].suppression is not None and out[0].suppression.justification == WHY
    assert out[1].suppression is None  # other owner
    assert warnings == []
    verdict = decide(out)
    assert verdict.status == "fail" and verdict.suppressed == 1  # the app-owned one still fails
    assert decide(out[:1]).status == "pass"


def test_expired_suppression_counts_again_with_a_warning(tmp_path) -> None:
    cfg = load_config(
        _toml(tmp_path, f'[[suppress]]\nrule = "HG-SDK-001"\njustification = "{WHY}"\nexpires = "2026-01-01"\n')
    )
    out, warnings = apply([_finding()], cfg.suppress, today=date(2026, 11, 23))
    assert out[0].suppression is None
    assert len(warnings) == 1 and "2026-01-01" in warnings[0].en and "expired" in warnings[0].en


def test_unused_suppression_is_reported(tmp_path) -> None:
    cfg = load_config(
        _toml(tmp_path, f'[[suppress]]\nrule = "HG-NET-001"\njustification = "{WHY}"\nexpires = 2030-01-01\n')
    )
    out, warnings = apply([_finding()], cfg.suppress, today=date(2026, 11, 23))
    assert out[0].suppression is None and "matched no finding" in warnings[0].en


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("[[suppress]\n", "not valid TOML"),
        ('[rules]\nx = 1\n', "unknown section(s) rules"),
        ('suppress = "x"\n', "must be an array of tables"),
        ('[[suppress]]\nrule = "HG-SDK-001"\nexpires = 2030-01-01\n', "#1: justification: Field required"),
        (f'[[suppress]]\nrule = "PI-004"\njustification = "{WHY}"\nexpires = 2030-01-01\n', "#1: rule"),
        ('[[suppress]]\nrule = "HG-PI"\njustification = "ok"\nexpires = 2030-01-01\n', "#1: justification"),
        (f'[[suppress]]\nrule = "HG-PI"\njustification = "{WHY}"\nexpires = "soon"\n', "#1: expires"),
        (f'[[suppress]]\nrule = "HG-PI"\njustification = "{WHY}"\nexpires = 2030-01-01\nby = "x"\n', "#1: by"),
    ],
)
def test_bad_config_is_one_clear_error(tmp_path, body, message) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(_toml(tmp_path, body))
    assert message in str(err.value) and "\n" not in str(err.value)


def test_unreadable_config(tmp_path) -> None:
    with pytest.raises(ConfigError, match="cannot be read"):
        load_config(tmp_path / "missing.toml")
    p = tmp_path / "bin.toml"
    p.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_config(p)


def test_scan_with_suppression_changes_verdict_not_findings() -> None:
    apk = FIXTURES / "sdk_no_consent.apk"
    plain = scan(apk)
    assert plain.verdict.status == "fail"
    failing = {f.rule_id for f in plain.findings if f.severity.at_least(Severity.high)}
    cfg_rules = [
        r.model_copy(update={"rule": rid})
        for rid in sorted(failing)
        for r in [load_config_text(f'[[suppress]]\nrule = "{rid}"\njustification = "{WHY}"\nexpires = 2099-01-01\n')]
    ]
    accepted = scan(apk, options=ScanOptions(suppress=cfg_rules))
    assert [f.rule_id for f in accepted.findings] == [f.rule_id for f in plain.findings]
    assert all(f.suppression is not None for f in accepted.findings if f.rule_id in failing)
    assert accepted.verdict.status != "fail" and accepted.verdict.suppressed >= len(failing)


def load_config_text(text: str):
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "hegui.toml"
        p.write_text(text, encoding="utf-8")
        return load_config(p).suppress[0]

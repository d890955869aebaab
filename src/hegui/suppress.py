"""Accepted findings: ``hegui.toml`` suppressions, each with a written justification and an expiry.

::

    [[suppress]]
    rule = "HG-PI-004"                 # an ID or a prefix (HG-PI)
    owner = "sdk:umeng_common"         # optional: only findings owned by this party
    contains = "getAndroidId"          # optional: only findings whose evidence or message has this text
    justification = "统计 SDK 在用户同意后才初始化，见 ConsentActivity；法务 2026-10 复核"
    expires = 2027-06-30               # a TOML date (or "2027-06-30")

A suppressed finding stays in every report, marked with its justification, and is left out of the
verdict and the exit code. A suppression past its expiry no longer applies: the finding counts
again and the report carries a warning naming the entry. A file that cannot be read or has a
malformed entry is a :class:`ConfigError` (one line; nothing is silently ignored).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from hegui.checks.model import Finding, Suppression, Text
from hegui.errors import ConfigError

CONFIG_NAME = "hegui.toml"
MAX_CONFIG_BYTES = 1 << 20


class SuppressRule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str = Field(min_length=3, max_length=40, pattern=r"^HG(-[A-Z]+(-\d{1,3})?)?$")
    owner: str | None = Field(default=None, max_length=200)
    contains: str | None = Field(default=None, min_length=1, max_length=500)
    justification: str = Field(min_length=10, max_length=2000)
    expires: date
    source: str = ""

    @field_validator("justification")
    @classmethod
    def _written(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a justification must say why the finding is accepted")
        return value.strip()

    def matches(self, finding: Finding) -> bool:
        if not finding.rule_id.startswith(self.rule):
            return False
        if self.owner is not None and finding.owner != self.owner and not any(
            e.owner == self.owner for e in finding.evidence
        ):
            return False
        if self.contains is not None:
            haystack = [finding.message.zh, finding.message.en]
            for e in finding.evidence:
                haystack += [v for v in (e.api, e.caller, e.value, e.element, e.file) if v]
            if not any(self.contains in h for h in haystack):
                return False
        return True


class HeguiConfig(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    suppress: list[SuppressRule] = Field(default_factory=list)


def load_config(path: str | Path) -> HeguiConfig:
    """Read ``hegui.toml``; :class:`ConfigError` names the file and the entry that is wrong."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_CONFIG_BYTES:
            raise ConfigError(f"{path}: {size} bytes, over the {MAX_CONFIG_BYTES}-byte limit for hegui.toml")
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    unknown = sorted(set(data) - {"suppress"})
    if unknown:
        raise ConfigError(f"{path}: unknown section(s) {', '.join(unknown)}; hegui.toml knows [[suppress]]")
    raw = data.get("suppress", [])
    if not isinstance(raw, list):
        raise ConfigError(f"{path}: 'suppress' must be an array of tables: [[suppress]]")
    rules = []
    for i, entry in enumerate(raw, start=1):
        where = f"{path.name}:[[suppress]] #{i}"
        if not isinstance(entry, dict):
            raise ConfigError(f"{path}: [[suppress]] #{i} is not a table")
        try:
            rules.append(SuppressRule.model_validate({**entry, "source": where}))
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"]) or "entry"
            raise ConfigError(f"{path}: [[suppress]] #{i}: {field}: {first['msg']}") from None
    return HeguiConfig(suppress=rules)


def find_config(start: str | Path = ".") -> Path | None:
    """``hegui.toml`` in ``start`` (the directory hegui runs in), if there is one."""
    candidate = Path(start) / CONFIG_NAME
    return candidate if candidate.is_file() else None


def apply(
    findings: Iterable[Finding], rules: Iterable[SuppressRule], *, today: date | None = None
) -> tuple[list[Finding], list[Text]]:
    """Mark the findings a live suppression matches; return them with warnings for expired entries
    that would have matched and for entries that matched nothing (stale suppressions)."""
    today = today or date.today()
    rules = list(rules)
    used: set[int] = set()
    expired_hit: set[int] = set()
    out = []
    for f in findings:
        mark = None
        for i, r in enumerate(rules):
            if not r.matches(f):
                continue
            if r.expires < today:
                expired_hit.add(i)
                continue
            used.add(i)
            mark = Suppression(justification=r.justification, expires=r.expires.isoformat(), source=r.source)
            break
        out.append(f.model_copy(update={"suppression": mark}) if mark else f)
    warnings = []
    for i in sorted(expired_hit - used):
        r = rules[i]
        warnings.append(
            Text(
                zh=f"{r.source}（{r.rule}）已于 {r.expires} 过期，相关问题重新计入结论。",
                en=f"{r.source} ({r.rule}) expired on {r.expires}; the findings it covered count again.",
            )
        )
    for i, r in enumerate(rules):
        if i not in used and i not in expired_hit:
            warnings.append(
                Text(
                    zh=f"{r.source}（{r.rule}）未匹配任何问题，可删除。",
                    en=f"{r.source} ({r.rule}) matched no finding; it can be removed.",
                )
            )
    return out, warnings

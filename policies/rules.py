"""The compliance rules of DOMAIN.md §7 as data: id, severity, names, what they read, thresholds.

Each rule family module registers its checks here with `@rule`; the audit runs them over
per-subject dossiers built in one pass of the log (workflow.audit). Thresholds default to the DOMAIN table
and can be overridden from a TOML file (`minerehab audit --config`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterable

from workflow.vocabulary import FINDINGS, RULE_TITLES

SEVERITIES = ("low", "medium", "high")


@dataclass(frozen=True, slots=True)
class Finding:
    """A breach: which rule, how grave, whose, on what date, and the events that show it.

    The message is kept as its template key and values and written out in Chinese or
    English when read, so that a national audit's findings stay small."""

    rule: str
    severity: str
    subject: str
    message: str  # a key of workflow.vocabulary.FINDINGS, e.g. "R03.1"
    values: tuple
    evidence: tuple[tuple[str, str, int], ...]  # (kind, key, version)
    on: date | None

    @property
    def message_zh(self) -> str:
        return FINDINGS[self.message][0].format(*self.values)

    @property
    def message_en(self) -> str:
        return FINDINGS[self.message][1].format(*self.values)

    def as_dict(self) -> dict:
        return {"rule": self.rule, "severity": self.severity, "subject": self.subject,
                "message": {"zh": self.message_zh, "en": self.message_en},
                "evidence": [{"aggregate": f"{kind}:{key}", "version": v} for kind, key, v in self.evidence],
                "on": self.on}

    @property
    def sort_key(self):
        return (self.subject, self.rule, self.on or date.min, self.evidence)


@dataclass
class Rule:
    id: str
    severity: str
    reads: tuple[str, ...]
    defaults: dict = field(default_factory=dict)
    check: Callable | None = None
    subject_kind: str = "parcel"
    others: tuple[str, ...] = ()

    @property
    def title_zh(self) -> str:
        return RULE_TITLES[self.id][0]

    @property
    def title_en(self) -> str:
        return RULE_TITLES[self.id][1]


RULES: dict[str, Rule] = {}


def rule(id: str, severity: str, reads: Iterable[str], subject: str = "parcel", others: Iterable[str] = (),
         **defaults):
    """Register a check: `check(dossier, ctx, emit)` calls emit(subject, on, message key, evidence, values)
    for every breach it sees. Titles and messages, in Chinese and English, are in workflow.vocabulary.

    `subject` is the kind of aggregate it checks ("any" for all). A check that looks at other subjects
    names their kinds in `others`; it then sees a summary of its subject, and looks the others up
    through `ctx` (workflow.audit.Index). A check without `others` sees the full dossier and nothing else."""

    def register(check: Callable) -> Callable:
        RULES[id] = Rule(id, severity, tuple(reads), dict(defaults), check, subject, tuple(others))
        return check

    return register


class ConfigError(ValueError):
    """A TOML config that names an unknown rule or setting, or gives a value of the wrong kind."""


@dataclass
class Config:
    thresholds: dict[str, dict]
    severities: dict[str, str]

    def __getitem__(self, rule_id: str) -> dict:
        return self.thresholds[rule_id]


def load_config(path: Path | None = None) -> Config:
    """Defaults from the rule table, overridden by `[R13] steward_days = 45` or `[severity] R16 = "medium"`."""
    import policies.checks  # noqa: F401  (registers every rule)

    thresholds = {r.id: dict(r.defaults) for r in RULES.values()}
    severities = {r.id: r.severity for r in RULES.values()}
    if path is None:
        return Config(thresholds, severities)
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read TOML ({error})") from None
    for section, values in raw.items():
        if section == "severity":
            for rule_id, severity in values.items():
                if rule_id not in RULES or severity not in SEVERITIES:
                    raise ConfigError(f"{path}: [severity] {rule_id} = {severity!r}; allowed: a rule id and "
                                      f"one of {', '.join(SEVERITIES)}")
                severities[rule_id] = severity
            continue
        if section not in RULES:
            raise ConfigError(f"{path}: unknown section [{section}]; allowed: severity, {', '.join(sorted(RULES))}")
        for key, value in values.items():
            default = thresholds[section].get(key)
            if default is None:
                allowed = ", ".join(thresholds[section]) or "no settings"
                raise ConfigError(f"{path}: [{section}] has no setting {key!r}; allowed: {allowed}")
            if type(value) is not type(default) and not (isinstance(default, (int, float)) and isinstance(value, (int, float))):
                raise ConfigError(f"{path}: [{section}] {key} = {value!r} must be like {default!r}")
            thresholds[section][key] = value
    return Config(thresholds, severities)

"""Every rule family, imported so that their checks register, and the thresholds a run uses.

Thresholds default to each rule's own and can be overridden from a TOML file
(`minerehab audit --config`, `examples/rules.toml`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from events.errors import BadInput
from policies.registry import RULES, SEVERITIES
from policies.rules import (  # noqa: F401  (each registers its checks)
    acceptance,
    corrections,
    design,
    earthworks,
    funds,
    patrols,
    procurement,
    programme,
    spatial,
    stewardship,
    timing,
    writeoff,
)


class ConfigError(BadInput):
    """A TOML config that names an unknown rule or setting, or gives a value of the wrong kind."""


@dataclass
class Config:
    thresholds: dict[str, dict]
    severities: dict[str, str]

    def __getitem__(self, rule_id: str) -> dict:
        return self.thresholds[rule_id]


def load_config(path: Path | None = None) -> Config:
    """Defaults from the rule table, overridden by `[R13] steward_days = 45` or `[severity] R16 = "medium"`."""
    thresholds = {r.id: dict(r.defaults) for r in RULES.values()}
    severities = {r.id: r.severity for r in RULES.values()}
    if path is None:
        return Config(thresholds, severities)
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: cannot read TOML ({str(error).splitlines()[0] if str(error) else error})") from None
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

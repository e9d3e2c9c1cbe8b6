"""The registry of compliance rules: id, severity, names, what they read, default thresholds.

Each rule family (`policies.rules.*`) registers its checks here with `@rule`;
`policies.catalogue` imports every family, and the audit runs them over dossiers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterable

from policies.texts import FINDINGS, RULE_TITLES

SEVERITIES = ("low", "medium", "high")
"""In rising order: the one owner of how grave each severity is."""


def at_least(severity: str, floor: str) -> bool:
    return SEVERITIES.index(severity) >= SEVERITIES.index(floor)


@dataclass(frozen=True, slots=True, init=False)
class Finding:
    """A breach: which rule, how grave, whose, on what date, and the events that show it.

    The message is kept as its template key and values and written out in Chinese or
    English when read, and evidence that cites only the subject parcel's own events as
    their versions alone, so that a national audit's findings stay small (nearly every
    finding cites its own parcel: 130 bytes less each)."""

    rule: str
    severity: str
    subject: str
    message: str  # a key of workflow.vocabulary.FINDINGS, e.g. "R03.1"
    values: tuple
    cited: tuple  # `evidence`, or only its versions when every cited event is the subject parcel's own
    on: date | None

    def __init__(self, rule: str, severity: str, subject: str, message: str, values: tuple,
                 evidence: Iterable[tuple[str, str, int]], on: date | None) -> None:
        evidence = tuple(evidence)
        own = all(kind == "parcel" and key == subject for kind, key, _v in evidence)
        put = object.__setattr__
        put(self, "rule", rule)
        put(self, "severity", severity)
        put(self, "subject", subject)
        put(self, "message", message)
        put(self, "values", values)
        put(self, "cited", tuple([v for _k, _key, v in evidence]) if own else evidence)
        put(self, "on", on)

    @property
    def evidence(self) -> tuple[tuple[str, str, int], ...]:
        """The cited events as (kind, key, version)."""
        cited = self.cited
        if cited and type(cited[0]) is not tuple:
            return tuple([("parcel", self.subject, v) for v in cited])
        return cited

    @property
    def message_zh(self) -> str:
        return FINDINGS[self.message][0].format(*self.values)

    @property
    def message_en(self) -> str:
        return FINDINGS[self.message][1].format(*self.values)

    @property
    def evidence_text(self) -> str:
        """The cited events as one cell: `parcel:TL23-05@7 parcel:TL23-05@9`."""
        return " ".join([f"{kind}:{key}@{v}" for kind, key, v in self.evidence])

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
    through `ctx` (audit.engine.Index). A check without `others` sees the full dossier and nothing else."""

    def register(check: Callable) -> Callable:
        RULES[id] = Rule(id, severity, tuple(reads), dict(defaults), check, subject, tuple(others))
        return check

    return register

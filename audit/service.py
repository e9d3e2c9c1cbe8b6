"""What the command line asks of the audit: choose the rules, run a full or a kept audit, filter, judge.

One call for `minerehab audit`, so that the console only parses options and prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from audit import engine, kept, shares
from events.errors import BadInput
from policies.catalogue import load_config
from policies.registry import RULES, Finding, at_least


@dataclass
class Outcome:
    as_of: date
    findings: list[Finding]
    summary: dict

    def fails(self, severity: str) -> bool:
        """Whether any finding is at or above `severity` (the exit code 1 of `audit --fail-on`)."""
        return any(at_least(f.severity, severity) for f in self.findings)


def chosen_rules(text: str | None) -> list[str] | None:
    """`R03,r17` as rule ids; an unknown one is an error naming the allowed ids."""
    if not text:
        return None
    chosen = [r.strip().upper() for r in text.split(",") if r.strip()]
    unknown = [r for r in chosen if r not in RULES]
    if unknown:
        from difflib import get_close_matches

        near = get_close_matches(unknown[0], sorted(RULES), n=1)
        hint = f" (did you mean {near[0]}?)" if near else ""
        raise BadInput(f"--rule {unknown[0]}: unknown rule{hint}; allowed: {', '.join(sorted(RULES))}",
                       f"--rule {unknown[0]}：没有这条规则{'（是否想输入 ' + near[0] + '？）' if near else ''}；"
                       f"可选：{', '.join(sorted(RULES))}")
    return chosen


def known_subject(ledger, subject: str) -> None:
    """Refuse a --subject the store has never heard of (a typo must not read as "no findings")."""
    from difflib import get_close_matches

    known = {"store", *(name.split(":", 1)[-1] for name in ledger.raw.keys().values())}
    if subject in known:
        return
    near = get_close_matches(subject, sorted(known), n=1, cutoff=0.6)
    raise BadInput(f"--subject {subject}: no such parcel, batch, programme or task force in the store"
                   + (f" (did you mean {near[0]}?)" if near else ""),
                   f"--subject {subject}：存储中没有这个图斑、批次、方案或专班" + (f"（是否想输入 {near[0]}？）" if near else ""))


def unsigned_store(as_of: date, config) -> Finding:
    """R24 of a trial store: nothing in it is attributable to a person."""
    return Finding("R24", config.severities["R24"], "store", "R24.2", (), (), as_of)


def run(ledger, as_of: date, rules: str | None = None, subject: str | None = None, config_path=None,
        least: str = "low", state_path=None, tick=None, jobs: int | None = None) -> Outcome:
    """A full audit (`jobs` processes side by side, `audit.shares`), or a re-audit through the kept state in
    `state_path` (the same findings, faster; one process)."""
    config = load_config(config_path)
    chosen = chosen_rules(rules)
    if subject:
        known_subject(ledger, subject)
    if state_path:
        findings, summary, _new = kept.run(ledger, as_of, state_path, config, chosen, tick=tick)
        if subject:  # the kept audit of the whole store answers for one subject at once
            findings = [f for f in findings if f.subject == subject]
            summary = {**summary, **engine.counted(findings)}
    else:
        findings, summary = shares.run(ledger, as_of, config, chosen, subject, tick, jobs)
    if not ledger.signed and (chosen is None or "R24" in chosen) and not subject:
        findings = [unsigned_store(as_of, config), *findings]
        summary = {**summary, **engine.counted(findings)}
    if least != "low":
        findings = [f for f in findings if at_least(f.severity, least)]
        summary = {**summary, **engine.counted(findings)}
    # both paths read through events.chaincheck (chained, check_appended): an edited log raised Tampered above
    return Outcome(as_of, findings, {**summary, "chains_checked": True})

"""The compliance audit (纪检监察) and the rules it checks."""

from __future__ import annotations

import click

from console.common import (
    Ticker,
    business_today,
    emit_json,
    emit_json_chunks,
    headers,
    json_chunks,
    lang,
    open_ledger,
    parse_date,
    say,
    table,
    text_to,
    write_rows,
)
from console.words import count


@click.command()
@click.option("--as-of", "as_of", metavar="DATE", help="Audit the ledger as it stood on this business date (default today).")
@click.option("--rule", "rule_ids", metavar="R07,R10", help="Only these rules.")
@click.option("--subject", metavar="CODE", help="Only findings about this parcel (or batch, programme).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="TOML thresholds (see `minerehab rules`).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "md", "xlsx"]), default="table")
@click.option("--output", metavar="FILE", help="Write to FILE, in any format (needed for xlsx; a .csv file starts "
              "with a UTF-8 BOM so that Excel reads its Chinese).")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--fail-on", "fail_on", type=click.Choice(["high", "medium", "low"]), default="high", show_default=True,
              help="Exit 1 when a finding is at or above this severity.")
@click.option("--severity", "least", type=click.Choice(["high", "medium", "low"]), default="low", show_default=True,
              help="Show only findings at or above this severity.")
@click.option("--state", "state_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Keep the audit's state in FILE; the next audit with it reads only events recorded since "
                   "(with --subject: that subject's findings from it, at once).")
@click.option("--jobs", type=click.IntRange(min=1),
              help="Processes that read the log side by side (default: one per core, at most 4, for a large log; "
                   "1 for one process).")
@click.pass_context
def audit(ctx, as_of, rule_ids, subject, config_path, fmt, output, as_json, fail_on, least, state_path, jobs):
    """Check every compliance rule (`minerehab rules`) over the whole store in one pass (纪检监察).

    \b
    Example:
      minerehab audit --rule R03,R17 --format json
      minerehab audit --as-of 2024-12-31 --fail-on medium
      minerehab audit --state audit-state.db      (again later: only new events are read)
    """
    from audit import service

    fmt = "json" if as_json else fmt
    day = parse_date(as_of, "--as-of") or business_today()
    if output:
        from events import files

        files.check(output, store=ctx.obj["store"], reads=[config_path, state_path])
    ledger = open_ledger(ctx)
    with Ticker(ledger.recorder.max_notification_id() or 0, "auditing") as tick:
        outcome = service.run(ledger, day, rule_ids, subject, config_path, least, state_path, tick, jobs)
    findings, summary = outcome.findings, outcome.summary
    if fmt == "json":  # findings encoded one by one: at national scale they are tens of thousands
        emit_json_chunks(json_chunks({"as_of": day, "findings": (f.as_dict() for f in findings), "summary": summary},
                                     "findings"), output)
        return done(ctx, outcome, fail_on)
    if fmt in ("csv", "md", "xlsx"):
        flat = ({"rule": f.rule, "severity": f.severity, "subject": f.subject, "on": f.on, "message_zh": f.message_zh,
                 "message_en": f.message_en, "evidence": f.evidence_text} for f in findings)  # a row at a time

        def sheets():
            from reports.sheets import findings_sheet, workbook

            title = f"{say('COLUMNS', 'audit findings')} · {say('COLUMNS', 'as of')} {day}"
            return workbook([findings_sheet([f.as_dict() for f in findings], lang(), title)], lang())

        if findings or output:
            write_rows(flat if fmt == "csv" else list(flat), fmt, output, sheets)
    else:
        text_to(output, lambda: print_findings(findings, summary, day))
    done(ctx, outcome, fail_on)


def done(ctx, outcome, fail_on: str) -> None:
    """Exit 1 when a finding is at or above --fail-on."""
    if outcome.fails(fail_on):
        ctx.exit(1)


def print_findings(findings: list, summary: dict, day) -> None:
    """The findings as a table in the user's language, each message written once (not in both languages)."""
    severity = {s: say("SEVERITY", s) for s in ("high", "medium", "low")}
    zh = lang() == "zh"
    table(headers("rule", "severity", "subject", "on", "message", "evidence"),
          ((f.rule, severity[f.severity], f.subject, f.on.isoformat() if f.on else "",
            f.message_zh if zh else f.message_en, f.evidence_text) for f in findings))
    by = summary["by_severity"]
    click.echo(f"{count(summary['findings'], 'finding')} ("
               + ", ".join(f"{say('SEVERITY', s)} {by[s]}" for s in ("high", "medium", "low"))
               + f"); {summary['events_read']} {say('COLUMNS', 'events read')} ({summary['migrated_events']} "
               f"{say('COLUMNS', 'migrated')}), {say('COLUMNS', 'as of')} {day}; {say('COLUMNS', 'chains checked')}")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md"]), default="text", show_default=True,
              help="md: the whole reference (lifecycles, roles, commands and fields, rules) as docs/reference.md.")
def rules(as_json, fmt):
    """The compliance rules: id, severity, Chinese and English title, the events each reads, its thresholds.

    \b
    Example:
      minerehab rules --json
      minerehab rules --format md > docs/reference.md
    """
    from policies.catalogue import RULES, load_config

    config = load_config()
    fmt = "json" if as_json else fmt
    if fmt == "md":
        from reports.reference import markdown

        click.echo(markdown(RULES, config), nl=False)
        return
    rows = [{"rule": r.id, "severity": r.severity, "title_zh": r.title_zh, "title_en": r.title_en,
             "reads": list(r.reads), "thresholds": config[r.id]} for r in sorted(RULES.values(), key=lambda r: r.id)]
    if fmt == "json":
        emit_json(rows)
        return
    for r in rows:
        zh = lang() == "zh"
        click.echo(f"{r['rule']} [{say('SEVERITY', r['severity']) if zh else r['severity']}] {r['title_zh']}")
        if not zh:
            click.echo(f"    {r['title_en']}")
        click.echo(f"    {'读取：' if zh else 'reads: '}{', '.join(r['reads'])}" + (
            f"{'；阈值：' if zh else '; thresholds: '}{', '.join(f'{k}={v}' for k, v in r['thresholds'].items())}"
            if r["thresholds"] else ""))

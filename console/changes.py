"""What changed in the whole store: every event since a business date or recorded after a moment, in log order.

Between two audits an auditor asks what was entered meanwhile (`--recorded-after` the first audit's
time) or what happened in a period (`--since`); both read the rows straight from the store.
"""

from __future__ import annotations

import click

from console.common import (
    emit_json,
    lang,
    named,
    open_store,
    parse_date,
    parse_timestamp,
    safe,
    say,
)


@click.command("log")
@click.option("--since", metavar="DATE", help="Events dated on or after this business date.")
@click.option("--recorded-after", "recorded_after", metavar="TIMESTAMP",
              help="Events recorded after this moment (ISO; no offset means UTC+8).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.pass_context
def log(ctx, since, recorded_after, as_json):
    """Every event of the store in the order it was recorded: what changed since a date or an audit.

    \b
    Example:
      minerehab log --since 2024-01-01
      minerehab log --recorded-after 2024-06-30T18:00
    """
    from events.clock import BUSINESS_TZ
    from events.reader import log_rows

    rows = log_rows(open_store(ctx), parse_date(since, "--since"), parse_timestamp(recorded_after, "--recorded-after"))
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        recorded = r["recorded_at"].astimezone(BUSINESS_TZ).strftime("%Y-%m-%d %H:%M:%S")
        move = f"{say('STATES', r['from'])} → {say('STATES', r['to'])}" if r["to"] else f"({say('COLUMNS', 'fact')})"
        event = named("FACTS" if r["to"] is None else "TRIGGERS", r["event"])
        click.echo(f"{recorded}  {say('KINDS', r['kind'])} {safe(r['key'])} v{r['version']}  {r['on']}  "
                   f"{safe(event)}  {safe(move)}  {safe(r['actor'])} ({safe(say('ROLES', r['role']))})")
    count = len(rows)
    click.echo(f"共 {count} 个事件" if lang() == "zh" else f"{count} event{'' if count == 1 else 's'}")

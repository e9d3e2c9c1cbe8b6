"""Reading the record: a parcel, batch, programme or task force as it stands or stood, its history, the parcel list."""

from __future__ import annotations

from decimal import Decimal

import click

from console.common import (
    cell_text,
    safe,
    emit_json,
    fail,
    headers,
    lang,
    named,
    open_ledger,
    open_store,
    parse_date,
    parse_timestamp,
    say,
    table,
    view_options,
    width,
)
from events.clock import BUSINESS_TZ


def show_record(ctx, kind, key, as_of, known_at, version, as_json) -> None:
    ledger = open_ledger(ctx)
    record = ledger.view(kind, key, as_of=parse_date(as_of, "--as-of"),
                         known_at=parse_timestamp(known_at), version=version)
    if record is None:
        fail(f"{kind} {key}: nothing was recorded for it by then")
    summary = record.summary()
    if as_json:
        emit_json(summary)
        return
    for name, value in summary.items():
        if value in (None, {}, []):
            continue
        if name == "steps":
            for trigger, data in value.items():
                click.echo(f"{'step ' + trigger:<26} {cell_text(data)}")
        elif name == "corrections":  # each corrected field marked: what it said, by which correction
            label = "已更正" if lang() == "zh" else "corrected"
            label += " " * (27 - width(label))
            for m in value:
                click.echo(f"{label}v{m['version']} {m['event']} {m['field']}: {cell_text(m['was'])} → "
                           f"{cell_text(m['now'])} (v{m['by']} {m['on']}: {safe(m['reason'] or '')})")
        else:
            click.echo(f"{name:<26} {cell_text(value)}")


def print_history(ctx, kind, key, as_json) -> None:
    from events.reader import history_rows

    rows = history_rows(open_store(ctx), kind, key)
    if not rows:
        fail(f"refused: {kind} {key}: unknown {kind}")
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        move = f"{say('STATES', r['from'])} → {say('STATES', r['to'])}" if r["to"] else f"({say('COLUMNS', 'fact')})"
        event = named("FACTS" if r["to"] is None else "TRIGGERS", r["event"])
        recorded = r["recorded_at"].astimezone(BUSINESS_TZ).strftime("%Y-%m-%d %H:%M:%S")
        click.echo(f"v{r['version']:<3} {r['on']}  {safe(event)}{' (migrated)' if r['migrated'] else ''}  {safe(move)}  "
                   f"{safe(r['actor'])} ({safe(say('ROLES', r['role']))})  {say('COLUMNS', 'recorded')} {recorded}")
        if r["data"]:
            click.echo("     " + "  ".join(f"{safe(k)}={cell_text(v)}" for k, v in r["data"].items()))
        if r["reason"]:
            click.echo(f"     reason: {safe(r['reason'])}")
        signature = r.get("signature")
        if signature and "via" in signature:
            click.echo(f"     {say('COLUMNS', 'signed')}: {safe(signature['via'])}")
        elif signature:
            click.echo(f"     {say('COLUMNS', 'signed')}: {safe(signature.get('signer', r['actor']))} "
                       f"{safe(signature['key'])}")
        for d in r["documents"]:
            click.echo(f"     document: {safe(d['title'])} {safe(d['ref'])}"
                       + (f" sha256:{d['sha256']}" if "sha256" in d else ""))


@click.command()
@click.argument("parcel")
@view_options
@click.pass_context
def show(ctx, parcel, as_of, known_at, version, as_json):
    """Show a parcel as it stands, or as it stood (business date, recorded time, version).

    \b
    Example:
      minerehab show TL-2023-01 --as-of 2023-06-30
    """
    show_record(ctx, "parcel", parcel, as_of, known_at, version, as_json)


@click.command()
@click.argument("parcel")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def history(ctx, parcel, as_json):
    """Every event of a parcel: who did what, when, why, with which documents.

    \b
    Example:
      minerehab history TL-2023-01 --json
    """
    print_history(ctx, "parcel", parcel, as_json)


@click.group()
def batch():
    """Write-off batches ("完成一批核销一批").

    \b
    Example:
      minerehab batch show B2023-1
    """


@batch.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def batch_list(ctx, as_json):
    """List batches with their state, members and area.

    \b
    Example:
      minerehab batch list --json
    """
    ledger = open_ledger(ctx)
    rows = [{"batch": key, "year": b.year, "state": b.state, "members": len(b.members), "area_ha": b.area_ha,
             "version": b.version} for key, b in sorted(ledger.records("batch").items())]
    if as_json:
        emit_json(rows)
    else:
        table(headers("batch", "year", "state", "members", "area_ha", "v"),
              [[r["batch"], r["year"], say("STATES", r["state"]), r["members"], r["area_ha"], r["version"]] for r in rows])


@click.group()
def programme():
    """The programme and its per-year target decomposition.

    \b
    Example:
      minerehab programme show TL-2023-2025
    """


def show_and_history(group: click.Group, kind: str, example: str, what: str) -> None:
    """`GROUP show ID` and `GROUP history ID` for a kind of record: the same views as for parcels."""

    @group.command("show", help=f"Show a {kind}: {what}.\n\n\b\nExample:\n  minerehab {kind} show {example} --json")
    @click.argument("key", metavar="ID")
    @view_options
    @click.pass_context
    def show_cmd(ctx, key, as_of, known_at, version, as_json):
        show_record(ctx, kind, key, as_of, known_at, version, as_json)

    @group.command("history", help=f"Every event of a {kind}.\n\n\b\nExample:\n  minerehab {kind} history {example}")
    @click.argument("key", metavar="ID")
    @click.option("--json", "as_json", is_flag=True)
    @click.pass_context
    def history_cmd(ctx, key, as_json):
        print_history(ctx, kind, key, as_json)


show_and_history(batch, "batch", "B2023-1", "state, members, area and references")


show_and_history(programme, "programme", "TL-2023-2025", "target, years, approval and budgets")


@click.group()
def taskforce():
    """The task force (工作专班) and its members over time.

    \b
    Example:
      minerehab taskforce show TF-654224 --on 2023-06-01
    """


@taskforce.command("show")
@click.argument("taskforce_id")
@click.option("--on", "on", metavar="DATE", help="Who was on the task force on this date (default: now).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def taskforce_show(ctx, taskforce_id, on, as_json):
    """Members of the task force, now or on a date.

    \b
    Example:
      minerehab taskforce show TF-654224 --on 2023-06-01
    """
    ledger = open_ledger(ctx)
    force = ledger.get("taskforce", taskforce_id)
    day = parse_date(on, "--on")
    members = force.members_on(day) if day else force.summary()["members"]
    if as_json:
        emit_json({"taskforce": taskforce_id, "on": day, "members": members})
        return
    click.echo(f"task force {taskforce_id}" + (f" on {day}" if day else ""))
    table(headers("person", "unit", "position", "since", "until"),
          [[m["person"], say("ROLES", m["unit"]), m["position"], m["since"], m["until"]] for m in members])


@taskforce.command("history")
@click.argument("taskforce_id")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def taskforce_history(ctx, taskforce_id, as_json):
    """Every appointment and removal, in order (备案).

    \b
    Example:
      minerehab taskforce history TF-654224
    """
    print_history(ctx, "taskforce", taskforce_id, as_json)


@click.command("list")
@click.option("--state", help="Only parcels in this state.")
@click.option("--year", type=click.IntRange(1949, 2100), help="Only parcels planned for this year.")
@click.option("--township", help="Only parcels of this township.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def list_cmd(ctx, state, year, township, as_json):
    """List parcels with their state, plan year and area.

    \b
    Example:
      minerehab list --state accepted --year 2023
    """
    from workflow.vocabulary import STATES, resolve

    state = resolve(STATES, state, "state", "状态") if state else None
    ledger = open_ledger(ctx)
    rows = []
    for p in ledger.each("parcel"):  # one parcel in memory at a time; the rows are small
        if state and p.state != state or township and p.attributes.get("township") != township:
            continue
        if year and p.plan.get("year") != year:
            continue
        rows.append({"parcel": p.code, "name": p.attributes.get("name"), "township": p.attributes.get("township"),
                     "state": p.state, "year": p.plan.get("year"), "area_ha": p.area_ha, "version": p.version})
    rows.sort(key=lambda r: r["parcel"])
    if as_json:
        emit_json(rows)
        return
    table(headers("parcel", "name", "township", "state", "year", "area_ha", "v"),
          [[*list(r.values())[:3], say("STATES", r["state"]), *list(r.values())[4:]] for r in rows])
    total = sum((r["area_ha"] for r in rows), Decimal(0))
    click.echo(f"{len(rows)} parcels, {total} ha")

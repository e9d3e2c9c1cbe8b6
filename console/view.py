"""Reading the record: a parcel, batch, programme or task force as it stands or stood, its history, the parcel list."""

from __future__ import annotations

from decimal import Decimal

import click

from console import completion
from console.common import (
    business_today,
    cell_text,
    emit_json,
    fail,
    headers,
    lang,
    named,
    open_ledger,
    open_store,
    parse_date,
    parse_timestamp,
    safe,
    say,
    table,
    text_to,
    view_options,
    width,
    write_rows,
)
from events.clock import BUSINESS_TZ


def show_record(ctx, kind, key, as_of, known_at, version, as_json) -> None:
    from console.words import shown

    ledger = open_ledger(ctx)
    parse_date(as_of, "--as-of"), parse_timestamp(known_at)  # a bad date is named before an unknown record
    if ledger.find(kind, key) is None:
        from console.codes import unknown

        unknown(ledger.store, kind, key)
    record = ledger.view(kind, key, as_of=parse_date(as_of, "--as-of"),
                         known_at=parse_timestamp(known_at), version=version)
    if record is None:
        fail(f"{kind} {key}: nothing was recorded for it by then")
    summary = record.summary()
    event = event_row(ctx, kind, key, version) if version else None
    if as_json:
        emit_json({**summary, "event": event} if event else summary)
        return
    if event:
        click.echo(f"{say('COLUMNS', 'event at version')} {version}:")
        print_row(event)
        click.echo()
    for name, value in summary.items():
        if value in (None, {}, []):
            continue
        if lang() == "zh":
            show_zh(name, value)
        elif name in ("steps", "facts") and isinstance(value, dict):
            for trigger, data in value.items():
                click.echo(f"{('step ' if name == 'steps' else 'fact ') + trigger:<26} {shown(trigger, data)}")
        elif name == "corrections":  # each corrected field marked: what it said, by which correction
            label = "corrected" + " " * (27 - len("corrected"))  # (Chinese goes through show_zh)
            for m in value:
                click.echo(f"{label}v{m['version']} {m['event']} {m['field']}: {cell_text(m['was'])} → "
                           f"{cell_text(m['now'])} (v{m['by']} {m['on']}: {safe(m['reason'] or '')})")
        else:
            click.echo(f"{name:<26} {shown(name, value)}")


def show_zh(name, value) -> None:
    """One line of `show` in Chinese (a line per step and per fact kind)."""
    from console.words import FIELDS, key_name, shown

    def line(title, text):
        click.echo(f"{title}{' ' * max(1, 26 - width(title))}{text}")

    if name in ("steps", "facts") and isinstance(value, dict):
        for trigger, data in value.items():
            line(f"{FIELDS[name]}·{say('FACTS' if name == 'facts' else 'TRIGGERS', trigger)}", shown(trigger, data))
    else:
        line(FIELDS.get(name) or key_name(name), shown(name, value))


def event_row(ctx, kind, key, version: int) -> dict:
    """One event of a record as a history row (the event itself, not the record it made)."""
    from events.reader import history_rows

    store = open_store(ctx)
    rows = history_rows(store, kind, key)
    if not rows:
        from console.codes import unknown

        unknown(store, kind, key)
    found = [r for r in rows if r["version"] == version]
    if not found:
        fail(f"{kind} {key} has {len(rows)} versions; --version {version} does not exist (1–{len(rows)})",
             f"{kind} {key} 只有 {len(rows)} 个版本；不存在版本 {version}（1–{len(rows)}）")
    return found[0]


def print_history(ctx, kind, key, as_json, version: int | None = None, since=None) -> None:
    from events.reader import history_rows

    if version:
        rows = [event_row(ctx, kind, key, version)]
    else:
        store = open_store(ctx)
        rows = history_rows(store, kind, key)
        if not rows:
            from console.codes import unknown

            unknown(store, kind, key)
    day = parse_date(since, "--since")
    rows = [r for r in rows if day is None or r["on"] >= day]
    if as_json:
        emit_json(rows[0] if version else rows)
        return
    for r in rows:
        print_row(r)


def print_row(r: dict) -> None:
    """One event: version, date, what, the move, who, when recorded; its data, reason, signature, documents."""
    move = f"{say('STATES', r['from'])} → {say('STATES', r['to'])}" if r["to"] else f"({say('COLUMNS', 'fact')})"
    event = named("FACTS" if r["to"] is None else "TRIGGERS", r["event"])
    recorded = r["recorded_at"].astimezone(BUSINESS_TZ).strftime("%Y-%m-%d %H:%M:%S")
    migrated = ("（补录迁移）" if lang() == "zh" else " (migrated)") if r["migrated"] else ""
    click.echo(f"v{r['version']:<3} {r['on']}  {safe(event)}{migrated}  {safe(move)}  "
               f"{safe(r['actor'])} ({safe(say('ROLES', r['role']))})  {say('COLUMNS', 'recorded')} {recorded}")
    if r["data"]:
        from console.words import shown

        click.echo("     " + shown("data", r["data"]))
    if r["reason"]:
        click.echo(f"     {'原因：' if lang() == 'zh' else 'reason: '}{safe(r['reason'])}")
    signature = r.get("signature")
    if signature and "via" in signature:
        click.echo(f"     {say('COLUMNS', 'signed')}: {safe(signature['via'])}")
    elif signature:
        click.echo(f"     {say('COLUMNS', 'signed')}: {safe(signature.get('signer', r['actor']))} "
                   f"{safe(signature['key'])}")
    for d in r["documents"]:
        click.echo(f"     {'文件：' if lang() == 'zh' else 'document: '}{safe(d['title'])} {safe(d['ref'])}"
                   + (f" sha256:{d['sha256']}" if "sha256" in d else ""))


@click.command()
@click.argument("parcel", shell_complete=completion.parcels)
@view_options
@click.pass_context
def show(ctx, parcel, as_of, known_at, version, as_json):
    """Show a parcel as it stands, or as it stood (business date, recorded time, version; with --version the
    event recorded at that version comes first).

    \b
    Example:
      minerehab show TL-2023-01 --as-of 2023-06-30
    """
    show_record(ctx, "parcel", parcel, as_of, known_at, version, as_json)


@click.command()
@click.argument("parcel", shell_complete=completion.parcels)
@click.option("--version", "version", type=click.IntRange(min=1), help="Only the event at this version.")
@click.option("--since", metavar="DATE", help="Only events dated on or after this business date.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def history(ctx, parcel, version, since, as_json):
    """Every event of a parcel: who did what, when, why, with which documents (or one event: --version N).

    \b
    Example:
      minerehab history TL-2023-01 --json
      minerehab history TL23-08 --version 24
    """
    print_history(ctx, "parcel", parcel, as_json, version, since)


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
    click.echo(f"工作专班 {taskforce_id}" + (f"（{day}）" if day else "") if lang() == "zh"
               else f"task force {taskforce_id}" + (f" on {day}" if day else ""))
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
@click.option("--state", help="Only parcels in this state.", shell_complete=completion.states)
@click.option("--year", type=click.IntRange(1949, 2100), help="Only parcels planned for this year.")
@click.option("--township", help="Only parcels of this township.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "xlsx"]), default="table", show_default=True,
              help="xlsx: the county's ledger (台账) with headers in the chosen language.")
@click.option("--output", metavar="FILE", help="Write to FILE (needed for xlsx; a .csv file starts with a UTF-8 BOM "
              "so that Excel reads its Chinese).")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.pass_context
def list_cmd(ctx, state, year, township, fmt, output, as_json):
    """List parcels with their state, plan year and area.

    \b
    Example:
      minerehab list --state accepted --year 2023
      minerehab --lang zh list --format xlsx --output 台账.xlsx
    """
    from workflow.vocabulary import STATES, resolve

    fmt = "json" if as_json else fmt
    if output:
        from events import files

        files.check(output, store=ctx.obj["store"])
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
    if fmt in ("json", "csv", "xlsx"):
        from reports.sheets import parcels_sheet, workbook

        def sheets():
            title = f"{say('REPORT', 'ledger')} · {say('COLUMNS', 'as of')} {business_today()}"
            return workbook([parcels_sheet(rows, lang(), title)], lang())

        write_rows(rows, fmt, output, sheets)
        return
    total = sum((r["area_ha"] for r in rows), Decimal(0))

    def printed():
        table(headers("parcel", "name", "township", "state", "year", "area_ha", "v"),
              [[*list(r.values())[:3], say("STATES", r["state"]), *list(r.values())[4:]] for r in rows])
        click.echo(f"共 {len(rows)} 个图斑，{total} 公顷" if lang() == "zh"
                   else f"{len(rows)} parcel{'' if len(rows) == 1 else 's'}, {total} ha")

    text_to(output, printed)

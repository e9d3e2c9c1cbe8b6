"""minerehab command line: parses arguments and prints results; the domain lives in workflow/ and policies/.

Exit codes: 0 ok; 1 audit findings; 2 refused or bad input (one line on stderr).
"""

from __future__ import annotations

import json
import sys
import unicodedata
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

import click

EXIT_REFUSED = 2
CST = timezone(timedelta(hours=8))


class Failure(click.ClickException):
    exit_code = EXIT_REFUSED


def fail(message: str) -> None:
    raise Failure(message)


# --- printing ---------------------------------------------------------------

def to_jsonable(value):
    if isinstance(value, (Decimal, date, datetime)):
        return str(value) if isinstance(value, Decimal) else value.isoformat()
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    return value


def emit_json(value) -> None:
    click.echo(json.dumps(to_jsonable(value), ensure_ascii=False, indent=2))


def width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(headers: list[str], rows: list[list]) -> None:
    cells = [[cell_text(c) for c in row] for row in rows]
    widths = [max([width(h)] + [width(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def line(values):
        return "  ".join(v + " " * (w - width(v)) for v, w in zip(values, widths)).rstrip()

    click.echo(line(headers))
    click.echo(line(["-" * w for w in widths]))
    for row in cells:
        click.echo(line(row))


def lang() -> str:
    ctx = click.get_current_context(silent=True)
    return (ctx.find_root().obj or {}).get("lang", "en") if ctx else "en"


def say(table_name: str, key) -> str:
    """A label from the vocabulary in the chosen language."""
    from workflow import vocabulary

    return vocabulary.label(getattr(vocabulary, table_name), key, lang()) if key is not None else ""


def named(table_name: str, key: str) -> str:
    """`id label`, or the id alone where the label only restates it."""
    text = say(table_name, key)
    return key if text.replace(" ", "_") == key else f"{key} {text}"


def headers(*names: str) -> list[str]:
    return [say("COLUMNS", n) for n in names]


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(to_jsonable(value), ensure_ascii=False, separators=(",", ":"))
    return str(value)


# --- parsing ----------------------------------------------------------------

def parse_date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option} {value!r} is not an ISO date YYYY-MM-DD")


def business_today() -> date:
    from events.clock import business_today as today

    return today(datetime.now(timezone.utc))


def parse_timestamp(value: str | None) -> datetime | None:
    """An ISO timestamp; without an offset it is China Standard Time (UTC+8)."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        fail(f"--known-at {value!r} is not an ISO timestamp such as 2024-03-01T12:00:00+08:00")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=CST)
    return moment


def open_store(ctx: click.Context):
    """The store, checked to exist, for reads that need no application (a whole process should start fast)."""
    from events.store import StoreError, resolve

    try:
        store = resolve(ctx.obj["store"])
        store.check_ready()
    except StoreError as error:
        fail(str(error))
    return store


def open_ledger(ctx: click.Context, create: bool = False):
    from events.store import StoreError
    from workflow.ledger import Ledger

    try:
        ledger = Ledger(ctx.obj["store"], create=create)
    except StoreError as error:
        fail(str(error))
    ctx.call_on_close(ledger.close)
    return ledger


def refusals():
    """Turn refusals into one line on stderr and exit code 2."""
    from policies.refusals import Refused

    class Guard:
        def __enter__(self):
            return self

        def __exit__(self, kind, error, tb):
            if isinstance(error, Refused):
                fail(f"refused: {error}")
            return False

    return Guard()


# --- commands ---------------------------------------------------------------

class Minerehab(click.Group):
    """Every error is one line on stderr with exit code 2; never a usage dump or a traceback."""

    def main(self, args=None, prog_name="minerehab", **extra):
        try:
            code = super().main(args, prog_name, standalone_mode=False, **extra)
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except click.Abort:
            click.echo("minerehab: aborted", err=True)
            sys.exit(EXIT_REFUSED)
        except getattr(click.exceptions, "NoArgsIsHelpError", ()) as bare:  # `minerehab` alone: the help, exit 0
            click.echo(bare.ctx.get_help())
            sys.exit(0)
        except click.ClickException as error:
            click.echo(f"minerehab: {error.format_message()}", err=True)
            sys.exit(error.exit_code if isinstance(error, Failure) else EXIT_REFUSED)
        sys.exit(code or 0)


@click.group(cls=Minerehab, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", envvar="MINEREHAB_STORE", default=None, metavar="URL",
              help="SQLite file, sqlite:///PATH or postgresql://… (default ./minerehab.db; env MINEREHAB_STORE).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
              help="Language of labels and messages (default from the locale; env MINEREHAB_LANG).")
@click.pass_context
def cli(ctx: click.Context, store: str | None, lang: str | None) -> None:
    """minerehab: the event-sourced ledger of legacy-mine restoration (历史遗留矿山生态修复).

    \b
    Example:
      minerehab init
      minerehab do register TL-2023-01 --on 2023-03-01 --actor 张玉峰 --role nrb \\
          --set name=老风口采坑 --set township=庙尔沟镇 --set area_ha=6.1
    """
    import os

    from workflow.vocabulary import default_lang

    ctx.obj = {"store": store, "lang": lang or default_lang(os.environ)}


@cli.command()
@click.pass_context
def init(ctx: click.Context) -> None:
    """Create the store (the only command that creates one).

    \b
    Example:
      minerehab --store county.db init
    """
    ledger = open_ledger(ctx, create=True)
    click.echo(f"store ready: {ledger.store.location}")


@cli.command("do")
@click.argument("trigger")
@click.argument("target", required=False)
@click.option("--batch", "batch", metavar="ID", help="Target a write-off batch instead of a parcel.")
@click.option("--programme", "programme", metavar="ID", help="Target a programme.")
@click.option("--taskforce", "taskforce", metavar="ID", help="Target a task force.")
@click.option("--on", "on", required=True, metavar="DATE", help="Business date (ISO).")
@click.option("--actor", envvar="MINEREHAB_ACTOR", required=True, help="Person or unit (env MINEREHAB_ACTOR).")
@click.option("--role", envvar="MINEREHAB_ROLE", required=True, help="Role id (env MINEREHAB_ROLE).")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="A data field; repeatable.")
@click.option("--data", "data_json", metavar="JSON", help="Data fields as a JSON object.")
@click.option("--reason", help="Why.")
@click.option("--doc", "docs", multiple=True, metavar="TITLE=REF[:SHA256]", help="A document; repeatable.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
@click.pass_context
def do(ctx, trigger, target, batch, programme, taskforce, on, actor, role, sets, data_json, reason, docs, as_json):
    """Record one state change or fact on a parcel (or batch, programme, task force).

    \b
    Example:
      minerehab do plan TL-2023-01 --on 2023-04-01 --actor 张玉峰 --role nrb \\
          --set programme=TL-2023-2025 --set year=2023 --set mode=ecological_reconstruction \\
          --set planned_investment=120.5
    """
    from workflow import commands, fields

    named = {k: v for k, v in {"batch": batch, "programme": programme, "taskforce": taskforce}.items() if v}
    if len(named) > 1 or (named and target):
        fail("do: name one target: a parcel code, or one of --batch, --programme, --taskforce")
    kind, key = next(iter(named.items())) if named else ("parcel", target)
    if not key:
        fail("do: missing target: a parcel code, or --batch/--programme/--taskforce ID")
    data = {}
    if data_json:
        try:
            data = fields.loads(data_json)
        except json.JSONDecodeError as error:
            fail(f"--data is not valid JSON ({error.msg} at column {error.colno})")
        if not isinstance(data, dict):
            fail("--data must be a JSON object")
    for item in sets:
        name, sep, value = item.partition("=")
        if not sep or not name:
            fail(f"--set {item!r} is not KEY=VALUE")
        try:
            data[name] = fields.cli_value(value)
        except fields.BadValue as error:
            fail(f"--set {name}: value is not {error}")
    documents = []
    for raw in docs:
        try:
            documents.append(commands.parse_doc_option(raw))
        except fields.BadValue as error:
            fail(f"--doc {raw!r}: expected {error}")
    with refusals():
        command = commands.build(trigger, kind, key, actor, role, on, data, reason, documents)
        ledger = open_ledger(ctx)
        [outcome] = ledger.execute([command])
    if as_json:
        emit_json(outcome)
    else:
        move = "recorded" if outcome["from"] == outcome["to"] else f"{outcome['from']} → {outcome['to']}"
        click.echo(f"{kind} {key}: {trigger} {move} (version {outcome['version']})")


@cli.command("apply")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--each", is_flag=True, help="Commit line by line and report each failure (default: all or nothing).")
@click.option("--migration", is_flag=True, help="Mark every event as migrated (backfilled history).")
@click.option("--json", "as_json", is_flag=True, help="Print outcomes as JSON.")
@click.pass_context
def apply_cmd(ctx, file, each, migration, as_json):
    """Run the commands of a JSONL file (`-` for stdin), one per line.

    \b
    Example:
      minerehab apply examples/demo-parcel.jsonl
      cat day.jsonl | minerehab apply --each -
    """
    from workflow.commands import read_jsonl
    from policies.refusals import Refused

    ledger = open_ledger(ctx)
    commands = list(read_jsonl(file, migrated=migration))
    with Ticker(len(commands), "applying") as tick:
        ledger.tick = tick
        if not each:
            with refusals():
                outcomes = ledger.execute(commands)
    if not each:
        if as_json:
            emit_json({"applied": len(outcomes), "refused": 0, "outcomes": outcomes})
        else:
            click.echo(f"applied {len(outcomes)} commands")
        return
    applied, refused = [], []
    for result in ledger.execute_each(commands):  # line by line: its own progress is the lines printed
        if isinstance(result, Refused):
            refused.append(result)
            if not as_json:
                click.echo(f"refused: {result}", err=True)
        else:
            applied.append(result)
    if as_json:
        emit_json({"applied": len(applied), "refused": len(refused),
                   "refusals": [{"line": r.line, "message": r.message} for r in refused]})
    else:
        click.echo(f"applied {len(applied)} commands, refused {len(refused)}")
    if refused:
        ctx.exit(EXIT_REFUSED)


def view_options(func):
    """--as-of, --known-at, --version and --json: the ways to look at a record in the past."""
    for option in reversed([
        click.option("--as-of", "as_of", metavar="DATE", help="Business view: events dated on or before DATE."),
        click.option("--known-at", "known_at", metavar="TIMESTAMP",
                     help="What the ledger said at that moment (ISO; no offset means UTC+8)."),
        click.option("--version", "version", type=click.IntRange(min=1), help="The record at this version."),
        click.option("--json", "as_json", is_flag=True, help="Print JSON."),
    ]):
        func = option(func)
    return func


def show_record(ctx, kind, key, as_of, known_at, version, as_json) -> None:
    ledger = open_ledger(ctx)
    with refusals():
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
        recorded = r["recorded_at"].astimezone(CST).strftime("%Y-%m-%d %H:%M:%S")
        click.echo(f"v{r['version']:<3} {r['on']}  {event}{' (migrated)' if r['migrated'] else ''}  {move}  "
                   f"{r['actor']} ({say('ROLES', r['role'])})  {say('COLUMNS', 'recorded')} {recorded}")
        if r["data"]:
            click.echo("     " + "  ".join(f"{k}={cell_text(v)}" for k, v in r["data"].items()))
        if r["reason"]:
            click.echo(f"     reason: {r['reason']}")
        for d in r["documents"]:
            click.echo(f"     document: {d['title']} {d['ref']}" + (f" sha256:{d['sha256']}" if "sha256" in d else ""))


@cli.command()
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


@cli.command()
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


@cli.group()
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


@cli.group()
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


@cli.group()
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
    with refusals():
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


def write_rows(rows: list[dict], fmt: str, output: str | None) -> None:
    """Rows as csv, md, json or xlsx; to a file with --output (xlsx needs one)."""
    import csv
    import io

    if fmt == "xlsx":
        if not output:
            fail("--format xlsx needs --output FILE.xlsx")
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(list(rows[0]))
        for row in rows:
            sheet.append([float(v) if isinstance(v, Decimal) else v for v in row.values()])
        book.save(output)
        click.echo(f"wrote {output}")
        return
    buffer = io.StringIO()
    if fmt == "csv":
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(list(rows[0]))
        writer.writerows([cell_text(v) for v in row.values()] for row in rows)
    elif fmt == "md":
        buffer.write("| " + " | ".join(rows[0]) + " |\n|" + "---|" * len(rows[0]) + "\n")
        for row in rows:
            buffer.write("| " + " | ".join(cell_text(v) for v in row.values()) + " |\n")
    if output:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(buffer.getvalue())
        click.echo(f"wrote {output}")
    else:
        click.echo(buffer.getvalue(), nl=False)


class Ticker:
    """A progress bar on stderr when it is a terminal; `tick()` advances it. Silent otherwise."""

    def __init__(self, length: int, label: str):
        self.bar = click.progressbar(length=length, label=label, file=sys.stderr) if sys.stderr.isatty() else None

    def __enter__(self):
        if self.bar is None:
            return None
        self.bar.__enter__()
        return lambda n=1: self.bar.update(n)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)
        return False


@cli.group("import")
def import_group():
    """Import the county's tables (.csv or .xlsx, English or Chinese headers).

    \b
    Example:
      minerehab import parcels examples/tuoli-2023-2025/parcels.csv --on 2023-02-20
    """


def who(actor: str | None, role: str | None) -> tuple[str, str]:
    if not actor or not role:
        fail("give --actor and --role (or MINEREHAB_ACTOR and MINEREHAB_ROLE)")
    return actor, role


def run_imported(ctx, make_commands, label: str, migration: bool) -> None:
    from workflow.inventory import ImportProblems

    ledger = open_ledger(ctx)
    try:
        commands = make_commands(ledger)
    except ImportProblems as problems:
        fail(str(problems))
    for command in commands:
        command.migrated = migration
    with refusals(), Ticker(len(commands), label) as tick:
        ledger.tick = tick
        outcomes = ledger.execute(commands)
    click.echo(f"imported {len(outcomes)} rows")


@import_group.command("parcels")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--on", "on", metavar="DATE", help="Registration date for rows without an on (登记日期) column.")
@click.option("--actor", envvar="MINEREHAB_ACTOR")
@click.option("--role", envvar="MINEREHAB_ROLE", default="nrb", show_default=True)
@click.option("--migration", is_flag=True, help="Mark the events as migrated (backfilled history).")
@click.pass_context
def import_parcels(ctx, file, on, actor, role, migration):
    """Register every parcel of an inventory table; one bad row writes nothing.

    \b
    Example:
      minerehab import parcels 图斑清单.xlsx --on 2023-02-20 --actor 张玉峰
    """
    from pathlib import Path

    from workflow.inventory import parcel_commands

    actor, role = who(actor, role)
    day = parse_date(on, "--on")
    run_imported(ctx, lambda ledger: parcel_commands(Path(file), actor, role, day), "registering parcels", migration)


@import_group.command("plan")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--programme", required=True, metavar="ID", help="The approved programme the plan belongs to.")
@click.option("--on", "on", required=True, metavar="DATE", help="Date of the plan.")
@click.option("--actor", envvar="MINEREHAB_ACTOR")
@click.option("--role", envvar="MINEREHAB_ROLE", default="nrb", show_default=True)
@click.option("--migration", is_flag=True, help="Mark the events as migrated (backfilled history).")
@click.pass_context
def import_plan(ctx, file, programme, on, actor, role, migration):
    """Plan parcels from the target decomposition table (目标分解计划表): year, code, area, investment.

    \b
    Example:
      minerehab import plan examples/tuoli-2023-2025/plan.csv --programme TL-2023-2025 --on 2023-03-01
    """
    from functools import partial
    from pathlib import Path

    from workflow.inventory import plan_commands

    actor, role = who(actor, role)
    day = parse_date(on, "--on")
    run_imported(ctx, lambda ledger: plan_commands(Path(file), programme, actor, role, day,
                                                   partial(ledger.find, "parcel")), "planning parcels", migration)


@cli.group()
def report():
    """Reports over the whole store.

    \b
    Example:
      minerehab report progress --as-of 2024-12-31
    """


@report.command("progress")
@click.option("--as-of", "as_of", metavar="DATE", help="The ledger as it stood on this business date (default today).")
@click.option("--programme", "programme_id", metavar="ID", help="Which programme (default: the only one).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "xlsx", "md"]), default="table")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--output", metavar="FILE", help="Write to FILE (needed for xlsx).")
@click.pass_context
def report_progress(ctx, as_of, programme_id, fmt, as_json, output):
    """Parcels, hectares and funds by year and state, against the prefecture target.

    \b
    Example:
      minerehab report progress --format xlsx --output progress.xlsx
    """
    from reports.progress import progress

    fmt = "json" if as_json else fmt
    day = parse_date(as_of, "--as-of")
    ledger = open_ledger(ctx)
    programmes = ledger.records("programme", as_of=day)
    if programme_id:
        if programme_id not in programmes:
            fail(f"programme {programme_id}: unknown programme; known: {', '.join(programmes) or 'none'}")
        chosen = programmes[programme_id]
    elif len(programmes) > 1:
        fail(f"several programmes; choose one with --programme: {', '.join(sorted(programmes))}")
    else:
        chosen = next(iter(programmes.values()), None)
    result = progress(ledger.each("parcel", as_of=day), chosen, day)
    rows = [*result["years"], result["total"]]
    if fmt == "json":
        emit_json(result)
    elif fmt != "table":
        write_rows(rows, fmt, output)
    else:
        print_progress(result, rows)


@report.command("html")
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--as-of", "as_of", metavar="DATE", help="The ledger as it stood on this business date (default today).")
@click.pass_context
def report_html(ctx, out, as_of):
    """One self-contained page (works offline): progress chart, parcels, findings linked to histories, funds.

    \b
    Example:
      minerehab --lang zh report html 托里县进展.html --as-of 2024-12-31
    """
    from reports.html import page

    day = parse_date(as_of, "--as-of") or business_today()
    ledger = open_ledger(ctx)
    with open(out, "w", encoding="utf-8") as handle:
        handle.write(page(ledger, day, lang()))
    click.echo(f"wrote {out}")


def print_progress(result: dict, rows: list[dict]) -> None:
    from reports.progress import GROUP_STATES

    if "programme" in result:
        click.echo(f"{result['name']} ({result['programme']})")
    click.echo(f"{say('COLUMNS', 'as of')} {result['as_of']}; {say('COLUMNS', 'target')} {result['target_ha']} ha")
    click.echo()
    table(headers("year", "parcels", "planned ha", "% target", "cum. %", "accepted ha", "% target", "cum. %"),
          [[r["year"], r["parcels"], r["planned_ha"], r["planned_pct_of_target"], r.get("cumulative_planned_pct"),
            r["accepted_total_ha"], r["accepted_pct_of_target"], r.get("cumulative_accepted_pct")] for r in rows])
    click.echo()
    groups = [*GROUP_STATES, "in_stewardship"]
    click.echo(say("COLUMNS", "by state"))
    table([say("COLUMNS", "year"), *[say("GROUPS", g) for g in groups]],
          [[r["year"], *[f"{r['state_' + g + '_parcels']} / {r['state_' + g + '_ha']}"
                         if r["state_" + g + "_parcels"] else "" for g in groups]]
           for r in rows])
    click.echo()
    click.echo(say("COLUMNS", "funds"))
    table(headers("year", "planned", "budgeted", "allocated", "contracted", "paid", "deposited", "planned/ha"),
          [[r["year"], r["planned_wan"], r["budgeted_wan"], r["allocated_wan"], r["contracted_wan"], r["paid_wan"],
            r["deposited_wan"], r["planned_wan_per_ha"]] for r in rows])


@cli.command()
@click.option("--as-of", "as_of", metavar="DATE", help="Audit the ledger as it stood on this business date (default today).")
@click.option("--rule", "rule_ids", metavar="R07,R10", help="Only these rules.")
@click.option("--subject", metavar="CODE", help="Only findings about this parcel (or batch, programme).")
@click.option("--config", "config_path", type=click.Path(dir_okay=False), help="TOML thresholds (see `minerehab rules`).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "md"]), default="table")
@click.option("--json", "as_json", is_flag=True, help="Same as --format json.")
@click.option("--fail-on", "fail_on", type=click.Choice(["high", "medium", "low"]), default="high", show_default=True,
              help="Exit 1 when a finding is at or above this severity.")
@click.option("--severity", "least", type=click.Choice(["high", "medium", "low"]), default="low", show_default=True,
              help="Show only findings at or above this severity.")
@click.option("--state", "state_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Keep the audit's state in FILE; the next audit with it reads only events recorded since "
                   "(with --subject: that subject's findings from it, at once).")
@click.pass_context
def audit(ctx, as_of, rule_ids, subject, config_path, fmt, as_json, fail_on, least, state_path):
    """Check every rule of DOMAIN.md §7 over the whole store in one pass (纪检监察).

    \b
    Example:
      minerehab audit --rule R03,R17 --format json
      minerehab audit --as-of 2024-12-31 --fail-on medium
      minerehab audit --state audit-state.db      (again later: only new events are read)
    """
    from policies.catalogue import ConfigError, load_config
    from policies.registry import RULES, SEVERITIES
    from audit import engine as auditing

    fmt = "json" if as_json else fmt
    day = parse_date(as_of, "--as-of") or business_today()
    try:
        config = load_config(config_path)
    except ConfigError as error:
        fail(str(error))
    chosen = None
    if rule_ids:
        chosen = [r.strip().upper() for r in rule_ids.split(",") if r.strip()]
        unknown = [r for r in chosen if r not in RULES]
        if unknown:
            fail(f"--rule {unknown[0]}: unknown rule; allowed: {', '.join(sorted(RULES))}")
    ledger = open_ledger(ctx)
    with Ticker(ledger.recorder.max_notification_id() or 0, "auditing") as tick:
        if state_path:
            from audit import kept as reaudit

            try:
                findings, summary, _new = reaudit.run(ledger, day, state_path, config, chosen, tick=tick)
            except reaudit.StateError as error:
                fail(str(error))
            if subject:  # the kept audit of the whole store answers for one subject at once
                findings = [f for f in findings if f.subject == subject]
                summary = {**summary, **auditing.counted(findings)}
        else:
            findings, summary = auditing.run(ledger, day, config, chosen, subject, tick=tick)
    if least != "low":
        findings = [f for f in findings if SEVERITIES.index(f.severity) >= SEVERITIES.index(least)]
        summary = {**summary, **auditing.counted(findings)}
    rows = [f.as_dict() for f in findings]
    if fmt == "json":
        emit_json({"as_of": day, "findings": rows, "summary": summary})
    elif fmt in ("csv", "md"):
        flat = [{"rule": r["rule"], "severity": r["severity"], "subject": r["subject"], "on": r["on"],
                 "message_zh": r["message"]["zh"], "message_en": r["message"]["en"],
                 "evidence": " ".join(f"{e['aggregate']}@{e['version']}" for e in r["evidence"])} for r in rows]
        if flat:
            write_rows(flat, fmt, None)
    else:
        table(headers("rule", "severity", "subject", "on", "message", "evidence"),
              [[r["rule"], say("SEVERITY", r["severity"]), r["subject"], r["on"], r["message"][lang()],
                " ".join(f"{e['aggregate']}@{e['version']}" for e in r["evidence"])] for r in rows])
        by = summary["by_severity"]
        click.echo(f"{summary['findings']} {say('COLUMNS', 'findings')} ("
                   + ", ".join(f"{say('SEVERITY', s)} {by[s]}" for s in ("high", "medium", "low"))
                   + f"); {summary['events_read']} {say('COLUMNS', 'events read')} ({summary['migrated_events']} "
                   f"{say('COLUMNS', 'migrated')}), {say('COLUMNS', 'as of')} {day}")
    threshold = SEVERITIES.index(fail_on)
    if any(SEVERITIES.index(f.severity) >= threshold for f in findings):
        ctx.exit(1)


@cli.command()
@click.option("--json", "as_json", is_flag=True)
def rules(as_json):
    """The compliance rules: id, severity, Chinese and English title, the events each reads, its thresholds.

    \b
    Example:
      minerehab rules --json
    """
    from policies.catalogue import RULES, load_config

    config = load_config()
    rows = [{"rule": r.id, "severity": r.severity, "title_zh": r.title_zh, "title_en": r.title_en,
             "reads": list(r.reads), "thresholds": config[r.id]} for r in sorted(RULES.values(), key=lambda r: r.id)]
    if as_json:
        emit_json(rows)
        return
    for r in rows:
        click.echo(f"{r['rule']} [{r['severity']}] {r['title_zh']}")
        click.echo(f"    {r['title_en']}")
        click.echo(f"    reads: {', '.join(r['reads'])}" + (
            f"; thresholds: {', '.join(f'{k}={v}' for k, v in r['thresholds'].items())}" if r["thresholds"] else ""))


# --- tamper evidence ----------------------------------------------------------

def key_or_fail(loader, path):
    from events.checkpoint import KeyError_

    try:
        return loader(path)
    except KeyError_ as error:
        fail(str(error))


@cli.command()
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="Private key file; KEY.pub is written too.")
def keygen(out):
    """Write an Ed25519 key pair for signing checkpoints.

    \b
    Example:
      minerehab keygen --out auditor.key     # writes auditor.key and auditor.key.pub
    """
    from pathlib import Path

    from events.checkpoint import keygen as make_keys

    private, public = make_keys(Path(out))
    click.echo(f"wrote {private} (keep it secret) and {public}")


@cli.command()
@click.option("--key", "key_path", required=True, type=click.Path(dir_okay=False), help="Ed25519 private key.")
@click.option("--out", "out", type=click.Path(dir_okay=False), help="Write the checkpoint here (default: stdout).")
@click.pass_context
def checkpoint(ctx, key_path, out):
    """Sign the log's Merkle root; keep the checkpoint outside the store.

    \b
    Example:
      minerehab checkpoint --key auditor.key --out 2024-12-31.checkpoint.json
    """
    from events import checkpoint as checkpoints
    from events import merkle

    key = key_or_fail(checkpoints.load_private, key_path)
    ledger = open_ledger(ctx)
    leaves = ledger.raw.leaf_hashes()
    signed = checkpoints.make(ledger.raw.origin(), len(leaves), merkle.root(leaves), key)
    ledger.raw.record_checkpoint(signed)
    text = json.dumps(signed, ensure_ascii=False, indent=2)
    if out:
        with open(out, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
        click.echo(f"wrote {out}: {signed['tree_size']} events, root {signed['root']}")
    else:
        click.echo(text)


@cli.command()
@click.option("--checkpoint", "checkpoint_path", type=click.Path(dir_okay=False), help="A checkpoint kept outside the store.")
@click.option("--pubkey", "pubkey_path", type=click.Path(dir_okay=False), help="The public key that signed it.")
@click.option("--documents", "documents", type=click.Path(file_okay=False), help="Recheck document files against their sha256.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def verify(ctx, checkpoint_path, pubkey_path, documents, as_json):
    """Recompute every hash chain (and the root against a checkpoint); exit 1 on any tampering.

    \b
    Example:
      minerehab verify --checkpoint 2024-12-31.checkpoint.json --pubkey auditor.key.pub
    """
    from pathlib import Path

    from events import checkpoint as checkpoints
    from events.verify import verify as check, verify_documents

    signed = key_or_fail(checkpoints.read, checkpoint_path) if checkpoint_path else None
    public = key_or_fail(checkpoints.load_public, pubkey_path) if pubkey_path else None
    if public is not None and signed is None:
        fail("--pubkey needs --checkpoint")
    ledger = open_ledger(ctx)
    with Ticker(ledger.recorder.max_notification_id() or 0, "verifying") as tick:
        report = check(ledger.raw, signed, public, tick=tick)
    if documents:
        report.problems += verify_documents(ledger, ledger.raw.keys(), Path(documents))
    if as_json:
        emit_json({"ok": report.ok, "events": report.events, "aggregates": report.aggregates,
                   "tree_size": report.tree_size, "root": report.root.hex(),
                   "problems": [vars(p) for p in report.problems]})
    else:
        for problem in report.problems:
            click.echo(str(problem))
        verdict = "ok" if report.ok else f"TAMPERED: {len(report.problems)} problems"
        click.echo(f"{verdict}: {report.events} events in {report.aggregates} aggregates; tree size {report.tree_size}, "
                   f"root {report.root.hex()}" + (" ; checkpoint checked" if signed else ""))
    if not report.ok:
        ctx.exit(1)


@cli.command()
@click.argument("parcel")
@click.argument("version", type=click.IntRange(min=1))
@click.option("--checkpoint", "checkpoint_path", required=True, type=click.Path(dir_okay=False))
@click.option("--kind", default="parcel", type=click.Choice(["parcel", "batch", "programme", "taskforce"]))
@click.pass_context
def prove(ctx, parcel, version, checkpoint_path, kind):
    """Print an inclusion proof of one event under a checkpoint; `check-proof` checks it without the store.

    \b
    Example:
      minerehab prove TL23-01 14 --checkpoint 2024-12-31.checkpoint.json > TL23-01-v14.proof.json
    """
    from events import checkpoint as checkpoints
    from events.proofs import ProofError, inclusion

    signed = key_or_fail(checkpoints.read, checkpoint_path)
    ledger = open_ledger(ctx)
    try:
        emit_json(inclusion(ledger, kind, parcel, version, signed))
    except ProofError as error:
        fail(str(error))


@cli.command("check-proof")
@click.argument("proof_file", type=click.File("r", encoding="utf-8"))
@click.option("--pubkey", "pubkey_path", type=click.Path(dir_okay=False), help="Also check the checkpoint's signature.")
def check_proof(proof_file, pubkey_path):
    """Check an inclusion proof on its own: event bytes → chain hash → Merkle path → signed root.

    \b
    Example:
      minerehab check-proof TL23-01-v14.proof.json --pubkey auditor.key.pub
    """
    from events import checkpoint as checkpoints
    from events.proofs import check_inclusion

    try:
        proof = json.load(proof_file)
    except ValueError as error:
        fail(f"{proof_file.name}: not a JSON proof ({error})")
    public = key_or_fail(checkpoints.load_public, pubkey_path) if pubkey_path else None
    problems = check_inclusion(proof, public)
    if problems:
        for problem in problems:
            click.echo(f"INVALID: {problem}")
        sys.exit(1)
    click.echo(f"valid: {proof['aggregate']} version {proof['version']} is leaf {proof['leaf_index']} of "
               f"{proof['checkpoint']['tree_size']} under root {proof['checkpoint']['root']}"
               + (" (signature checked)" if public else ""))


@cli.command()
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option("--pubkey", "pubkey_path", type=click.Path(dir_okay=False), help="Check both signatures too.")
@click.pass_context
def consistency(ctx, old, new, pubkey_path):
    """Prove from the store that the log only grew between two checkpoints (RFC 6962).

    \b
    Example:
      minerehab consistency 2024-06-30.checkpoint.json 2024-12-31.checkpoint.json
    """
    from events import checkpoint as checkpoints
    from events.proofs import consistency as prove_consistency

    first, second = key_or_fail(checkpoints.read, old), key_or_fail(checkpoints.read, new)
    public = key_or_fail(checkpoints.load_public, pubkey_path) if pubkey_path else None
    ledger = open_ledger(ctx)
    result = prove_consistency(ledger, first, second, public)
    emit_json(result)
    if not result["consistent"]:
        ctx.exit(1)


@cli.command()
@click.option("--from", "source", required=True, metavar="URL", help="The store to copy.")
@click.option("--to", "target", required=True, metavar="URL", help="An empty store (created if it does not exist).")
def copy(source, target):
    """Copy the whole log between stores (SQLite ⇄ PostgreSQL), keeping ids, versions, times and hashes; then verify.

    \b
    Example:
      minerehab copy --from county.db --to postgresql://mr@db.example/province?schema=tuoli
    """
    from events.store import StoreError
    from events.verify import verify as check
    from workflow.ledger import Ledger

    try:
        origin = Ledger(source)
        try:
            destination = Ledger(target)
        except StoreError:
            destination = Ledger(target, create=True)
    except StoreError as error:
        fail(str(error))
    try:
        if not destination.raw.is_empty():
            fail(f"copy: the target {target} already holds events; copy only into an empty store")
        total = origin.recorder.max_notification_id() or 0
        with Ticker(total, "copying") as tick:
            count = destination.raw.load_copy(origin.raw, tick)
        with Ticker(total, "verifying") as tick:
            report = check(destination.raw, tick=tick)
    finally:
        origin.close()
        destination.close()
    for problem in report.problems:
        click.echo(str(problem))
    click.echo(f"copied {count} events; target verifies: {'ok' if report.ok else 'NO'}; root {report.root.hex()}")
    if not report.ok:
        sys.exit(1)


@cli.command()
@click.option("--parcel", metavar="CODE", help="Mark this parcel's state and the path it took.")
@click.option("--batch", "batch_id", metavar="ID", help="Draw the batch lifecycle, marking this batch.")
@click.option("--format", "fmt", type=click.Choice(["mermaid", "svg", "png"]), default="mermaid", show_default=True)
@click.option("--output", metavar="FILE", help="Write to FILE (svg/png default to stdout as bytes otherwise).")
@click.pass_context
def diagram(ctx, parcel, batch_id, fmt, output):
    """Draw the parcel (or batch) lifecycle with transitions' GraphMachine.

    \b
    Example:
      minerehab diagram --parcel TL23-05 --format svg --output TL23-05.svg
    """
    from reports.diagrams import DiagramError, mermaid, moves_of, rendered

    if parcel and batch_id:
        fail("diagram: give --parcel or --batch, not both")
    kind, key = ("batch", batch_id) if batch_id else ("parcel", parcel)
    current, path = None, []
    if key:
        ledger = open_ledger(ctx)
        with refusals():
            history = ledger.history(kind, key)
        path = moves_of(history)
        current = history and ledger.get(kind, key).state
    if fmt == "mermaid":
        text = mermaid(kind, lang(), current, path)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            click.echo(f"wrote {output}")
        else:
            click.echo(text)
        return
    try:
        data = rendered(kind, fmt, lang(), current, path)
    except DiagramError as error:
        fail(f"diagram: {error}")
    if output:
        with open(output, "wb") as handle:
            handle.write(data)
        click.echo(f"wrote {output}")
    else:
        click.get_binary_stream("stdout").write(data)


@cli.command("list")
@click.option("--state", help="Only parcels in this state.")
@click.option("--year", type=int, help="Only parcels planned for this year.")
@click.option("--township", help="Only parcels of this township.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def list_cmd(ctx, state, year, township, as_json):
    """List parcels with their state, plan year and area.

    \b
    Example:
      minerehab list --state accepted --year 2023
    """
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


@cli.command("next")
@click.argument("parcel")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def next_cmd(ctx, parcel, as_json):
    """What may be recorded on a parcel now: triggers and facts, their roles and required fields.

    \b
    Example:
      minerehab next TL-2023-01
    """
    from workflow.handlers import allowed_now
    from workflow.specs import PARCEL_SPECS

    ledger = open_ledger(ctx)
    record = ledger.find("parcel", parcel)
    state = record.state if record else "new"
    rows = []
    for name in allowed_now(state):
        spec = PARCEL_SPECS[name]
        rows.append({"trigger": name, "kind": spec.kind, "roles": list(spec.roles) or ["any"],
                     "required": [f"{f.name}:{f.kind}" for f in spec.fields if f.required]
                     + (["reason"] if spec.reason_required else [])})
    if as_json:
        emit_json({"parcel": parcel, "state": state, "allowed": rows})
        return
    click.echo(f"{say('COLUMNS', 'parcel')} {parcel} ({say('STATES', state)})")
    table(headers("trigger", "kind", "roles", "required"),
          [[named("FACTS" if r["kind"] == "fact" else "TRIGGERS", r["trigger"]), say("COLUMNS", r["kind"]),
            ",".join(r["roles"]), " ".join(r["required"])] for r in rows])


def main() -> None:
    cli()


if __name__ == "__main__":
    main()

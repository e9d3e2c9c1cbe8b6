"""Recording: create the store (signed or trial), record commands one by one or from JSONL, what may come next, imports of county tables."""

from __future__ import annotations

import json

import click

from console import completion
from console.codes import refuse_look_alikes
from console.common import (
    Ticker,
    business_today,
    documents_of,
    emit_json,
    fail,
    lang,
    load_signer,
    open_ledger,
    parse_date,
    say,
    who,
)
from console.words import count, pick, trial
from workflow.registry import sign_with, signing_actor
from workflow.vocabulary import FACTS


@click.command()
@click.option("--admin", metavar="NAME", help="The store's first administrator, who registers everyone else.")
@click.option("--unit", metavar="ROLE", help="The administrator's unit: nrb or county_gov.")
@click.option("--pubkey", "pubkey", type=click.Path(dir_okay=False), metavar="FILE.pub",
              help="The administrator's public key (from `minerehab keygen`).")
@click.option("--on", "on", metavar="DATE",
              help="From when the administrator's key and role are valid (default: the whole record, so that "
                   "past work can be entered).")
@click.option("--unsigned", is_flag=True, help="A trial store that accepts unsigned commands (every report says so).")
@click.pass_context
def init(ctx: click.Context, admin, unit, pubkey, on, unsigned) -> None:
    """Create the store (the only command that creates one): signed, naming its first administrator, or a trial.

    \b
    Example:
      minerehab keygen --out 张玉峰.key
      minerehab init --admin 张玉峰 --unit nrb --pubkey 张玉峰.key.pub
      minerehab --store trial.db init --unsigned
    """
    from workflow.registry import found_store

    if unsigned == bool(admin or unit or pubkey) or (not unsigned and not (admin and unit and pubkey)):
        fail("init: name the first administrator (--admin NAME --unit nrb|county_gov --pubkey FILE.pub), "
             "or make a trial store with --unsigned",
             "init：请指定首位管理员（--admin 姓名 --unit nrb|county_gov --pubkey 公钥文件），或用 --unsigned 建立试用存储")
    ledger = open_ledger(ctx, create=True, signing="unsigned" if unsigned else "required")
    if not unsigned:
        found_store(ledger, admin, unit, pubkey, parse_date(on, "--on"), business_today())
        click.echo(pick(f"store ready: {ledger.store.printable}; administrator {admin} ({unit}); every command must be signed",
                        f"存储已建立：{ledger.store.printable}；管理员 {admin}（{say('ROLES', unit)}）；每条命令都须签名"))
    else:
        click.echo(pick(f"store ready: {ledger.store.printable} (UNSIGNED trial store: commands are not attributable)",
                        f"存储已建立：{ledger.store.printable}（未签名的试用存储：命令无法归属到具体责任人）"))


@click.command("do")
@click.argument("trigger", shell_complete=completion.triggers)
@click.argument("target", required=False, shell_complete=completion.parcels)
@click.option("--batch", "batch", metavar="ID", help="Target a write-off batch instead of a parcel.")
@click.option("--programme", "programme", metavar="ID", help="Target a programme.")
@click.option("--taskforce", "taskforce", metavar="ID", help="Target a task force.")
@click.option("--on", "on", required=True, metavar="DATE", help="Business date (ISO).")
@click.option("--actor", envvar="MINEREHAB_ACTOR",
              help="Who acts (env MINEREHAB_ACTOR); with --key, the key's person by default.")
@click.option("--role", envvar="MINEREHAB_ROLE", required=True, help="Role id (env MINEREHAB_ROLE).",
              shell_complete=completion.roles)
@click.option("--key", "key_path", envvar="MINEREHAB_KEY", type=click.Path(dir_okay=False), metavar="FILE",
              help="Sign with this private key (env MINEREHAB_KEY; with MINEREHAB_SIGNER, the public key).")
@click.option("--set", "sets", multiple=True, metavar="KEY=VALUE", help="A data field; repeatable.")
@click.option("--data", "data_json", metavar="JSON", help="Data fields as a JSON object.")
@click.option("--reason", help="Why.")
@click.option("--doc", "docs", multiple=True, metavar="TITLE=REF[:SHA256]", help="A document; repeatable.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
@click.pass_context
def do(ctx, trigger, target, batch, programme, taskforce, on, actor, role, key_path, sets, data_json, reason, docs,
       as_json):
    """Record one state change or fact on a parcel (or batch, programme, task force).

    \b
    Example:
      minerehab do plan TL-2023-01 --on 2023-04-01 --actor 张玉峰 --role nrb \\
          --set programme=TL-2023-2025 --set year=2023 --set mode=ecological_reconstruction \\
          --set planned_investment=120.5
      minerehab do register TL-NEW --on 2023-02-20 --role nrb --set name=采坑 --set township=托里镇 \\
          --set area_ha=1.2345 --set boundary=@TL-NEW.geojson
    """
    from workflow import boundaries, commands, fields

    named = {k: v for k, v in {"batch": batch, "programme": programme, "taskforce": taskforce}.items() if v}
    if len(named) > 1 or (named and target):
        fail("do: name one target: a parcel code, or one of --batch, --programme, --taskforce",
             "do：只能给出一个对象：图斑编号，或 --batch、--programme、--taskforce 之一")
    ledger = open_ledger(ctx)
    signer = load_signer(key_path) if key_path else None
    actor = signing_actor(ledger, signer, actor)
    kind, key = next(iter(named.items())) if named else ("parcel", target)
    if not key:
        fail("do: missing target: a parcel code, or --batch/--programme/--taskforce ID",
             "do：缺少对象：图斑编号，或 --batch/--programme/--taskforce 编号")
    data = {}
    if data_json:
        try:
            data = fields.loads(data_json)
        except json.JSONDecodeError as error:
            fail(f"--data is not valid JSON ({error.msg} at column {error.colno})",
                 f"--data 不是有效的 JSON（第 {error.colno} 列）")
        if not isinstance(data, dict):
            fail("--data must be a JSON object", "--data 必须是 JSON 对象")
    from_data = set(data)
    for item in sets:
        name, sep, value = item.partition("=")
        if not sep or not name:
            fail(f"--set {item!r} is not KEY=VALUE", f"--set {item!r} 不是 字段=值")
        if name in from_data:
            fail(f"{name} is given by both --data and --set; give it once", f"{name} 同时由 --data 和 --set 给出；只给一次")
        try:
            if name in boundaries.KINDS:  # kept as the text given; --set boundary=@p.geojson reads a file
                data[name] = boundaries.read_file(name, value[1:]) if value.startswith("@") else value
            else:
                data[name] = fields.cli_value(value)
        except fields.BadValue as error:
            fail(f"--set {name}: value is not {error}", f"--set {name}：值不是有效的 JSON")
    documents = documents_of(docs)
    command = commands.build(trigger, kind, key, actor, role, on, data, reason, documents)
    command.signer = signer
    if ledger.find(kind, key) is None:
        refuse_look_alikes(ledger.store, [(kind, key, None)])
    [outcome] = ledger.execute([command])
    if as_json:
        emit_json(outcome)
    else:
        trigger = command.do
        if lang() == "zh":
            move = "已记录" if outcome["from"] == outcome["to"] else \
                f"{say('STATES', outcome['from'])} → {say('STATES', outcome['to'])}"
            click.echo(f"{say('KINDS', kind)} {key}：{say('FACTS' if trigger in FACTS else 'TRIGGERS', trigger)} {move}"
                       f"（版本 {outcome['version']}）" + ("" if ledger.signed else trial()))
            return
        move = "recorded" if outcome["from"] == outcome["to"] else f"{outcome['from']} → {outcome['to']}"
        click.echo(f"{kind} {key}: {trigger} {move} (version {outcome['version']})"
                   + ("" if ledger.signed else " [unsigned trial store]"))


@click.command("apply")
@click.argument("file", type=click.File("rb"))
@click.option("--each", is_flag=True, help="Commit line by line and report each failure (default: all or nothing).")
@click.option("--migration", is_flag=True, help="Mark every event as migrated (backfilled history).")
@click.option("--key", "key_path", envvar="MINEREHAB_KEY", type=click.Path(dir_okay=False), metavar="FILE",
              help="Sign each unsigned line as it is applied (lines must name the key's person as actor).")
@click.option("--json", "as_json", is_flag=True, help="Print outcomes as JSON.")
@click.pass_context
def apply_cmd(ctx, file, each, migration, key_path, as_json):
    """Run the commands of a JSONL file (`-` for stdin), one per line.

    \b
    Example:
      minerehab apply examples/demo-parcel.jsonl
      cat day.jsonl | minerehab apply --each -
    """
    from policies.refusals import Refused
    from workflow.commands import read_jsonl

    ledger = open_ledger(ctx)
    commands = list(read_jsonl(file, migrated=migration))
    if not commands:
        fail(f"no commands in {file.name}", f"{file.name} 中没有命令")
    refuse_look_alikes(ledger.store, [(c.kind, c.target, c.line) for c in commands if not isinstance(c, Refused)])
    if key_path:
        commands = sign_with(ledger, load_signer(key_path), commands)
    with Ticker(len(commands), "applying") as tick:
        ledger.tick = tick
        if not each:
            outcomes = ledger.execute(commands)
    if not each:
        if as_json:
            emit_json({"applied": len(outcomes), "refused": 0, "outcomes": outcomes})
        else:
            click.echo(pick("applied ", "已执行 ") + count(len(outcomes), "command") + ("" if ledger.signed else trial()))
        return
    applied, refused = [], []
    for result in ledger.execute_each(commands):  # line by line: its own progress is the lines printed
        if isinstance(result, Refused):
            refused.append(result)
            if not as_json:
                click.echo(result.rendered(lang()), err=True)
        else:
            applied.append(result)
    if as_json:
        emit_json({"applied": len(applied), "refused": len(refused),
                   "refusals": [{"line": r.line, "message": r.message} for r in refused]})
    else:
        click.echo(pick(f"applied {count(len(applied), 'command')}, refused {len(refused)}",
                        f"已执行 {len(applied)} 条命令，拒绝 {len(refused)} 条"))
    if refused:
        ctx.exit(2)


@click.group("import")
def import_group():
    """Import the county's tables (.csv or .xlsx, English or Chinese headers).

    \b
    Example:
      minerehab import parcels examples/tuoli-2023-2025/parcels.csv --on 2023-02-20
    """


def import_options(func):
    """Who imports (--actor/--role, or the --key's person), whether it is backfilled history, the signing key."""
    for option in reversed([
        click.option("--actor", envvar="MINEREHAB_ACTOR", help="Who imports (with --key: the key's person)."),
        click.option("--role", envvar="MINEREHAB_ROLE", default="nrb", show_default=True),
        click.option("--migration", is_flag=True, help="Mark the events as migrated (backfilled history)."),
        click.option("--key", "key_path", envvar="MINEREHAB_KEY", type=click.Path(dir_okay=False), metavar="FILE",
                     help="Sign every row's command with this key (env MINEREHAB_KEY)."),
    ]):
        func = option(func)
    return func


def run_imported(ctx, make_commands, label: str, actor, role, migration: bool, key_path) -> None:
    """Commands from a county table, signed when a key is given, recorded all or nothing."""
    ledger = open_ledger(ctx)
    signer = load_signer(key_path) if key_path else None
    actor, role = who(signing_actor(ledger, signer, actor) if signer else actor, role)
    commands = make_commands(ledger, actor, role)
    refuse_look_alikes(ledger.store, [(c.kind, c.target, c.line) for c in commands])
    for command in commands:
        command.migrated = migration
    if signer is not None:
        commands = sign_with(ledger, signer, commands)
    with Ticker(len(commands), label) as tick:
        ledger.tick = tick
        outcomes = ledger.execute(commands)
    click.echo(pick("imported ", "已导入 ") + count(len(outcomes), "row") + ("" if ledger.signed else trial()))


@import_group.command("parcels")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--on", "on", metavar="DATE", help="Registration date for rows without an on (登记日期) column.")
@click.option("--county", metavar="CODE", help="County code (6 digits) the TBBH of CT parcels must carry "
              "(default: the county the store's programmes name).")
@click.option("--crs", metavar="EPSG", help="Coordinate system of a layer that names none: 4490 or a "
              "CGCS2000 3° Gauss-Krüger zone 4513..4554 (never guessed).")
@import_options
@click.pass_context
def import_parcels(ctx, file, on, county, crs, actor, role, migration, key_path):
    """Register every parcel of an inventory table or the national 图斑 layer; one bad row writes nothing.

    A layer (.shp with .prj/.cpg, .geojson, .kml) or a table under the national field names (TBBH, TBMJ in m²,
    TBSX, KZ, KCFS, GBND, …) is mapped to the project's fields; each row's boundary is kept as read.

    \b
    Example:
      minerehab import parcels 图斑清单.xlsx --on 2023-02-20 --key 张玉峰.key
      minerehab import parcels 654224_图斑.shp --on 2023-02-20
    """
    from pathlib import Path

    from workflow import layer_import
    from workflow.inventory import parcel_commands, read_table

    day = parse_date(on, "--on")
    path = Path(file)
    national = path.suffix.lower() in layer_import.LAYER_SUFFIXES or (
        path.suffix.lower() in (".csv", ".xlsx") and path.is_file()
        and layer_import.national_headers(read_table(path).headers))
    if not national:
        if county or crs:
            fail("--county and --crs apply to a layer or a table under national field names (TBBH, TBMJ, …)",
                 "--county 和 --crs 只适用于图层或使用国家字段名（TBBH、TBMJ 等）的表")
        run_imported(ctx, lambda ledger, actor, role: parcel_commands(path, actor, role, day),
                     "registering parcels", actor, role, migration, key_path)
        return
    notes = []

    def make(ledger, actor, role):
        from geometry.errors import GeometryError

        code = county
        if code is not None:
            try:
                layer_import.check_county(code)
            except GeometryError as error:
                fail(f"--county: {error.en}", f"--county：{error.zh}")
        else:
            code = layer_import.county_of(ledger.records("programme").values())
        imported = layer_import.layer_commands(path, actor, role, day, code, crs)
        if code is None:
            notes.append(("TBBH checked against the national patterns only: the store names no county "
                          "(give --county to check county codes)",
                          "图斑编号仅按国家编码规则检查：存储未载明县级行政区代码（可用 --county 指定）"))
        else:
            notes.append((f"TBBH county codes checked against {code}", f"图斑编号的县级代码已按 {code} 检查"))
        if imported.ignored:
            notes.append((f"columns not recorded (not register fields): {', '.join(imported.ignored)}",
                          f"未记录的列（非登记字段）：{'、'.join(imported.ignored)}"))
        return imported.commands

    run_imported(ctx, make, "registering parcels", actor, role, migration, key_path)
    for en, zh in notes:
        click.echo(zh if lang() == "zh" else en)


@import_group.command("plan")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--programme", required=True, metavar="ID", help="The approved programme the plan belongs to.")
@click.option("--on", "on", required=True, metavar="DATE", help="Date of the plan.")
@import_options
@click.pass_context
def import_plan(ctx, file, programme, on, actor, role, migration, key_path):
    """Plan parcels from the target decomposition table (目标分解计划表): year, code, area, investment.

    \b
    Example:
      minerehab import plan examples/tuoli-2023-2025/plan.csv --programme TL-2023-2025 --on 2023-03-01
    """
    from functools import partial
    from pathlib import Path

    from workflow.inventory import plan_commands

    day = parse_date(on, "--on")
    run_imported(ctx, lambda ledger, actor, role: plan_commands(Path(file), programme, actor, role, day,
                                                                partial(ledger.find, "parcel")),
                 "planning parcels", actor, role, migration, key_path)


@click.command()
@click.option("--writer", metavar="ROLE", help="Role that records: SELECT and INSERT only.")
@click.option("--reader", metavar="ROLE", help="Role that only reads: SELECT only.")
@click.pass_context
def grants(ctx: click.Context, writer: str | None, reader: str | None) -> None:
    """Print the SQL granting a writer and a reader role least privilege on the PostgreSQL store's schema.

    \b
    Example:
      minerehab --store 'postgresql://owner@db/province?schema=tuoli' grants --writer mr_writer --reader mr_reader | psql province
    """
    from events.grants import grants_sql
    from events.store import resolve

    store = resolve(ctx.obj["store"])
    if store.kind != "postgresql":
        fail("grants: only a PostgreSQL store has roles; name one with --store postgresql://…",
             "grants：只有 PostgreSQL 存储有角色；请用 --store postgresql://… 指定")
    if not writer and not reader:
        fail("grants: name --writer ROLE, --reader ROLE or both", "grants：请给出 --writer 角色、--reader 角色或两者")
    click.echo(grants_sql(store.postgres["schema"], writer, reader), nl=False)

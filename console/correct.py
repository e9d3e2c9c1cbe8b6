"""`minerehab correct`: put right a fact recorded wrongly (更正), by a signed event that names it."""

from __future__ import annotations

import click

from console.common import (
    cell_text,
    documents_of,
    emit_json,
    fail,
    lang,
    load_signer,
    open_ledger,
    safe,
)
from workflow.registry import signing_actor


@click.command()
@click.argument("parcel")
@click.argument("version")
@click.option("--set", "sets", multiple=True, required=True, metavar="KEY=VALUE",
              help="A field of that event and its right value; repeatable.")
@click.option("--reason", required=True, help="Why the recorded value was wrong (required).")
@click.option("--on", "on", required=True, metavar="DATE", help="Business date of the correction.")
@click.option("--actor", envvar="MINEREHAB_ACTOR",
              help="Who corrects (env MINEREHAB_ACTOR); with --key, the key's person by default.")
@click.option("--role", envvar="MINEREHAB_ROLE", required=True,
              help="Role id (env MINEREHAB_ROLE): one that may record the event corrected.")
@click.option("--key", "key_path", envvar="MINEREHAB_KEY", type=click.Path(dir_okay=False), metavar="FILE",
              help="Sign with this private key (env MINEREHAB_KEY).")
@click.option("--doc", "docs", multiple=True, metavar="TITLE=REF[:SHA256]",
              help="A document showing the right value; repeatable.")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
@click.pass_context
def correct(ctx, parcel, version, sets, reason, on, actor, role, key_path, docs, as_json):
    """Correct fields of a recorded event of a parcel (更正). The original stays in the history; views and
    the audit use the corrected values; the audit flags money or areas corrected after they were relied upon.

    \b
    Example:
      minerehab correct TL23-05 1 --set area_ha=6.1234 --on 2024-05-06 \\
          --reason "登记时小数点录入错误" --doc 核查表=docs/TL23-05-核查表.pdf --role nrb --key 张玉峰.key
    """
    from workflow import commands, fields

    digits = version.strip().translate(fields.FULL_WIDTH)
    number = int(digits) if digits.isdigit() and digits.isascii() else 0
    if number < 1:
        fail(f"correct: VERSION {version!r} is not a version number such as 3 (see `minerehab history {parcel}`)",
             f"更正：版本 {version!r} 不是版本号，例如 3（见 minerehab history {parcel}）")
    values = {}
    for item in sets:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            fail(f"--set {item!r} is not KEY=VALUE", f"--set {item!r} 不是 字段=值 的形式")
        if name.strip() in values:
            fail(f"--set {name.strip()} is given twice; give it once", f"--set {name.strip()} 给了两次；只给一次")
        try:
            values[name.strip()] = fields.cli_value(value)
        except fields.BadValue as error:
            fail(f"--set {name}: value is not {error}", f"--set {name}：值应为{error.zh}")
    documents = documents_of(docs)
    ledger = open_ledger(ctx)
    record = ledger.find("parcel", parcel)
    if record is not None and number > record.version:
        fail(f"parcel {parcel}: correct: version {number} does not exist (1–{record.version})",
             f"图斑 {parcel}：更正：不存在版本 {number}（1–{record.version}）")
    signer = load_signer(key_path) if key_path else None
    actor = signing_actor(ledger, signer, actor)
    command = commands.build("correct", "parcel", parcel, actor, role, on, {"corrects": number, "fields": values},
                             reason, documents)
    command.signer = signer
    [outcome] = ledger.execute([command])
    if as_json:
        emit_json(outcome)
        return
    record = ledger.find("parcel", parcel)
    changed = [m for m in record.corrections if m["by"] == outcome["version"]]
    said = "; ".join(f"{m['field']} {cell_text(m['was'])} → {cell_text(m['now'])}" for m in changed)
    event = changed[0]["event"] if changed else "?"
    if lang() == "zh":
        click.echo(f"图斑 {safe(parcel)}：已更正版本 {number}（{event}）：{safe(said)}（版本 {outcome['version']}）"
                   + ("" if ledger.signed else " [未签名的试用存储]"))
    else:
        click.echo(f"parcel {safe(parcel)}: corrected version {number} ({event}): {safe(said)} "
                   f"(version {outcome['version']})" + ("" if ledger.signed else " [unsigned trial store]"))

"""What may be recorded on a parcel now: each move and fact, who may record it, its fields, a command to edit.

An official at a terminal reads this instead of the reference: roles by name, every field
(required and optional) with its kind in words and its allowed values in their language, and a
`minerehab do` line with the blanks to fill in.
"""

from __future__ import annotations

import click

from console import completion
from console.codes import refuse_look_alikes
from console.common import business_today, emit_json, lang, open_ledger, safe, say
from console.words import unit


def field_row(field) -> dict:
    from workflow.vocabulary import ATTRIBUTES, field_kind, label

    return {"name": field.name, "label": label(ATTRIBUTES, field.name, lang()) if field.name in ATTRIBUTES else "",
            "kind": field_kind(field.parse, lang()) + (("，" if lang() == "zh" else ", ") + unit(field.name).strip()
                                                        if unit(field.name) else ""), "required": field.required,
            "choices": list(getattr(field.parse, "choices", ()) or ())}


def command_line(name: str, parcel: str, spec, today) -> str:
    """`minerehab do …` with the required fields left to fill in (… for each value)."""
    zh = lang() == "zh"
    parts = ["minerehab do", name, parcel, f"--on {today}", "--actor " + ("姓名" if zh else "NAME")]
    if spec.roles:
        parts.append(f"--role {spec.roles[0]}")
    parts += [f"--set {f.name}=…" for f in spec.fields if f.required]
    if spec.reason_required:
        parts.append("--reason " + ("原因" if zh else "WHY"))
    return " ".join(parts)


@click.command("next")
@click.argument("parcel", shell_complete=completion.parcels)
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def next_cmd(ctx, parcel, as_json):
    """What may be recorded on a parcel now: each move and fact, its roles, required and optional fields, a command.

    \b
    Example:
      minerehab next TL-2023-01
    """
    from workflow import lifecycle
    from workflow.handlers import allowed_now
    from workflow.specs import PARCEL_SPECS

    ledger = open_ledger(ctx)
    record = ledger.find("parcel", parcel)
    if record is None:
        refuse_look_alikes(ledger.store, [("parcel", parcel, None)])
    state = record.state if record else "new"
    today = business_today()
    rows = []
    for name in allowed_now(state):
        if name == "correct":  # not a move: any recorded event may be corrected, with its own command (below)
            continue
        spec = PARCEL_SPECS[name]
        rows.append({"trigger": name, "kind": spec.kind, "roles": list(spec.roles) or ["any"],
                     "to": lifecycle.destination(lifecycle.PARCEL, name, state) if spec.kind != "fact" else None,
                     "required": [f"{f.name}:{f.kind}" for f in spec.fields if f.required]
                     + (["reason"] if spec.reason_required else []),
                     "fields": [field_row(f) for f in spec.fields], "reason_required": spec.reason_required,
                     "command": command_line(name, safe(parcel), spec, today)})
    if as_json:
        emit_json({"parcel": parcel, "state": state, "allowed": rows})
        return
    zh = lang() == "zh"
    click.echo(f"{say('COLUMNS', 'parcel')} {safe(parcel)} ({say('STATES', state)})")
    for r in rows:
        table = "FACTS" if r["kind"] == "fact" else "TRIGGERS"
        move = f"→ {say('STATES', r['to'])}" if r["to"] else f"({say('COLUMNS', 'fact')})"
        click.echo(f"\n{r['trigger']}  {say(table, r['trigger'])}  {move}")
        roles = ("任何角色" if zh else "any role") if r["roles"] == ["any"] else \
            ("、" if zh else ", ").join(f"{say('ROLES', role)} ({role})" for role in r["roles"])
        click.echo(f"  {'角色：' if zh else 'roles: '}{roles}")
        for required, title in ((True, "必填：" if zh else "required: "), (False, "选填：" if zh else "optional: ")):
            fields = [f for f in r["fields"] if f["required"] is required]
            if fields:
                click.echo(f"  {title}" + ("；" if zh else "; ").join(
                    f"{f['name']}" + (f" {f['label']}" if zh and f["label"] else "")
                    + (f"（{f['kind']}）" if zh else f" ({f['kind']})") for f in fields))
        if r["reason_required"]:
            click.echo("  " + ("须说明原因（--reason）" if zh else "a reason is required (--reason)"))
        click.echo(f"  $ {r['command']}")
    if record is not None:
        click.echo("\n" + ("更正已记录事件的字段（原记录保留在履历中）：" if zh else
                            "to correct a field of a recorded event (the original stays in the history):"))
        click.echo(f"  $ minerehab correct {safe(parcel)} {'版本' if zh else 'VERSION'} --set "
                   f"{'字段=值' if zh else 'FIELD=VALUE'} --reason {'原因' if zh else 'WHY'} --on {today}")

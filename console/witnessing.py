"""`minerehab witness`: the witnesses' cosignatures of this log's checkpoints, recorded in the ledger (见证).

A cosigned checkpoint is evidence kept outside the county; recording its cosignatures puts into the
ledger itself who has witnessed which history, so that `verify` names a later rewrite by witness and size.
"""

from __future__ import annotations

import base64
from datetime import datetime, timezone

import click

from console.common import (
    business_today,
    emit_json,
    fail,
    headers,
    lang,
    load_signer,
    open_ledger,
    parse_date,
    safe,
    say,
    table,
)
from console.words import pick, trial
from workflow.registry import signing_actor


@click.group()
def witness():
    """Witnesses' cosignatures (见证) of this log's checkpoints, recorded in the ledger: who witnessed what.

    \b
    Example:
      minerehab witness record 2024-12-31.checkpoint --vkey county.key.vkey --witness 审计局.key.vkey --role nrb
      minerehab witness list
    """


def cosigned_time(seconds: int) -> str:
    """A cosignature's time (Unix seconds, as the witness wrote it) in UTC."""
    try:
        return datetime.fromtimestamp(seconds, timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    except (OverflowError, OSError, ValueError):
        return str(seconds)


@witness.command("record")
@click.argument("checkpoint_path", metavar="CHECKPOINT", type=click.Path(dir_okay=False))
@click.option("--vkey", "vkey_paths", multiple=True, required=True, type=click.Path(dir_okay=False),
              metavar="LOG.vkey", help="The log's verifier key: the checkpoint's own signature is checked first.")
@click.option("--witness", "witness_paths", multiple=True, required=True, type=click.Path(dir_okay=False),
              metavar="W.vkey", help="A witness whose cosignature to record (repeatable; Ed25519 only).")
@click.option("--on", "on", metavar="DATE", help="Business date of the record (default today).")
@click.option("--reason", help="Why it is recorded (e.g. the year-end audit).")
@click.option("--actor", envvar="MINEREHAB_ACTOR",
              help="Who records it (env MINEREHAB_ACTOR); with --key, the key's person by default.")
@click.option("--role", envvar="MINEREHAB_ROLE", required=True, help="The recorder's role id (env MINEREHAB_ROLE).")
@click.option("--key", "key_path", envvar="MINEREHAB_KEY", type=click.Path(dir_okay=False), metavar="FILE",
              help="Sign with this private key (env MINEREHAB_KEY).")
@click.option("--json", "as_json", is_flag=True, help="Print the outcome as JSON.")
@click.pass_context
def witness_record(ctx, checkpoint_path, vkey_paths, witness_paths, on, reason, actor, role, key_path, as_json):
    """Record in the ledger the cosignatures of a cosigned checkpoint, each checked first: the log's signature,
    every witness's line, and that its root is this log's root at its size (another history: exit 1).

    \b
    Example:
      minerehab witness record 2024-12-31.checkpoint --vkey county.key.vkey --witness 审计局.key.vkey \\
          --witness jiwei.key.vkey --role nrb --key 张玉峰.key
    """
    from events import tlog
    from events import witness as witnesses
    from workflow.commands import build

    signed = tlog.read(checkpoint_path)
    if not isinstance(signed, tlog.Signed):
        fail(f"{checkpoint_path}: a first-release JSON checkpoint carries no cosignatures",
             f"{checkpoint_path}：旧版 JSON 检查点没有联署")
    logs = tlog.load_keys(vkey_paths, signed)
    given = [tlog.load_verifier(p) for p in witness_paths]
    found = witnesses.cosignatures(signed.text, logs, given)
    day = parse_date(on, "--on") or business_today()
    ledger = open_ledger(ctx)
    signer = load_signer(key_path) if key_path else None
    actor = signing_actor(ledger, signer, actor)
    held = ledger.find("witnessing", signed.checkpoint.origin)
    fresh, known = [], []
    for c in found:
        data = c.data()
        (known if held and held.holds(c.witness, data["key_id"], c.size, data["root"]) else fresh).append(c)
    commands = []
    for c in fresh:
        command = build("record_cosignature", "witnessing", c.origin, actor, role, day, c.data(), reason)
        command.signer = signer
        commands.append(command)
    outcomes = ledger.execute(commands) if commands else []
    if as_json:
        emit_json({"origin": signed.checkpoint.origin, "size": signed.size,
                   "recorded": [{"witness": c.witness, "version": o["version"]} for c, o in zip(fresh, outcomes)],
                   "already_recorded": [c.witness for c in known]})
        return
    for c, outcome in zip(fresh, outcomes):
        click.echo(pick(f"recorded witness {safe(c.witness)}'s cosignature of {c.origin} at {c.size} events "
                        f"(cosigned {cosigned_time(c.timestamp)}), version {outcome['version']}",
                        f"已记录见证方 {safe(c.witness)} 对 {c.origin} 前 {c.size} 条事件的联署"
                        f"（联署于 {cosigned_time(c.timestamp)}），版本 {outcome['version']}")
                   + ("" if ledger.signed else trial()))
    for c in known:
        click.echo(pick(f"already recorded: witness {safe(c.witness)}'s cosignature of {c.size} events",
                        f"此前已记录：见证方 {safe(c.witness)} 对 {c.size} 条事件的联署"))


@witness.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print the cosignatures as JSON.")
@click.pass_context
def witness_list(ctx, as_json):
    """Who has witnessed which tree sizes of this log, largest first, with who recorded it and when.

    \b
    Example:
      minerehab witness list --json
    """
    ledger = open_ledger(ctx)
    record = ledger.find("witnessing", ledger.origin)
    rows = record.summary()["cosignatures"] if record else []
    if as_json:
        emit_json([{"origin": ledger.origin, **{k: v for k, v in c.items()}} for c in rows])
        return
    if not rows:
        click.echo(pick(f"no cosignature of {ledger.origin} is recorded (`minerehab witness record`)",
                        f"尚未记录 {ledger.origin} 的任何见证联署（`minerehab witness record`）"))
        return
    table(headers("tree size", "witness", "cosigned at", "root", "recorded by", "on"),  # the root as `verify` prints it
          [[c["size"], c["witness"], cosigned_time(c["cosigned_at"]), base64.b64decode(c["root"]).hex()[:16] + "…",
            f"{c['actor']}（{say('ROLES', c['role'])}）" if lang() == "zh" else f"{c['actor']} ({c['role']})", c["on"]]
           for c in rows])

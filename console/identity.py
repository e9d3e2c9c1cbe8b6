"""People and keys: key pairs, the registry of persons, and signing JSONL files for `apply`."""

from __future__ import annotations

import json
import os

import click

from console.common import (
    business_today,
    emit_json,
    fail,
    headers,
    load_signer,
    open_ledger,
    parse_date,
    say,
    table,
)
from console.words import pick


@click.command()
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False),
              help="Private key file; FILE.pub and FILE.vkey are written beside it.")
@click.option("--algorithm", type=click.Choice(["ed25519", "sm2"]), default="ed25519", show_default=True,
              help="sm2: the 国密 profile (SM2 with SM3).")
@click.option("--name", metavar="ORIGIN", help="Name in the signed-note verifier key (default: the file's name).")
@click.option("--force", is_flag=True, help="Replace an existing key pair (the old private key is lost).")
@click.pass_context
def keygen(ctx, out, algorithm, name, force):
    """Write a key pair: FILE (private, mode 0600, encrypted with MINEREHAB_KEY_PASSPHRASE if set), FILE.pub, FILE.vkey.

    \b
    Example:
      minerehab keygen --out 张玉峰.key
      minerehab keygen --out auditor.key --algorithm sm2
    """
    from pathlib import Path

    from events import keys

    passphrase = os.environ.get("MINEREHAB_KEY_PASSPHRASE")
    key = keys.generate(algorithm)
    private, public, vkey = keys.write_keypair(Path(out), key, passphrase.encode() if passphrase else None,
                                               force=force, name=name, store=ctx.obj["store"])
    click.echo(pick(f"wrote {private} (keep it secret), {public} and {vkey}; fingerprint {key.public.fingerprint}",
                    f"已写入 {private}（私钥，请妥善保密）、{public} 和 {vkey}；指纹 {key.public.fingerprint}"))


@click.group()
def person():
    """The registry of people: who may sign, in which roles, with which keys.

    \b
    Example:
      minerehab person add 张志坚 --unit finance --role finance --pubkey 张志坚.key.pub --on 2023-01-05 --key 张玉峰.key
      minerehab person list
    """


def _admin_command(ctx, trigger, name, on, key_path, data, reason=None):
    from workflow.commands import build
    from workflow.registry import signing_actor

    ledger = open_ledger(ctx)
    signer = load_signer(key_path)
    actor = signing_actor(ledger, signer, None)
    admin = next(iter(sorted(r for r in ("nrb", "county_gov") if ledger.get("person", actor).holds(r, on))), "nrb")
    command = build(trigger, "person", name, actor, admin, on, data, reason)
    command.signer = signer
    [outcome] = ledger.execute([command])
    click.echo(pick(f"person {name}: {trigger} by {actor} ({admin}), version {outcome['version']}",
                    f"人员 {name}：{say('TRIGGERS', trigger) or trigger}，经办 {actor}（{say('ROLES', admin)}），"
                    f"版本 {outcome['version']}"))


@person.command("add")
@click.argument("name")
@click.option("--unit", required=True, metavar="ROLE", help="The person's unit, a role id such as finance.")
@click.option("--role", "roles", required=True, metavar="ROLE[,ROLE…]", help="Roles granted.")
@click.option("--pubkey", required=True, type=click.Path(dir_okay=False), metavar="FILE.pub", help="Their public key.")
@click.option("--on", "on", metavar="DATE", help="From when (default today).")
@click.option("--key", "key_path", envvar="MINEREHAB_KEY", required=True, type=click.Path(dir_okay=False),
              metavar="ADMIN_KEY", help="The administrator's key (env MINEREHAB_KEY).")
@click.pass_context
def person_add(ctx, name, unit, roles, pubkey, on, key_path):
    """Register a person with their unit, roles and public key (an administrator signs it).

    \b
    Example:
      minerehab person add 张志坚 --unit finance --role finance --pubkey 张志坚.key.pub --on 2023-01-05 --key 张玉峰.key
    """
    from events.keys import load_public
    from workflow.registry import public_entry

    day = parse_date(on, "--on") or business_today()
    _admin_command(ctx, "add_person", name, day, key_path,
                   {"unit": unit, "roles": roles, "public_key": public_entry(load_public(pubkey))})


@person.command("revoke")
@click.argument("name")
@click.option("--on", "on", metavar="DATE", help="From when the person may no longer sign (default today).")
@click.option("--reason", default="revoked", show_default=True, help="Why.")
@click.option("--key", "key_path", envvar="MINEREHAB_KEY", required=True, type=click.Path(dir_okay=False),
              metavar="ADMIN_KEY", help="The administrator's key (env MINEREHAB_KEY).")
@click.pass_context
def person_revoke(ctx, name, on, reason, key_path):
    """Revoke a person: from that business date their keys sign nothing and their roles end.

    \b
    Example:
      minerehab person revoke 王五 --on 2024-06-30 --reason 调离 --key 张玉峰.key
    """
    _admin_command(ctx, "revoke_person", name, parse_date(on, "--on") or business_today(), key_path, {}, reason)


@person.command("list")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def person_list(ctx, as_json):
    """Every registered person with unit, roles, keys and revocation.

    \b
    Example:
      minerehab person list --json
    """
    ledger = open_ledger(ctx)
    rows = [p.summary() for p in sorted(ledger.each("person"), key=lambda p: p.key)]
    if as_json:
        emit_json(rows)
        return
    table(headers("person", "unit", "roles", "keys", "state"),
          [[r["person"], say("ROLES", r["unit"]), ",".join(r["roles"]), " ".join(k["fingerprint"] for k in r["keys"]),
            say("STATES", r["state"]) + (f" {r['revoked_on']}" if r["revoked_on"] else "")] for r in rows])


@person.command("show")
@click.argument("name")
@click.option("--on", "on", metavar="DATE", help="Roles and keys valid on this business date.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def person_show(ctx, name, on, as_json):
    """One person: unit, roles and keys, with what was valid on a date.

    \b
    Example:
      minerehab person show 张志坚 --on 2024-01-01
    """
    ledger = open_ledger(ctx)
    found = ledger.find("person", name)
    if found is None:
        fail(f"person {name}: not registered", f"人员 {name}：未登记")
    summary = found.summary()
    day = parse_date(on, "--on")
    if day:
        summary["on"] = day
        summary["roles"] = {r: s for r, s in summary["roles"].items() if found.holds(r, day)}
        summary["keys"] = [k for k in summary["keys"] if k["valid_from"] <= day
                           and (k["valid_until"] is None or day < k["valid_until"])]
    if as_json:
        emit_json(summary)
        return
    for field, value in summary.items():
        click.echo(f"{field:<12} {value}")


@click.command()
@click.argument("file", type=click.File("rb"))
@click.option("--key", "key_path", envvar="MINEREHAB_KEY", required=True, type=click.Path(dir_okay=False),
              metavar="FILE", help="Your private key (env MINEREHAB_KEY).")
@click.pass_context
def sign(ctx, file, key_path):
    """Sign every line of a JSONL file for this store; print the signed lines (apply them with `minerehab apply`).

    \b
    Example:
      minerehab sign day.jsonl --key 张玉峰.key > day.signed.jsonl
      minerehab apply day.signed.jsonl
    """
    from policies.refusals import Refused
    from workflow import fields
    from workflow.commands import decoded, from_json, to_jsonl
    from workflow.registry import signed_lines

    lines = []
    for number, raw in enumerate(file, start=1):
        raw = decoded(raw, number)
        if not raw.strip():
            continue
        try:
            obj = fields.loads(raw)
        except json.JSONDecodeError as error:
            raise Refused(f"not valid JSON ({error.msg} at column {error.colno})", number) from None
        lines.append((obj, from_json(obj, number)))
    ledger = open_ledger(ctx)
    for line in signed_lines(ledger, load_signer(key_path), lines):
        click.echo(to_jsonl(line))

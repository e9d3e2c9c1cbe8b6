"""Tamper evidence: keys, signed checkpoints, verification, proofs, and copies between stores."""

from __future__ import annotations

import json
import sys

import click

from console.common import Ticker, emit_json, fail, open_ledger


@click.command()
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

    from events import files

    def text(signed):
        return json.dumps(signed, ensure_ascii=False, indent=2) + "\n"

    if out:
        files.check(out, store=ctx.obj["store"], reads=[key_path])
    key = checkpoints.load_private(key_path)
    ledger = open_ledger(ctx)
    keep = (lambda s: files.write(out, text(s), store=ctx.obj["store"], reads=[key_path])) if out else None
    signed = checkpoints.sign_log(ledger.raw, key, keep)
    if out:
        click.echo(f"wrote {out}: {signed['tree_size']} events, root {signed['root']}")
    else:
        click.echo(text(signed), nl=False)


@click.command()
@click.option("--checkpoint", "checkpoint_path", type=click.Path(dir_okay=False), help="A checkpoint kept outside the store.")
@click.option("--pubkey", "pubkey_path", type=click.Path(dir_okay=False), help="The public key that signed it.")
@click.option("--documents", "documents", type=click.Path(file_okay=False), help="Recheck document files against their sha256.")
@click.option("--unsigned-ok", "unsigned_ok", is_flag=True,
              help="Accept a --checkpoint whose signature is not checked (no --pubkey): exit 0 if all else is sound.")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def verify(ctx, checkpoint_path, pubkey_path, documents, unsigned_ok, as_json):
    """Recompute every hash chain, check every signature against the registry (and a checkpoint); exit 1 on tampering.

    \b
    Example:
      minerehab verify --checkpoint 2024-12-31.checkpoint.json --pubkey auditor.key.pub
    """
    from pathlib import Path

    from events import checkpoint as checkpoints
    from events.verify import verify as check
    from events.verify import verify_documents
    from workflow import attestation

    signed = checkpoints.read(checkpoint_path) if checkpoint_path else None
    public = checkpoints.load_public(pubkey_path) if pubkey_path else None
    if public is not None and signed is None:
        fail("--pubkey needs --checkpoint")
    ledger = open_ledger(ctx)
    with Ticker(ledger.recorder.max_notification_id() or 0, "verifying") as tick:
        report = check(ledger.raw, signed, public, tick=tick)
    with Ticker(ledger.recorder.max_notification_id() or 0, "checking signatures") as tick:
        signatures, problems = attestation.check(ledger, tick=tick)
    report.problems += problems
    if documents:
        report.problems += verify_documents(ledger, ledger.raw.keys(), Path(documents))
    unchecked = signed is not None and public is None  # anyone can write a checkpoint: unsigned, it proves nothing
    if as_json:
        emit_json({"ok": report.ok, "events": report.events, "aggregates": report.aggregates,
                   "signed": ledger.signed, "signatures_checked": signatures,
                   "checkpoint_signature_checked": None if signed is None else not unchecked,
                   "tree_size": report.tree_size, "root": report.root.hex(),
                   "problems": [vars(p) for p in report.problems]})
    else:
        for problem in report.problems:
            click.echo(str(problem))
        verdict = "ok" if report.ok else f"TAMPERED: {len(report.problems)} problems"
        click.echo(f"{verdict}: {report.events} events in {report.aggregates} aggregates; tree size {report.tree_size}, "
                   f"root {report.root.hex()}"
                   + ("; checkpoint's root checked but NOT its signature (give --pubkey)" if unchecked
                      else "; checkpoint checked" if signed else "")
                   + (f"; {signatures} signatures checked" if ledger.signed else "; UNSIGNED store: nobody is accountable"))
    if not report.ok or (unchecked and not unsigned_ok):
        ctx.exit(1)


@click.command()
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
    from events.proofs import inclusion

    signed = checkpoints.read(checkpoint_path)
    ledger = open_ledger(ctx)
    emit_json(inclusion(ledger, kind, parcel, version, signed))


@click.command("check-proof")
@click.argument("proof_file", type=click.Path(dir_okay=False))
@click.option("--pubkey", "pubkey_path", type=click.Path(dir_okay=False), help="Also check the checkpoint's signature.")
def check_proof(proof_file, pubkey_path):
    """Check an inclusion proof on its own: event bytes → chain hash → Merkle path → signed root.

    \b
    Example:
      minerehab check-proof TL23-01-v14.proof.json --pubkey auditor.key.pub
    """
    from events import checkpoint as checkpoints
    from events.proofs import check_inclusion, read

    proof = read(proof_file)
    public = checkpoints.load_public(pubkey_path) if pubkey_path else None
    problems = check_inclusion(proof, public)
    if problems:
        for problem in problems:
            click.echo(f"INVALID: {problem}")
        sys.exit(1)
    click.echo(f"valid: {proof['aggregate']} version {proof['version']} is leaf {proof['leaf_index']} of "
               f"{proof['checkpoint']['tree_size']} under root {proof['checkpoint']['root']}"
               + (" (signature checked)" if public else ""))


@click.command()
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

    first, second = checkpoints.read(old), checkpoints.read(new)
    public = checkpoints.load_public(pubkey_path) if pubkey_path else None
    ledger = open_ledger(ctx)
    result = prove_consistency(ledger, first, second, public)
    emit_json(result)
    if not result["consistent"]:
        ctx.exit(1)


@click.command()
@click.option("--from", "source", required=True, metavar="URL", help="The store to copy.")
@click.option("--to", "target", required=True, metavar="URL", help="An empty store (created if it does not exist).")
def copy(source, target):
    """Copy the whole log between stores (SQLite ⇄ PostgreSQL), keeping ids, versions, times and hashes; then verify.

    \b
    Example:
      minerehab copy --from county.db --to postgresql://mr@db.example/province?schema=tuoli
    """
    from workflow.ledger import copy_store

    count, report = copy_store(source, target, Ticker)
    for problem in report.problems:
        click.echo(str(problem))
    click.echo(f"copied {count} events; target verifies: {'ok' if report.ok else 'NO'}; root {report.root.hex()}")
    if not report.ok:
        sys.exit(1)

"""Tamper evidence: keys, signed checkpoints, verification, proofs, and copies between stores."""

from __future__ import annotations

import json
import sys

import click

from console.common import Ticker, emit_json, fail, open_ledger
from console.words import pick, said


@click.command()
@click.option("--key", "key_path", required=True, type=click.Path(dir_okay=False),
              help="The log's private key (Ed25519 or SM2); it signs under the name in FILE.vkey.")
@click.option("--out", "out", type=click.Path(dir_okay=False), help="Write the checkpoint here (default: stdout).")
@click.option("--format", "fmt", type=click.Choice(["note", "json"]), default="note", show_default=True,
              help="note: a C2SP tlog-checkpoint signed note; json: the first release's form (Ed25519 only).")
@click.pass_context
def checkpoint(ctx, key_path, out, fmt):
    """Sign the log's Merkle root as a C2SP checkpoint; keep it outside the store, have witnesses cosign it.

    \b
    Example:
      minerehab checkpoint --key county.key --out 2024-12-31.checkpoint
    """
    from events import files

    if out:
        files.check(out, store=ctx.obj["store"], reads=[key_path])
    if fmt == "json":
        from events import checkpoint as checkpoints

        def text(signed):
            return json.dumps(signed, ensure_ascii=False, indent=2) + "\n"

        key = checkpoints.load_private(key_path)
        ledger = open_ledger(ctx)
        keep = (lambda s: files.write(out, text(s), store=ctx.obj["store"], reads=[key_path])) if out else None
        signed = checkpoints.sign_log(ledger.raw, key, keep)
        if out:
            click.echo(pick(f"wrote {out}: {signed['tree_size']} events, root {signed['root']}",
                            f"已写入 {out}：{signed['tree_size']} 条事件，根 {signed['root']}"))
        else:
            click.echo(text(signed), nl=False)
        return
    from console.common import load_signer
    from events import tlog

    signer = load_signer(key_path)
    name = tlog.key_name(key_path, signer.public)
    ledger = open_ledger(ctx)
    keep = (lambda t: files.write(out, t, store=ctx.obj["store"], reads=[key_path])) if out else None
    signed = tlog.sign_log(ledger.raw, signer, name, keep)
    if out:
        click.echo(pick(f"wrote {out}: {signed.size} events of {signed.checkpoint.origin}, signed by {name} "
                        f"({signer.public.algorithm})",
                        f"已写入 {out}：{signed.checkpoint.origin} 的 {signed.size} 条事件，由 {name} 签名"
                        f"（{signer.public.algorithm}）"))
    else:
        click.echo(signed.text, nl=False)


def _note_keys(signed, vkey_paths, pubkey_path):
    """The log's verifiers for a note checkpoint: --vkey files, or --pubkey matched by key id."""
    from events import tlog

    paths = list(vkey_paths) + ([pubkey_path] if pubkey_path else [])
    return tlog.load_keys(paths, signed)


@click.command()
@click.option("--checkpoint", "checkpoint_path", type=click.Path(dir_okay=False), help="A checkpoint kept outside the store.")
@click.option("--vkey", "vkey_paths", multiple=True, type=click.Path(dir_okay=False), metavar="FILE.vkey",
              help="The log's verifier key (repeatable).")
@click.option("--pubkey", "pubkey_path", type=click.Path(dir_okay=False), help="The public key that signed it.")
@click.option("--witness", "witness_paths", multiple=True, type=click.Path(dir_okay=False), metavar="W.vkey",
              help="A witness's verifier key (repeatable).")
@click.option("--quorum", type=click.IntRange(min=0), help="How many of the --witness keys must have cosigned "
              "(default: all given).")
@click.option("--documents", "documents", type=click.Path(file_okay=False), help="Recheck document files against their sha256.")
@click.option("--unsigned-ok", "unsigned_ok", is_flag=True,
              help="Accept a --checkpoint whose signature is not checked (no --pubkey): exit 0 if all else is sound.")
@click.option("--json", "as_json", is_flag=True)
@click.option("--jobs", type=click.IntRange(min=1),
              help="Processes that check the log side by side (default: one per core, at most 4, for a large log; "
                   "1 for one process).")
@click.pass_context
def verify(ctx, checkpoint_path, vkey_paths, pubkey_path, witness_paths, quorum, documents, unsigned_ok, as_json, jobs):
    """Recompute every hash chain, check every signature against the registry (and a checkpoint); exit 1 on tampering.

    \b
    Example:
      minerehab verify --checkpoint 2024-12-31.checkpoint --vkey county.key.vkey
      minerehab verify --checkpoint 2024-12-31.checkpoint --vkey county.key.vkey \\
          --witness audit.key.vkey --witness jiwei.key.vkey --quorum 2
    """
    from pathlib import Path

    from events import checkpoint as checkpoints
    from events import tlog, witness
    from events.errors import zh_of
    from events.note import NoteError
    from events.problems import Problem
    from events.verify import verify as check
    from events.verify import verify_documents
    from workflow import attestation, witnessing

    signed = tlog.read(checkpoint_path) if checkpoint_path else None
    if (pubkey_path or vkey_paths or witness_paths or quorum is not None) and signed is None:
        fail("--pubkey, --vkey, --witness and --quorum need --checkpoint",
             "--pubkey、--vkey、--witness 和 --quorum 需要 --checkpoint")
    note_problems, checked, cosigners = [], False, []
    public = None
    if isinstance(signed, tlog.Signed):
        subject = f"checkpoint {signed.size}"
        logs = _note_keys(signed, vkey_paths, pubkey_path)
        if vkey_paths or pubkey_path:
            names, problem = tlog.log_signers(signed, logs)
            checked = True
            if problem:
                note_problems.append(Problem("signature", subject, None, problem, zh_of(problem)))
        if witness_paths or quorum:
            wanted = len(witness_paths) if quorum is None else quorum
            try:
                cosigners = witness.check_quorum(signed.note, [tlog.load_verifier(p) for p in witness_paths], wanted)
            except NoteError as error:
                note_problems.append(Problem("witness", subject, None, str(error), error.zh))
        record = tlog.as_record(signed)
    else:
        if vkey_paths or witness_paths:
            fail("--vkey and --witness need a C2SP checkpoint; the first release's JSON checkpoint takes --pubkey",
                 "--vkey 和 --witness 需要 C2SP 检查点；旧版 JSON 检查点请用 --pubkey")
        public = checkpoints.load_public(pubkey_path) if pubkey_path else None
        checked = public is not None
        record = signed
    ledger = open_ledger(ctx)
    with ledger.raw.snapshot():  # events, chain and signatures as of one instant, while writers go on
        # each event is counted twice: in its chain and in its place in the log
        with Ticker(2 * (ledger.recorder.max_notification_id() or 0), "verifying") as tick:
            report = check(ledger.raw, record, public, tick=tick, witnessed=witnessing.claims(ledger.raw), owner=ledger,
                           jobs=jobs)
        report.problems += note_problems
        with Ticker(report.tree_size, "checking signatures") as tick:
            signatures, problems = attestation.check(ledger, tick=tick, jobs=jobs)
    report.problems += problems
    if documents:
        report.problems += verify_documents(ledger, ledger.raw.keys(), Path(documents))
    unchecked = signed is not None and not checked  # anyone can write a checkpoint: unsigned, it proves nothing
    if as_json:
        emit_json({"ok": report.ok, "events": report.events, "aggregates": report.aggregates,
                   "signed": ledger.signed, "signatures_checked": signatures,
                   "checkpoint_signature_checked": None if signed is None else not unchecked,
                   "checkpoint_format": None if signed is None else ("c2sp" if isinstance(signed, tlog.Signed) else "json"),
                   "cosigned_by": cosigners,
                   "witnessed": [{"witness": c.witness, "size": c.size} for c in report.witnessed],
                   "tree_size": report.tree_size, "root": report.root.hex(),
                   "problems": [vars(p) for p in report.problems]})
    else:
        for problem in report.problems:
            click.echo(said(problem))
        witnesses = list(dict.fromkeys(f"{c.witness}@{c.size}" for c in report.witnessed))
        n, root = len(report.problems), report.root.hex()
        parts = [pick(f"{'ok' if report.ok else f'TAMPERED: {n} problem' + ('' if n == 1 else 's')}: {report.events} "
                      f"events in {report.aggregates} aggregates; tree size {report.tree_size}, root {root}",
                      f"{'完好' if report.ok else f'已被篡改：{n} 处问题'}：{report.aggregates} 个对象的 {report.events} "
                      f"条事件；树大小 {report.tree_size}，根 {root}")]
        if unchecked:
            parts.append(pick("; checkpoint's root checked but NOT its signature (give --vkey or --pubkey)",
                              "；已核对检查点的根，但未核对其签名（请给出 --vkey 或 --pubkey）"))
        elif signed:
            parts.append(pick("; checkpoint checked", "；已核对检查点"))
        if cosigners:
            parts.append(pick(f" (cosigned by {', '.join(cosigners)})", f"（联署方：{'、'.join(cosigners)}）"))
        if report.witnessed:
            k = len(report.witnessed)
            parts.append(pick(f"; {k} recorded cosignature{'' if k == 1 else 's'} rechecked ({', '.join(witnesses)})",
                              f"；已复核 {k} 个已记录的见证联署（{'、'.join(witnesses)}）"))
        parts.append(pick(f"; {signatures} signatures checked", f"；已核对 {signatures} 个签名") if ledger.signed
                     else pick("; UNSIGNED store: nobody is accountable", "；未签名存储：无人对记录负责"))
        click.echo("".join(parts))
    if not report.ok or (unchecked and not unsigned_ok):
        ctx.exit(1)


@click.command()
@click.argument("parcel")
@click.argument("version", type=click.IntRange(min=1))
@click.option("--checkpoint", "checkpoint_path", required=True, type=click.Path(dir_okay=False))
@click.option("--kind", default="parcel", type=click.Choice(["parcel", "batch", "programme", "taskforce"]))
@click.pass_context
def prove(ctx, parcel, version, checkpoint_path, kind):
    """Print a receipt of one event under a checkpoint (c2sp.org/tlog-proof@v1 carrying the event);
    `check-proof` checks it without the store.

    \b
    Example:
      minerehab prove TL23-01 14 --checkpoint 2024-12-31.checkpoint > TL23-01-v14.tlog-proof
    """
    from events import tlog
    from events.proofs import inclusion

    signed = tlog.read(checkpoint_path)
    ledger = open_ledger(ctx)
    if isinstance(signed, tlog.Signed):
        click.echo(tlog.prove(ledger.raw, kind, parcel, version, signed), nl=False)
        return
    emit_json(inclusion(ledger, kind, parcel, version, signed))


@click.command("check-proof")
@click.argument("proof_file", type=click.Path(dir_okay=False))
@click.option("--vkey", "vkey_paths", multiple=True, type=click.Path(dir_okay=False), metavar="FILE.vkey",
              help="The log's verifier key (repeatable).")
@click.option("--pubkey", "pubkey_path", type=click.Path(dir_okay=False), help="Also check the checkpoint's signature.")
@click.option("--witness", "witness_paths", multiple=True, type=click.Path(dir_okay=False), metavar="W.vkey",
              help="A witness's verifier key (repeatable).")
@click.option("--quorum", type=click.IntRange(min=0), help="Witness cosignatures required (default: all given).")
def check_proof(proof_file, vkey_paths, pubkey_path, witness_paths, quorum):
    """Check a receipt on its own: event bytes → chain hash → Merkle path → signed (and cosigned) root.

    \b
    Example:
      minerehab check-proof TL23-01-v14.tlog-proof --vkey county.key.vkey
    """
    from events import checkpoint as checkpoints
    from events import tlog, tlogproof
    from events.proofs import check_inclusion, read

    data = tlog._read_bytes(proof_file, "proof")
    if data.startswith(tlogproof.HEADER.encode()) or (data.strip() and data.lstrip()[:1] != b"{"):
        _check_receipt(proof_file, data, vkey_paths, pubkey_path, witness_paths, quorum)
        return
    if vkey_paths or witness_paths:
        fail("--vkey and --witness need a c2sp.org/tlog-proof; the first release's JSON proof takes --pubkey",
             "--vkey 和 --witness 需要 c2sp.org/tlog-proof；旧版 JSON 证明请用 --pubkey")
    proof = read(proof_file)
    public = checkpoints.load_public(pubkey_path) if pubkey_path else None
    problems = check_inclusion(proof, public)
    if problems:
        for problem in problems:
            click.echo(pick("INVALID: ", "无效：") + said(problem))
        sys.exit(1)
    c = proof["checkpoint"]
    click.echo(pick(f"valid: {proof['aggregate']} version {proof['version']} is leaf {proof['leaf_index']} of "
                    f"{c['tree_size']} under root {c['root']}" + (" (signature checked)" if public else ""),
                    f"有效：{proof['aggregate']} 的版本 {proof['version']} 是根为 {c['root']} 的 {c['tree_size']} "
                    f"个叶子中的第 {proof['leaf_index']} 个" + ("（已核对签名）" if public else "")))


def _check_receipt(proof_file, data, vkey_paths, pubkey_path, witness_paths, quorum):
    from events import tlog, tlogproof
    from events.note import NoteError

    try:
        text = data.decode("utf-8")
        parsed = tlogproof.parse(text)
        signed = tlog.Signed(parsed.note_text, parsed.note, parsed.checkpoint)
    except (UnicodeDecodeError, NoteError) as error:
        fail(f"{proof_file}: not a c2sp.org/tlog-proof ({error})", f"{proof_file}：不是 c2sp.org/tlog-proof（{getattr(error, 'zh', '不是 UTF-8 文本')}）")
    if not (vkey_paths or pubkey_path):
        fail("give --vkey FILE.vkey: a receipt proves nothing without the log's key",
             "请给出 --vkey FILE.vkey：没有日志公钥，回执什么也证明不了")
    logs = _note_keys(signed, vkey_paths, pubkey_path)
    witnesses = [tlog.load_verifier(p) for p in witness_paths]
    wanted = len(witnesses) if quorum is None else quorum
    try:
        entry, signers, cosigners = tlog.check_receipt(text, logs, witnesses, wanted)
    except (NoteError, ValueError) as error:
        click.echo(pick(f"INVALID: {proof_file}: ", f"无效：{proof_file}：") + said(error))
        sys.exit(1)
    c = parsed.checkpoint
    click.echo(pick(f"valid: {entry.subject} version {entry.version} is leaf {parsed.index} of {c.size} "
                    f"in {c.origin}; signed by {', '.join(signers)}"
                    + (f"; cosigned by {', '.join(cosigners)}" if cosigners else ""),
                    f"有效：{entry.subject} 的版本 {entry.version} 是 {c.origin} 的 {c.size} 个叶子中的第 "
                    f"{parsed.index} 个；由 {'、'.join(signers)} 签名" + (f"；由 {'、'.join(cosigners)} 联署" if cosigners else "")))


@click.command()
@click.argument("checkpoint_path", metavar="CHECKPOINT", type=click.Path(dir_okay=False, exists=False))
@click.option("--key", "key_path", required=True, type=click.Path(dir_okay=False), metavar="WITNESS_KEY",
              help="The witness's Ed25519 private key; it cosigns under the name in WITNESS_KEY.vkey.")
@click.option("--state", "state_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="The witness's record of what it cosigned (default: WITNESS_KEY.state).")
@click.option("--proof", "proof_path", type=click.Path(dir_okay=False), metavar="FILE",
              help="Consistency proof from the last checkpoint cosigned (`minerehab consistency OLD NEW` output); "
                   "without it the proof is computed from the store, if one is given.")
@click.option("--vkey", "vkey_paths", multiple=True, type=click.Path(dir_okay=False), metavar="LOG.vkey",
              help="Check the log's signature first (repeatable).")
@click.pass_context
def cosign(ctx, checkpoint_path, key_path, state_path, proof_path, vkey_paths):
    """As a witness, cosign a checkpoint (c2sp.org/tlog-cosignature) after checking it extends the last one
    this witness cosigned; exit 1 and sign nothing if history was rewritten.

    \b
    Example:
      minerehab cosign 2024-12-31.checkpoint --key 审计局.key --proof 06-to-12.json
    """
    import time
    from pathlib import Path

    from console.common import load_signer
    from events import files, merkle, tlog, witness

    state_path = Path(state_path or key_path + ".state")
    files.check(checkpoint_path, store=ctx.obj["store"], reads=[key_path, proof_path, state_path])
    files.check(state_path, store=ctx.obj["store"], reads=[key_path, proof_path, checkpoint_path])
    signed = tlog.read(checkpoint_path)
    if not isinstance(signed, tlog.Signed):
        fail(f"{checkpoint_path}: a first-release JSON checkpoint cannot be cosigned; make a C2SP one "
             "(`minerehab checkpoint`)", f"{checkpoint_path}：旧版 JSON 检查点不能联署；请用 `minerehab checkpoint` 生成 C2SP 检查点")
    logs = tlog.load_keys(vkey_paths, signed)
    signer = load_signer(key_path)
    name = tlog.key_name(key_path, signer.public)
    witness.ed25519_only(name, signer.public)
    seen = witness.read_state(state_path.read_bytes() if state_path.is_file() else None, str(state_path))

    def proof(old_size, new_size):
        if proof_path:
            return _consistency_file(proof_path, old_size, new_size)
        if not ctx.obj["store"]:
            return None
        leaves = open_ledger(ctx).raw.leaf_hashes()
        if new_size > len(leaves):
            fail(f"the store holds {len(leaves)} events, fewer than the checkpoint's {new_size}",
                 f"存储只有 {len(leaves)} 条事件，少于检查点的 {new_size} 条")
        return merkle.consistency_proof(leaves[:new_size], old_size)

    text, new_seen, added = witness.cosign(signed.text, name, signer, seen, proof, int(time.time()), logs)
    if added:
        files.write(checkpoint_path, text, store=ctx.obj["store"], reads=[key_path, proof_path])
    files.write(state_path, witness.state_text(new_seen), store=ctx.obj["store"], reads=[key_path, proof_path],
                mode=0o600)
    click.echo(pick(f"{'cosigned' if added else 'already cosigned'} {checkpoint_path} as {name}: "
                    f"{signed.checkpoint.origin}, {signed.size} events; state {state_path}",
                    f"{'已联署' if added else '此前已联署'} {checkpoint_path}（见证方 {name}）：{signed.checkpoint.origin}，"
                    f"{signed.size} 条事件；状态文件 {state_path}"))


def _consistency_file(path, old_size, new_size):
    """The proof hashes of `minerehab consistency` JSON output, for exactly these sizes."""
    from events import jsontext

    data = jsontext.read_file(path, "consistency proof")
    if not isinstance(data, dict) or not isinstance(data.get("proof"), list):
        fail(f"{path}: not the output of `minerehab consistency`", f"{path}：不是 `minerehab consistency` 的输出")
    if (data.get("old_size"), data.get("new_size")) != (old_size, new_size):
        fail(f"{path}: proves {data.get('old_size')} → {data.get('new_size')} events; the witness needs "
             f"{old_size} → {new_size}", f"{path}：证明的是 {data.get('old_size')} → {data.get('new_size')} 条；"
             f"见证方需要 {old_size} → {new_size} 条")
    try:
        hashes = [bytes.fromhex(h) for h in data["proof"]]
    except (TypeError, ValueError):
        fail(f"{path}: proof hashes are not hexadecimal", f"{path}：证明中的哈希不是十六进制")
    if any(len(h) != 32 for h in hashes):
        fail(f"{path}: a proof hash is not 32 bytes", f"{path}：证明中的哈希不是 32 字节")
    return hashes


@click.command()
@click.argument("old", type=click.Path(dir_okay=False))
@click.argument("new", type=click.Path(dir_okay=False))
@click.option("--pubkey", "pubkey_path", type=click.Path(dir_okay=False), help="Check both signatures too.")
@click.option("--vkey", "vkey_paths", multiple=True, type=click.Path(dir_okay=False), metavar="FILE.vkey",
              help="Check both C2SP checkpoints' signatures with the log's verifier key.")
@click.pass_context
def consistency(ctx, old, new, pubkey_path, vkey_paths):
    """Prove from the store that the log only grew between two checkpoints (RFC 6962).

    \b
    Example:
      minerehab consistency 2024-06-30.checkpoint 2024-12-31.checkpoint > 06-to-12.json   # what a witness needs
    """
    from events import checkpoint as checkpoints
    from events import tlog
    from events.proofs import consistency as prove_consistency
    from events.proofs import unsigned

    first, second = tlog.read(old), tlog.read(new)
    notes = [c for c in (first, second) if isinstance(c, tlog.Signed)]
    public = checkpoints.load_public(pubkey_path) if pubkey_path and not notes else None
    ledger = open_ledger(ctx)
    result = prove_consistency(ledger, tlog.as_record(first), tlog.as_record(second), public)
    if (pubkey_path or vkey_paths) and notes:
        for name, c in (("old", first), ("new", second)):
            if isinstance(c, tlog.Signed) and tlog.log_signers(c, _note_keys(c, vkey_paths, pubkey_path))[1]:
                unsigned(result, name)
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
        click.echo(said(problem))
    click.echo(pick(f"copied {count} events; target verifies: {'ok' if report.ok else 'NO'}; root {report.root.hex()}",
                    f"已复制 {count} 条事件；目标存储校验：{'完好' if report.ok else '不通过'}；根 {report.root.hex()}"))
    if not report.ok:
        sys.exit(1)

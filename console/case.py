"""The inspector's case-file bundle (案卷): export a parcel's evidence, verify a bundle without the store."""

from __future__ import annotations

import sys

import click

from console.common import business_today, emit_json, fail, lang, open_ledger
from console.words import pick, said


@click.group()
def case():
    """The case-file bundle (案卷) of a parcel: everything an inspector needs, checkable without the store.

    \b
    Example:
      minerehab case export TL23-01 --checkpoint 2024-12-31.checkpoint --output TL23-01.case.zip
      minerehab case verify TL23-01.case.zip --vkey county.key.vkey --witness 审计局.vkey
    """


@case.command("export")
@click.argument("parcel")
@click.option("--checkpoint", "checkpoint_path", required=True, type=click.Path(dir_okay=False),
              help="A C2SP checkpoint (ideally cosigned) covering every event of the parcel.")
@click.option("--output", "output", required=True, type=click.Path(dir_okay=False), help="The bundle (.zip) to write.")
@click.option("--documents", "documents", type=click.Path(file_okay=False, exists=True),
              help="Folder holding the document files; those recorded are packed after their hash is checked.")
@click.option("--as-of", "as_of", metavar="DATE", help="Audit findings as of this business date (default today).")
@click.option("--json", "as_json", is_flag=True)
@click.pass_context
def export(ctx, parcel, checkpoint_path, output, documents, as_of, as_json):
    """Write a parcel's case-file bundle: case file (HTML), events, receipts, checkpoint, findings, documents.

    \b
    Example:
      minerehab case export TL23-01 --checkpoint 2024-12-31.checkpoint --output TL23-01.case.zip --documents scans/
    """
    from pathlib import Path

    from audit.casefile import build
    from console.common import parse_date
    from events import files, tlog
    from reports.casefile import case_file

    files.check(output, store=ctx.obj["store"], reads=[checkpoint_path])
    signed = tlog.read(checkpoint_path)
    if not isinstance(signed, tlog.Signed):
        fail(f"{checkpoint_path}: a case bundle needs a C2SP checkpoint (`minerehab checkpoint`), not a JSON one",
             f"{checkpoint_path}：案卷需要 C2SP 检查点（`minerehab checkpoint`），不是旧版 JSON 检查点")
    day = parse_date(as_of, "--as-of") or business_today()
    ledger = open_ledger(ctx)
    ledger.get("parcel", parcel)  # an unknown parcel is one line, with did-you-mean
    html = case_file(ledger, parcel, lang(), as_of=day)
    data, summary = build(ledger, parcel, signed, html, day, Path(documents) if documents else None)
    files.write(output, data, store=ctx.obj["store"], reads=[checkpoint_path])
    if as_json:
        emit_json({"output": output, **summary})
        return
    if lang() == "zh":
        click.echo(f"已写入 {output}：{summary['subject']}，{summary['events']} 条事件及其在检查点（{signed.size} 条）下的"
                   f"回执，{summary['findings']} 条审计发现，{summary['documents']} 份文件记录（打包 "
                   f"{summary['document_files']} 个文件）"
                   + (f"；未找到：{'、'.join(summary['missing_documents'])}" if summary["missing_documents"] else ""))
        return
    click.echo(f"wrote {output}: {summary['subject']}, {summary['events']} events with receipts under "
               f"{signed.size}, {summary['findings']} findings, {summary['documents']} documents "
               f"({summary['document_files']} files packed)"
               + (f"; not found: {', '.join(summary['missing_documents'])}" if summary["missing_documents"] else ""))


@case.command("verify")
@click.argument("bundle", type=click.Path(dir_okay=False))
@click.option("--vkey", "vkey_paths", multiple=True, required=True, type=click.Path(dir_okay=False),
              metavar="FILE.vkey", help="The log's verifier key (repeatable).")
@click.option("--witness", "witness_paths", multiple=True, type=click.Path(dir_okay=False), metavar="W.vkey",
              help="A witness's verifier key (repeatable).")
@click.option("--quorum", type=click.IntRange(min=0), help="Witness cosignatures required (default: all given).")
@click.option("--json", "as_json", is_flag=True)
def verify(bundle, vkey_paths, witness_paths, quorum, as_json):
    """Check a case-file bundle completely, without the store; exit 1 naming any file that fails.

    \b
    Example:
      minerehab case verify TL23-01.case.zip --vkey county.key.vkey --witness 审计局.vkey --quorum 1
    """
    from events import casebundle, tlog
    from events.errors import zh_of

    try:
        with open(bundle, "rb") as handle:
            data = handle.read(casebundle.MAX_TOTAL + 1)
    except OSError as error:
        fail(f"{bundle}: cannot be read ({error.strerror})", f"{bundle}：无法读取（{error.strerror}）")
    vkeys = [tlog.load_verifier(p) for p in vkey_paths]
    witnesses = [tlog.load_verifier(p) for p in witness_paths]
    result = casebundle.verify(data, vkeys, witnesses, len(witnesses) if quorum is None else quorum)
    if as_json:
        emit_json({"ok": result.ok, "subject": result.subject, "events": result.events, "tree_size": result.tree_size,
                   "signed_by": result.signers, "cosigned_by": result.cosigners, "document_files": result.documents,
                   "problems": result.problems, "problems_zh": [zh_of(p) for p in result.problems]})
    else:
        for problem in result.problems:
            click.echo(pick("INVALID: ", "核验失败：") + said(problem))
        if result.ok and lang() == "zh":
            click.echo(f"核验通过：{result.subject}：{result.events} 条事件均在检查点（{result.tree_size} 条）之下，"
                       f"由 {'、'.join(result.signers)} 签名"
                       + (f"，由 {'、'.join(result.cosigners)} 联署" if result.cosigners else "")
                       + f"；{result.documents} 个文件与记录一致")
        elif result.ok:
            click.echo(f"valid: {result.subject}: {result.events} events under checkpoint {result.tree_size}, "
                       f"signed by {', '.join(result.signers)}"
                       + (f", cosigned by {', '.join(result.cosigners)}" if result.cosigners else "")
                       + f"; {result.documents} document files match")
        else:
            click.echo(f"核验失败：{bundle} 有 {len(result.problems)} 处问题" if lang() == "zh"
                       else f"INVALID: {len(result.problems)} problems in {bundle}")
    if not result.ok:
        sys.exit(1)

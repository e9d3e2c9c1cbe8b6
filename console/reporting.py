"""Reports and diagrams: progress against the target, the HTML page, lifecycle diagrams."""

from __future__ import annotations

import sys

import click

from console.common import (
    business_today,
    emit_json_to,
    fail,
    headers,
    lang,
    open_ledger,
    parse_date,
    say,
    table,
    text_to,
    unsigned_note,
    write_rows,
)
from console.words import pick


@click.group()
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
@click.option("--output", metavar="FILE", help="Write to FILE, in any format (needed for xlsx; a .csv file starts "
              "with a UTF-8 BOM so that Excel reads its Chinese).")
@click.pass_context
def report_progress(ctx, as_of, programme_id, fmt, as_json, output):
    """Parcels, hectares and funds by year and state, against the prefecture target.

    \b
    Example:
      minerehab report progress --format xlsx --output progress.xlsx
    """
    from reports.progress import choose_programme, progress

    fmt = "json" if as_json else fmt
    day = parse_date(as_of, "--as-of")
    if output:
        from events import files

        files.check(output, store=ctx.obj["store"])
    ledger = open_ledger(ctx)
    programmes = ledger.records("programme", as_of=day)
    chosen = choose_programme(programmes, programme_id)
    result = progress(ledger.each("parcel", as_of=day), chosen, day)
    rows = [*result["years"], result["total"]]
    if fmt == "json":
        emit_json_to(result, output)
    elif fmt != "table":
        from reports.sheets import progress_sheet, workbook

        write_rows(rows, fmt, output, lambda: workbook([progress_sheet(result, lang())], lang()))
    else:
        text_to(output, lambda: print_progress(result, rows, ledger))


@report.command("html")
@click.argument("out", type=click.Path(dir_okay=False))
@click.option("--as-of", "as_of", metavar="DATE", help="The ledger as it stood on this business date (default today).")
@click.option("--case-files/--no-case-files", "with_cases", default=True,
              help="Also write the case file of every parcel the page links to, in the folder OUT-parcels/ (the default).")
@click.option("--map", "map_mode", type=click.Choice(["boundaries", "centres", "none"]), default="boundaries",
              show_default=True, help="The county map: parcels' boundaries, their centre points only (where "
                                      "boundaries are confidential survey results), or no map.")
@click.pass_context
def report_html(ctx, out, as_of, with_cases, map_mode):
    """The leader's dashboard: one self-contained page (works offline, prints on a few A4 pages), each parcel
    linked to its case file.

    \b
    Example:
      minerehab --lang zh report html 托里县进展.html --as-of 2024-12-31
    """
    from events import files
    from reports.html import dashboard

    day = parse_date(as_of, "--as-of") or business_today()
    store = ctx.obj["store"]
    target = files.check(out, store=store)
    folder = f"{target.stem}-parcels"
    where = target.parent / folder
    if with_cases and (where.is_symlink() or where.exists() and not where.is_dir()):
        fail(f"{where}: exists and is not a folder; the case files go there (or give --no-case-files)",
             f"{where}：已存在且不是文件夹；案卷写在该文件夹中（或使用 --no-case-files）")
    ledger = open_ledger(ctx)
    made = dashboard(ledger, day, lang(), folder, map_mode=map_mode)
    files.write(out, made.html, store=store)
    click.echo(pick(f"wrote {out}", f"已写入 {out}"))
    if with_cases and made.linked:
        from reports.casefile import case_file, file_name

        where.mkdir(exist_ok=True)
        by_subject: dict = {}
        for f in made.findings:
            by_subject.setdefault(f.subject, []).append(f)
        for code in sorted(made.linked):
            files.write(where / file_name(code), case_file(ledger, code, lang(), as_of=day,
                                                           findings=by_subject.get(code, []), siblings=made.linked),
                        store=store)
        click.echo(pick(f"wrote {len(made.linked)} case files in {where}", f"已在 {where} 写入 {len(made.linked)} 份案卷"))


@report.command("parcel")
@click.argument("parcel")
@click.option("--output", metavar="FILE.html", required=True, help="Write the case file here.")
@click.option("--as-of", "as_of", metavar="DATE", help="The parcel as it stood on this business date (default today).")
@click.pass_context
def report_parcel(ctx, parcel, output, as_of):
    """The parcel's case file (案卷): attributes, money, findings with the events they cite, and every event with
    who, when, why, its documents (sha256) and its place in the hash chain. Print it from a browser.

    \b
    Example:
      minerehab report parcel TL23-05 --output TL23-05.html
    """
    from events import files
    from reports.casefile import case_file

    day = parse_date(as_of, "--as-of") or business_today()
    store = ctx.obj["store"]
    target = files.check(output, store=store)
    if target.suffix.lower() not in (".html", ".htm"):
        fail(f"--output {output}: a case file is written as .html (print it to PDF from a browser)",
             f"--output {output}：案卷写为 .html 文件（可在浏览器中打印为 PDF）")
    ledger = open_ledger(ctx)
    ledger.get("parcel", parcel)
    files.write(target, case_file(ledger, parcel, lang(), as_of=day), store=store)
    click.echo(pick(f"wrote {output}", f"已写入 {output}"))


def print_progress(result: dict, rows: list[dict], ledger=None) -> None:
    from reports.progress import GROUP_STATES

    if unsigned_note(ledger):
        click.echo(unsigned_note(ledger))
    if "programme" in result:
        click.echo(f"{result['name']} ({result['programme']})")
    click.echo(f"{say('COLUMNS', 'as of')} {result['as_of']}; {say('COLUMNS', 'target')} {result['target_ha']}{pick(' ha', ' 公顷')}")
    click.echo()
    table(headers("year", "parcels", "planned ha", "% target", "cum. planned %", "accepted ha", "% target",
                  "cum. accepted %"),
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


def on_terminal() -> bool:
    """Whether stdout is a terminal (where a binary must never go)."""
    return sys.stdout.isatty()


@click.command()
@click.option("--parcel", metavar="CODE", help="Mark this parcel's state and the path it took.")
@click.option("--batch", "batch_id", metavar="ID", help="Draw the batch lifecycle, marking this batch.")
@click.option("--format", "fmt", type=click.Choice(["mermaid", "svg", "png"]),
              help="Default: from the --output file's extension (.mmd, .svg, .png), else mermaid.")
@click.option("--output", metavar="FILE", help="Write to FILE (a PNG is never written to a terminal).")
@click.pass_context
def diagram(ctx, parcel, batch_id, fmt, output):
    """Draw the parcel (or batch) lifecycle; with a record, its path numbered and its current state marked.

    \b
    Example:
      minerehab diagram --parcel TL23-05 --output TL23-05.svg
    """
    from reports.diagrams import format_for, mermaid, moves_of, rendered

    if parcel and batch_id:
        fail("diagram: give --parcel or --batch, not both", "diagram：--parcel 与 --batch 只能给一个")
    from events import files

    kind, key = ("batch", batch_id) if batch_id else ("parcel", parcel)
    fmt = format_for(output, fmt)
    if output:
        files.check(output, store=ctx.obj["store"])
    elif fmt == "png" and on_terminal():
        fail("diagram: a PNG is binary; give --output FILE.png (or redirect to a file)",
             "diagram：PNG 为二进制图片，请用 --output 文件.png（或重定向到文件）")
    current, path = None, []
    if key:
        ledger = open_ledger(ctx)
        history = ledger.history(kind, key)
        path = moves_of(history)
        current = history and ledger.get(kind, key).state
    if fmt == "mermaid":
        text = mermaid(kind, lang(), current, path, key)
        if output:
            files.write(output, text, store=ctx.obj["store"])
            click.echo(pick(f"wrote {output}", f"已写入 {output}"))
        else:
            click.echo(text, nl=False)
        return
    data = rendered(kind, fmt, lang(), current, path, key)
    if output:
        files.write(output, data, store=ctx.obj["store"])
        click.echo(pick(f"wrote {output}", f"已写入 {output}"))
    else:
        sys.stdout.buffer.write(data)

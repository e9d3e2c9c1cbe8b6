"""Reports and diagrams: progress against the target, the HTML page, lifecycle diagrams."""

from __future__ import annotations

import click

from console.common import (
    business_today,
    emit_json,
    fail,
    headers,
    lang,
    open_ledger,
    parse_date,
    say,
    table,
    unsigned_note,
    write_rows,
)


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
@click.option("--output", metavar="FILE", help="Write to FILE (needed for xlsx).")
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
        emit_json(result)
    elif fmt != "table":
        write_rows(rows, fmt, output)
    else:
        print_progress(result, rows, ledger)


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

    from events import files

    day = parse_date(as_of, "--as-of") or business_today()
    files.check(out, store=ctx.obj["store"])
    ledger = open_ledger(ctx)
    files.write(out, page(ledger, day, lang()), store=ctx.obj["store"])
    click.echo(f"wrote {out}")


def print_progress(result: dict, rows: list[dict], ledger=None) -> None:
    from reports.progress import GROUP_STATES

    if unsigned_note(ledger):
        click.echo(unsigned_note(ledger))
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


@click.command()
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
    from reports.diagrams import mermaid, moves_of, rendered

    if parcel and batch_id:
        fail("diagram: give --parcel or --batch, not both")
    from events import files

    kind, key = ("batch", batch_id) if batch_id else ("parcel", parcel)
    if output:
        files.check(output, store=ctx.obj["store"])
    current, path = None, []
    if key:
        ledger = open_ledger(ctx)
        history = ledger.history(kind, key)
        path = moves_of(history)
        current = history and ledger.get(kind, key).state
    if fmt == "mermaid":
        text = mermaid(kind, lang(), current, path)
        if output:
            files.write(output, text, store=ctx.obj["store"])
            click.echo(f"wrote {output}")
        else:
            click.echo(text)
        return
    data = rendered(kind, fmt, lang(), current, path)
    if output:
        files.write(output, data, store=ctx.obj["store"])
        click.echo(f"wrote {output}")
    else:
        click.get_binary_stream("stdout").write(data)

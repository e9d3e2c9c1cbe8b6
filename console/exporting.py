"""`export parcels`: the national 图斑 layer (shp, GeoJSON, KML) or the public-notice workbook (xlsx)."""

from __future__ import annotations

import click

from console.common import fail, lang, open_ledger, parse_date

FORMATS = ("geojson", "shp", "kml", "xlsx")
SUFFIXES = {"geojson": (".geojson", ".json"), "shp": (".shp",), "kml": (".kml",), "xlsx": (".xlsx",)}


@click.group("export")
def export():
    """Hand the county's parcels to others: the national layer, the public notice.

    \b
    Example:
      minerehab export parcels --format shp --output 654224_销号.shp --batch B2023-1
    """


@export.command("parcels")
@click.option("--format", "fmt", required=True, type=click.Choice(FORMATS), help="Layer or notice format.")
@click.option("--output", required=True, type=click.Path(dir_okay=False), metavar="FILE",
              help="The file (a shapefile also writes .shx, .dbf, .prj and .cpg beside it).")
@click.option("--as-of", "as_of", metavar="DATE", help="The parcels as they stood on this business date.")
@click.option("--batch", metavar="ID", help="Only the parcels of this write-off batch.")
@click.option("--boundary", "which", type=click.Choice(["registered", "latest"]), default="registered",
              show_default=True, help="The registered 图斑 boundary, or the latest (measured, as built, design).")
@click.option("--encoding", default="GBK", show_default=True, help="Text encoding of a shapefile's attributes.")
@click.pass_context
def parcels(ctx, fmt, output, as_of, batch, which, encoding):
    """Write the parcels as the national 图斑 layer or the public-notice (公示) table.

    A shapefile is CGCS2000 lon/lat (EPSG:4490) with the national field names (TBBH, TBMJ in m², …),
    outer rings clockwise, a .prj and a .cpg naming its encoding (GBK by default).

    \b
    Example:
      minerehab export parcels --format geojson --output 图斑.geojson --as-of 2024-12-31
      minerehab export parcels --format xlsx --output 公示.xlsx --batch B2023-1
    """
    import codecs
    from pathlib import Path

    from events import files
    from geometry.errors import GeometryError
    from reports import layer

    path = Path(output)
    if path.suffix.lower() not in SUFFIXES[fmt]:
        fail(f"--output {output}: a {fmt} file ends in {' or '.join(SUFFIXES[fmt])}",
             f"--output {output}：{fmt} 文件的扩展名应为 {' 或 '.join(SUFFIXES[fmt])}")
    try:
        codecs.lookup(encoding)
    except LookupError:
        fail(f"--encoding {encoding!r}: unknown encoding; e.g. GBK or UTF-8",
             f"--encoding {encoding!r}：未知编码；例如 GBK 或 UTF-8")
    day = parse_date(as_of, "--as-of")
    ledger = open_ledger(ctx)
    store = ctx.find_root().obj.get("store")
    targets = [path.with_suffix(s) for s in (".shp", ".shx", ".dbf", ".prj", ".cpg")] if fmt == "shp" else [path]
    for target in targets:
        files.check(target, store=store)
    chosen = list(ledger.each("parcel", day))
    members = None
    if batch:
        record = ledger.view("batch", batch, as_of=day)
        if record is None:
            known = ", ".join(sorted(ledger.records("batch"))) or "none"
            fail(f"--batch {batch}: no such write-off batch; known: {known}",
                 f"--batch {batch}：没有这个核销批次；已有：{known}")
        members = set(record.members)
        chosen = [p for p in chosen if p.code in members]
    try:
        if fmt == "xlsx":
            title = "历史遗留矿山图斑生态修复情况公示" + (f"（{batch}）" if batch else "")
            rows = layer.notice_rows(chosen, which, {code: batch for code in members or ()})
            written = {".xlsx": layer.notice_xlsx(rows, title, lang())}
        else:
            written = layer.layer_files(fmt, layer.layer_rows(chosen, which), encoding)
    except GeometryError as error:
        fail(f"export: {error.en}", f"导出：{error.zh}")
    for suffix, data in written.items():
        files.write(path.with_suffix(suffix) if fmt == "shp" else path, data, store=store)
    shown = ", ".join(str(path.with_suffix(s)) for s in written) if fmt == "shp" else str(path)
    click.echo(f"已写出 {len(chosen)} 个图斑：{shown}" if lang() == "zh" else f"wrote {len(chosen)} parcels: {shown}")

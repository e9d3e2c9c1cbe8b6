"""What every command shares: the chosen language, tables and JSON for people and scripts, the store.

Kept free of the domain's heavy imports at module level so that `--help` and `history` start fast.
"""

from __future__ import annotations

import itertools
import re
import sys
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from functools import partial
from operator import itemgetter
from typing import Iterable, Iterator

import click


def fail(message: str, zh: str | None = None):
    """Bad input found while parsing: one line in the user's language, exit 2 (rendered by the root group)."""
    from events.errors import BadInput

    raise BadInput(message, zh)


def json_text(value, indent: bool = True) -> str:
    """A command's JSON answer, indented for people: orjson (a tenth of the pure-Python encoder's time on
    audits of tens of thousands of findings), decimals as their exact text, dates as ISO dates."""
    import orjson

    option = orjson.OPT_NON_STR_KEYS | (orjson.OPT_INDENT_2 if indent else 0)
    return orjson.dumps(value, default=_plain, option=option).decode()


def json_chunks(value: dict, streamed: str) -> Iterator[bytes]:
    """The bytes of json_text(value) where value[streamed] is an iterable turned into a list as it comes,
    a thousand items at a time: an audit's findings are encoded as they are made into dicts, never all
    held as dicts and as text at once."""
    import orjson

    def dumped(item, depth: int) -> bytes:
        return orjson.dumps(item, default=_plain, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).replace(
            b"\n", b"\n" + b"  " * depth)  # orjson escapes newlines inside strings: every one here is layout

    page = [b"{"]
    for n, (key, item) in enumerate(value.items()):
        page.append(b'%s\n  %s: ' % (b"," if n else b"", dumped(key, 1)))
        if key != streamed:
            page.append(dumped(item, 1))
            continue
        page.append(b"[")
        first = True
        for element in item:
            page.append((b"\n    " if first else b",\n    ") + dumped(element, 2))
            first = False
            if len(page) >= 1000:
                yield b"".join(page)
                page = []
        page.append(b"]" if first else b"\n  ]")
    page.append(b"\n}" if value else b"}")
    yield b"".join(page)


def emit_json_chunks(chunks: Iterator[bytes], output: str | None) -> None:
    """What json_chunks gives, to stdout or the --output file."""
    emit_chunks(chunks, output, b"\n")


def emit_chunks(chunks: Iterator[bytes], output: str | None, end: bytes = b"") -> None:
    """A command's product a part at a time (never whole in memory), to stdout or the --output file."""
    if output:
        from events import files

        files.write(output, (c for part in (chunks, [end]) for c in part), store=_store())
        click.echo(f"已写入 {output}" if lang() == "zh" else f"wrote {output}")
        return
    for chunk in chunks:  # as text: stdout may be a text stream only (a pipe wrapper, a test's capture)
        click.echo(chunk.decode(), nl=False)
    click.echo(end.decode(), nl=False)


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def emit_json(value) -> None:
    click.echo(json_text(value))


class _Widths(dict):
    """A character's display width, looked up once per distinct character (an audit's table measures millions)."""

    def __missing__(self, ch: str) -> int:
        self[ch] = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        return self[ch]


_WIDTHS = _Widths()


def width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    if text.isascii():
        return len(text)
    return sum(map(_WIDTHS.__getitem__, text))


def table(headers: list[str], rows: Iterable[list]) -> None:
    """Columns padded to their widest cell, lines written a page at a time. Only each row's cell texts are kept
    between measuring and writing (`rows` may be made as they are read): an audit's table has hundreds of
    thousands of rows, and a (text, width) pair per cell cost 70 MB of them."""
    texts = [_cells(row) for row in rows]
    widths = [width(h) for h in headers]
    if set(map(len, texts)) <= {len(headers)}:  # a column at a time, in C where it is all ASCII (most are)
        for i in range(len(headers) if texts else 0):
            column = partial(map, itemgetter(i), texts)
            widths[i] = max(widths[i], max(map(len, column())) if all(map(str.isascii, column())) else
                            max(map(width, column())))
    else:  # rows of other lengths than the headers: cell by cell
        for row in texts:
            for i, text in enumerate(row):
                widths[i] = max(widths[i], width(text))

    ascii_line = "  ".join(f"{{:<{w}}}" for w in widths).format  # a full ASCII row padded in one call

    def line(values):
        if len(values) == len(widths) and "".join(values).isascii():
            return ascii_line(*values).rstrip()
        return "  ".join(v + " " * (w - width(v)) for v, w in zip(values, widths)).rstrip()

    click.echo(line(headers))
    click.echo(line(["-" * w for w in widths]))
    for start in range(0, len(texts), 1000):
        click.echo("\n".join(line(row) for row in texts[start:start + 1000]))


def lang() -> str:
    ctx = click.get_current_context(silent=True)
    return (ctx.find_root().obj or {}).get("lang", "en") if ctx else "en"


def say(table_name: str, key) -> str:
    """A label from the vocabulary in the chosen language."""
    from workflow import vocabulary

    return vocabulary.label(getattr(vocabulary, table_name), key, lang()) if key is not None else ""


def named(table_name: str, key: str) -> str:
    """`id label`, or the id alone where the label only restates it."""
    text = say(table_name, key)
    return key if text.replace(" ", "_") == key else f"{key} {text}"


def headers(*names: str) -> list[str]:
    return [say("COLUMNS", n) for n in names]


CONTROLS = {c: f"\\x{c:02x}" for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]}
CONTROLS.update({ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"})


UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f]")
"""The characters CONTROLS escapes: text without any (nearly all) is passed as it is, unscanned by translate."""


def safe(text) -> str:
    """Stored text as it may reach a terminal: control characters (escape sequences, bells, newlines
    that would forge a line) shown escaped, never sent raw."""
    text = str(text)
    return text.translate(CONTROLS) if UNSAFE.search(text) else text


def _cells(row) -> tuple:
    """A row's cell texts; a row of plain text with no control character anywhere (nearly every row) is taken as
    it is, judged once rather than cell by cell."""
    row = tuple(row)
    if set(map(type, row)) <= {str} and not UNSAFE.search(" ".join(row)):
        return row
    return tuple(map(cell_text, row))


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return safe(json_text(value, indent=False))
    return safe(value)


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def inert(value):
    """A spreadsheet cell that cannot run as a formula: text starting with = + - @ gets a leading
    quote (a plain number such as -2.5 stays as it is)."""
    if isinstance(value, str) and value.startswith(FORMULA_START) and not NUMBER.fullmatch(value):
        return "'" + value
    return value


def parse_date(value: str | None, option: str) -> date | None:
    from events.clock import parse_date as parse

    return None if value is None else parse(value, option)


def business_today() -> date:
    from events.clock import business_today as today

    return today()


def parse_timestamp(value: str | None, option: str = "--known-at") -> datetime | None:
    from events.clock import parse_timestamp as parse

    return None if value is None else parse(value, option)


def open_store(ctx: click.Context):
    """The store, checked to exist, for reads that need no application (a whole process should start fast)."""
    from events.store import resolve

    store = resolve(ctx.obj["store"])
    store.check_ready()
    return store


def open_ledger(ctx: click.Context, create: bool = False, signing: str = "unsigned"):
    from workflow.ledger import Ledger

    ledger = Ledger(ctx.obj["store"], create=create, signing=signing)
    if not create and not ledger.signed and sys.stderr.isatty():
        click.echo(unsigned_note(), err=True)
    ctx.call_on_close(ledger.close)
    return ledger


def _store():
    ctx = click.get_current_context(silent=True)
    return (ctx.find_root().obj or {}).get("store") if ctx else None


def write_out(output: str, data: bytes | str) -> None:
    """Write a command's product to `output` (never onto the store or through a symlink) and say so."""
    from events import files

    files.write(output, data, store=_store())
    click.echo(f"已写入 {output}" if lang() == "zh" else f"wrote {output}")


def emit_json_to(value, output: str | None) -> None:
    """JSON to stdout, or to the --output file."""
    if output:
        write_out(output, json_text(value) + "\n")
    else:
        emit_json(value)


def text_to(output: str | None, print_it) -> None:
    """What `print_it()` echoes, to the terminal or (with --output) into the file."""
    if not output:
        print_it()
        return
    import contextlib
    import io

    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        print_it()
    write_out(output, buffer.getvalue())


BOM = "\ufeff"
"""Written first in CSV files (not on stdout): Excel on Chinese Windows then reads them as UTF-8."""


def csv_chunks(rows: Iterable[dict], bom: bool, every: int = 1000) -> Iterator[bytes]:
    """Rows as CSV (the first row's keys as the header), `every` rows at a time: an audit's findings are
    hundreds of thousands of lines, never one string. Cells are inert to spreadsheets and escaped."""
    import csv
    import io

    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return
    buffer = io.StringIO()
    if bom:
        buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(list(first))
    for n, row in enumerate(itertools.chain([first], rows), 1):
        writer.writerow([inert(cell_text(v)) for v in row.values()])
        if n % every == 0:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def write_rows(rows: list[dict], fmt: str, output: str | None, sheets=None) -> None:
    """Rows as csv, md or json, to stdout or the --output file; xlsx (which needs --output) from `sheets`,
    a function giving the workbook's bytes. A CSV file starts with a UTF-8 BOM for Excel; stdout gets none.
    CSV rows may come as any iterable (written as they come)."""
    import io

    if fmt == "csv":
        emit_chunks(csv_chunks(rows, bom=bool(output)), output)
        return

    if fmt == "xlsx":
        if not output:
            fail("--format xlsx needs --output FILE.xlsx", "--format xlsx 需要 --output 文件.xlsx")
        from events import files

        files.check(output, store=_store())
        write_out(output, sheets())
        return
    if fmt == "json":
        emit_json_to(rows, output)
        return
    buffer = io.StringIO()
    if fmt == "md" and rows:
        buffer.write("| " + " | ".join(rows[0]) + " |\n|" + "---|" * len(rows[0]) + "\n")
        for row in rows:
            buffer.write("| " + " | ".join(cell_text(v) for v in row.values()) + " |\n")
    if output:
        write_out(output, buffer.getvalue())
    else:
        click.echo(buffer.getvalue(), nl=False)


def unsigned_note(ledger=None) -> str:
    """What every command says of a trial store ("" of a signed one)."""
    if ledger is not None and ledger.signed:
        return ""
    return ("注意：未签名的试用存储，记录无法归属到具体责任人" if lang() == "zh"
            else "note: UNSIGNED trial store: nothing in it is attributable to a person")


def load_signer(path: str):
    """The official's signer: the private key in `path` (its passphrase from MINEREHAB_KEY_PASSPHRASE, or
    asked for at a terminal), or, with MINEREHAB_SIGNER set, that command (a UKey or HSM) with `path`
    naming the public key, so that the private key never reaches this process."""
    import os

    from events import keys

    command = os.environ.get("MINEREHAB_SIGNER")
    if command:
        return keys.ExternalSigner(command, keys.load_public(path))
    passphrase = os.environ.get("MINEREHAB_KEY_PASSPHRASE")
    try:
        return keys.load_private(path, passphrase.encode() if passphrase else None)
    except keys.KeyFileError:
        if passphrase is not None or not sys.stdin.isatty():
            raise
        asked = click.prompt(f"passphrase for {path}", hide_input=True, err=True)
        return keys.load_private(path, asked.encode())


class Ticker:
    """A progress bar on stderr when it is a terminal; `tick()` advances it. Silent otherwise."""

    def __init__(self, length: int, label: str):
        from console.words import progress

        self.bar = click.progressbar(length=length, label=progress(label), file=sys.stderr) if sys.stderr.isatty() \
            else None

    STEP = 1000
    """Events between redraws: a redraw per event cost the audit a tenth of its time at a terminal."""

    def __enter__(self):
        if self.bar is None:
            return None
        self.bar.__enter__()
        self.pending = 0

        def tick(n: int = 1) -> None:
            self.pending += n
            if self.pending >= self.STEP:
                self.bar.update(self.pending)
                self.pending = 0

        return tick

    def __exit__(self, *exc):
        if self.bar is not None:
            if self.pending:
                self.bar.update(self.pending)
            self.bar.__exit__(*exc)
        return False


def view_options(func):
    """--as-of, --known-at, --version and --json: the ways to look at a record in the past."""
    for option in reversed([
        click.option("--as-of", "as_of", metavar="DATE", help="Business view: events dated on or before DATE."),
        click.option("--known-at", "known_at", metavar="TIMESTAMP",
                     help="What the ledger said at that moment (ISO; no offset means UTC+8)."),
        click.option("--version", "version", type=click.IntRange(min=1), help="The record at this version."),
        click.option("--json", "as_json", is_flag=True, help="Print JSON."),
    ]):
        func = option(func)
    return func


def who(actor: str | None, role: str | None) -> tuple[str, str]:
    if not actor or not role:
        fail("give --actor and --role (or MINEREHAB_ACTOR and MINEREHAB_ROLE)",
             "请给出 --actor 和 --role（或设置 MINEREHAB_ACTOR 和 MINEREHAB_ROLE）")
    return actor, role


def documents_of(docs) -> list[dict]:
    """--doc TITLE=REF[:SHA256] options as documents (a readable REF's sha256 is recorded); a bad one is one line."""
    from workflow import commands, fields

    documents = []
    for raw in docs:
        try:
            documents.append(commands.parse_doc_option(raw))
        except fields.BadValue as error:
            fail(f"--doc {raw!r}: expected {error}", f"--doc {raw!r}：应为 标题=文号[:sha256]")
    return documents

"""minerehab command line: the root group, its global options, and the one place errors become a line.

The commands live in `console/` and are loaded only when run, so that `--help` and the
light readers start fast. Exit codes: 0 ok; 1 audit findings or tampering; 2 refused or
bad input (one line on stderr, never a traceback).
"""

from __future__ import annotations

import importlib
import os
import sys

import click

EXIT_REFUSED = 2

COMMANDS: dict[str, tuple[str, str, str]] = {
    # name: (module in console/, attribute, one-line help shown by `minerehab --help`)
    "init": ("record", "init", "Create the store (the only command that creates one)."),
    "grants": ("record", "grants", "Print the SQL giving PostgreSQL writer and reader roles least privilege."),
    "do": ("record", "do", "Record one state change or fact on a parcel (or batch, programme, task force)."),
    "apply": ("record", "apply_cmd", "Run the commands of a JSONL file, all or nothing (or line by line)."),
    "next": ("moves", "next_cmd", "What may be recorded on a parcel now: moves, roles, fields."),
    "correct": ("correct", "correct", "Correct fields of a recorded event (更正); the original stays in the history."),
    "import": ("record", "import_group", "Import the county's tables (.csv or .xlsx)."),
    "show": ("view", "show", "Show a parcel as it stands, or as it stood."),
    "history": ("view", "history", "Every event of a parcel: who did what, when, why, with which documents."),
    "log": ("changes", "log", "Store-wide log: what changed since a business date or a recorded time."),
    "list": ("view", "list_cmd", "List parcels with their state, plan year and area."),
    "batch": ("view", "batch", "Write-off batches (完成一批核销一批)."),
    "programme": ("view", "programme", "The programme and its per-year target decomposition."),
    "taskforce": ("view", "taskforce", "The task force (工作专班) and its members over time."),
    "report": ("reporting", "report", "Reports over the whole store: progress, the HTML page."),
    "diagram": ("reporting", "diagram", "Draw the parcel (or batch) lifecycle, marking where a record stands."),
    "export": ("exporting", "export", "Write the parcels as the national 图斑 layer (shp, GeoJSON, KML) or the 公示 table."),
    "audit": ("auditing", "audit", "Check every compliance rule over the whole store (纪检监察)."),
    "rules": ("auditing", "rules", "The compliance rules: id, severity, titles, events read, thresholds."),
    "keygen": ("identity", "keygen", "Write a key pair (Ed25519 or SM2) for signing commands and checkpoints."),
    "person": ("identity", "person", "The registry of people: who may sign, in which roles, with which keys."),
    "sign": ("identity", "sign", "Sign the lines of a JSONL file for `apply`."),
    "checkpoint": ("evidence", "checkpoint", "Sign the log's Merkle root; keep the checkpoint outside the store."),
    "verify": ("evidence", "verify", "Recompute every hash chain (and check checkpoints); exit 1 on tampering."),
    "prove": ("evidence", "prove", "An inclusion proof of one event under a checkpoint."),
    "check-proof": ("evidence", "check_proof", "Check an inclusion proof without the store."),
    "cosign": ("evidence", "cosign", "As a witness, cosign a checkpoint that extends the last one it cosigned."),
    "case": ("case", "case", "The inspector's case-file bundle (案卷) of a parcel: export, and verify without the store."),
    "witness": ("witnessing", "witness", "Witnesses' cosignatures recorded in the ledger: who witnessed what."),
    "consistency": ("evidence", "consistency", "Prove that the log only grew between two checkpoints."),
    "copy": ("evidence", "copy", "Copy the whole log between stores (SQLite ⇄ PostgreSQL), then verify."),
}


class Minerehab(click.Group):
    """Commands loaded on demand; every error one line on stderr in the user's language, never a traceback."""

    lang: str | None = None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        module, attribute, short = COMMANDS[name]
        command = getattr(importlib.import_module(f"console.{module}"), attribute)
        command.short_help = short
        if chosen_lang() == "zh":
            from console.localise import localised

            return localised(command, name)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The listing from the table alone: `minerehab --help` imports no command module."""
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        if chosen_lang() == "zh":
            from console.help_zh import COMMANDS as ZH

            rows = [(name, ZH.get(name, ("", short))[0] or short) for name, short in rows]
        with formatter.section("命令" if chosen_lang() == "zh" else "Commands"):
            formatter.write_dl(rows)

    def main(self, args=None, prog_name="minerehab", **extra):
        args = list(sys.argv[1:] if args is None else args)
        Minerehab.lang = first_lang(args) or default_lang_of_env()
        root = self
        if Minerehab.lang == "zh":
            from console.localise import localised, set_lang

            set_lang("zh")
            root = localised(self, "")
        elif "console.localise" in sys.modules:
            sys.modules["console.localise"].set_lang("en")
        try:
            code = click.Group.main(root, args, prog_name, standalone_mode=False, **extra)
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except click.Abort:
            click.echo("minerehab: aborted", err=True)
            sys.exit(EXIT_REFUSED)
        except getattr(click.exceptions, "NoArgsIsHelpError", ()) as bare:  # `minerehab` alone: the help, exit 0
            click.echo(bare.ctx.get_help())
            sys.exit(0)
        except click.ClickException as error:
            said(usage_error(error, chosen_lang()))
            sys.exit(error.exit_code if error.exit_code != 1 else EXIT_REFUSED)
        except Exception as error:
            from events.errors import MinerehabError

            if not isinstance(error, MinerehabError):
                raise
            from workflow.vocabulary import register_labels

            register_labels()
            said(error.rendered(chosen_lang()))
            sys.exit(error.exit_code)
        sys.exit(code or 0)


def said(line: str) -> None:
    """The one line of an error: what the user typed may hold a newline or an escape, shown escaped."""
    from console.common import safe

    click.echo(f"minerehab: {safe(line)}", err=True)


def first_lang(args: list[str]) -> str | None:
    """The --lang given before the command name: known before click renders any help or usage error."""
    for i, arg in enumerate(args):
        if arg in COMMANDS:
            return None
        value = args[i + 1] if arg == "--lang" and i + 1 < len(args) else arg.partition("=")[2] \
            if arg.startswith("--lang=") else None
        if value in ("zh", "en"):
            return value
    return None


def default_lang_of_env() -> str:
    from console.localise import locale_lang

    return locale_lang(os.environ)


def usage_error(error: click.ClickException, lang: str) -> str:
    """click's usage error as one line; a missing option that an environment variable can give names it."""
    message = error.format_message()
    if lang == "zh":
        from console.localise import os_error

        message = os_error(message)
        message = message[:-1] + "。" if message.endswith(".") else message
    param = getattr(error, "param", None)
    envvar = getattr(param, "envvar", None) if isinstance(error, click.MissingParameter) else None
    if isinstance(envvar, str):
        message += f"也可设置环境变量 {envvar}。" if lang == "zh" else f" Or set the environment variable {envvar}."
    return message


def chosen_lang() -> str:
    """The language of the command being run (its --lang, else the locale)."""
    if Minerehab.lang:
        return Minerehab.lang
    from workflow.vocabulary import default_lang

    return default_lang(os.environ)


@click.group(cls=Minerehab, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", envvar="MINEREHAB_STORE", default=None, metavar="URL",
              help="SQLite file, sqlite:///PATH or postgresql://… (default ./minerehab.db; env MINEREHAB_STORE).")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None,
              help="Language of labels and messages (default from the locale; env MINEREHAB_LANG).")
@click.version_option(package_name="minerehab", prog_name="minerehab", message="%(prog)s %(version)s",
                      help="Show the version and exit.")
@click.pass_context
def cli(ctx: click.Context, store: str | None, lang: str | None) -> None:
    """minerehab: the event-sourced ledger of legacy-mine restoration (历史遗留矿山生态修复).

    \b
    Example:
      minerehab init
      minerehab do register TL-2023-01 --on 2023-03-01 --actor 张玉峰 --role nrb \\
          --set name=老风口采坑 --set township=庙尔沟镇 --set area_ha=6.1
    """
    from workflow.vocabulary import default_lang

    ctx.obj = {"store": store, "lang": lang or default_lang(os.environ)}
    Minerehab.lang = ctx.obj["lang"]


def main() -> None:
    cli()


if __name__ == "__main__":
    main()

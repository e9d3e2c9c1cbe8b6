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
    "next": ("record", "next_cmd", "What may be recorded on a parcel now: moves, roles, fields."),
    "correct": ("correct", "correct", "Correct fields of a recorded event (更正); the original stays in the history."),
    "import": ("record", "import_group", "Import the county's tables (.csv or .xlsx)."),
    "show": ("view", "show", "Show a parcel as it stands, or as it stood."),
    "history": ("view", "history", "Every event of a parcel: who did what, when, why, with which documents."),
    "list": ("view", "list_cmd", "List parcels with their state, plan year and area."),
    "batch": ("view", "batch", "Write-off batches (完成一批核销一批)."),
    "programme": ("view", "programme", "The programme and its per-year target decomposition."),
    "taskforce": ("view", "taskforce", "The task force (工作专班) and its members over time."),
    "report": ("reporting", "report", "Reports over the whole store: progress, the HTML page."),
    "diagram": ("reporting", "diagram", "Draw the parcel (or batch) lifecycle, marking where a record stands."),
    "audit": ("auditing", "audit", "Check every compliance rule over the whole store (纪检监察)."),
    "rules": ("auditing", "rules", "The compliance rules: id, severity, titles, events read, thresholds."),
    "keygen": ("identity", "keygen", "Write a key pair (Ed25519 or SM2) for signing commands and checkpoints."),
    "person": ("identity", "person", "The registry of people: who may sign, in which roles, with which keys."),
    "sign": ("identity", "sign", "Sign the lines of a JSONL file for `apply`."),
    "checkpoint": ("evidence", "checkpoint", "Sign the log's Merkle root; keep the checkpoint outside the store."),
    "verify": ("evidence", "verify", "Recompute every hash chain (and check checkpoints); exit 1 on tampering."),
    "prove": ("evidence", "prove", "An inclusion proof of one event under a checkpoint."),
    "check-proof": ("evidence", "check_proof", "Check an inclusion proof without the store."),
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
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The listing from the table alone: `minerehab --help` imports no command module."""
        rows = [(name, COMMANDS[name][2]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def main(self, args=None, prog_name="minerehab", **extra):
        try:
            code = super().main(args, prog_name, standalone_mode=False, **extra)
        except click.exceptions.Exit as done:
            sys.exit(done.exit_code)
        except click.Abort:
            click.echo("minerehab: aborted", err=True)
            sys.exit(EXIT_REFUSED)
        except getattr(click.exceptions, "NoArgsIsHelpError", ()) as bare:  # `minerehab` alone: the help, exit 0
            click.echo(bare.ctx.get_help())
            sys.exit(0)
        except click.ClickException as error:
            click.echo(f"minerehab: {error.format_message()}", err=True)
            sys.exit(error.exit_code if error.exit_code != 1 else EXIT_REFUSED)
        except Exception as error:
            from events.errors import MinerehabError

            if not isinstance(error, MinerehabError):
                raise
            click.echo(f"minerehab: {error.rendered(chosen_lang())}", err=True)
            sys.exit(error.exit_code)
        sys.exit(code or 0)


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

"""Chinese help and click's own messages when the language is zh.

click renders help (and its usage errors) before any command runs, so the language has to be
known when the command objects are looked up: the root group hands out copies of its commands
with the texts of `console.help_zh` laid over them, and click's gettext calls are answered
from the same catalogue while the language is zh. English objects are never changed.
"""

from __future__ import annotations

import copy

import click

STATE = {"lang": "en"}
_installed = False


def locale_lang(environ) -> str:
    """zh when the locale (MINEREHAB_LANG, LC_ALL, LC_MESSAGES, LANG) is Chinese, else en; read before any
    domain module is imported (as workflow.vocabulary.default_lang reads it)."""
    for key in ("MINEREHAB_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(key)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def set_lang(lang: str) -> None:
    STATE["lang"] = lang
    if lang == "zh":
        install()


def _gettext(message: str) -> str:
    if STATE["lang"] != "zh":
        return message
    from console.help_zh import CLICK

    return CLICK.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


def _width(text: str) -> int:
    from click._compat import strip_ansi

    from console.common import width

    return width(strip_ansi(text))


def install() -> None:
    """Answer click's gettext calls from the catalogue (each click module bound `_` when it was imported)."""
    global _installed
    if _installed:
        return
    import importlib

    for name in ("core", "decorators", "exceptions", "formatting", "parser", "types", "termui"):
        module = importlib.import_module(f"click.{name}")
        if hasattr(module, "_"):
            module._ = _gettext
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext
    formatting = importlib.import_module("click.formatting")
    formatting.term_len = _width  # Chinese characters take two columns: the help's columns line up
    _installed = True


def localised(command: click.Command, path: str) -> click.Command:
    """A copy of `command` (and its subcommands) with the Chinese texts; the original stays English."""
    from console import help_zh

    found = help_zh.COMMANDS.get(path)
    clone = copy.copy(command)
    if found:
        clone.short_help, clone.help = found
    clone._help_option = None  # made again, with the Chinese text
    clone.options_metavar = "[选项]" if command.options_metavar else command.options_metavar
    clone.params = [_param(p, path) for p in command.params]
    if isinstance(command, click.Group):
        clone.subcommand_metavar = "命令 [参数]..."
        clone.commands = {name: localised(sub, f"{path} {name}".strip()) for name, sub in command.commands.items()}
    return clone


def _param(param: click.Parameter, path: str) -> click.Parameter:
    from console import help_zh

    clone = copy.copy(param)
    if isinstance(param, click.Option):
        text = help_zh.OPTIONS.get(f"{path}:{param.name}") or help_zh.OPTIONS.get(param.name)
        if text:
            clone.help = text
        if not param.is_flag:
            base = param.metavar or (param.type.name.upper() if param.type.get_metavar(param=param, ctx=None) is None
                                     else None)
            if base in help_zh.METAVARS:
                clone.metavar = help_zh.METAVARS[base]
    else:
        base = param.metavar or param.name.upper()
        if base in help_zh.METAVARS:
            clone.metavar = help_zh.METAVARS[base]
    return clone


def os_error(message: str) -> str:
    """An operating system's reason (click's file errors pass strerror on) in Chinese."""
    from console.help_zh import OS_ERRORS

    for en, zh in OS_ERRORS.items():
        message = message.replace(en, zh)
    return message

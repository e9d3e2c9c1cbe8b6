"""Shell completion of what the ledger knows: triggers, parcel codes (read from the store), states and roles.

Enable it as click does: `eval "$(_MINEREHAB_COMPLETE=bash_source minerehab)"`. Each completer
imports only what it needs; parcel codes come from one read of the keys, no replay.
"""

from __future__ import annotations

from click.shell_completion import CompletionItem


def _items(table: dict, incomplete: str) -> list[CompletionItem]:
    """Ids starting with what was typed, with their Chinese name as help; a Chinese start completes names."""
    found = [CompletionItem(key, help=names[0]) for key, names in table.items() if key.startswith(incomplete)]
    if not found and incomplete:
        found = [CompletionItem(names[0], help=key) for key, names in table.items() if names[0].startswith(incomplete)]
    return found


def triggers(ctx, param, incomplete: str) -> list[CompletionItem]:
    from workflow.vocabulary import FACTS, TRIGGERS

    return _items({**TRIGGERS, **FACTS}, incomplete)


def states(ctx, param, incomplete: str) -> list[CompletionItem]:
    from workflow.vocabulary import STATES

    return _items(STATES, incomplete)


def roles(ctx, param, incomplete: str) -> list[CompletionItem]:
    from workflow.vocabulary import ROLES

    return _items(ROLES, incomplete)


def parcels(ctx, param, incomplete: str) -> list[CompletionItem]:
    """Codes of the store named by --store (or MINEREHAB_STORE); nothing when there is no store to read."""
    from events.errors import MinerehabError
    from events.reader import keys
    from events.store import resolve

    try:
        store = resolve(ctx.find_root().params.get("store"))
        store.check_ready()
        codes = keys(store, "parcel")
    except (MinerehabError, OSError, ValueError):
        return []
    wanted = incomplete.upper()
    return [CompletionItem(code) for code in codes if code.upper().startswith(wanted)]

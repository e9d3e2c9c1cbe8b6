"""Lifecycle diagrams drawn by transitions' GraphMachine, from the same tables the ledger runs on.

A throwaway GraphMachine is built per drawing (never bound to an aggregate); with a
parcel or batch, its current state is marked active and the moves it made are marked.
Mermaid needs nothing installed; SVG and PNG need Graphviz's `dot`.
"""

from __future__ import annotations

import re
import shutil

from events.errors import BadInput
from workflow import lifecycle
from workflow.vocabulary import STATES, TRIGGERS, label

TABLES = {"parcel": (lifecycle.PARCEL_STATES, lifecycle.PARCEL_TRANSITIONS),
          "batch": (lifecycle.BATCH_STATES, lifecycle.BATCH_TRANSITIONS)}


class DiagramError(BadInput):
    """A drawing that cannot be made here (no Graphviz for svg/png)."""


def graphviz_available() -> bool:
    return shutil.which("dot") is not None


def _graph(kind: str, engine: str, current: str | None, path: list[tuple[str, str]]):
    from transitions.extensions import GraphMachine

    states, transitions = TABLES[kind]

    class Drawing:
        """Stands in for a record while drawing: only its state."""

    model = Drawing()
    machine = GraphMachine(model=model, states=states, transitions=transitions, initial=current or "new",
                           auto_transitions=False, graph_engine=engine, title=f"minerehab {kind} lifecycle")
    graph = machine.model_graphs[id(model)]
    graph.reset_styling()
    for source, dest in path:
        graph.set_node_style(source, "previous")
        graph.set_previous_transition(source, dest)
    if current:
        graph.set_node_style(current, "active")
    return graph


def mermaid(kind: str, lang: str = "en", current: str | None = None, path: list[tuple[str, str]] = ()) -> str:
    text = _graph(kind, "mermaid", current, list(path)).get_graph().draw(None)
    text = re.sub(r'state "(\w+)" as (\w+)', lambda m: f'state "{label(STATES, m.group(1), lang)}" as {m.group(2)}', text)
    return re.sub(r"(--> \w+): ([\w| ]+)$", lambda m: f"{m.group(1)}: {_triggers(m.group(2), lang)}", text, flags=re.M)


def rendered(kind: str, fmt: str, lang: str = "en", current: str | None = None,
             path: list[tuple[str, str]] = ()) -> bytes:
    """SVG or PNG bytes through Graphviz; labels in the chosen language."""
    if not graphviz_available():
        raise DiagramError(f"diagram: --format {fmt} needs Graphviz's `dot`: install it (Debian: apt-get install graphviz) "
                           "or use --format mermaid")
    digraph = _graph(kind, "graphviz", current, list(path)).get_graph()
    digraph.body = [_relabel(line, lang) for line in digraph.body]
    return digraph.pipe(format=fmt)


def _relabel(line: str, lang: str) -> str:
    """Node and edge labels of Graphviz's source, in the chosen language."""
    line = re.sub(r'\[label="(\w+)\\l"', lambda m: f'[label="{label(STATES, m.group(1), lang)}\\l"', line)
    return re.sub(r'\[label="?([\w| ]+?)"?\]', lambda m: f'[label="{_triggers(m.group(1), lang)}"]', line)


def _triggers(names: str, lang: str) -> str:
    return " | ".join(label(TRIGGERS, name.strip(), lang) for name in names.split("|"))


def moves_of(history) -> list[tuple[str, str]]:
    """(from, to) of every move a record made, in order, for marking its path."""
    return [(e.source, e.dest) for e in history if hasattr(e, "source")]

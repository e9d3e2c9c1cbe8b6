"""Lifecycle diagrams from the same tables the ledger runs on (workflow.lifecycle).

Mermaid is written here directly (a title in the front matter, `[*]` to the first state,
every label in the reader's language); SVG and PNG are drawn by transitions' GraphMachine
through Graphviz's `dot`. With a parcel or batch, the states it passed through and its
current state are marked and the moves it made are numbered in order, which draws the
path taken as a route; a legend says so. One record's diagram runs top to bottom so that
it fits a page.
"""

from __future__ import annotations

import re
import shutil

from events.errors import BadInput
from workflow import lifecycle
from workflow.vocabulary import REPORT, STATES, TRIGGERS, label

TABLES = {"parcel": (lifecycle.PARCEL_STATES, lifecycle.PARCEL_TRANSITIONS),
          "batch": (lifecycle.BATCH_STATES, lifecycle.BATCH_TRANSITIONS)}
KIND_NAMES = {"parcel": ("图斑", "parcel"), "batch": ("核销批次", "write-off batch")}
FORMATS = {".mmd": "mermaid", ".mermaid": "mermaid", ".md": "mermaid", ".svg": "svg", ".png": "png"}


class DiagramError(BadInput):
    """A drawing that cannot be made here (no Graphviz for svg/png)."""


def graphviz_available() -> bool:
    return shutil.which("dot") is not None


def format_for(output: str | None, fmt: str | None) -> str:
    """The format asked for, else the one the output file's extension names, else Mermaid."""
    from pathlib import Path

    if fmt:
        return fmt
    if output:
        suffix = Path(output).suffix.lower()
        if suffix in FORMATS:
            return FORMATS[suffix]
        raise BadInput(f"diagram: --output {output}: cannot tell the format from its extension; name a .mmd, .svg or "
                       ".png file or give --format", f"diagram：--output {output}：无法从扩展名判断格式；"
                       "请用 .mmd、.svg 或 .png 文件名，或给出 --format")
    return "mermaid"


def title(kind: str, lang: str, key: str | None = None) -> str:
    what = label(KIND_NAMES, kind, lang)
    life = label(REPORT, "lifecycle", lang)
    if lang == "zh":
        return f"{what} {key} {life}" if key else f"{what}{life}"
    return f"{what} {key} {life}" if key else f"minerehab {what} {life}"


def step_marks(path: list[tuple[str, str]]) -> dict[tuple[str, str], list[int]]:
    """For each move taken, the steps (1, 2, …) at which it was taken."""
    marks: dict[tuple[str, str], list[int]] = {}
    for n, move in enumerate(path, start=1):
        marks.setdefault(move, []).append(n)
    return marks


def numbered(steps: list[int]) -> str:
    return "".join(chr(0x245F + n) if n <= 20 else f"({n})" for n in steps)


def legend_lines(lang: str) -> list[str]:
    if lang == "zh":
        return ["图例：红色 = 当前状态", "蓝色 = 已走过的状态", "①②… = 已走过的路径及顺序"]
    return ["legend: red = current state", "blue = states passed through", "①②… = the path taken, in order"]


def _triggers_of(kind: str) -> dict[tuple[str, str], list[str]]:
    edges: dict[tuple[str, str], list[str]] = {}
    for t in TABLES[kind][1]:
        names = edges.setdefault((t["source"], t["dest"]), [])
        if t["trigger"] not in names:
            names.append(t["trigger"])
    return edges


def mermaid(kind: str, lang: str = "en", current: str | None = None, path: list[tuple[str, str]] = (),
            key: str | None = None) -> str:
    """A Mermaid state diagram of the lifecycle, with the record's path and current state marked."""
    states = TABLES[kind][0]
    path = list(path)
    passed = {s for move in path for s in move}
    marks = step_marks(path)
    lines = ["---", f"title: {title(kind, lang, key)}", "---", "stateDiagram-v2",
             f"  direction {'TB' if current else 'LR'}",
             "  classDef s_default fill:white,color:black",
             "  classDef s_previous fill:#dbeafe,color:#1e3a8a,stroke:#1d4ed8,stroke-width:2px",
             "  classDef s_active fill:#fca5a5,color:black,stroke:#b91c1c,stroke-width:3px"]
    for state in states:
        lines.append(f'  state "{label(STATES, state, lang)}" as {state}')
    lines.append(f"  [*] --> {states[0]}")
    for (source, dest), triggers in _triggers_of(kind).items():
        text = " | ".join(label(TRIGGERS, t, lang) for t in triggers)
        if (source, dest) in marks:
            text = f"{numbered(marks[(source, dest)])} {text}"
        lines.append(f"  {source} --> {dest}: {text}")
    for state in states:
        style = "s_active" if state == current else "s_previous" if state in passed else "s_default"
        lines.append(f"  class {state} {style}")
    if current:
        lines.append(f"  note right of {states[0]}")
        lines += [f"    {line}" for line in legend_lines(lang)]
        lines.append("  end note")
    return "\n".join(lines) + "\n"


def rendered(kind: str, fmt: str, lang: str = "en", current: str | None = None,
             path: list[tuple[str, str]] = (), key: str | None = None) -> bytes:
    """SVG or PNG bytes through Graphviz; labels in the chosen language, the path numbered and drawn bold."""
    if not graphviz_available():
        raise DiagramError(f"diagram: --format {fmt} needs Graphviz's `dot`: install it (Debian: apt-get install graphviz) "
                           "or use --format mermaid")
    path = list(path)
    digraph = _graph(kind, current, path).get_graph()
    marks = step_marks(path)
    digraph.body = [_relabel(line, lang, marks) for line in digraph.body]
    digraph.graph_attr.update(label=title(kind, lang, key), labelloc="t", fontsize="18",
                              rankdir="TB" if current else "LR", fontname=FONT)
    digraph.node_attr.update(fontname=FONT)
    digraph.edge_attr.update(fontname=FONT, fontsize="11")
    if current:
        legend = "\\l".join(legend_lines(lang)) + "\\l"
        digraph.node("legend", label=legend, shape="note", style="filled", fillcolor="#f5f5f5", color="#999999")
    return digraph.pipe(format=fmt)


FONT = "Noto Sans CJK SC,Microsoft YaHei,PingFang SC,sans-serif"


def _graph(kind: str, current: str | None, path: list[tuple[str, str]]):
    from transitions.extensions import GraphMachine

    states, transitions = TABLES[kind]

    class Drawing:
        """Stands in for a record while drawing: only its state."""

    model = Drawing()
    machine = GraphMachine(model=model, states=states, transitions=transitions, initial=current or states[0],
                           auto_transitions=False, graph_engine="graphviz", title=kind)
    graph = machine.model_graphs[id(model)]
    graph.reset_styling()
    for source, dest in path:
        graph.set_node_style(source, "previous")
        graph.set_previous_transition(source, dest)
    if path:
        graph.set_node_style(path[-1][1], "previous")
    if current:
        graph.set_node_style(current, "active")
    return graph


EDGE = re.compile(r"^(\s*)(\w+) -> (\w+) \[label=\"?([\w| ]+?)\"?( |\])")
NODE = re.compile(r'\[label="(\w+)\\l"')


def _relabel(line: str, lang: str, marks: dict) -> str:
    """Node and edge labels of Graphviz's source in the chosen language; the moves taken numbered and bold."""
    line = NODE.sub(lambda m: f'[label="{label(STATES, m.group(1), lang)}\\l"', line)
    found = EDGE.match(line)
    if not found:
        return line
    indent, source, dest, names, after = found.groups()
    text = " | ".join(label(TRIGGERS, n.strip(), lang) for n in names.split("|"))
    extra = ""
    if (source, dest) in marks:
        text = f"{numbered(marks[(source, dest)])} {text}"
        extra = " penwidth=2.5 fontcolor=blue"
    return f'{indent}{source} -> {dest} [label="{text}"{extra}{after}' + line[found.end():]


def moves_of(history) -> list[tuple[str, str]]:
    """(from, to) of every move a record made, in order, for marking its path."""
    return [(getattr(e, "source", "new"), e.dest) for e in history if hasattr(e, "dest")]

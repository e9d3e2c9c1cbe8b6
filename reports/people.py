"""Values as people read them: decimals as written, lists joined, 是/否, ids as names.

A report never shows a Python repr: every value that reaches a page or a sheet passes
through `human`, which knows the field it belongs to so that an enumerated id (a fund
source, a unit's role) is shown by its name in the reader's language.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from workflow.boundaries import KINDS as BOUNDARIES
from workflow.vocabulary import (
    ATTRIBUTES,
    FACTS,
    FIELDS,
    REPORT,
    ROLES,
    STATES,
    TRIGGERS,
    VALUES,
    label,
)

ROLE_FIELDS = {"unit", "role", "roles"}
ENUM_FIELDS = {"feature", "mining_method", "planned_mode", "mode", "source", "method", "account", "destination",
               "stage", "kind"}


def word(key: str, lang: str) -> str:
    """A word of the reports (REPORT table)."""
    return label(REPORT, key, lang)


def field_name(name: str, lang: str) -> str:
    """The name of an event field or attribute."""
    if name in FIELDS:
        return label(FIELDS, name, lang)
    return label(ATTRIBUTES, name, lang)


def decimal_text(value: Decimal) -> str:
    """The decimal as recorded (65.70 stays 65.70), never in exponent form."""
    return format(value, "f")


def event_name(event, lang: str) -> str:
    """The name of what an event did: its trigger or its fact."""
    name = getattr(event, "trigger", None) or event.fact
    return label(FACTS if name in FACTS else TRIGGERS, name, lang)


def human(value, lang: str, field: str | None = None) -> str:
    """One value as text for people."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return word("yes" if value else "no", lang)
    if isinstance(value, Decimal):
        return decimal_text(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return ("、" if lang == "zh" else ", ").join(human(v, lang, field) for v in value)
    if isinstance(value, dict):
        if field == "public_key" and "fingerprint" in value:  # a key is known by its fingerprint
            return str(value["fingerprint"])
        if set(value) >= {"name", "unit"}:  # a person of a group: 张玉峰（自然资源局）
            unit = human(value["unit"], lang, "unit")
            return f"{value['name']}（{unit}）" if lang == "zh" else f"{value['name']} ({unit})"
        sep = "；" if lang == "zh" else "; "
        return sep.join(f"{field_name(k, lang)} {human(v, lang, k)}" for k, v in value.items())
    if isinstance(value, str):
        if field in BOUNDARIES:
            return boundary_text(value, lang)
        if field in ROLE_FIELDS and value in ROLES:
            return label(ROLES, value, lang)
        if field in ENUM_FIELDS and value in VALUES:
            return label(VALUES, value, lang)
        if field == "state" and value in STATES:
            return label(STATES, value, lang)
    return str(value)


def citations(ledger, known: dict | None = None):
    """cite(kind, key, version): the event a finding cites, or None; each cited history is read once
    (`known`: histories already read, by (kind, key)). A subject cited but never recorded reads as empty."""
    # imported here, not at the top: `history` reads this module and starts without the policies
    from policies.refusals import Refused

    histories = dict(known or {})

    def cite(kind, key, version):
        if (kind, key) not in histories:
            try:
                histories[(kind, key)] = {ev.originator_version: ev for ev in ledger.history(kind, key)}
            except Refused:  # shown by name only
                histories[(kind, key)] = {}
        return histories[(kind, key)].get(version)

    return cite


def boundary_text(text: str, lang: str) -> str:
    """A boundary as its size, not its coordinates (those are in the case file's map and `show --json`)."""
    import shapely

    from geometry import stored

    boundary = stored.read_or_none(text)
    if boundary is None:
        return "边界（无法读取）" if lang == "zh" else "boundary (unreadable)"
    vertices = shapely.get_num_coordinates(boundary.shape)
    if lang == "zh":
        return f"边界（{vertices} 个顶点，椭球面积 {decimal_text(boundary.area_ha)} 公顷）"
    return f"boundary ({vertices} vertices, ellipsoidal area {decimal_text(boundary.area_ha)} ha)"


def who(event, lang: str) -> str:
    """The actor and the role they acted in: 张玉峰（自然资源局）."""
    role = label(ROLES, event.role, lang)
    return f"{event.actor}（{role}）" if lang == "zh" else f"{event.actor} ({role})"


def move_text(event, lang: str) -> str:
    """'已完工 → 已验收' for a transition, '' for a fact."""
    if not hasattr(event, "dest"):
        return ""
    return f"{label(STATES, getattr(event, 'source', 'new'), lang)} → {label(STATES, event.dest, lang)}"


def data_text(data: dict, lang: str) -> str:
    """An event's data as 'name value; name value'."""
    sep = "；" if lang == "zh" else "; "
    colon = "：" if lang == "zh" else ": "
    return sep.join(f"{field_name(k, lang)}{colon}{human(v, lang, k)}" for k, v in data.items())


def describe(event, lang: str) -> str:
    """One event in a line: date, what, the move, who, and its data."""
    move = move_text(event, lang)
    head = f"v{event.originator_version} {event.on} {event_name(event, lang)}" + (f"（{move}）" if move and lang == "zh"
                                                                                  else f" ({move})" if move else "")
    data = data_text(event.data, lang)
    return f"{head} · {who(event, lang)}" + (f" · {data}" if data else "")

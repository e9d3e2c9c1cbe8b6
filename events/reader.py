"""One aggregate's history read straight from the store, without building the application.

`minerehab history` is a whole process; loading eventsourcing's application, the
aggregates and the policies would cost it more than the read itself. This reads the
rows with the bare driver and decodes them as the log reader does.
"""

from __future__ import annotations

from contextlib import closing
from datetime import date, datetime

from events.ids import aggregate_id
from events.logreader import decoder
from events.store import TABLE, TABLE_PG


def history_rows(store, kind: str, key: str) -> list[dict]:
    """Every event of one aggregate as plain rows (empty when nothing was recorded for it)."""
    oid = aggregate_id(kind, key)
    if store.kind == "sqlite":
        import sqlite3

        with closing(sqlite3.connect(store.location)) as conn:
            found = conn.execute(f"SELECT originator_version, state FROM {TABLE} WHERE originator_id = ? "
                                 "ORDER BY originator_version", (oid.hex,)).fetchall()
    else:
        with store.connect() as conn:
            found = conn.execute(f"SELECT originator_version, state FROM {store.table(TABLE_PG)} "
                                 "WHERE originator_id = %s ORDER BY originator_version", (oid,)).fetchall()
    return [row(version, decoder.decode(bytes(state).decode())) for version, state in found]


def row(version: int, event: dict) -> dict:
    """One decoded event as the plain row `history` and `log` print."""
    return {
        "version": version, "actor": event["actor"], "role": event["role"], "on": event["on"],
        "recorded_at": event["timestamp"], "reason": event["reason"], "documents": event["documents"],
        "migrated": event["migrated"], "event": event.get("trigger") or event["fact"],
        "from": event.get("source") or ("new" if "dest" in event else None), "to": event.get("dest"),
        "data": event["data"], "signature": event.get("signature"),
    }


def _query(store, sql: str, params: tuple = ()) -> list[tuple]:
    if store.kind == "sqlite":
        import sqlite3

        with closing(sqlite3.connect(store.location)) as conn:
            return conn.execute(sql, params).fetchall()
    with store.connect() as conn:
        return conn.execute(sql.replace("?", "%s"), params).fetchall()


def subjects(store) -> dict[str, str]:
    """Every aggregate's 'kind:key' by its id (32 hex digits), from the chain rows written when each was opened."""
    return {hex_id(oid): subject for oid, subject in _query(
        store, f"SELECT originator_id, subject FROM {store.table('event_chain')} WHERE originator_version = 1")
        if subject}


def hex_id(oid) -> str:
    """An aggregate id as 32 hex digits whatever the backend's type (as events.chain writes it)."""
    return oid.hex if hasattr(oid, "hex") and not isinstance(oid, str) else str(oid).replace("-", "")


def keys(store, kind: str) -> list[str]:
    """The keys of every record of a kind (parcel codes, batch ids…), sorted: one small read, no replay."""
    return sorted(s.partition(":")[2] for s in subjects(store).values() if s.startswith(kind + ":"))


def log_rows(store, since: date | None = None, recorded_after: datetime | None = None) -> list[dict]:
    """Every event of the store in the order it was recorded, with its kind and key; only those dated on or
    after `since` and recorded after `recorded_after` when given."""
    names = subjects(store)
    table, order = (TABLE, "rowid") if store.kind == "sqlite" else (store.table(TABLE_PG), "notification_id")
    rows = []
    for oid, version, state in _query(store, f"SELECT originator_id, originator_version, state FROM {table} "
                                             f"ORDER BY {order}"):
        event = decoder.decode(bytes(state).decode())
        if since is not None and event["on"] < since or recorded_after is not None and \
                event["timestamp"] <= recorded_after:
            continue
        kind, _, key = names.get(hex_id(oid), "?:?").partition(":")
        rows.append({"kind": kind, "key": key, **row(version, event)})
    return rows

"""One aggregate's history read straight from the store, without building the application.

`minerehab history` is a whole process; loading eventsourcing's application, the
aggregates and the policies would cost it more than the read itself. This reads the
rows with the bare driver and decodes them as the log reader does.
"""

from __future__ import annotations

from contextlib import closing

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
    rows = []
    for version, state in found:
        event = decoder.decode(bytes(state).decode())
        rows.append({
            "version": version, "actor": event["actor"], "role": event["role"], "on": event["on"],
            "recorded_at": event["timestamp"], "reason": event["reason"], "documents": event["documents"],
            "migrated": event["migrated"], "event": event.get("trigger") or event["fact"],
            "from": event.get("source") or ("new" if "dest" in event else None), "to": event.get("dest"),
            "data": event["data"], "signature": event.get("signature"),
        })
    return rows

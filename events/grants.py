"""Least privilege on PostgreSQL: the grants for a writer role and a reader role on one store's schema.

`minerehab init` (and `copy` into a new store) runs as the schema's owner; everyone else gets
one of these. A writer may read and append, nothing else: no UPDATE, DELETE or TRUNCATE
anywhere, so no writer can rewrite or wipe history (writers are serialised by an advisory
lock, events/pgchain.py, not by a table lock that would need those privileges). A reader may
only read.
"""

from __future__ import annotations

from events.chain import CHAIN_TABLE, CHECKPOINT_TABLE
from events.rawlog import INFO_TABLE
from events.store import TABLE_PG

SEQUENCE = f"{TABLE_PG}_notification_id_seq"  # eventsourcing's bigserial notification_id
APPENDED = (TABLE_PG, CHAIN_TABLE, CHECKPOINT_TABLE)
TABLES = (*APPENDED, INFO_TABLE)  # store_info is written only by init and copy, which run as the owner


def quoted(name: str) -> str:
    """An SQL identifier, quoted (role names may be anything)."""
    return '"' + name.replace('"', '""') + '"'


def grants_sql(schema: str, writer: str | None = None, reader: str | None = None) -> str:
    """GRANT statements for the store in `schema`: writers SELECT and INSERT, readers SELECT only."""
    s = quoted(schema)
    lines = []
    if writer:
        w = quoted(writer)
        lines += ["-- the writer: read and append only",
                  f"GRANT USAGE ON SCHEMA {s} TO {w};",
                  f"GRANT SELECT, INSERT ON {', '.join(f'{s}.{t}' for t in APPENDED)} TO {w};",
                  f"GRANT SELECT ON {s}.{INFO_TABLE} TO {w};",
                  f"GRANT USAGE ON SEQUENCE {s}.{SEQUENCE} TO {w};"]
    if reader:
        r = quoted(reader)
        lines += ["-- the reader: read only",
                  f"GRANT USAGE ON SCHEMA {s} TO {r};",
                  f"GRANT SELECT ON {', '.join(f'{s}.{t}' for t in TABLES)} TO {r};"]
    return "\n".join(lines) + "\n"

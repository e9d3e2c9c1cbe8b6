"""Where the ledger lives: a store URL becomes eventsourcing's persistence settings.

SQLite (a file, no server) is the default; nothing is ever silently kept in memory,
and a store is created only by `minerehab init`, never implicitly on read.
"""

from __future__ import annotations

import getpass
import os
import re
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from events.errors import BadInput

DEFAULT_STORE = "./minerehab.db"
ENV_VAR = "MINEREHAB_STORE"
TABLE = "stored_events"
TABLE_PG = "minerehab_events"


class StoreError(BadInput):
    """The store named cannot be used as asked (missing, not initialised, unknown scheme)."""


@dataclass(frozen=True)
class Store:
    """A resolved store: its kind, a printable location, and eventsourcing's settings."""

    kind: str
    location: str

    def env(self, create: bool = False) -> dict[str, str]:
        if self.kind == "sqlite":
            return {
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": self.location,
                "SQLITE_LOCK_TIMEOUT": "30",
                "CREATE_TABLE": "y" if create else "n",
                "APPLICATION_RECORDER_TOPIC": "events.chain:ChainedSQLiteRecorder",
            }
        pg = self.postgres
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": pg["dbname"], "POSTGRES_HOST": pg["host"], "POSTGRES_PORT": pg["port"],
            "POSTGRES_USER": pg["user"], "POSTGRES_PASSWORD": pg["password"], "POSTGRES_SCHEMA": pg["schema"],
            "POSTGRES_CONNECT_TIMEOUT": "10", "POSTGRES_LOCK_TIMEOUT": "30",
            "CREATE_TABLE": "y" if create else "n",
            "APPLICATION_RECORDER_TOPIC": "events.pgchain:ChainedPostgresRecorder",
        }

    @property
    def postgres(self) -> dict[str, str]:
        """Connection settings from the URL, else the standard PG environment variables."""
        url = urlsplit(self.location)
        query = parse_qs(url.query)
        return {
            "host": url.hostname or os.environ.get("PGHOST", "127.0.0.1"),
            "port": str(url.port or os.environ.get("PGPORT", "5432")),
            "user": unquote(url.username or "") or os.environ.get("PGUSER") or getpass.getuser(),
            "password": unquote(url.password or "") or os.environ.get("PGPASSWORD", ""),
            "dbname": url.path.lstrip("/") or os.environ.get("PGDATABASE", "minerehab"),
            "schema": query.get("schema", ["public"])[0],
        }

    def table(self, name: str) -> str:
        """A table's name as SQL for this backend: the one owner of schema qualification."""
        return f'"{self.postgres["schema"]}".{name}' if self.kind == "postgresql" else name

    def connect(self):
        """A plain psycopg connection, for set-up and checks outside eventsourcing."""
        import psycopg

        pg = self.postgres
        try:
            return psycopg.connect(host=pg["host"], port=pg["port"], user=pg["user"], password=pg["password"] or None,
                                   dbname=pg["dbname"], connect_timeout=10, autocommit=True)
        except psycopg.Error as error:
            first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
            raise StoreError(f"store {self.printable}: cannot connect ({first})",
                             f"存储 {self.printable}：无法连接（{first}）") from None

    @property
    def printable(self) -> str:
        """The location without its password."""
        return masked(self.location)

    def prepare(self) -> None:
        """Before `init`: on PostgreSQL make sure the schema exists; a SQLite file needs an existing folder."""
        if self.kind == "sqlite":
            folder = Path(self.location).parent
            if not folder.is_dir():
                raise StoreError(f"store {self.location}: the folder {folder} does not exist",
                                 f"存储 {self.location}：文件夹 {folder} 不存在")
        if self.kind == "postgresql":
            with self.connect() as conn:
                conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.postgres["schema"]}"')  # checked by resolve()

    def check_ready(self) -> None:
        """Refuse to open a store that `init` has not created (a read must never create one)."""
        if self.kind == "postgresql":
            with self.connect() as conn:
                found = conn.execute("SELECT to_regclass(%s)", (self.table(TABLE_PG),)).fetchone()
            if not found or found[0] is None:
                raise StoreError(f"store {self.printable} is not initialised; run `minerehab init`",
                                 f"存储 {self.printable} 尚未建立；请运行 `minerehab init`")
            return
        if self.kind == "sqlite":
            path = Path(self.location)
            if not path.is_file():
                raise StoreError(f"store {self.location} does not exist; create it with `minerehab init`",
                                 f"存储 {self.location} 不存在；请用 `minerehab init` 建立")
            try:
                # read-write on purpose: a read-only connection leaves -wal/-shm files behind it
                with closing(sqlite3.connect(path)) as conn:
                    found = conn.execute(
                        "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (TABLE,)
                    ).fetchone()
            except sqlite3.DatabaseError as error:
                raise StoreError(f"store {self.location} is not a minerehab SQLite store ({error})",
                                 f"{self.location} 不是 minerehab 的 SQLite 存储（{error}）") from None
            if not found:
                raise StoreError(f"store {self.location} is not initialised; run `minerehab init`",
                                 f"存储 {self.location} 尚未建立；请运行 `minerehab init`")


def denied(error: BaseException) -> StoreError | None:
    """A write the database role may not make (SQLSTATE 42501, however wrapped) as one line, else None."""
    while error is not None:
        if getattr(error, "sqlstate", None) == "42501":
            first = str(error).strip().splitlines()[0]
            return StoreError(f"store: {first}; this database role lacks the privilege (see `minerehab grants`)",
                              f"存储：{first}；该数据库角色没有此权限（见 `minerehab grants`）")
        error = error.__cause__
    return None


SCHEMA_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,62}")
"""Schema names are pasted into SQL by eventsourcing and us alike: only plain identifiers get that far."""


def masked(url: str) -> str:
    """A store URL as it may be shown: any password replaced by ***."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        password = None
    if "://" in url and (password or "@" in url.split("://", 1)[1].split("/", 1)[0]):
        scheme, rest = url.split("://", 1)
        netloc, slash, path = rest.partition("/")
        user_info, _, host = netloc.rpartition("@")
        user = user_info.split(":", 1)[0]
        return f"{scheme}://{user}{':***' if ':' in user_info else ''}@{host}{slash}{path}"
    return url


def resolve(url: str | None = None) -> Store:
    """`--store URL`, else $MINEREHAB_STORE, else ./minerehab.db; plain paths and sqlite:/// URLs are SQLite."""
    url = url or os.environ.get(ENV_VAR) or DEFAULT_STORE
    if url.startswith(("postgresql://", "postgres://")):
        store = Store("postgresql", url)
        try:
            settings = store.postgres
            int(settings["port"])
        except ValueError as error:
            raise StoreError(f"store {masked(url)}: {error}", f"存储 {masked(url)}：{error}") from None
        if not SCHEMA_NAME.fullmatch(settings["schema"]):
            raise StoreError(f"store {masked(url)}: schema {settings['schema']!r} is not a plain name "
                             "(letters, digits, _; at most 63, not starting with a digit)",
                             f"存储 {masked(url)}：schema {settings['schema']!r} 不是合法名称（字母、数字、下划线，至多 63 个，不以数字开头）")
        return store
    if url.startswith("sqlite:///"):
        url = url[len("sqlite:///"):] or DEFAULT_STORE
    elif "://" in url:
        raise StoreError(f"store {masked(url)}: unknown scheme; use a file path, sqlite:///PATH or postgresql://…",
                         f"存储 {masked(url)}：不认识的协议；请用文件路径、sqlite:///路径 或 postgresql://…")
    if ":memory:" in url or "mode=memory" in url:
        raise StoreError("store: an in-memory store would lose the ledger; name a file")
    return Store("sqlite", url)

"""The application service: runs commands in transactions and answers queries over histories."""

from __future__ import annotations

import random
import time
from datetime import date, datetime
from typing import Callable, Iterable, Iterator
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import datetime_now_with_tzinfo
from eventsourcing.persistence import IntegrityError, JSONTranscoder, StoredEvent

from events import codecs
from events.clock import business_today
from events.ids import KINDS, aggregate_id
from events.rawlog import RawLog
from events.store import Store, resolve
from policies.refusals import Refused
from workflow.commands import Command
from workflow.handlers import HANDLERS, TABLES
from workflow.record import Record, project
from workflow.signing import identity_check

RETRIES = 25


class Conflict(Exception):
    """A stale write: another writer saved a newer version of one of these aggregates first."""


class UnitOfWork:
    """Aggregates loaded and changed by a group of commands that commit together, or not at all."""

    def __init__(self, ledger: "Ledger"):
        self.ledger = ledger
        self.now = ledger.clock()
        self.today = business_today(self.now)
        self.loaded: dict = {}
        self.leaves: list[bytes] | None = None

    def log_root(self, size: int) -> tuple[int, bytes | None]:
        """(how many events the committed log holds, the root of its first `size`, None if it holds fewer):
        the log's leaves are read once per unit of work, however many cosignatures it records."""
        from events import merkle

        if self.leaves is None:
            self.leaves = self.ledger.raw.leaf_hashes()
        held = len(self.leaves)
        return held, merkle.root(self.leaves[:size]) if size <= held else None

    def load(self, kind: str, key: str):
        ident = aggregate_id(kind, key)
        if ident not in self.loaded:
            self.loaded[ident] = self.ledger.find(kind, key)
        return self.loaded[ident]

    def _meta(self, command: Command, kind: str, key: str, version: int, trigger: str, data: dict) -> dict:
        return {"timestamp": self.ledger.clock(), "actor": command.actor, "role": command.role, "on": command.on,
                "reason": command.reason, "documents": command.documents, "migrated": command.migrated,
                "signature": self._signature(command, kind, key, version, trigger, data)}

    def _signature(self, command: Command, kind: str, key: str, version: int, trigger: str, data: dict):
        """The signature the event keeps, checked against the registry; None in an unsigned store."""
        if not self.ledger.signed or command.genesis:
            return None
        if (kind, key) != (command.kind, command.target):  # caused on a member parcel by a batch command
            return {"via": f"{command.kind}:{command.target}@{self.load(command.kind, command.target).version}"}
        return identity_check(self, command, version, data)

    def open(self, cls: type[Record], kind: str, command: Command, dest: str, data: dict) -> Record:
        ident = aggregate_id(kind, command.target)
        record = cls._create(cls.Opened, id=ident, trigger=command.do, dest=dest, key=command.target,
                             data=data, **self._meta(command, kind, command.target, 1, command.do, data))
        self.loaded[ident] = record
        return record

    def move(self, record: Record, command: Command, source: str, dest: str, data: dict) -> None:
        meta = self._meta(command, KINDS[type(record).__name__], record.key, record.version + 1, command.do, data)
        record.trigger_event(record.Transitioned, trigger=command.do, source=source, dest=dest, data=data, **meta)

    def note(self, record: Record, command: Command, data: dict, fact: str | None = None) -> None:
        fact = fact or command.do
        meta = self._meta(command, KINDS[type(record).__name__], record.key, record.version + 1, fact, data)
        record.trigger_event(record.FactRecorded, fact=fact, data=data, **meta)

    def history(self, kind: str, key: str) -> list:
        """Every event of a loaded aggregate, stored and pending, in version order."""
        record = self.load(kind, key)
        stored = list(self.ledger.events.get(aggregate_id(kind, key), lte=record.version - len(record.pending_events)))
        return stored + list(record.pending_events)

    def refresh(self, kind: str, key: str) -> None:
        """Replay a loaded aggregate after a correction, so that later commands of this unit see the corrected
        values; its pending events stay pending."""
        record = self.load(kind, key)
        fresh = project(self.history(kind, key))
        pending = record.pending_events
        state = {k: v for k, v in vars(fresh).items()}
        vars(record).clear()
        vars(record).update(state)
        record._pending_events = list(pending)

    def changed(self) -> list[Record]:
        return [r for r in self.loaded.values() if r is not None and r.pending_events]

    def commit(self) -> None:
        try:
            self.ledger.save(*self.changed())
        except IntegrityError:
            raise Conflict() from None


class Ledger(Application):
    """The minerehab ledger over one store (SQLite file or PostgreSQL database)."""

    name = "minerehab"

    def __init__(self, store: Store | str | None = None, *, create: bool = False,
                 clock: Callable[[], datetime] = datetime_now_with_tzinfo, signing: str = "unsigned"):
        """`signing` ("required" or "unsigned") is fixed when the store is created; a store made before
        signatures existed counts as unsigned."""
        self.store = store if isinstance(store, Store) else resolve(store)
        if create:
            self.store.prepare()
        else:
            self.store.check_ready()
        self.clock = clock
        self.tick = None  # called after each command of a long `execute`, for a progress bar
        super().__init__(env=self.store.env(create))
        self.raw = RawLog(self.recorder)
        if create:
            self.recorder.create_table()
            self.raw.ensure_origin()
            if self.raw.is_empty():
                self.raw.set_info("signing", signing)
        self.signed = self.raw.info("signing") == "required"
        self.origin = self.raw.origin()

    def construct_transcoder(self) -> codecs.StoredJSON:
        transcoder = codecs.StoredJSON()
        self.register_transcodings(transcoder)
        return transcoder

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        codecs.register(transcoder)

    # commands

    def handle(self, uow: UnitOfWork, command: Command) -> dict:
        try:
            outcome = HANDLERS[command.kind](uow, command)
        except Refused as refusal:
            refusal.line = command.line
            raise
        return {"line": command.line, "do": command.do, command.kind: command.target, **outcome}

    def execute(self, commands: Iterable[Command | Refused]) -> list[dict]:
        """All or nothing: every command is checked against the state the earlier ones left, then one commit.

        If another writer got in first (a stale version), everything is reloaded and checked
        again: the commands are then committed on top, or refused with a conflict message.
        """
        commands = list(commands)
        for command in commands:
            if isinstance(command, Refused):
                raise command
        return self._with_retries(commands)

    def _with_retries(self, commands: list[Command]) -> list[dict]:
        for attempt in range(RETRIES):
            uow = UnitOfWork(self)
            try:
                outcomes = []
                for command in commands:
                    outcomes.append(self.handle(uow, command))
                    if self.tick and len(commands) > 1:
                        self.tick()
            except Refused as refusal:
                if attempt:
                    refusal.message = f"conflict: another writer changed the record meanwhile, and now {refusal.message}"
                raise
            try:
                uow.commit()
            except Conflict:
                time.sleep(random.uniform(0, min(0.25, 0.004 * 2 ** attempt)))  # jittered exponential back-off
                continue
            return outcomes
        raise Refused(f"conflict: the records kept changing under {RETRIES} attempts; nothing was written",
                      commands[0].line if commands else None)

    def dry_run(self, commands: list[Command]):
        """Run commands in a unit of work and keep it uncommitted: (outcomes, the unit of work)."""
        uow = UnitOfWork(self)
        return [self.handle(uow, command) for command in commands], uow

    def execute_each(self, commands: Iterable[Command | Refused]) -> Iterator[dict | Refused]:
        """Line by line: each command commits on its own; a refusal is reported and the rest go on."""
        for command in commands:
            if isinstance(command, Refused):
                yield command
                continue
            try:
                [outcome] = self._with_retries([command])
            except Refused as refusal:
                refusal.line = command.line
                yield refusal
            else:
                yield outcome

    # queries

    def find(self, kind: str, key: str, version: int | None = None):
        """The aggregate as it stands (or at `version`), or None if nothing was ever recorded."""
        ident = aggregate_id(kind, key)
        events = list(self.events.get(ident, lte=version))
        return project(events) if events else None

    def get(self, kind: str, key: str, version: int | None = None):
        record = self.find(kind, key, version)
        if record is None:
            raise Refused(f"{kind} {key}: unknown {kind}", zh=f"«kind:{kind}» {key} 不存在")
        return record

    def history(self, kind: str, key: str) -> list:
        events = list(self.events.get(aggregate_id(kind, key)))
        if not events:
            raise Refused(f"{kind} {key}: unknown {kind}", zh=f"«kind:{kind}» {key} 不存在")
        return events

    def view(self, kind: str, key: str, *, as_of: date | None = None, known_at: datetime | None = None,
             version: int | None = None):
        """The record as it said at a business date, a recorded time, a version, or any mix of them."""
        known = [
            e for e in self.history(kind, key)
            if (version is None or e.originator_version <= version) and (known_at is None or e.timestamp <= known_at)
        ]
        events = [e for e in known if as_of is None or e.on <= as_of]
        if not events or events[0].originator_version != 1:
            return None
        if version is not None and events[-1].originator_version < version and as_of is None and known_at is None:
            from events.errors import BadInput
            from workflow.vocabulary import KINDS, label

            last = events[-1].originator_version
            raise BadInput(f"{kind} {key} has {last} version{'' if last == 1 else 's'}; --version {version} does not exist (1–{last})",
                           f"{label(KINDS, kind, 'zh')} {key} 只有 {last} 个版本；不存在版本 {version}（1–{last}）")
        return project(events, known)  # corrections recorded since the as-of date still apply

    def all_events(self, topics: Iterable[str] = ()) -> Iterator:
        """Every event in log order, streamed page by page."""
        start, page = 1, 500
        topics = list(topics)
        while True:
            notifications = self.recorder.select_notifications(start, page, topics=topics)
            for notification in notifications:
                yield self.mapper.to_domain_event(notification)
            if len(notifications) < page:
                return
            start = notifications[-1].id + 1

    def each(self, kind: str, as_of: date | None = None) -> Iterator[Record]:
        """Every aggregate of a kind (as of a business date), one at a time in one pass over the log:
        a national progress report holds one parcel in memory, not all of them."""
        cls = TABLES[kind][0]
        prefix = f"{cls.__module__}:{cls.__qualname__}."
        current = ident = None
        events: list = []
        for oid, version, _nid, topic, state in self.raw.events_by_aggregate():
            if not topic.startswith(prefix):
                continue
            if oid != current:
                record = self._as_of(events, as_of)
                if record is not None:
                    yield record
                current, ident, events = oid, UUID(oid), []
            events.append(self.mapper.to_domain_event(StoredEvent(ident, version, topic, bytes(state))))
        record = self._as_of(events, as_of)
        if record is not None:
            yield record

    @staticmethod
    def _as_of(events: list, as_of: date | None):
        """One aggregate's record as of a business date, with every correction applied (see `view`)."""
        shown = [e for e in events if as_of is None or e.on <= as_of]
        return project(shown, events) if shown and shown[0].originator_version == 1 else None

    def records(self, kind: str, as_of: date | None = None) -> dict[str, Record]:
        """Every aggregate of a kind (as of a business date), by key."""
        return {record.key: record for record in self.each(kind, as_of)}


def copy_store(source: str, target: str, progress=None):
    """Copy every event, chain row and checkpoint into an empty store, then verify the copy.

    `progress(total, label)` gives a context manager yielding a tick function (or None)."""
    from contextlib import nullcontext

    from events.store import StoreError, masked
    from events.verify import verify
    from workflow import attestation
    from workflow.witnessing import claims

    progress = progress or (lambda total, label: nullcontext())
    origin = Ledger(source)
    try:
        try:
            destination = Ledger(target)
        except StoreError:
            destination = Ledger(target, create=True)
        try:
            if not destination.raw.is_empty():
                raise StoreError(f"copy: the target {masked(target)} already holds events; copy only into an empty store",
                                 f"copy：目标 {masked(target)} 已有事件；只能复制到空的存储")
            total = origin.recorder.max_notification_id() or 0
            with progress(total, "copying") as tick, origin.raw.snapshot():
                count = destination.raw.load_copy(origin.raw, tick)
            destination.signed, destination.origin = origin.signed, origin.origin
            with progress(total, "verifying") as tick:
                report = verify(destination.raw, tick=tick, witnessed=claims(destination.raw))
            with progress(total, "checking signatures") as tick:
                report.problems += attestation.check(destination, tick=tick)[1]
        finally:
            destination.close()
    finally:
        origin.close()
    return count, report

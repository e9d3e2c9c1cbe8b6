"""The common shape of every minerehab aggregate: opened, moved between states, facts noted.

Each aggregate (Parcel, WriteOffBatch, Programme, TaskForce) gets its own copy of these
three events (see `__init_subclass__`), so that their stored topics name the aggregate:
`workflow.parcel:Parcel.Opened`. `apply` methods never validate: a replay applies what was
recorded, whatever today's guards would say.

Stored topics are a contract with every store ever written: each aggregate pins its `TOPIC`
(and so its events') explicitly, so that moving or renaming a module changes no topic.
"""

from __future__ import annotations

from typing import Iterable

from eventsourcing.domain import Aggregate

from events.metadata import Meta
from workflow.corrections import CORRECT, marks, patched

EVENTS = ("Opened", "Transitioned", "FactRecorded")


class Record(Aggregate):
    TOPIC: str
    """The aggregate's stored topic, e.g. "workflow.parcel:Parcel"; its events' are TOPIC + ".Opened" etc."""

    def __init_subclass__(cls, **kwargs) -> None:
        """Give the subclass its own Opened, Transitioned and FactRecorded, with pinned topics,
        before eventsourcing looks for them (it registers explicit topics itself)."""
        if "TOPIC" not in cls.__dict__:
            raise TypeError(f"{cls.__qualname__} must pin its stored topic: TOPIC = \"module:{cls.__qualname__}\"")
        for name in ("Event", "Created", *EVENTS):  # eventsourcing wants an explicit topic on each
            if name not in cls.__dict__:
                base = getattr(Record, name)
                topic = f"{cls.TOPIC}.{name}"
                event = type(base)(name, (base,), {"__module__": cls.__module__, "TOPIC": topic,
                                                   "__qualname__": f"{cls.__qualname__}.{name}"})
                setattr(cls, name, event)
        super().__init_subclass__(**kwargs)

    def __init__(self) -> None:
        self.state = "new"
        self.opened_on = None
        self.last_move_on = None
        self.corrections: list[dict] = []  # the fields corrected (workflow.corrections), set by `project`

    class Opened(Aggregate.Created, Meta):
        trigger: str
        dest: str
        key: str
        data: dict

        def apply(self, aggregate: "Record") -> None:
            aggregate.key = self.key
            aggregate.state = self.dest
            aggregate.opened_on = aggregate.last_move_on = self.on
            aggregate.on_opened(self)

    class Transitioned(Aggregate.Event, Meta):
        trigger: str
        source: str
        dest: str
        data: dict

        def apply(self, aggregate: "Record") -> None:
            aggregate.state = self.dest
            aggregate.last_move_on = self.on
            aggregate.on_transitioned(self)

    class FactRecorded(Aggregate.Event, Meta):
        fact: str
        data: dict

        def apply(self, aggregate: "Record") -> None:
            if self.fact != CORRECT:  # a correction's values are in the events it corrects (`project`)
                aggregate.on_fact(self)

    def on_opened(self, event: "Record.Opened") -> None:
        """Subclasses take the opening data into their state."""

    def on_transitioned(self, event: "Record.Transitioned") -> None:
        """Subclasses take a transition's data into their state."""

    def on_fact(self, event: "Record.FactRecorded") -> None:
        """Subclasses take a fact into their state."""


def name_of(event) -> str:
    """The trigger or fact an event records."""
    return getattr(event, "trigger", None) or event.fact


def apply(record: Record | None, event) -> Record | None:
    """One step of a replay: apply the recorded event without today's guards or version checks."""
    if record is None:
        return event.mutate(None) if isinstance(event, Record.Opened) else None
    event.apply(record)
    record.version = event.originator_version
    record.modified_on = event.timestamp
    return record


def project(events: Iterable, corrections: Iterable | None = None) -> Record | None:
    """The record the events make, each corrected event applied as corrected (by the corrections among the
    events, or those given: an as-of view applies the corrections recorded since)."""
    events = list(events)
    corrections = events if corrections is None else list(corrections)
    record = None
    for event in patched(events, corrections):
        record = apply(record, event)
    if record is not None:
        record.corrections = marks(corrections)
    return record

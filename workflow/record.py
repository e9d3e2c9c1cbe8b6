"""The common shape of every minerehab aggregate: opened, moved between states, facts noted.

Each aggregate (Parcel, WriteOffBatch, Programme, TaskForce) gets its own copy of these
three events (see `__init_subclass__`), so that their stored topics name the aggregate:
`workflow.parcel:Parcel.Opened`. `apply` methods never validate: a replay applies what was
recorded, whatever today's guards would say.
"""

from __future__ import annotations

from eventsourcing.domain import Aggregate

from events.metadata import Meta

EVENTS = ("Opened", "Transitioned", "FactRecorded")


class Record(Aggregate):
    def __init_subclass__(cls, **kwargs) -> None:
        """Give the subclass its own Opened, Transitioned and FactRecorded before eventsourcing looks for them."""
        for name in EVENTS:
            if name not in cls.__dict__:
                base = getattr(Record, name)
                setattr(cls, name, type(base)(name, (base,), {"__module__": cls.__module__,
                                                               "__qualname__": f"{cls.__qualname__}.{name}"}))
        super().__init_subclass__(**kwargs)

    def __init__(self) -> None:
        self.state = "new"
        self.opened_on = None
        self.last_move_on = None

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

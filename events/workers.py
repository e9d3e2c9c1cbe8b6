"""Work on a share of the log done by a fresh Python process, beside the caller.

A long read (the audit's fold, verify's checks, the signature check) is split into
independent shares; each worker is a `python -P -c` process (no caller's main module re-run,
nothing of the working directory imported, no connection of this process shared). Its job goes
in as a pickle on stdin, where it may also ask for more (the next share); what it sends comes
out as pickles on stdout, read as they come; its progress comes out on stderr. A worker that
fails says so by `results()` returning None: the caller does its shares itself, so a failed
worker never changes an answer.
"""

from __future__ import annotations

import importlib
import os
import pickle
import subprocess
import sys
import threading

STEP = 1000
"""Events a worker reports at a time (a progress line each)."""

PARALLEL_FROM = 50_000
"""Events from which a read is split by default: below it a worker's start-up (its imports, ≈ 0.5 s) costs more
than it saves."""

SHARE_EVENTS = 20_000
"""Events in a share, about: small enough that the processes finish close together, large enough that a share's
own queries and its worker's question cost nothing beside it."""


def cores(limit: int = 4) -> int:
    """One per core this process may run on, at most `limit`."""
    try:
        available = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        available = os.cpu_count() or 1
    return max(1, min(available, limit))


def processes(events: int, jobs: int | None) -> int:
    """How many processes read a log of `events` events: `jobs` if given, else one per core (at most 4) from
    PARALLEL_FROM events, else one."""
    if jobs is not None:
        return jobs
    return cores() if events >= PARALLEL_FROM else 1


def share_count(events: int, jobs: int) -> int:
    """How many shares a read of `events` events by `jobs` processes is cut into (SHARE_EVENTS each, about)."""
    return max(2 * jobs, events // SHARE_EVENTS)


class Worker:
    """One job, `function` ("module:name") called as function(*args, send=…, tick=…, ask=…) in a fresh process:
    every object it passes to `send` reaches the caller in order (`results`); `tick(n)` advances the caller's
    progress; `ask(question)` waits for the caller's `answer(question)` (what to do next, say)."""

    lock = threading.Lock()
    """Held while a caller's tick runs: the readers of several workers and the caller itself tick one bar."""

    def __init__(self, function: str, args: tuple, tick=None, answer=None):
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        self.process = subprocess.Popen([sys.executable, "-P", "-c", "from events.workers import _work; _work()"],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        self.answer = answer
        self._tell((function, args), last=answer is None)
        self.sent: list = []
        self.broken = False
        self.readers = [threading.Thread(target=self._read_output, daemon=True),
                        threading.Thread(target=self._read_progress, args=(tick,), daemon=True)]
        for reader in self.readers:
            reader.start()

    def _read_output(self) -> None:
        """Unpickle what the worker sends as it comes, so the caller holds objects, not their bytes as well."""
        stream = self.process.stdout
        try:
            while True:
                sent = pickle.load(stream)
                if type(sent) is _Question:
                    self._tell(self.answer(sent.question))
                else:
                    self.sent.append(sent)
        except EOFError:
            pass
        except Exception:  # a worker that wrote something else is a failed worker
            self.broken = True
            stream.read()
        self._tell(None, last=True)

    def _tell(self, what, last: bool = False) -> None:
        """Write to the worker's stdin (its job, an answer); `last` closes it."""
        stdin = self.process.stdin
        try:
            if what is not None or not last:
                pickle.dump(what, stdin)
                stdin.flush()
            if last:
                stdin.close()
        except (OSError, ValueError):  # it died meanwhile, or its stdin is closed: `results` says so
            pass

    def _read_progress(self, tick) -> None:
        for line in self.process.stderr:
            if line.strip().isdigit() and tick:
                with self.lock:
                    tick(int(line))

    def results(self) -> list | None:
        """What the worker sent, in order, or None if it failed (its share is then the caller's to do)."""
        for reader in self.readers:
            reader.join()
        if self.process.wait() != 0 or self.broken or not self.sent or self.sent[-1] is not _DONE:
            return None
        return self.sent[:-1]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class Dispenser:
    """Shares of a split read handed out as they are asked for: the caller takes them from the front, workers from
    the back, until they meet. Nobody waits on a slow start or a heavy share, and the caller's shares are a prefix
    it can fold straight into its result, the workers' the rest (merged after it, in order)."""

    def __init__(self, count: int):
        self.front, self.back, self.lock = 0, count - 1, threading.Lock()

    def first(self) -> int | None:
        with self.lock:
            if self.front > self.back:
                return None
            self.front += 1
            return self.front - 1

    def last(self, _question=None) -> int | None:
        with self.lock:
            if self.front > self.back:
                return None
            self.back -= 1
            return self.back + 1


def finished(workers: list[Worker]) -> dict[int, list]:
    """share → what was sent for it, of the shares a worker finished (each closed by ("done", share)); a failed
    worker's shares count for nothing, so that the caller does them itself."""
    done: dict[int, list] = {}
    for worker in workers:
        current: list = []
        for message in worker.results() or ():
            if message[0] == "done":
                done[message[1]], current = current, []
            else:
                current.append(message)
    return done


def locked(tick):
    """The caller's own tick, taken under the workers' lock (None stays None)."""
    if tick is None:
        return None

    def ticked(n: int = 1) -> None:
        with Worker.lock:
            tick(n)

    return ticked


class _Question:
    """What a worker asks the caller (`ask`), told apart from what it sends."""

    def __init__(self, question):
        self.question = question


class _Done:
    """The last thing a worker sends: what it sent before is complete (a worker cut off midway sends no _DONE)."""

    def __reduce__(self):
        return "_DONE"


_DONE = _Done()


def _work() -> None:
    """The worker's side of `Worker`: the job from stdin, each object sent pickled to stdout at once."""
    stdin, out = sys.stdin.buffer, sys.stdout.buffer
    function, args = pickle.load(stdin)
    module, name = function.split(":")

    def send(obj) -> None:
        pickle.dump(obj, out, protocol=pickle.HIGHEST_PROTOCOL)

    def ask(question):
        send(_Question(question))
        out.flush()
        return pickle.load(stdin)

    pending = 0

    def tick(n: int = 1) -> None:
        """Progress, a line at most every STEP events (a line an event would cost more than the event)."""
        nonlocal pending
        pending += n
        if pending >= STEP:
            print(pending, file=sys.stderr, flush=True)
            pending = 0

    getattr(importlib.import_module(module), name)(*args, send=send, tick=tick, ask=ask)
    if pending:
        print(pending, file=sys.stderr, flush=True)
    send(_DONE)
    out.flush()

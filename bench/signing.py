"""Benchmark: what signatures cost. `apply` signed vs unsigned, and `verify` with and without signature checks.

Usage: python bench/signing.py [--parcels 300] [--store-parcels 2000] [--store bench/out/signed.db]
Each figure is measured beside its baseline in the same run (this machine is noisy):
- apply of the same commands into an unsigned store, a signed store (Ed25519) and a signed store (SM2):
  µs per command, the signed/unsigned difference per command, and each against eventsourcing's own save of
  as many bare events (bench/apply.py's peer);
- verify of a signed store: the hash chains alone, then every signature against the registry; the
  signature pass per event against the bare library verification of one signature (Ed25519 or SM2).
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from apply import commands, time_eventsourcing  # noqa: E402
from generate import build  # noqa: E402

from events import keys  # noqa: E402
from events.verify import verify  # noqa: E402
from workflow import attestation  # noqa: E402
from workflow.commands import read_jsonl  # noqa: E402
from workflow.ledger import Ledger  # noqa: E402
from workflow.registry import found_store  # noqa: E402


def time_apply(jsonl: list[str], folder: Path, algorithm: str | None) -> float:
    path = folder / f"apply-{algorithm or 'unsigned'}-{time.perf_counter_ns()}.db"
    ledger = Ledger(str(path), create=True, signing="required" if algorithm else "unsigned")
    signer = None
    if algorithm:
        signer = keys.generate(algorithm)
        keys.write_keypair(folder / f"{path.name}.key", signer)
        found_store(ledger, "张玉峰", "nrb", str(folder / f"{path.name}.key.pub"), __import__("datetime").date(2023, 1, 1))
    batch = list(read_jsonl(io.StringIO("".join(jsonl)), migrated=True))
    for command in batch:
        command.signer, command.signed_by = signer, "张玉峰"
    started = time.perf_counter()
    ledger.execute(batch)
    elapsed = time.perf_counter() - started
    ledger.close()
    return elapsed


def bare_verify(algorithm: str, n: int) -> float:
    """Seconds per verification of one signature by the library alone (a 300-byte message)."""
    key = keys.generate(algorithm)
    message = b"x" * 300
    signature = key.sign(message)
    public = keys.PublicKey(key.public.algorithm, key.public.raw)
    started = time.perf_counter()
    for _ in range(n):
        public.verify(message, signature)
    return (time.perf_counter() - started) / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parcels", type=int, default=300, help="parcels whose life `apply` records")
    parser.add_argument("--store-parcels", type=int, default=2000, help="parcels in the store `verify` reads")
    parser.add_argument("--store", default=None, help="a signed store to verify (built with bench/generate.py --signed)")
    parser.add_argument("--algorithm", default="ed25519", choices=["ed25519", "sm2"])
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    jsonl = commands(args.parcels)
    n = len(jsonl)
    plain = time_apply(jsonl, folder, None)
    ed = time_apply(jsonl, folder, "ed25519")
    sm2 = time_apply(jsonl, folder, "sm2")
    print(f"apply {n} commands   unsigned {plain / n * 1e6:.0f} µs/command   Ed25519 {ed / n * 1e6:.0f} µs "
          f"(+{(ed - plain) / n * 1e6:.0f})   SM2 {sm2 / n * 1e6:.0f} µs (+{(sm2 - plain) / n * 1e6:.0f})   "
          f"ratios {ed / plain:.2f}x / {sm2 / plain:.2f}x")
    bare_save = min(time_eventsourcing(n, folder) for _ in range(3))
    print(f"against eventsourcing's own save of {n} bare events ({bare_save / n * 1e6:.0f} µs/event): throughput "
          f"unsigned {bare_save / plain:.2f}, Ed25519 {bare_save / ed:.3f}, SM2 {bare_save / sm2:.3f} of it")
    store = args.store
    if store is None:
        store = str(folder / "verify.db")
        build(store, args.store_parcels, 250, signed=args.algorithm)
    ledger = Ledger(store)
    started = time.perf_counter()
    report = verify(ledger.raw)
    chains = time.perf_counter() - started
    started = time.perf_counter()
    checked, problems = attestation.check(ledger)
    signatures = time.perf_counter() - started
    ledger.close()
    assert report.ok and not problems, (report.problems[:3], problems[:3])
    per = signatures / report.events
    bare = bare_verify(args.algorithm, 2000)
    print(f"verify {report.events} events ({checked} signed by {args.algorithm})   chains {chains:.2f} s "
          f"({chains / report.events * 1e6:.1f} µs/event)   signatures {signatures:.2f} s ({per * 1e6:.1f} µs/event)   "
          f"bare {args.algorithm} verify {bare * 1e6:.1f} µs   signature pass / bare {per / bare:.2f}x")


if __name__ == "__main__":
    main()

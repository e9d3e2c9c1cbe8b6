"""The leader's dashboard at scale: `minerehab report html` on a store built by bench/generate.py.

Usage: python bench/dashboard.py --store bench/out/100000.db [--as-of 2026-01-01]
Runs the command as its own process (as a user would) and reports its wall time, its peak
memory (the process's maximum resident set), the page's size and the case files written
beside it; the full audit alone (`minerehab audit --format json`) is measured the same way
as the baseline, since the dashboard includes one.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measured(args: list[str], store: str) -> tuple[float, int, subprocess.CompletedProcess]:
    """(seconds, peak RSS in bytes, result) of one CLI process."""
    env = {**os.environ, "MINEREHAB_STORE": store}
    script = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
              "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE); "
              "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.returncode); "
              "sys.stderr.write(r.stderr.decode()[-2000:])")
    result = subprocess.run([sys.executable, "-c", script, sys.executable, str(ROOT / "cli.py"), *args], env=env,
                            capture_output=True, text=True, cwd=ROOT)
    seconds, peak_kb, _code = result.stdout.split()
    return float(seconds), int(peak_kb) * 1024, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True)
    parser.add_argument("--as-of", default="2026-01-01")
    parser.add_argument("--lang", default="zh")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "dashboard.html"
        audit_s, audit_peak, _ = measured(["audit", "--as-of", options.as_of, "--format", "json"], options.store)
        html_s, html_peak, result = measured(["--lang", options.lang, "report", "html", str(page), "--as-of",
                                              options.as_of], options.store)
        if not page.exists():
            sys.exit(f"no page written: {result.stderr}")
        cases = list((Path(folder) / "dashboard-parcels").glob("*.html"))
        size = page.stat().st_size
        print(f"report html: {html_s:.1f} s, peak {html_peak / 2**20:.0f} MB; page {size / 2**20:.2f} MB "
              f"({size:,} bytes); {len(cases)} case files, {sum(c.stat().st_size for c in cases) / 2**20:.1f} MB")
        print(f"audit alone: {audit_s:.1f} s, peak {audit_peak / 2**20:.0f} MB")
        print(f"goals: peak <= 300 MB: {'met' if html_peak <= 300 * 2**20 else 'NOT met'}; "
              f"page < 5 MB: {'met' if size < 5 * 2**20 else 'NOT met'}")


if __name__ == "__main__":
    main()

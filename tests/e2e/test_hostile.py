"""Hostile input, end to end: the real `minerehab` CLI in a subprocess, on SQLite and PostgreSQL.

Every case feeds one hostile input to one command and expects the README's promise for bad
input: exit code 2, exactly one line on stderr (never a traceback), the store unchanged
(every row of every table; on PostgreSQL also its sequences), and every later read (`list`,
`show`, `history`, `audit`, `report progress`, `verify`) still working - no "poison event"
may get into the log. A few cases check something else that must not happen instead: a
password printed, a file destroyed, a formula in a CSV cell, raw escape sequences on a
terminal, a key file readable by others.

Self-contained on purpose (no conftest fixtures, no tests/stores.py): it builds its own
stores, template and fingerprints. Slow parts carry `@pytest.mark.slow` (register the marker
in pyproject's [tool.pytest.ini_options] markers). PostgreSQL cases skip, with the reason,
when no server answers at MINEREHAB_TEST_PG (default postgresql://127.0.0.1:5432/test).

Speed: one subprocess per attack; the later reads run in ONE extra subprocess (a small driver
calling the click group once per read) and only when the attack exited with something other
than 2 or changed the store - an unchanged store is the template, whose reads are checked once.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

REPO = Path(__file__).resolve().parents[2]
PG_BASE = os.environ.get("MINEREHAB_TEST_PG", "postgresql://127.0.0.1:5432/test")
ACTOR, ROLE = "张玉峰", "nrb"
AS_OF = "2026-01-01"
SLOW = pytest.mark.slow

# --- running the CLI ---------------------------------------------------------------------


@dataclass
class Result:
    code: int | str          # exit code, or "timeout"
    out: str
    err: str
    seconds: float

    @property
    def err_lines(self) -> list[str]:
        return self.err.rstrip("\n").split("\n") if self.err.strip() else []

    @property
    def exception(self) -> str:
        """The exception line of a traceback on stderr, if any."""
        if "Traceback" not in self.err:
            return ""
        lines = [line for line in self.err_lines if line.strip()]
        return lines[-1][:160] if lines else "Traceback"


def base_env(url: str | None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MINEREHAB_", "PG"))}
    env.update({"MINEREHAB_ACTOR": ACTOR, "MINEREHAB_ROLE": ROLE, "MINEREHAB_LANG": "en",
                "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PYTHONPATH": str(REPO)})
    if url is not None:
        env["MINEREHAB_STORE"] = url
    env.update(extra)
    return env


def run_cli(args: list[str], url: str | None, cwd: Path, stdin: bytes | None = None, timeout: float = 120,
            limit_as: int | None = None, env_extra: dict | None = None) -> Result:
    """`minerehab ARGS` as the console script runs it (`cli:main`), in its own process."""
    def limits():
        if limit_as:
            resource.setrlimit(resource.RLIMIT_AS, (limit_as, limit_as))

    started = time.monotonic()
    try:
        proc = subprocess.run([sys.executable, "-c", "import cli; cli.main()", *args], input=stdin or b"",
                              capture_output=True, timeout=timeout, cwd=cwd,
                              env=base_env(url, **(env_extra or {})), preexec_fn=limits)
    except subprocess.TimeoutExpired as gone:
        return Result("timeout", (gone.stdout or b"").decode("utf-8", "replace"),
                      (gone.stderr or b"").decode("utf-8", "replace"), time.monotonic() - started)
    return Result(proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"),
                  time.monotonic() - started)


READS_DRIVER = r"""
import contextlib, io, json, sys, traceback
import cli
results = []
for args in json.loads(sys.argv[1]):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            cli.cli.main(args, prog_name="minerehab")
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        except BaseException:
            traceback.print_exc()
            code = "crash"
    results.append({"args": args, "code": code, "out": out.getvalue()[-20000:], "err": err.getvalue()[-4000:]})
sys.stdout.write(json.dumps(results))
"""

# read -> exit codes that mean "worked"
STANDARD_READS: list[tuple[list[str], tuple]] = [
    (["list"], (0,)),
    (["list", "--json"], (0,)),
    (["show", "HX-01"], (0,)),
    (["show", "HX-01", "--json"], (0,)),
    (["history", "HX-01"], (0,)),
    (["history", "HX-02", "--json"], (0,)),
    (["audit", "--as-of", AS_OF, "--format", "json"], (0, 1)),
    (["report", "progress", "--as-of", AS_OF], (0,)),
    (["report", "progress", "--as-of", AS_OF, "--format", "csv"], (0,)),
    (["verify"], (0,)),
]


def run_reads(url: str, cwd: Path, reads: list[tuple[list[str], tuple]]) -> tuple[list[dict], list[str]]:
    """Every read in one process; returns the raw results and the problems found."""
    proc = subprocess.run([sys.executable, "-c", READS_DRIVER, json.dumps([r for r, _ in reads])],
                          capture_output=True, timeout=300, cwd=cwd, env=base_env(url))
    try:
        results = json.loads(proc.stdout.decode("utf-8", "replace"))
    except ValueError:
        return [], [f"reads driver died: exit {proc.returncode} {proc.stderr.decode('utf-8', 'replace')[-300:]}"]
    problems = []
    for (args, ok), got in zip(reads, results):
        if got["code"] not in ok or "Traceback" in got["err"]:
            lines = [line for line in got["err"].splitlines() if line.strip()]
            problems.append(f"read `{' '.join(args)}` -> exit {got['code']}: {(lines[-1] if lines else '')[:120]}")
    return results, problems


# --- stores: template, copies, fingerprints ---------------------------------------------


def pg_conninfo() -> str:
    parts = urlsplit(PG_BASE)
    return parts._replace(query="").geturl()


@lru_cache(maxsize=1)
def pg_unavailable() -> str | None:
    try:
        import psycopg

        psycopg.connect(pg_conninfo(), connect_timeout=3, autocommit=True).close()
    except Exception as error:  # noqa: BLE001 - any reason is a reason to skip
        return f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''}"
    return None


def pg():
    import psycopg

    return psycopg.connect(pg_conninfo(), connect_timeout=10, autocommit=True)


def pg_url(schema: str) -> str:
    return f"{PG_BASE}{'&' if '?' in PG_BASE else '?'}schema={schema}"


def fingerprint(backend: str, url: str) -> str:
    """Every row of every table (SQLite: and the schema itself; PostgreSQL: and every sequence)."""
    digest = hashlib.sha256()
    if backend == "sqlite":
        path = Path(url)
        if not path.is_file():
            return "absent"
        try:
            conn = sqlite3.connect(path)
            try:
                tables = conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()
                digest.update(repr(tables).encode())
                for kind, name, _sql in tables:
                    if kind == "table":
                        rows = conn.execute(f'SELECT * FROM "{name}"').fetchall()
                        digest.update(name.encode() + repr(sorted(map(repr, rows))).encode())
            finally:
                conn.close()
        except sqlite3.DatabaseError as error:
            return f"unreadable: {error} / sha256 {hashlib.sha256(path.read_bytes()).hexdigest()}"
        return digest.hexdigest()
    schema = dict(p.split("=", 1) for p in urlsplit(url).query.split("&"))["schema"]
    with pg() as conn:
        tables = [r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema=%s ORDER BY 1", (schema,))]
        digest.update(repr(tables).encode())
        for table in tables:
            rows = conn.execute(f'SELECT * FROM "{schema}"."{table}"').fetchall()
            rows = [tuple(bytes(x) if isinstance(x, memoryview) else x for x in row) for row in rows]
            digest.update(table.encode() + repr(sorted(map(repr, rows))).encode())
        seqs = conn.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname=%s ORDER BY 1",
                            (schema,)).fetchall()
        digest.update(repr(seqs).encode())
    return digest.hexdigest()


def jsonl(*lines: dict) -> str:
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)


PREP = [
    {"do": "register", "parcel": "HX-01", "actor": ACTOR, "role": "nrb", "on": "2023-03-01",
     "data": {"name": "老风口采坑", "township": "庙尔沟镇", "area_ha": 6.1234}},
    {"do": "plan", "parcel": "HX-01", "actor": ACTOR, "role": "nrb", "on": "2023-03-08",
     "data": {"programme": "TL-2023-2025", "year": 2023, "mode": "ecological_reconstruction",
              "planned_investment": 120.5}},
    {"do": "commission_survey", "parcel": "HX-01", "actor": ACTOR, "role": "nrb", "on": "2023-03-10",
     "data": {"survey_unit": "测绘院", "contract_ref": "KC-1"}},
    {"do": "deliver_survey", "parcel": "HX-01", "actor": "测绘院", "role": "survey_unit", "on": "2023-03-20",
     "data": {"report_ref": "KC-R-1"}},
    {"do": "register", "parcel": "HX-02", "actor": ACTOR, "role": "nrb", "on": "2023-03-02",
     "data": {"name": "二号采坑", "township": "托里镇", "area_ha": 2.5}},
]

# a submit_design that the ledger accepts for HX-01 (state surveyed), but for the field under attack
DESIGN = ["do", "submit_design", "HX-01", "--on", "2023-04-01", "--role", "design_unit", "--actor", "设计院",
          "--set", "design_ref=SJ-1", "--set", "design_date=2023-04-01", "--set", "boundary_area_ha=6",
          "--set", "budget=100", "--set", "authors=王工"]
DESIGN_LINE = {"do": "submit_design", "parcel": "HX-01", "actor": "设计院", "role": "design_unit", "on": "2023-04-01",
               "data": {"design_ref": "SJ-1", "design_date": "2023-04-01", "boundary_area_ha": 6, "budget": 100,
                        "authors": ["王工"]}}


def register(code: str = "HX-NEW", *sets: str, on: str = "2023-03-01") -> list[str]:
    base = {"name": "name=新采坑", "township": "township=托里镇", "area_ha": "area_ha=1.5"}
    for s in sets:
        base[s.split("=", 1)[0]] = s
    return ["do", "register", code, "--on", on, *[x for s in base.values() for x in ("--set", s)]]


def register_line(code: str = "HX-NEW", **data) -> dict:
    return {"do": "register", "parcel": code, "actor": ACTOR, "role": "nrb", "on": "2023-03-01",
            "data": {"name": "新采坑", "township": "托里镇", "area_ha": 1.5, **data}}


@dataclass
class Template:
    db: Path
    key: Path
    pub: Path
    checkpoint: Path
    proof: Path
    folder: Path


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Template:
    folder = tmp_path_factory.mktemp("hostile-template")
    db = folder / "template.db"
    url = str(db)
    steps = [
        ["init", "--unsigned"],
        ["apply", str(REPO / "examples/tuoli-2023-2025/programme.jsonl")],
        ["apply", str(folder / "prep.jsonl")],
        ["keygen", "--out", str(folder / "auditor.key")],
        ["checkpoint", "--key", str(folder / "auditor.key"), "--out", str(folder / "cp.json"), "--format", "json"],
    ]
    (folder / "prep.jsonl").write_text(jsonl(*PREP), encoding="utf-8")
    for args in steps:
        done = run_cli(args, url, folder)
        assert done.code == 0, (args, done.err)
    proof = run_cli(["prove", "HX-01", "1", "--checkpoint", str(folder / "cp.json")], url, folder)
    assert proof.code == 0, proof.err
    (folder / "proof.json").write_text(proof.out, encoding="utf-8")
    assert not Path(url + "-wal").exists() or Path(url + "-wal").stat().st_size == 0
    _, problems = run_reads(url, folder, STANDARD_READS)
    assert not problems, f"the template's own reads fail: {problems}"
    return Template(db, folder / "auditor.key", folder / "auditor.key.pub", folder / "cp.json",
                    folder / "proof.json", folder)


@dataclass
class Env:
    backend: str
    url: str
    tmp: Path
    tmpl: Template
    cleanups: list = field(default_factory=list)

    def file(self, name: str, content: bytes | str) -> str:
        path = self.tmp / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return str(path)

    def run(self, args: list[str], **kw) -> Result:
        return run_cli(args, self.url, self.tmp, **kw)

    def reads(self, extra: list[tuple[list[str], tuple]] = ()) -> tuple[list[dict], list[str]]:
        return run_reads(self.url, self.tmp, [*STANDARD_READS, *extra])


def make_env(backend: str, tmp: Path, tmpl: Template) -> Env:
    if backend == "sqlite":
        db = tmp / "store.db"
        shutil.copyfile(tmpl.db, db)
        return Env(backend, str(db), tmp, tmpl)
    if pg_unavailable():
        pytest.skip(f"PostgreSQL not reachable at {PG_BASE}: {pg_unavailable()}")
    schema = f"hx_{uuid.uuid4().hex[:12]}"
    url = pg_url(schema)
    env = Env(backend, url, tmp, tmpl)
    env.cleanups.append(lambda: drop_schema(schema))
    with pg() as conn:
        conn.execute(pg_template_script(tmpl).replace(PG_TEMPLATE_SCHEMA, schema))
    return env


PG_TEMPLATE_SCHEMA = f"hxtmpl_{uuid.uuid4().hex[:12]}"


@lru_cache(maxsize=1)
def _pg_script(db: str, folder: str) -> str:
    """The template copied to PostgreSQL by `minerehab copy` once, dumped as SQL; each test replays it under a
    fresh schema name (much faster than one `copy` subprocess per test)."""
    url = pg_url(PG_TEMPLATE_SCHEMA)
    done = run_cli(["copy", "--from", db, "--to", url], None, Path(folder))
    assert done.code == 0, f"could not copy the template to PostgreSQL: {done.err}"
    parts = urlsplit(PG_BASE)
    dump = subprocess.run(["pg_dump", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432),
                           *(["-U", parts.username] if parts.username else []), "-d", parts.path.lstrip("/"),
                           "-n", PG_TEMPLATE_SCHEMA, "--inserts", "--no-owner", "--no-privileges"],
                          capture_output=True, text=True, check=True).stdout
    drop_schema(PG_TEMPLATE_SCHEMA)
    return "\n".join(line for line in dump.splitlines() if not line.startswith("\\"))


def pg_template_script(tmpl: Template) -> str:
    return _pg_script(str(tmpl.db), str(tmpl.folder))


def drop_schema(schema: str) -> None:
    with pg() as conn:
        conn.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')


# --- what a hostile input may do ---------------------------------------------------------

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x9b]")


def judge(env: Env, result: Result, before: str, expect: str = "refuse", extra_reads=(),
          check: Callable | None = None) -> list[str]:
    """Problems with what the command did; empty when it behaved. The first entry is what was observed."""
    after = fingerprint(env.backend, env.url)
    changed = after != before
    problems = []
    if expect == "refuse" and result.code != 2:
        problems.append(f"exit {result.code}, not 2")
    if expect == "refuse_or_ok" and result.code not in (0, 2):
        problems.append(f"exit {result.code}, not 0 or 2")
    if expect == "no_crash" and result.code not in (0, 1, 2):
        problems.append(f"exit {result.code}")
    if result.exception:
        problems.append(f"traceback {result.exception}")
    if result.code == 2 and len(result.err_lines) != 1:
        problems.append(f"stderr has {len(result.err_lines)} lines, not 1")
    if result.code == 2 and changed:
        problems.append("store changed although refused")
    if expect == "refuse" and changed and result.code != 2:
        problems.append("store changed")
    if changed:  # an unchanged store is the template, whose reads were checked once
        _, read_problems = env.reads(list(extra_reads))
        problems += read_problems
    if check is not None:
        problems += check(env, result)
    if problems:
        first = result.err_lines[0][:140] if result.err_lines else ""
        problems.insert(0, f"OBSERVED exit={result.code} stderr1={first!r} store_changed={changed} "
                           f"({result.seconds:.1f}s)")
    return problems


# --- cases ---------------------------------------------------------------------------------

BOTH = ("sqlite", "postgresql")
SQLITE = ("sqlite",)   # the input never reaches a store, or the store must be a file


@dataclass
class Case:
    id: str
    make: Callable[[Env], list[str]]
    backends: tuple = BOTH
    expect: str = "refuse"          # refuse | refuse_or_ok | no_crash
    check: Callable | None = None
    reads: tuple = ()
    stdin: Callable[[Env], bytes] | None = None
    timeout: float = 120
    limit_as: int | None = None
    slow: bool = False


def nested_list(depth: int) -> str:
    return "[" * depth + "1" + "]" * depth


def not_leaked(secret: str):
    def check(env: Env, result: Result) -> list[str]:
        return [f"secret {secret!r} printed"] if secret in result.out or secret in result.err else []
    return check


def file_unchanged(path_of: Callable[[Env], Path], content: bytes):
    def check(env: Env, result: Result) -> list[str]:
        path = path_of(env)
        return [] if path.is_file() and path.read_bytes() == content else [f"{path.name} was overwritten"]
    return check


def quick(seconds: float):
    def check(env: Env, result: Result) -> list[str]:
        return [] if result.seconds < seconds else [f"took {result.seconds:.1f}s (limit {seconds}s)"]
    return check


def no_raw_controls(*reads: list[str]):
    def check(env: Env, result: Result) -> list[str]:
        if result.code != 0:
            return []
        got, problems = run_reads(env.url, env.tmp, [(r, (0, 1)) for r in reads])
        for item in got:
            text = item["out"] + item["err"]
            bad = sorted({repr(c) for c in CONTROL.findall(text)} | ({"'\\n'+forged line"} if "\nv99" in text else set()))
            if bad:
                problems.append(f"`{' '.join(item['args'])}` prints raw {','.join(bad)}")
        return problems
    return check


FORMULA = re.compile(r"^[=+\-@\t\r]")


def no_formula_cells(env: Env, result: Result) -> list[str]:
    if result.code != 0:
        return []
    got, problems = run_reads(env.url, env.tmp, [(["audit", "--as-of", AS_OF, "--format", "csv"], (0, 1)),
                                                 (["report", "progress", "--as-of", AS_OF, "--format", "csv"], (0,))])
    for item in got:
        for row in csv.reader(io.StringIO(item["out"])):
            for cell in row:
                if FORMULA.match(cell) and not re.fullmatch(r"-?\d+(\.\d+)?", cell):
                    problems.append(f"`{' '.join(item['args'][:1])} --format csv` writes the cell {cell[:40]!r}")
                    break
    return problems


def victim_survives(env: Env, result: Result) -> list[str]:
    with pg() as conn:
        found = conn.execute("SELECT to_regclass(%s)", (f"public.{env.victim}",)).fetchone()[0]
    return [] if found else [f"public.{env.victim} was DROPPED (SQL injection through ?schema=)"]


def garbage_checkpoints() -> dict[str, Callable[[Env], bytes]]:
    def good(env):
        return json.loads(env.tmpl.checkpoint.read_text(encoding="utf-8"))

    return {
        "tree_size-abc": lambda e: json.dumps({**good(e), "tree_size": "abc"}).encode(),
        "tree_size-huge": lambda e: json.dumps({**good(e), "tree_size": 10 ** 30}).encode(),
        "tree_size-negative": lambda e: json.dumps({**good(e), "tree_size": -1}).encode(),
        "root-not-hex": lambda e: json.dumps({**good(e), "root": "zz"}).encode(),
        "list": lambda e: b"[]",
        "not-json": lambda e: b"this is not json",
        "empty": lambda e: b"",
        "invalid-utf8": lambda e: b'{"tree_size": "\xff\xfe"}',
        "huge-file": lambda e: b'{"pad": "' + b"A" * 60_000_000 + b'"}',
    }


def ckpt_cases() -> list[Case]:
    cases = []
    for name, body in garbage_checkpoints().items():
        slow = name == "huge-file"
        cases.append(Case(f"verify-checkpoint-{name}",
                          lambda e, b=body: ["verify", "--checkpoint", e.file("bad.checkpoint.json", b(e)),
                                             "--pubkey", str(e.tmpl.pub)], slow=slow))
        cases.append(Case(f"prove-checkpoint-{name}",
                          lambda e, b=body: ["prove", "HX-01", "1", "--checkpoint",
                                             e.file("bad.checkpoint.json", b(e))], SQLITE, slow=slow))
        cases.append(Case(f"consistency-new-{name}",
                          lambda e, b=body: ["consistency", str(e.tmpl.checkpoint),
                                             e.file("bad.checkpoint.json", b(e))], SQLITE, slow=slow))
    return cases


def proof_cases() -> list[Case]:
    def mutated(**changes):
        def body(e):
            proof = json.loads(e.tmpl.proof.read_text(encoding="utf-8"))
            for k, v in changes.items():
                if k == "checkpoint":
                    proof["checkpoint"] = {**proof["checkpoint"], **v}
                else:
                    proof[k] = v
            return json.dumps(proof).encode()
        return body

    bodies = {
        "not-json": lambda e: b"garbage",
        "empty": lambda e: b"",
        "list": lambda e: b"[1, 2]",
        "empty-object": lambda e: b"{}",
        "invalid-utf8": lambda e: b"\xff\xfe\xfd",
        "leaf_index-abc": mutated(leaf_index="abc"),
        "path-not-list": mutated(path=5),
        "checkpoint-tree_size-abc": mutated(checkpoint={"tree_size": "abc"}),
        "deep-nesting": lambda e: nested_list(100_000).encode(),
    }
    return [Case(f"check-proof-{name}",
                 lambda e, b=body: ["check-proof", e.file("bad.proof.json", b(e)), "--pubkey", str(e.tmpl.pub)],
                 SQLITE) for name, body in bodies.items()]


def xlsx_bomb(path: Path, megabytes: int = 200) -> Path:
    """A few hundred KB that inflate to `megabytes` of sheet XML."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                   '</Types>')
        z.writestr("_rels/.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}">'
                   f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        z.writestr("xl/workbook.xml", f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} xmlns:r="{rel}">'
                   '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        z.writestr("xl/_rels/workbook.xml.rels", f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg}">'
                   f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><sheetData>'.encode())
            sheet.write('<row><c t="inlineStr"><is><t>图斑编号</t></is></c><c t="inlineStr"><is><t>图斑名称</t></is></c>'
                        '<c t="inlineStr"><is><t>乡镇</t></is></c><c t="inlineStr"><is><t>图斑面积</t></is></c></row>'.encode())
            row = b'<row><c t="inlineStr"><is><t>AAAAAAAAAAAAAAAAAAAAAAAA</t></is></c><c><v>1</v></c></row>'
            chunk = row * (1_048_576 // len(row))
            for _ in range(megabytes):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return path


@lru_cache(maxsize=1)
def bomb_file() -> Path:
    return xlsx_bomb(Path(tempfile.mkdtemp(prefix="hx-bomb-")) / "bomb.xlsx")


def csv_with(cell: str, column: str = "图斑名称") -> str:
    header = ["图斑编号", "图斑名称", "乡镇", "图斑面积", "登记日期"]
    row = {"图斑编号": "HX-CSV", "图斑名称": "采坑", "乡镇": "托里镇", "图斑面积": "1.5", "登记日期": "2023-03-01"}
    row[column] = cell
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, [row[h] for h in header]])
    return buffer.getvalue()


def pg_secret_target(env: Env) -> list[str]:
    # trust auth ignores the password, so this reaches the (non-empty) store and is refused there
    parts = urlsplit(env.url)
    user = parts.username or os.environ.get("USER") or "postgres"
    return ["copy", "--from", str(env.tmpl.db),
            "--to", parts._replace(netloc=f"{user}:s3cretpw@{parts.hostname}:{parts.port or 5432}").geturl()]


def schema_injection(env: Env) -> list[str]:
    env.victim = f"victim_{uuid.uuid4().hex[:8]}"
    with pg() as conn:
        conn.execute(f"CREATE TABLE public.{env.victim} (x int)")
    env.cleanups.append(lambda v=env.victim: _drop_victim(v))
    return ["--store", pg_url(f'x";DROP TABLE public.{env.victim};--'), "init", "--unsigned"]


def _drop_victim(victim: str) -> None:
    with pg() as conn:
        conn.execute(f"DROP TABLE IF EXISTS public.{victim}")
        conn.execute('DROP SCHEMA IF EXISTS "x" CASCADE')


def symlinked_key(env: Env) -> list[str]:
    (env.tmp / "precious.txt").write_bytes(b"precious\n")
    os.symlink(env.tmp / "precious.txt", env.tmp / "k.key")
    return ["keygen", "--out", str(env.tmp / "k.key")]


def existing_key(env: Env) -> list[str]:
    (env.tmp / "old.key").write_bytes(b"OLD KEY\n")
    return ["keygen", "--out", str(env.tmp / "old.key")]


ESC_ACTOR = "\x1b[31mX\x1b[0m"
CASES: list[Case] = [
    # eventsourcing's transcoding envelope in the data
    Case("envelope-key-quantities-data", lambda e: [*DESIGN, "--data", '{"quantities": {"_type_": 1, "_data_": 2}}']),
    Case("envelope-key-quantities-set", lambda e: [*DESIGN, "--set", 'quantities={"_type_": 1, "_data_": 2}']),
    Case("envelope-value-in-geometry",
         lambda e: register("HX-NEW", 'geometry={"type": "Point", "coordinates": [1, 2], '
                                     '"crs": {"_type_": "decimal_str", "_data_": "x"}}'), reads=((["show", "HX-NEW"], (0,)),)),
    Case("envelope-geometry-itself",
         lambda e: register("HX-NEW", 'geometry={"type": "Point", "_type_": "decimal_str", "_data_": "x"}'),
         reads=((["show", "HX-NEW"], (0,)),)),
    Case("envelope-date-in-geometry",
         lambda e: register("HX-NEW", 'geometry={"type": "Point", "when": {"_type_": "date_iso", "_data_": "nope"}}'),
         reads=((["show", "HX-NEW"], (0,)),)),
    Case("envelope-jsonl-apply",
         lambda e: ["apply", e.file("env.jsonl", jsonl({**DESIGN_LINE, "data": {**DESIGN_LINE["data"],
                                                       "quantities": {"_type_": 1, "_data_": 2}}}))]),
    Case("envelope-jsonl-value",
         lambda e: ["apply", e.file("env.jsonl", jsonl(register_line(
             geometry={"type": "Point", "x": {"_type_": "decimal_str", "_data_": "x"}})))],
         reads=((["show", "HX-NEW"], (0,)),)),
    # numbers
    Case("area-1e999999999", lambda e: register("HX-NEW", "area_ha=1e999999999")),
    Case("area-NaN", lambda e: register("HX-NEW", "area_ha=NaN")),
    Case("area-sNaN", lambda e: register("HX-NEW", "area_ha=sNaN")),
    Case("area-Infinity", lambda e: register("HX-NEW", "area_ha=Infinity")),
    Case("area-minus-0", lambda e: register("HX-NEW", "area_ha=-0")),
    Case("area-5000-digits", lambda e: register("HX-NEW", "area_ha=" + "9" * 5000)),
    Case("area-5000-decimals", lambda e: register("HX-NEW", "area_ha=0." + "0" * 4998 + "1")),
    Case("area-comma-6,1234", lambda e: register("HX-NEW", "area_ha=6,1234")),
    Case("area-underscore-6_1234", lambda e: register("HX-NEW", "area_ha=6_1234")),
    Case("data-area-1e999999999", lambda e: [*register("HX-NEW"), "--data", '{"area_ha": 1e999999999}']),
    Case("jsonl-area-1e999999999", lambda e: ["apply", e.file("n.jsonl", '{"do": "register", "parcel": "HX-NEW", '
                                                                 '"actor": "a", "role": "nrb", "on": "2023-03-01", "data": '
                                                                 '{"name": "n", "township": "t", "area_ha": 1e999999999}}\n')]),
    # nesting
    Case("geometry-list-950-deep", lambda e: register("HX-NEW", "geometry=" + nested_list(950))),
    Case("geometry-object-950-deep",
         lambda e: register("HX-NEW", 'geometry={"type": "Polygon", "coordinates": ' + nested_list(950) + "}"),
         reads=((["show", "HX-NEW"], (0,)),)),
    Case("data-100k-deep", lambda e: [*register("HX-NEW"), "--data", "[" * 100_000]),
    Case("set-100k-deep", lambda e: register("HX-NEW", "geometry=" + "[" * 100_000)),
    Case("jsonl-100k-deep", lambda e: ["apply", e.file("deep.jsonl", '{"do": "register", "parcel": "HX-NEW", "data": '
                                                      + nested_list(100_000) + "}\n")]),
    # JSONL bytes and shapes
    Case("jsonl-invalid-utf8", lambda e: ["apply", e.file("bad.jsonl", b"\xff\xfe" + jsonl(register_line()).encode())]),
    Case("jsonl-surrogate-bytes", lambda e: ["apply", e.file("bad.jsonl", jsonl(register_line()).encode()
                                                              .replace("新采坑".encode(), b"\xed\xa0\x80"))]),
    Case("jsonl-lone-surrogate-escape",
         lambda e: ["apply", e.file("sur.jsonl", jsonl(register_line()).replace("新采坑", "\\ud800"))],
         reads=((["show", "HX-NEW"], (0,)),)),
    Case("jsonl-lone-surrogate-actor",
         lambda e: ["apply", e.file("sur.jsonl", jsonl(register_line()).replace(ACTOR, "\\udfff"))]),
    Case("jsonl-line-is-list", lambda e: ["apply", e.file("l.jsonl", "[1, 2]\n")]),
    Case("jsonl-line-is-string", lambda e: ["apply", e.file("l.jsonl", '"register"\n')]),
    Case("jsonl-line-is-null", lambda e: ["apply", e.file("l.jsonl", "null\n")]),
    Case("jsonl-data-is-list", lambda e: ["apply", e.file("l.jsonl", jsonl({**register_line(), "data": [1]}))]),
    Case("jsonl-documents-not-list", lambda e: ["apply", e.file("l.jsonl", jsonl({**register_line(), "documents": 5}))]),
    Case("jsonl-empty-file", lambda e: ["apply", e.file("empty.jsonl", b"")]),
    Case("jsonl-each-invalid-utf8", lambda e: ["apply", "--each", e.file("bad.jsonl", b"\xff\n")]),
    Case("apply-stdin-invalid-utf8", lambda e: ["apply", "-"], stdin=lambda e: b"\xff\xfe\n"),
    # imports
    Case("csv-cell-131073-chars", lambda e: ["import", "parcels", e.file("big.csv", csv_with("名" * 131_073))]),
    Case("csv-nul-byte", lambda e: ["import", "parcels", e.file("nul.csv", csv_with("a\x00b"))]),
    Case("csv-binary-garbage", lambda e: ["import", "parcels", e.file("bin.csv", bytes(range(256)) * 4)]),
    Case("csv-two-bad-rows", lambda e: ["import", "parcels", e.file(
        "two.csv", csv_with("-1", "图斑面积") + "HX-CSV2,x,托里镇,NaN,2023-03-01\n")]),
    Case("xlsx-not-a-zip", lambda e: ["import", "parcels", e.file("fake.xlsx", b"PK\x03\x04 not really a zip")]),
    Case("xlsx-text-file", lambda e: ["import", "plan", e.file("fake.xlsx", "a,b\n"), "--programme", "TL-2023-2025",
                                      "--on", "2023-03-01"]),
    Case("xlsx-zip-bomb", lambda e: ["import", "parcels", str(bomb_file()), "--on", "2023-03-01"],
         timeout=20, limit_as=2 * 1024 ** 3, check=quick(5.0), slow=True),
    # store URLs (the input never reaches a store)
    Case("store-nonexistent-dir-init", lambda e: ["--store", "/nonexistent/dir/x.db", "init", "--unsigned"], SQLITE),
    Case("store-pg-port-abc", lambda e: ["--store", "postgresql://127.0.0.1:abc/test?schema=x", "list"], SQLITE),
    Case("store-pg-port-abc-init", lambda e: ["--store", "postgresql://127.0.0.1:abc/test?schema=x", "init", "--unsigned"], SQLITE),
    Case("store-pg-port-99999", lambda e: ["--store", "postgresql://127.0.0.1:99999/test?schema=x", "list"], SQLITE),
    Case("store-mysql-scheme-secret", lambda e: ["--store", "mysql://u:secret@h/db", "list"], SQLITE,
         check=not_leaked("secret")),
    Case("store-pg-secret-init-unreachable",
         lambda e: ["--store", "postgresql://u:s3cretpw@127.0.0.1:1/test?schema=x", "init", "--unsigned"], SQLITE,
         check=not_leaked("s3cretpw")),
    Case("copy-to-pg-secret-unreachable",
         lambda e: ["copy", "--from", e.url, "--to", "postgresql://u:s3cretpw@127.0.0.1:1/test?schema=x"], SQLITE,
         check=not_leaked("s3cretpw")),
    Case("copy-from-mysql-secret", lambda e: ["copy", "--from", "mysql://u:secret@h/db", "--to", "x.db"], SQLITE,
         check=not_leaked("secret")),
    Case("copy-to-pg-secret-nonempty", pg_secret_target, ("postgresql",), check=not_leaked("s3cretpw")),
    Case("store-pg-schema-sql-injection", schema_injection, ("postgresql",), check=victim_survives),
    Case("copy-from-garbage-file", lambda e: ["copy", "--from", e.file("garbage.db", b"garbage" * 100), "--to",
                                              str(e.tmp / "out.db")], SQLITE),
    Case("copy-from-missing-file", lambda e: ["copy", "--from", str(e.tmp / "missing.db"), "--to", str(e.tmp / "o.db")],
         SQLITE, check=lambda e, r: [f"copy created {p}" for p in ("missing.db", "o.db") if (e.tmp / p).exists()]),
    Case("copy-onto-itself", lambda e: ["copy", "--from", e.url, "--to", e.url]),
    # output paths that must not destroy the store
    Case("checkpoint-out-store", lambda e: ["checkpoint", "--key", str(e.tmpl.key), "--out", e.url], SQLITE),
    Case("report-csv-output-store", lambda e: ["report", "progress", "--format", "csv", "--output", e.url], SQLITE),
    Case("report-xlsx-output-store", lambda e: ["report", "progress", "--format", "xlsx", "--output", e.url], SQLITE),
    Case("report-html-store", lambda e: ["report", "html", e.url], SQLITE),
    Case("diagram-output-store", lambda e: ["diagram", "--parcel", "HX-01", "--output", e.url], SQLITE),
    Case("keygen-out-store", lambda e: ["keygen", "--out", e.url], SQLITE),
    Case("audit-state-is-store", lambda e: ["audit", "--as-of", AS_OF, "--state", e.url]),
    Case("report-output-nonexistent-dir",
         lambda e: ["report", "progress", "--format", "csv", "--output", "/nonexistent/x.csv"]),
    Case("report-html-nonexistent-dir", lambda e: ["report", "html", "/nonexistent/x.html"]),
    Case("diagram-output-nonexistent-dir", lambda e: ["diagram", "--parcel", "HX-01", "--output", "/nonexistent/x.mmd"]),
    Case("checkpoint-out-nonexistent-dir",
         lambda e: ["checkpoint", "--key", str(e.tmpl.key), "--out", "/nonexistent/x.json"]),
    Case("keygen-out-nonexistent-dir", lambda e: ["keygen", "--out", "/nonexistent/x.key"], SQLITE),
    Case("keygen-out-symlink", symlinked_key, SQLITE,
         check=file_unchanged(lambda e: e.tmp / "precious.txt", b"precious\n")),
    Case("keygen-out-existing-key", existing_key, SQLITE,
         check=file_unchanged(lambda e: e.tmp / "old.key", b"OLD KEY\n")),
    # files the commands read
    Case("checkpoint-key-garbage", lambda e: ["checkpoint", "--key", e.file("bad.key", b"garbage")]),
    Case("checkpoint-key-is-pubkey", lambda e: ["checkpoint", "--key", str(e.tmpl.pub)]),
    Case("checkpoint-key-missing", lambda e: ["checkpoint", "--key", str(e.tmp / "missing.key")]),
    Case("verify-pubkey-garbage", lambda e: ["verify", "--checkpoint", str(e.tmpl.checkpoint),
                                             "--pubkey", e.file("bad.pub", b"\xff garbage")]),
    Case("verify-pubkey-is-private", lambda e: ["verify", "--checkpoint", str(e.tmpl.checkpoint),
                                                "--pubkey", str(e.tmpl.key)]),
    Case("verify-checkpoint-missing", lambda e: ["verify", "--checkpoint", str(e.tmp / "missing.json")]),
    Case("verify-documents-is-file", lambda e: ["verify", "--documents", e.file("afile", b"x")]),
    Case("audit-config-not-toml", lambda e: ["audit", "--as-of", AS_OF, "--config", e.file("r.toml", b"[[[ nope")]),
    Case("audit-config-invalid-utf8", lambda e: ["audit", "--as-of", AS_OF, "--config", e.file("r.toml", b"\xff=1")]),
    Case("audit-config-wrong-type",
         lambda e: ["audit", "--as-of", AS_OF, "--config", e.file("r.toml", b'[R01]\nsurplus_tolerance_pct = "abc"\n')]),
    Case("audit-config-unknown-rule", lambda e: ["audit", "--as-of", AS_OF, "--config", e.file("r.toml", b"[R99]\nx = 1\n")]),
    Case("audit-config-missing", lambda e: ["audit", "--as-of", AS_OF, "--config", str(e.tmp / "missing.toml")]),
    Case("audit-state-garbage", lambda e: ["audit", "--as-of", AS_OF, "--state", e.file("state.db", b"garbage" * 200)]),
    Case("audit-state-foreign-sqlite", lambda e: ["audit", "--as-of", AS_OF, "--state", str(e.tmpl.db)]),
    Case("check-proof-missing-file", lambda e: ["check-proof", str(e.tmp / "missing.json")], SQLITE),
    Case("check-proof-pubkey-garbage", lambda e: ["check-proof", str(e.tmpl.proof), "--pubkey", e.file("b.pub", b"x")],
         SQLITE),
    *ckpt_cases(),
    *proof_cases(),
    # what reaches a terminal or a spreadsheet
    Case("ansi-in-actor", lambda e: [*register("HX-ESC"), "--actor", ESC_ACTOR], expect="refuse_or_ok",
         check=no_raw_controls(["history", "HX-ESC"], ["show", "HX-ESC"], ["list"])),
    Case("osc-in-name", lambda e: register("HX-ESC", "name=\x1b]0;pwned\x07名"), expect="refuse_or_ok",
         check=no_raw_controls(["history", "HX-ESC"], ["show", "HX-ESC"], ["list"])),
    Case("newline-in-reason", lambda e: [*register("HX-ESC"), "--reason", "ok\nv99 2023-01-01  forged"],
         expect="refuse_or_ok", check=no_raw_controls(["history", "HX-ESC"])),
    Case("ansi-in-parcel-code", lambda e: register("HX\x1b[2J"), expect="refuse_or_ok",
         check=no_raw_controls(["list"], ["audit", "--as-of", AS_OF])),
    *[Case(f"formula-code-{name}", lambda e, c=code: register(c), expect="refuse_or_ok", check=no_formula_cells)
      for name, code in [("equals", "=1+2"), ("plus", "+1+2"), ("minus", "-2+3"), ("at", "@SUM(A1)")]],
    Case("formula-in-seller", lambda e: ["do", "sell_surplus", "HX-01", "--on", "2023-04-01", "--role", "county_gov",
                                         "--set", "volume_m3=10", "--set", "material=sand", "--set", "unit_price=1",
                                         "--set", "seller==HYPERLINK(\"http://x\",\"y\")"],
         expect="refuse_or_ok", check=no_formula_cells),
    # dates
    Case("on-2023-13-01", lambda e: register("HX-NEW", on="2023-13-01")),
    Case("on-2023/2/30", lambda e: register("HX-NEW", on="2023/2/30")),
    Case("on-99999-01-01", lambda e: register("HX-NEW", on="99999-01-01")),
    Case("on-future", lambda e: register("HX-NEW", on="9999-12-31")),
    Case("design_date-2023-02-30", lambda e: [*DESIGN, "--set", "design_date=2023-02-30"]),
    Case("show-as-of-garbage", lambda e: ["show", "HX-01", "--as-of", "garbage"]),
    Case("show-known-at-garbage", lambda e: ["show", "HX-01", "--known-at", "garbage"]),
    Case("show-known-at-year-1-plus14", lambda e: ["show", "HX-01", "--known-at", "0001-01-01T00:00:00+14:00"]),
    Case("show-known-at-year-9999-minus12", lambda e: ["show", "HX-01", "--known-at", "9999-12-31T23:59:59-12:00"],
         expect="no_crash"),
    Case("audit-as-of-garbage", lambda e: ["audit", "--as-of", "garbage"]),
    Case("audit-as-of-9999-12-31", lambda e: ["audit", "--as-of", "9999-12-31"], expect="no_crash"),
    Case("audit-as-of-0001-01-01", lambda e: ["audit", "--as-of", "0001-01-01"], expect="no_crash"),
    Case("report-as-of-garbage", lambda e: ["report", "progress", "--as-of", "garbage"]),
    Case("report-as-of-0001-01-01", lambda e: ["report", "progress", "--as-of", "0001-01-01"], expect="no_crash"),
    Case("report-html-as-of-garbage", lambda e: ["report", "html", str(e.tmp / "r.html"), "--as-of", "garbage"]),
    Case("taskforce-on-garbage", lambda e: ["taskforce", "show", "TF-654224", "--on", "garbage"]),
    # unknown names must not give a quiet wrong answer
    # a Chinese state name is a name the product knows (vocabulary.resolve): answered, not refused
    Case("list-state-chinese-label", lambda e: ["list", "--state", "已登记"], expect="refuse_or_ok"),
    Case("list-state-typo", lambda e: ["list", "--state", "identfied"]),
    Case("list-year-out-of-range", lambda e: ["list", "--year", "99999999999999999999999"]),
    Case("show-version-999", lambda e: ["show", "HX-01", "--version", "999"]),
    Case("show-unknown-parcel", lambda e: ["show", "NOPE"]),
    Case("history-unknown-parcel", lambda e: ["history", "NOPE", "--json"]),
    Case("batch-show-unknown", lambda e: ["batch", "show", "NOPE"]),
    Case("audit-subject-unknown", lambda e: ["audit", "--as-of", AS_OF, "--subject", "NOPE"]),
    Case("audit-rule-unknown", lambda e: ["audit", "--as-of", AS_OF, "--rule", "R99"]),
    Case("report-programme-unknown", lambda e: ["report", "progress", "--programme", "NOPE"]),
    Case("do-unknown-trigger", lambda e: ["do", "nuke", "HX-01", "--on", "2023-04-01"]),
    Case("do-unknown-field", lambda e: [*register("HX-NEW"), "--set", "colour=red"]),
    Case("prove-version-999", lambda e: ["prove", "HX-01", "999", "--checkpoint", str(e.tmpl.checkpoint)]),
]

def params():
    ids = set()
    for case in CASES:
        assert case.id not in ids, case.id
        ids.add(case.id)
        for backend in case.backends:
            marks = [SLOW] if case.slow else []
            yield pytest.param(backend, case, id=f"{case.id}[{backend}]", marks=marks)


@pytest.fixture
def made(request, tmp_path, template):
    envs = []

    def make(backend: str) -> Env:
        env = make_env(backend, tmp_path, template)
        envs.append(env)
        return env

    yield make
    for env in envs:
        for cleanup in env.cleanups:
            try:
                cleanup()
            except Exception:  # noqa: BLE001
                pass


@pytest.mark.parametrize("backend,case", list(params()))
def test_hostile_input(backend: str, case: Case, made):
    env = made(backend)
    args = case.make(env)
    before = fingerprint(env.backend, env.url)
    result = env.run(args, stdin=case.stdin(env) if case.stdin else None, timeout=case.timeout,
                     limit_as=case.limit_as)
    problems = judge(env, result, before, case.expect, case.reads, case.check)
    assert not problems, " | ".join(problems)


# --- single checks that are not refusals --------------------------------------------------


def test_keygen_private_key_is_0600(tmp_path, template):
    done = run_cli(["keygen", "--out", str(tmp_path / "a.key")], None, tmp_path, env_extra={})
    assert done.code == 0, done.err
    mode = (tmp_path / "a.key").stat().st_mode & 0o777
    assert mode == 0o600, f"private key is {oct(mode)}, not 0o600"


def test_keygen_pub_over_store_is_refused(made):
    """keygen --out K writes K.pub too: a store named K.pub must not be overwritten either."""
    env = made("sqlite")
    store = env.tmp / "k.key.pub"
    shutil.copyfile(env.url, store)
    env.url = str(store)
    before = fingerprint("sqlite", env.url)
    result = env.run(["keygen", "--out", str(env.tmp / "k.key")])
    problems = judge(env, result, before)
    assert not problems, " | ".join(problems)


# --- generated hostile input (hypothesis) -------------------------------------------------

HYPO = settings(max_examples=12, deadline=None, derandomize=False,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])

json_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=20),
    st.sampled_from(["1e999999999", "NaN", "-0", "6,1234", "9" * 400, "2023-02-30", "\x1b[2J", "=1+1"]),
)
keys = st.one_of(st.sampled_from(["_type_", "_data_", "area_ha", "name", "township", "geometry", "quantities", "type"]),
                 st.text(max_size=8))
json_values = st.recursive(json_leaf, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                             st.dictionaries(keys, inner, max_size=3)), max_leaves=12)


@st.composite
def hostile_lines(draw) -> bytes:
    kind = draw(st.sampled_from(["text", "deep", "number", "command", "envelope", "bytes"]))
    if kind == "text":
        return draw(st.text(max_size=80)).replace("\n", " ").encode("utf-8", "surrogatepass") + b"\n"
    if kind == "bytes":
        return draw(st.binary(max_size=80)) + b"\n"
    if kind == "deep":
        depth = draw(st.integers(min_value=500, max_value=50_000))
        opener = draw(st.sampled_from(["[", '{"a":']))
        return ('{"do": "register", "parcel": "HX-H", "data": ' + opener * depth + "}\n").encode()
    if kind == "number":
        digits = draw(st.integers(min_value=1, max_value=6000))
        exponent = draw(st.sampled_from(["", "e999999999", "E-999999999", "e5"]))
        number = "1" * digits + exponent
        return (f'{{"do": "register", "parcel": "HX-H", "actor": "a", "role": "nrb", "on": "2023-03-01", '
                f'"data": {{"name": "n", "township": "t", "area_ha": {number}}}}}\n').encode()
    line = {"do": draw(st.sampled_from(["register", "submit_design", "plan", "log_patrol"])),
            "parcel": draw(st.sampled_from(["HX-H", "HX-01", "HX-02"])), "actor": ACTOR,
            "role": draw(st.sampled_from(["nrb", "design_unit", "township"])),
            "on": draw(st.sampled_from(["2023-04-01", "2023-13-01", "2023-04-01T00:00"]))}
    data = {"name": "n", "township": "t", "area_ha": 1, **DESIGN_LINE["data"], "findings": "ok"}
    extra = draw(st.dictionaries(keys, json_values, max_size=3))
    if kind == "envelope":
        extra[draw(keys)] = {"_type_": draw(st.sampled_from(["decimal_str", "date_iso", "uuid_hex", "x"])),
                             "_data_": draw(json_leaf)}
    line["data"] = {**data, **extra}
    return (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8", "surrogatepass")


def generated_attempt(template: Template, args_of: Callable[[Env], list[str]], backend: str = "sqlite"):
    tmp = Path(tempfile.mkdtemp(prefix="hx-hypo-"))
    env = make_env(backend, tmp, template)
    try:
        args = args_of(env)
        before = fingerprint(env.backend, env.url)
        result = env.run(args, timeout=60)
        problems = judge(env, result, before, "refuse_or_ok", extra_reads=((["show", "HX-H"], (0, 2)),))
        assert not problems, " | ".join(problems)
    finally:
        for cleanup in env.cleanups:
            cleanup()
        shutil.rmtree(tmp, ignore_errors=True)


@SLOW
@HYPO
@given(lines=st.lists(hostile_lines(), min_size=1, max_size=3))
def test_generated_jsonl(template, lines):
    generated_attempt(template, lambda e: ["apply", e.file("gen.jsonl", b"".join(lines))])


set_keys = st.one_of(st.sampled_from(["area_ha", "name", "township", "geometry", "lon", "lat", "closure_year",
                                      "near_road", "feature", "pit_depth_m", "_type_", "verified_area_ha"]),
                     st.text(min_size=1, max_size=8).filter(lambda s: "=" not in s and "\x00" not in s))
set_values = st.one_of(
    st.text(max_size=40),
    st.from_regex(r"-?[0-9]{1,60}([.,_][0-9]{0,40})?([eE][+-]?[0-9]{1,10})?", fullmatch=True),
    st.sampled_from(["NaN", "Infinity", "-0", "1e999999999", nested_list(900), '{"type": 1}',
                     '{"type": "Point", "_type_": "decimal_str", "_data_": "x"}', "9" * 5000]),
    json_values.map(lambda v: json.dumps(v, ensure_ascii=False)),
)


@SLOW
@HYPO
@given(sets=st.lists(st.tuples(set_keys, set_values), min_size=1, max_size=3))
@example(sets=[("\n", "{")])  # a field named by a newline: the error line once printed it raw, as two lines
def test_generated_set(template, sets):
    clean = [(k, v.replace("\x00", "")) for k, v in sets]
    clean = [(k.encode("utf-8", "ignore").decode(), v.encode("utf-8", "ignore").decode()) for k, v in clean]
    generated_attempt(template, lambda e: [*register("HX-H"), *[x for k, v in clean for x in ("--set", f"{k}={v}")]])


@SLOW
@HYPO
@given(body=st.one_of(
    st.binary(max_size=400),
    st.lists(st.lists(st.text(max_size=30), min_size=1, max_size=6), min_size=1, max_size=4).map(
        lambda rows: "\n".join(",".join(r) for r in rows).encode("utf-8", "surrogatepass")),
    st.lists(st.tuples(st.sampled_from(["HX-C1", "HX-C2", "HX-01", "=1+1", ""]), st.text(max_size=10),
                       set_values), min_size=1, max_size=3).map(
        lambda rows: ("图斑编号,图斑名称,乡镇,图斑面积,登记日期\n" + "".join(
            f'{c},"{n.replace(chr(34), "")}",托里镇,"{a.replace(chr(34), "")}",2023-03-01\n' for c, n, a in rows))
        .encode("utf-8", "surrogatepass")),
))
def test_generated_csv(template, body):
    generated_attempt(template, lambda e: ["import", "parcels", e.file("gen.csv", body)])


@SLOW
@pytest.mark.skipif(bool(pg_unavailable()), reason=f"PostgreSQL not reachable: {pg_unavailable()}")
@settings(HYPO, max_examples=8)
@given(lines=st.lists(hostile_lines(), min_size=1, max_size=2))
def test_generated_jsonl_postgresql(template, lines):
    generated_attempt(template, lambda e: ["apply", e.file("gen.jsonl", b"".join(lines))], backend="postgresql")

"""Benchmark: a province's Mẫu 01 survey workbooks, 1 M people, imported end to end.

    make bench                                                     # 1 M people, SQLite and PostgreSQL
    .venv/bin/python bench/import_survey.py --people 50000 --database sqlite   # a quick try

It generates 1 M people once (fixed seed) as one Mẫu 01 workbook per commune (tick-box shape, the
114 communes of province 31) and keeps them under var/bench/ for the next run. Then, per database:

- floor: the fastest reader (fastexcel/calamine) alone reads every sheet of every workbook into a
  frame, in one process and in as many processes as our import uses; read before the import and
  again after it, the faster kept (the machine's speed drifts; the ratio is then the less flattering);
- ours: a fresh database, `import_survey_file` for every workbook, one commune workbook per worker
  process; checked afterwards (one person and one open situation per generated row);
  timed from when the workers are up (the product's job workers are running before an import
  arrives; their start-up is printed apart); imported twice into an emptied register (--attempts),
  the faster kept, as for the floor and the peer, and every attempt checked;
- CPU: the workers' (on their files) and, when PostgreSQL runs on this machine,
  the server's processes' (read from /proc during the import), beside what the cores could give in the
  time taken and what the target allows: the server shares the cores with the workers;
- peer: django-import-export's standard `Resource.import_data` on a 5 000-row slice of the same
  people into an equivalent flat model (created for the run, dropped afterwards);
- generation: `generate_population` + `store_population` of the same number of people into a fresh
  database (what `nhanluc generate --province 31 --people N` does).

Targets (the import issue), as ratios measured in the same run: end to end ≤ 2.5 × the floor (the
issue's floor is the reader alone, one process: "≈ 16 s …, so ≈ 40 s end to end"; the ratio to the
floor read by as many processes as the import uses is printed too),
≥ 30 × the peer's rows/s, judged on the fastest worker count (the others are printed for comparison);
peak memory ≤ 2 GB in every process; 1 M people generated in ≤ 120 s.
The machine is shared, so the figures vary from run to run; the ratios vary less.

PostgreSQL: the database named in --postgres-url is dropped and created again (default
nhanluc_bench_import on the local server) and dropped at the end; SQLite uses var/bench/.
Each phase runs in its own process, so the peak memory of one does not count against another.
"""

import argparse
import json
import multiprocessing
import os
import resource
import subprocess
import sys
import threading
import time
from contextlib import nullcontext
from pathlib import Path

from databases import drop_postgres, fresh_database

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "var" / "bench"
# Demo mode, not debug: debug makes Django keep and format every query, which distorts the timings.
os.environ.setdefault("NHANLUC_DEMO", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nhanluc.settings")

PROVINCE = "31"
ROUND = "2026"
SQLITE_URL = "sqlite:///var/bench/import-survey.sqlite3"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/nhanluc_bench_import"
FLOOR_RATIO_TARGET = 2.5
PEER_RATIO_TARGET = 30.0
MEMORY_TARGET_KIB = 2 * 1024 * 1024
GENERATE_TARGET_SECONDS = 120.0
PEER_ATTEMPTS = 2
# Our import runs this many times (each into an emptied register) and keeps its fastest, as the floor
# and the peer keep theirs: a spell of this shared machine's speed then weighs on no side alone.
IMPORT_ATTEMPTS = 2
# The columns of the equivalent flat model: what a commune writes on Mẫu 01 for one person.
PEER_COLUMNS = (
    "commune_code",
    "household_number",
    "relation_to_head",
    "full_name",
    "birth_date",
    "sex",
    "cccd",
    "phone",
    "permanent_address",
    "current_address",
    "priority_groups",
    "ethnicity",
    "general_education",
    "qualification",
    "training_field",
    "activity_status",
    "employment_status",
    "job_title",
    "social_insurance_type",
    "unemployment_insurance",
    "contract_type",
    "workplace_name",
    "workplace_type",
    "workplace_address",
    "industrial_zone",
    "unemployment_type",
    "unemployment_duration",
    "inactive_reason",
)


# ---------------------------------------------------------------- helpers used by every process


def peak_kib(who: int = resource.RUSAGE_SELF) -> int:
    """Peak resident memory in KiB (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(who).ru_maxrss


def mib(kib: int) -> str:
    return f"{kib / 1024:,.0f} MiB"


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def workbook_folder(people: int, seed: int) -> Path:
    return BENCH / f"import-survey-{people}-{seed}"


def run_phase(phase: str, args, database_url: str) -> dict:
    """Run one phase in a child process (its own memory peak) and return the JSON it prints last."""
    command = [
        sys.executable,
        __file__,
        "--phase",
        phase,
        "--people",
        str(args.people),
        "--seed",
        str(args.seed),
    ]
    command += ["--workers", ",".join(str(n) for n in args.workers), "--peer-rows", str(args.peer_rows)]
    command += ["--attempts", str(args.attempts)]
    env = {**os.environ, "NHANLUC_DATABASE_URL": database_url, "PYTHONUNBUFFERED": "1"}
    finished = subprocess.run(command, env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True, check=False)
    if finished.returncode != 0:
        raise SystemExit(f"phase {phase} on {database_url} failed ({finished.returncode})")
    return json.loads(finished.stdout.strip().splitlines()[-1])


# ---------------------------------------------------------------- phase: workbooks (once, cached)


def phase_workbooks(args) -> dict:
    """Generate the people and write one workbook per commune, unless the folder already holds them."""
    folder = workbook_folder(args.people, args.seed)
    marker = folder / "done.json"
    if marker.exists():
        return json.loads(marker.read_text())
    fresh_database(os.environ["NHANLUC_DATABASE_URL"])
    from nhanluc.core.progress import ConsoleProgress
    from nhanluc.geo.models import AdminUnit
    from nhanluc.registry.generate import generate_population, write_workbooks
    from nhanluc.registry.imports import get_or_create_round

    survey_round = get_or_create_round(code=ROUND, province_code=PROVINCE)
    print(f"Generating {args.people:,} people (seed {args.seed}) for the workbooks…", file=sys.stderr)
    frame = generate_population(
        province_code=PROVINCE, people=args.people, seed=args.seed, reference_date=survey_round.reference_date
    )
    progress = ConsoleProgress()
    paths = write_workbooks(
        frame,
        folder,
        province_name=AdminUnit.objects.current().provinces().get(code=PROVINCE).name,
        round_code=ROUND,
        progress=progress,
    )
    progress.close()
    frame.head(10_000).write_parquet(folder / "people-head.parquet")  # the peer's slice
    summary = {"people": frame.height, "seed": args.seed, "files": len(paths)}
    marker.write_text(json.dumps(summary))
    return summary


def workbook_paths(people: int, seed: int) -> list[Path]:
    """Largest first, so that two workers finish together."""
    paths = sorted(workbook_folder(people, seed).glob("*.xlsx"), key=lambda path: -path.stat().st_size)
    return paths


# ---------------------------------------------------------------- floor: fastexcel alone


def read_with_fastexcel(path: str) -> int:
    import fastexcel
    import polars as pl

    reader = fastexcel.read_excel(path)
    rows = 0
    for name in reader.sheet_names:
        # Every cell into a frame, with the call the import reads with: the eager read, cells as text,
        # was the fastest of fastexcel's four (eager or not, text or inferred types) over these workbooks.
        batch = reader.load_sheet_eager(name, header_row=None, skip_rows=0, dtypes="string")
        rows += pl.from_arrow(batch).height
    return rows


def measure_floor(paths: list[Path], processes: int) -> float:
    started = time.perf_counter()
    if processes == 1:
        for path in paths:
            read_with_fastexcel(str(path))
    else:
        with multiprocessing.get_context("spawn").Pool(processes) as pool:
            for _rows in pool.imap_unordered(read_with_fastexcel, [str(path) for path in paths]):
                pass
    return time.perf_counter() - started


# ---------------------------------------------------------------- phase: import (ours, then the peer)


def _worker_setup(polars_threads: int) -> None:
    # The cores are shared out between the workers: two workers each running a pool of two Polars
    # threads on two cores spend their time switching (set before Polars is first imported).
    os.environ["POLARS_MAX_THREADS"] = str(polars_threads)
    from django.conf import settings

    # Two workers write to one SQLite file: a commit waits for the other's instead of failing.
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        settings.DATABASES["default"]["OPTIONS"]["timeout"] = 3600
    import django

    django.setup()
    import nhanluc.registry.imports  # noqa: F401  (a job worker has its task's modules loaded)


def _worker_ready(_task: int) -> int:
    time.sleep(0.2)  # long enough that the other workers take the other tasks
    return os.getpid()


def _import_one(task: tuple[str, int]) -> dict:
    from django.db import close_old_connections

    from nhanluc.core.progress import Progress
    from nhanluc.registry.imports import import_survey_file
    from nhanluc.registry.models import SurveyRound

    class PhaseClock(Progress):
        """import_survey_file advances once after reading, once after checking, twice after the commit."""

        def start(self, total, message=""):
            self.marks = [time.perf_counter()]

        def advance(self, amount=1):
            self.marks.append(time.perf_counter())

    path, round_id = task
    close_old_connections()
    clock = PhaseClock()
    cpu_before = _cpu_seconds()
    batch = import_survey_file(
        path=Path(path), survey_round=SurveyRound.objects.get(pk=round_id), source="bench", progress=clock
    )
    read, checked, committed = (b - a for a, b in zip(clock.marks, clock.marks[1:], strict=False))
    return {
        "file": Path(path).name,
        "status": batch.status,
        "rows": batch.summary["rows"],
        "errors": batch.summary["errors"],
        "created": batch.summary["people_created"],
        "read": read,
        "check": checked,
        "commit": committed,
        "peak_kib": peak_kib(),
        "cpu": _cpu_seconds() - cpu_before,
    }


def _cpu_seconds() -> float:
    """This process's CPU time so far, every thread's (Polars runs its own)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def empty_register() -> None:
    from django.db import connection

    from nhanluc.core.models import AuditEvent
    from nhanluc.registry.models import AddressReview, Household, ImportBatch, LaborSituation, Person

    models = (AddressReview, LaborSituation, Person, Household, ImportBatch, AuditEvent)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
            cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
        else:
            for model in models:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")


class ServerCpu:
    """CPU time of the local PostgreSQL server's processes while it runs (read from /proc).

    The server shares this machine's cores with the workers, so its CPU is part of what the import
    costs. Every server process is a child of the postmaster, so each read lists the postmaster's
    children and reads those alone: reading every process of the machine four times a second took
    a tenth of a core-second per 5 s of import from the cores the import runs on. A backend's time
    is read every quarter of a second while it lives, so one that ends between two reads loses at
    most that much; processes already running count from the first read.
    """

    def __init__(self):
        self.seen: dict[tuple[str, str], tuple[float, float]] = {}  # (pid, start) → (first, last) CPU s
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.ticks = os.sysconf("SC_CLK_TCK")
        self.postmasters = self._postmasters()

    def __enter__(self):
        self._read(first=True)
        self.thread.start()
        return self

    def __exit__(self, *_exc):
        self.stop.set()
        self.thread.join()
        self._read(first=False)

    def seconds(self) -> float:
        return sum(last - first for first, last in self.seen.values())

    def _run(self) -> None:
        while not self.stop.wait(0.25):
            self._read(first=False)

    @staticmethod
    def _stat(pid: str) -> tuple[str, list[str]] | None:
        """A process's name and the fields of /proc/PID/stat after it, or None once it has ended."""
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return None
        return stat[stat.index("(") + 1 : stat.rindex(")")], stat[stat.rindex(")") + 2 :].split()

    def _postmasters(self) -> list[str]:
        """The PostgreSQL processes whose parent is not one: one per server running here."""
        postgres = {}
        for pid in filter(str.isdigit, os.listdir("/proc")):
            if (found := self._stat(pid)) and found[0].startswith("postgres"):
                postgres[pid] = found[1][1]  # the parent's pid
        return [pid for pid, parent in postgres.items() if parent not in postgres]

    def _read(self, *, first: bool) -> None:
        for postmaster in self.postmasters:
            try:
                children = Path(f"/proc/{postmaster}/task/{postmaster}/children").read_text().split()
            except OSError:
                continue  # the server stopped
            for pid in [postmaster, *children]:
                if not (found := self._stat(pid)):
                    continue  # ended meanwhile
                fields = found[1]
                cpu = (int(fields[11]) + int(fields[12])) / self.ticks  # utime + stime
                key = (pid, fields[19])  # a pid is reused; its start time tells the processes apart
                start = self.seen.get(key, (cpu if first else 0.0, cpu))[0]
                self.seen[key] = (start, cpu)


def _local_postgres() -> bool:
    from django.db import connection

    host = connection.settings_dict.get("HOST") or ""
    return connection.vendor == "postgresql" and host in ("", "localhost", "127.0.0.1", "::1")


def import_all(paths: list[Path], round_id: int, workers: int) -> dict:
    from django.db import connections
    from tqdm import tqdm

    connections.close_all()  # the workers open their own
    results = []
    polars_threads = max(1, (os.cpu_count() or 1) // workers)
    starting = time.perf_counter()
    pool = multiprocessing.get_context("spawn").Pool(
        workers, initializer=_worker_setup, initargs=(polars_threads,)
    )
    # The clock starts once every worker is up, as the product's job workers are long before an
    # import arrives; their start-up (Python, Django, Polars) is reported apart.
    ready: set[int] = set()
    while len(ready) < workers:
        ready.update(pool.map(_worker_ready, range(workers), chunksize=1))
    startup = time.perf_counter() - starting
    server = ServerCpu() if _local_postgres() else None
    started = time.perf_counter()
    try:
        with (
            server or nullcontext(),
            tqdm(total=len(paths), desc=f"import, {workers} worker(s)", unit=" file", file=sys.stderr) as bar,
        ):
            for result in pool.imap_unordered(_import_one, [(str(path), round_id) for path in paths]):
                results.append(result)
                bar.update()
            pool.close()
            pool.join()
    finally:
        pool.join()
    seconds = time.perf_counter() - started
    return {
        "workers": workers,
        "startup": startup,
        "seconds": seconds,
        "rows": sum(r["rows"] for r in results),
        "created": sum(r["created"] for r in results),
        "errors": sum(r["errors"] for r in results),
        "refused": [r["file"] for r in results if r["status"] != "committed"],
        "read": sum(r["read"] for r in results),
        "check": sum(r["check"] for r in results),
        "commit": sum(r["commit"] for r in results),
        "worker_peak_kib": max(r["peak_kib"] for r in results),
        "worker_cpu": sum(r["cpu"] for r in results),
        "server_cpu": server.seconds() if server else None,
    }


def verify(expected: int) -> dict:
    from nhanluc.registry.models import LaborSituation, Person

    people = Person.objects.count()
    open_situations = LaborSituation.objects.filter(valid_to__isnull=True).count()
    return {"people": people, "open_situations": open_situations, "ok": people == open_situations == expected}


def peer_import(rows: int, folder: Path) -> dict:
    """django-import-export's standard import of `rows` people into an equivalent flat model."""
    import polars as pl
    import tablib
    from django.db import connection, models
    from import_export import resources

    fields = {name: models.CharField(max_length=255, blank=True, default="") for name in PEER_COLUMNS}
    fields.update(
        commune_code=models.CharField(max_length=5),
        full_name=models.CharField(max_length=100),
        birth_date=models.DateField(),
        sex=models.CharField(max_length=1),
        cccd=models.CharField(max_length=12, unique=True),
    )
    meta = type("Meta", (), {"app_label": "registry", "db_table": "bench_flat_person"})
    flat_model = type("BenchFlatPerson", (models.Model,), {"__module__": __name__, "Meta": meta, **fields})
    resource_meta = type("Meta", (), {"model": flat_model, "import_id_fields": ("cccd",)})
    resource_class = type("BenchFlatPersonResource", (resources.ModelResource,), {"Meta": resource_meta})

    people = pl.read_parquet(folder / "people-head.parquet").head(rows)
    people = people.with_columns(pl.col("birth_date").str.to_date("%d/%m/%Y").dt.to_string("%Y-%m-%d"))
    dataset = tablib.Dataset(headers=list(PEER_COLUMNS))
    for record in people.select(PEER_COLUMNS).iter_rows():
        dataset.append(["" if value is None else value for value in record])
    timings, ok = [], True
    for _attempt in range(PEER_ATTEMPTS):  # into an empty table each time; the peer keeps its best
        with connection.schema_editor() as editor:
            editor.create_model(flat_model)
        try:
            started = time.perf_counter()
            result = resource_class().import_data(dataset, dry_run=False, raise_errors=True)
            timings.append(time.perf_counter() - started)
            stored = flat_model.objects.count()
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(flat_model)
        ok = ok and stored == people.height and not result.has_errors() and not result.has_validation_errors()
    return {"rows": people.height, "seconds": min(timings), "all_seconds": timings, "ok": ok}


def phase_import(args) -> dict:
    fresh_database(os.environ["NHANLUC_DATABASE_URL"])
    from django.db import connection

    from nhanluc.registry.imports import get_or_create_round

    paths = workbook_paths(args.people, args.seed)
    round_id = get_or_create_round(code=ROUND, province_code=PROVINCE).pk
    runs = []
    for position, workers in enumerate(args.workers):
        attempts = []
        for attempt in range(args.attempts):
            if position or attempt:
                empty_register()
            run = import_all(paths, round_id, workers)
            run.update(verify(args.people))
            attempts.append(run)
            print(
                f"{connection.vendor}, {workers} worker(s): {run['rows']:,} rows in {run['seconds']:.1f} s "
                f"(read {run['read']:.0f} s, check {run['check']:.0f} s, commit {run['commit']:.0f} s, "
                f"summed over workers)",
                file=sys.stderr,
            )
        best = min(attempts, key=lambda run: run["seconds"])
        best["all_seconds"] = [run["seconds"] for run in attempts]
        # Every attempt must have stored the province, not only the fastest.
        best["ok"] = all(run["ok"] for run in attempts)
        best["refused"] = sorted({name for run in attempts for name in run["refused"]})
        best["errors"] = max(run["errors"] for run in attempts)
        runs.append(best)
    peer = peer_import(args.peer_rows, workbook_folder(args.people, args.seed))
    return {
        "vendor": connection.vendor,
        "runs": runs,
        "peer": peer,
        "parent_peak_kib": peak_kib(),
        "children_peak_kib": peak_kib(resource.RUSAGE_CHILDREN),
    }


# ---------------------------------------------------------------- phase: generate straight to the database


def phase_generate(args) -> dict:
    fresh_database(os.environ["NHANLUC_DATABASE_URL"])
    from nhanluc.core.progress import ConsoleProgress
    from nhanluc.registry.generate import generate_population, store_population
    from nhanluc.registry.imports import get_or_create_round

    survey_round = get_or_create_round(code=ROUND, province_code=PROVINCE)
    started = time.perf_counter()
    frame = generate_population(
        province_code=PROVINCE, people=args.people, seed=args.seed, reference_date=survey_round.reference_date
    )
    generated = time.perf_counter() - started
    progress = ConsoleProgress()
    progress.start(3, "store_population")
    store_population(frame, survey_round=survey_round, progress=progress)
    progress.close()
    total = time.perf_counter() - started
    return {"generate": generated, "store": total - generated, "total": total, **verify(args.people)}


# ---------------------------------------------------------------- the report


def report(label: str, floors: dict[int, float], result: dict, generated: dict | None, people: int) -> bool:
    peer = result["peer"]
    peer_rate = peer["rows"] / peer["seconds"]
    passed = True
    print(f"\n== {label} ==")
    print(
        f"workbooks: {people:,} rows in {result['files']} files; floor (fastexcel alone, the faster of a ",
        end="",
    )
    print("read before and one after the import): ", end="")
    print(
        ", ".join(
            f"{seconds:.1f} s with {n} process(es) ({' / '.join(f'{run:.1f}' for run in result['floor_runs'][n])})"
            for n, seconds in sorted(floors.items())
        )
    )
    # The import uses as many workers as helps (the issue: "use both cores where it helps"): the speed
    # targets are judged on the fastest worker count, the others are printed beside it for comparison.
    # Every run must store the province whole, within the memory target.
    judged = min(result["runs"], key=lambda run: run["seconds"])
    for run in result["runs"]:
        workers = run["workers"]
        rate = run["rows"] / run["seconds"]
        floor_ratio = run["seconds"] / floors[1]
        peer_ratio = rate / peer_rate
        correct = run["ok"] and run["rows"] == people and not run["refused"] and not run["errors"]
        fast = floor_ratio <= FLOOR_RATIO_TARGET and peer_ratio >= PEER_RATIO_TARGET
        ok = (fast or run is not judged) and correct and run["worker_peak_kib"] <= MEMORY_TARGET_KIB
        role = (
            "judged: the fastest" if run is judged else f"for comparison with {judged['workers']} worker(s)"
        )
        print(
            f"ours, {workers} worker(s) ({role}): {run['rows']:,} rows in {run['seconds']:.1f} s = {rate:,.0f} rows/s, "
            f"the faster of {len(run['all_seconds'])} ({' / '.join(f'{seconds:.1f}' for seconds in run['all_seconds'])}) "
            f"(per file, summed: read {run['read']:.0f} s, check {run['check']:.0f} s, commit {run['commit']:.0f} s; "
            f"workers started beforehand in {run['startup']:.1f} s)"
        )
        print(
            f"  vs the floor (the reader alone, 1 process): {floor_ratio:.2f}× (target ≤ {FLOOR_RATIO_TARGET}×) "
            f"{verdict(floor_ratio <= FLOOR_RATIO_TARGET)}; vs the floor read by {workers} processes "
            f"{run['seconds'] / floors[workers]:.2f}×"
        )
        cores = os.cpu_count() or 1
        server = f", the local PostgreSQL server {run['server_cpu']:.1f} s" if run.get("server_cpu") else ""
        print(
            f"  CPU: the workers {run['worker_cpu']:.1f} s (their files){server}; "
            f"{cores} cores × {run['seconds']:.1f} s = {cores * run['seconds']:.1f} s; "
            f"the target allows {cores} × {FLOOR_RATIO_TARGET} × the floor = "
            f"{cores * FLOOR_RATIO_TARGET * floors[1]:.1f} s"
        )
        print(
            f"  vs peer: {peer_ratio:,.1f}× its rows/s (target ≥ {PEER_RATIO_TARGET:.0f}×) "
            f"{verdict(peer_ratio >= PEER_RATIO_TARGET)}"
        )
        print(
            f"  peak memory of a worker: {mib(run['worker_peak_kib'])} (target ≤ 2 GB) "
            f"{verdict(run['worker_peak_kib'] <= MEMORY_TARGET_KIB)}"
        )
        print(
            f"  check: {run['people']:,} people, {run['open_situations']:,} open situations, "
            f"{len(run['refused'])} files refused, {run['errors']} row errors {verdict(correct)}"
        )
        passed = passed and ok
    parent_ok = result["parent_peak_kib"] <= MEMORY_TARGET_KIB
    print(
        f"peak memory of the importing parent: {mib(result['parent_peak_kib'])}, of any child: "
        f"{mib(result['children_peak_kib'])} (target ≤ 2 GB) {verdict(parent_ok and result['children_peak_kib'] <= MEMORY_TARGET_KIB)}"
    )
    print(
        f"peer (django-import-export ModelResource.import_data, {peer['rows']:,} rows, flat model of "
        f"{len(PEER_COLUMNS)} columns): best of {len(peer['all_seconds'])} runs "
        f"({', '.join(f'{seconds:.1f} s' for seconds in peer['all_seconds'])}) = {peer_rate:,.0f} rows/s "
        f"{verdict(peer['ok'])}"
    )
    if generated:
        target = GENERATE_TARGET_SECONDS * people / 1_000_000
        ok = generated["total"] <= target and generated["ok"]
        print(
            f"generate {people:,} people straight to the database: {generated['total']:.1f} s "
            f"(generate_population {generated['generate']:.1f} s, store_population {generated['store']:.1f} s; "
            f"target ≤ {GENERATE_TARGET_SECONDS:.0f} s per 1 M, so {target:.0f} s) {verdict(ok)}; "
            f"peak memory {mib(generated['peak_kib'])}"
        )
        passed = passed and ok
    return passed and parent_ok and peer["ok"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    parser.add_argument(
        "--workers",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[1, 2],
        help="worker counts to measure, comma-separated (default 1,2)",
    )
    parser.add_argument("--peer-rows", type=int, default=5_000)
    parser.add_argument(
        "--attempts", type=int, default=IMPORT_ATTEMPTS, help="imports per worker count, the fastest kept"
    )
    parser.add_argument("--skip-generate", action="store_true", help="do not time generate + store")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark databases")
    parser.add_argument("--phase", choices=["workbooks", "import", "generate"], help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase:  # a child process: do one phase, print its result as the last line
        result = {"workbooks": phase_workbooks, "import": phase_import, "generate": phase_generate}[
            args.phase
        ](args)
        result["peak_kib"] = peak_kib()
        print(json.dumps(result))
        return 0

    databases = {"sqlite": SQLITE_URL, "postgres": args.postgres_url}
    chosen = ["sqlite", "postgres"] if args.database == "both" else [args.database]
    workbooks = run_phase("workbooks", args, SQLITE_URL)
    paths = workbook_paths(args.people, args.seed)
    all_passed = True
    try:
        for name in chosen:
            processes = sorted({1, *args.workers})
            # The floor is read before and after the import and the faster kept: on a shared machine
            # the speed drifts over minutes, and a floor read in a slow spell would flatter the ratio.
            print(f"\n{name}: floor…", file=sys.stderr)
            floor_runs = {n: [measure_floor(paths, n)] for n in processes}
            result = run_phase("import", args, databases[name])
            print(f"{name}: floor again…", file=sys.stderr)
            for n in processes:
                floor_runs[n].append(measure_floor(paths, n))
            floors = {n: min(runs) for n, runs in floor_runs.items()}
            result["floor_runs"] = floor_runs
            result["files"] = workbooks["files"]
            generated = None if args.skip_generate else run_phase("generate", args, databases[name])
            all_passed = report(name, floors, result, generated, args.people) and all_passed
    finally:
        if not args.keep:
            if "postgres" in chosen:
                drop_postgres(args.postgres_url)
            for suffix in ("", "-wal", "-shm"):
                (BENCH / f"import-survey.sqlite3{suffix}").unlink(missing_ok=True)
    print(f"\n{'all targets met' if all_passed else 'some targets missed'} (shared machine: figures vary)")
    return 0 if all_passed else 1


if __name__ == "__main__":
    sys.exit(main())

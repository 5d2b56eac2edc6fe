"""Benchmark: throughput, latency, memory and cold start of the suggester on full-length reports.

    python bench/run.py                 # 2,000 reports, CLI with 1 and 2 workers (~1 min on 2 cores)
    python bench/run.py -n 20000 --workers 1,2,4 --json bench.json
    python bench/run.py --memory 200000 # only: RSS and spaCy strings over 200k reports with unique accession numbers
    python bench/run.py --service-requests 0   # without the HTTP service part
    python bench/run.py --only cold,service    # only those parts (side, latency, stages, cli, service, cold)

It prints numbers; it asserts nothing (timings belong here, not in the test suite). On a
machine shared with other jobs, wall-clock rates drop; the CPU-time figures (reports per
CPU-second, CPU latency) much less, so both are printed, with the load average. Steps:

1. generate N synthetic reports of ~350 words, mixed families and styles (``bench/reports.py``);
2. side by side, in one process, interleaved rounds (CPU time, medians over the rounds), the
   heap settled once everything is warm as the CLI settles it (``suggester.batch.settle_heap``): the
   pipeline (``Suggester.suggest_many``, as the CLI runs it) with its memos warm, emptied before
   each round (``suggester.memo.clear_memos``: one pass of a stream, what a CLI worker sees) and
   with every memo off (``suggester.memo.memos_off``), spaCy's blank English tokenizer alone on the same
   full texts, and a pure-Python floor (``text.lower().split()``) -> the ratios; the same on a
   random 2,000 of the labelled eval reports (``eval/data`` dev and test) when present
   (``--eval-sample N``; -1: all ~16,000, over 10 minutes of rounds), and the memos' hit rates over
   one pass of each corpus (the synthetic reports repeat their titles and technique lines far
   more than real ones; in the rounds every report has been seen before, so the memos-on
   figures are those of a corpus read again, and the memos-off ones are the honest ones);
3. latency: ``Suggester.suggest()`` timed report by report, the heap settled as a service
   worker settles it -> p50 / p99 / max;
4. per-stage CPU time of ``suggest()`` (each stage function timed where the pipeline calls it);
5. the CLI (``suggester code``, JSONL in and out) in a fresh process per worker count ->
   wall time from process start to exit, reports/s, reports per CPU-second of all its processes,
   the CPU per report of the main process and of the workers (and the rate an idle machine would
   give from it),
   peak RSS of the main process and of a worker (from the run's manifest), the speed-up over 1
   worker, and whether every run wrote the same output;
   The scaling is read on the coding time (the run's time minus ``startup_s``, building the
   pipeline before the first record, from the manifest): on 2,000 reports the fixed start-up
   of a few seconds would otherwise hide it (the wall-clock ratio is printed too);
6. the HTTP service (``bench/service.py``): ``suggester serve`` started afresh with 1 and N
   worker processes, keep-alive clients posting JSON reports over real HTTP on loopback at 1, 4
   and 16 clients -> requests/s, p50 / p99, CPU per request of the event-loop process and of the
   workers, the N / 1 ratios, and the capacity an idle machine would give from that CPU;
7. cold start: a fresh interpreter imports the package, builds a ``Suggester`` and codes one
   report (median of 3), with the bytecode cached as an installed package has it (and, when
   ``PYTHONDONTWRITEBYTECODE`` is set, also as this environment runs it);
8. the issue-15 targets, met or not.

``--memory N`` codes N reports whose titles carry unique accession and record numbers (what
makes spaCy's string store grow) and prints RSS and the number of spaCy strings every N/10
reports (``--every K``: every K): both stay flat (reports are read in ``nlp.memory_zone()`` once the vocabulary has
grown by ``pipeline.VOCAB_GROWTH`` strings). A million: ``python bench/run.py --memory 1000000``
(about 45 minutes on an idle core at 2.5 ms per report; hours on a busy machine).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import service  # noqa: E402
from reports import make_reports  # noqa: E402

PARTS = ("side", "latency", "stages", "cli", "service", "cold")
TARGETS = {"reports_per_s_per_core": 1000, "tokenizer_ratio": 2.0, "p99_ms": 3.0, "rss_mb": 200, "cold_start_s": 1.5,
           "scaling_2w": 1.8, "service_scaling": 1.8, "service_p99_4_clients_ms": 15.0}

COLD = """
import resource, sys, time
t0 = time.perf_counter()
import spacy
t1 = time.perf_counter()
from suggester import Suggester
t2 = time.perf_counter()
s = Suggester()
t3 = time.perf_counter()
s.suggest(sys.stdin.read())
t4 = time.perf_counter()
ru = resource.getrusage(resource.RUSAGE_SELF)
print(t3 - t0, t4 - t0, t1 - t0, t2 - t1, t3 - t2, t4 - t3, ru.ru_utime + ru.ru_stime)
"""


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _burn(seconds: float) -> float:
    t, c = time.perf_counter(), time.process_time()
    while time.perf_counter() - t < seconds:
        pass
    return time.process_time() - c


def cores_available(cores: int, seconds: float = 1.0) -> float:
    """How many cores this benchmark can get right now: ``cores`` busy processes for ``seconds``."""
    import multiprocessing as mp

    with mp.get_context("fork" if sys.platform == "linux" else "spawn").Pool(cores) as pool:
        return sum(pool.map(_burn, [seconds] * cores)) / seconds


def first_difference(a: Path, b: Path) -> str:
    with open(a, encoding="utf-8") as fa, open(b, encoding="utf-8") as fb:
        for n, (la, lb) in enumerate(zip(fa, fb, strict=False), 1):  # a shorter file is reported below
            if la != lb:
                ra, rb = json.loads(la), json.loads(lb)
                keys = [k for k in ra if ra[k] != rb.get(k)]
                return f"record {n} ({ra.get('id')}), keys {keys} (was the code changed during the run?)"
    return "one output is shorter"


def pct(sorted_vals: list[float], q: float) -> float:
    if not sorted_vals:
        return float("nan")
    k = min(len(sorted_vals) - 1, max(0, round(q * (len(sorted_vals) - 1))))
    return sorted_vals[k]


EVAL_SPLITS = ("dev", "test")  # labelled eval reports (never the calibration split)


def eval_reports(sample: int | None = None, seed: int = 0) -> list[dict]:
    """The labelled eval reports of ``eval/data`` (dev and test splits), or [] when absent;
    ``sample``: at most that many of them, drawn at random with ``seed`` (in file order)."""
    out = []
    for split in EVAL_SPLITS:
        path = HERE.parent / "eval" / "data" / f"{split}.jsonl"
        if path.is_file():
            out += [{"id": r["id"], "text": r["text"]} for r in map(json.loads, path.read_text("utf-8").splitlines())]
    if sample is not None and sample < len(out):
        keep = set(random.Random(seed).sample(range(len(out)), sample))
        out = [r for i, r in enumerate(out) if i in keep]
    return out


def memo_pass(recs: list[dict]) -> dict:
    """Hit rates of the pipeline's memos over one pass of ``recs`` by a fresh Suggester (a
    stream read once: how much of it repeats what came before)."""
    from suggester import Suggester
    from suggester.memo import memo_stats, reset_memo_stats

    s = Suggester()
    reset_memo_stats()
    for _ in s.suggest_many(recs):
        pass
    stats = memo_stats()
    reset_memo_stats()
    return stats


def settle_heap() -> None:
    """The built pipeline's objects out of the cycle collector's sight, as the CLI and the
    service's workers do before coding (``suggester.batch.settle_heap``): without it every full
    collection walks ~100,000 lexicon, model and spaCy objects (~10% of the in-process time, and
    the slowest reports of the latency run)."""
    from suggester.batch import settle_heap as settle

    settle()


def side_by_side(reports: list[dict], rounds: int = 5, eval_sample: int | None = None, seed: int = 0) -> dict:
    """CPU seconds per report of the pipeline (its memos warm, emptied before each round, and
    off), spaCy's blank tokenizer and a pure-Python floor, measured in interleaved rounds (each
    round runs all of them on every report); medians. The same for the labelled eval reports when present, and the memos' hit
    rates over one pass of each corpus: bench's synthetic reports repeat their titles and
    technique lines far more than real reports, so the memos-off figure is the honest one."""
    import spacy

    from suggester import Suggester
    from suggester.memo import clear_memos, memos_off

    s = Suggester()
    corpora = {"bench": [{"id": r["id"], "text": r["text"]} for r in reports]}
    ev = eval_reports(eval_sample, seed) if eval_sample != 0 else []
    if ev:
        corpora["eval"] = ev

    def pipeline(recs):
        for _ in s.suggest_many(recs):
            pass

    def first_pass(recs):
        clear_memos()
        pipeline(recs)

    def no_memo(recs):
        with memos_off():
            pipeline(recs)

    # one tokenizer per corpus, warmed on that corpus alone: a tokenizer that has also read the
    # other corpus tokenized the bench reports twice as fast in one trial (0.9 ms against 1.9 ms
    # per report; its tables' state), so each corpus gets the state of the earlier runs
    toks = {id(recs): spacy.blank("en").tokenizer for recs in corpora.values()}

    def tokenizer(recs):
        tok = toks[id(recs)]
        for r in recs:
            tok(r["text"])

    def floor(recs):
        for r in recs:
            r["text"].lower().split()

    runs = {}
    for corpus, recs in corpora.items():
        sfx = "" if corpus == "bench" else f" {corpus}"
        # the first pass right before the warm one: the memos then hold this corpus (a pass over
        # the other corpus in between would leave them holding that one)
        runs |= {f"pipeline first pass{sfx}": (first_pass, recs), f"pipeline{sfx}": (pipeline, recs),
                 f"pipeline no memo{sfx}": (no_memo, recs),
                 f"tokenizer{sfx}": (tokenizer, recs), f"floor{sfx}": (floor, recs)}
    for fn, recs in runs.values():  # warm caches
        fn(recs)
    settle_heap()  # as the CLI does once its pipeline is built and warm (the service's workers too)
    cpu: dict[str, list[float]] = {k: [] for k in runs}
    for _ in range(rounds):
        for name, (fn, recs) in runs.items():
            c = time.process_time()
            fn(recs)
            cpu[name].append((time.process_time() - c) / len(recs))
    med = {k: statistics.median(v) for k, v in cpu.items()}
    out = {"rounds": rounds, "ms": {k: 1000 * v for k, v in med.items()},
           "ms_all": {k: [1000 * x for x in v] for k, v in cpu.items()},
           "tokenizer_ratio": med["tokenizer"] / med["pipeline"],
           "tokenizer_ratio_no_memo": med["tokenizer"] / med["pipeline no memo"],
           "floor_ratio": med["pipeline"] / med["floor"],
           "corpora": {k: {"reports": len(v), "mean_words": statistics.mean(len(r["text"].split()) for r in v),
                           "memo_hit_rates": memo_pass(v)} for k, v in corpora.items()}}
    if ev:
        out["tokenizer_ratio_eval"] = med["tokenizer eval"] / med["pipeline eval"]
        out["tokenizer_ratio_eval_no_memo"] = med["tokenizer eval"] / med["pipeline no memo eval"]
    return out


def in_process(reports: list[dict]) -> dict:
    """Latency of ``Suggester.suggest()``, one report at a time."""
    from suggester import Suggester

    s = Suggester()
    for r in reports[:20]:  # warm caches
        s.suggest(r["text"])
    settle_heap()  # as a service worker does once its pipeline is built and warm
    lat, cpu = [], []
    t0, c0 = time.perf_counter(), time.process_time()
    for r in reports:
        a, b = time.perf_counter(), time.process_time()
        s.suggest(r["text"])
        lat.append(time.perf_counter() - a)
        cpu.append(time.process_time() - b)
    total, total_cpu = time.perf_counter() - t0, time.process_time() - c0
    lat.sort()
    cpu.sort()
    n = len(reports)
    return {"seconds": total, "cpu_seconds": total_cpu, "reports_per_s": n / total,
            "reports_per_cpu_s": n / total_cpu, "mean_ms": 1000 * total / n,
            "p50_ms": 1000 * pct(lat, 0.50), "p99_ms": 1000 * pct(lat, 0.99), "max_ms": 1000 * lat[-1],
            "cpu_p50_ms": 1000 * pct(cpu, 0.50), "cpu_p99_ms": 1000 * pct(cpu, 0.99)}


# the stage functions of suggest() where their callers look them up ("module:attr" or
# "module:Class.method"), with a label
STAGES = (("extraction:normalize_dictation", "normalize dictation"), ("extraction:split_sections", "sections"),
          ("extraction:Extractor.read", "spaCy pipeline (tokenize, spelling, terms, views, context)"),
          ("extraction:resolve", "frames: resolve"), ("extraction:split_and_merge", "frames: split/merge"),
          ("pipeline:map_frames", "mapping"), ("flags:document_flags", "flags (incl. phrase search)"),
          ("flags:ordered_flags", "ordered vs performed"), ("pipeline:report_context", "confidence: report features"),
          ("pipeline:line_features", "confidence: line features"),
          ("pipeline:Suggester._confidences", "confidence: model"),
          ("pipeline:Suggester._code_lines", "modifiers and output lines"))


def per_stage(reports: list[dict]) -> dict:
    """CPU ms per report spent in each stage of ``suggest()`` (the rest is glue)."""
    import importlib

    import suggester.pipeline as P

    spent: dict[str, float] = {}
    saved = []

    def timed(owner, attr, label):
        fn = getattr(owner, attr)

        def wrapper(*a, **k):
            c = time.process_time()
            try:
                return fn(*a, **k)
            finally:
                spent[label] = spent.get(label, 0.0) + time.process_time() - c
        saved.append((owner, attr, fn))
        setattr(owner, attr, wrapper)

    s = P.Suggester()
    for r in reports[:20]:
        s.suggest(r["text"])
    for name, label in STAGES:
        module, _, attr = name.partition(":")
        owner = importlib.import_module(f"suggester.{module}")
        if "." in attr:
            cls, attr = attr.split(".")
            owner = getattr(owner, cls)
        timed(owner, attr, label)
    try:
        c = time.process_time()
        for r in reports:
            s.suggest(r["text"])
        total = time.process_time() - c
    finally:
        for owner, attr, fn in reversed(saved):
            setattr(owner, attr, fn)
    n = len(reports)
    return {"total_ms": 1000 * total / n, "stages_ms": {k: 1000 * v / n for k, v in spent.items()}}


def rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory_run(n: int, seed: int = 0, every: int | None = None) -> dict:
    """RSS and spaCy's string count over ``n`` reports with unique accession numbers, every
    ``every`` reports (default n/10)."""
    from suggester import Suggester

    base = make_reports(500, seed)
    s = Suggester()
    step = max(1, every or n // 10)
    points = []
    t0 = time.perf_counter()
    for i in range(n):
        text = base[i % len(base)]["text"]
        text = f"ACC{i:010d} " + text.replace("\n", f" MRN {i * 7919 % 10**9:09d} DOS {i % 28 + 1:02d}/{i % 12 + 1:02d}\n", 1)
        s.suggest(text)
        if (i + 1) % step == 0 or i == 0:
            points.append({"reports": i + 1, "rss_mb": rss_mb(), "strings": len(s.nlp.vocab.strings)})
            print(f"  {i + 1:>9,d} reports: RSS {points[-1]['rss_mb']:6.1f} MB, spaCy strings "
                  f"{points[-1]['strings']:,d}   ({time.perf_counter() - t0:.0f} s)", flush=True)
    return {"n": n, "points": points}


def cli_run(inp: Path, out: Path, workers: int) -> dict:
    cmd = [sys.executable, "-m", "suggester.cli", "code", str(inp), "-o", str(out), "--workers", str(workers), "-q"]
    r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    r1 = resource.getrusage(resource.RUSAGE_CHILDREN)  # the CLI and its workers, once reaped
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"CLI failed ({proc.returncode}): {proc.stderr}")
    man = json.loads(Path(f"{out}.manifest.json").read_text())
    n = man["counts"]["records"]
    coding = man["run"]["elapsed_s"] - man["run"]["startup_s"]  # after building the pipeline
    main_ms, work_ms = (1000 * man["run"]["cpu_s"][k] / n for k in ("main", "workers"))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    # the coding rate an idle machine would give, from the CPU per report of the main process
    # (reading, hand-off, writing) and of the workers: at most workers / worker CPU, 1 / main CPU,
    # cores / both (as bench/service.py estimates the service)
    idle = 1000 / main_ms if not work_ms else min(workers * 1000 / work_ms, 1000 / main_ms,
                                                  cores * 1000 / (main_ms + work_ms))
    return {"workers": workers, "wall_s": wall, "records": n, "errors": man["counts"]["errors"],
            "reports_per_s": n / wall, "reports_per_s_per_core": n / wall / workers,
            "startup_s": man["run"]["startup_s"], "coding_s": coding, "coding_reports_per_s": n / coding,
            "main_cpu_ms": main_ms, "worker_cpu_ms": work_ms, "idle_reports_per_s": idle,
            "cpu_s": cpu, "reports_per_cpu_s": n / cpu, "cores_used": cpu / wall,
            "rss_main_mb": man["run"]["peak_rss_mb"]["main"],
            "rss_worker_mb": man["run"]["peak_rss_mb"]["worker"], "output": out}


def service_part(reports: list[dict], worker_counts: list[int], clients: list[int], n: int, cores: int) -> dict:
    """The HTTP service with 1 and N worker processes (``bench/service.py``), printed as it goes."""
    bodies = [json.dumps({"id": r["id"], "text": r["text"]}).encode() for r in reports[:300]]
    print(f"\nHTTP service (suggester serve, a fresh process per worker count; JSON reports over keep-alive "
          f"HTTP on loopback, {n} requests per row; CPU ms per request of the event-loop process (main), the "
          f"worker processes and this client; others: cores the rest of the machine used during the row):")
    print("  " + service.HEADER)
    rows = service.run_services(bodies, worker_counts, clients, n,
                                lambda w, r: print("  " + service.row_line(w, r), flush=True))
    by = {(r["workers"], r["clients"]): r for r in rows}
    most, top = max(worker_counts), max(clients)
    for r in rows:
        if r["clients"] == top:
            r["idle_capacity_rps"] = service.idle_capacity(r, cores)
    out: dict = {"rows": rows, "most": most, "p99_4_clients_ms": by[(most, 4)]["p99_ms"] if (most, 4) in by else None}
    if most > 1:
        out["ratio_wall"] = by[(most, top)]["rps"] / by[(1, top)]["rps"]
        out["ratio_idle"] = by[(most, top)]["idle_capacity_rps"] / by[(1, top)]["idle_capacity_rps"]
        print(f"  {most} workers / 1 worker, req/s (wall): " + ", ".join(
            f"{c} client{'s' if c > 1 else ''} {by[(most, c)]['rps'] / by[(1, c)]['rps']:.2f}x" for c in clients))
        print(f"  capacity on an idle {cores}-core machine from the CPU per request at {top} clients: "
              + ", ".join(f"{w} worker{'s' if w > 1 else ''} {by[(w, top)]['idle_capacity_rps']:.0f} req/s"
                          for w in worker_counts) + f" ({out['ratio_idle']:.2f}x)")
        # the whole service on one core (event loop and worker share it): what a single-process
        # service gives, less the hand-off to a worker process it does not pay
        one_core = out["one_core_rps"] = service.idle_capacity(by[(1, top)], 1)
        out["ratio_one_core"] = by[(most, top)]["idle_capacity_rps"] / one_core
        print(f"  the service on one idle core (1 worker, event loop and worker sharing it): {one_core:.0f} req/s; "
              f"{most} workers on {cores} cores give {out['ratio_one_core']:.2f}x that")
        avail = out["cores_available_after"] = cores_available(cores)
        print(f"  [cores a busy loop could get right after: {avail:.1f} of {cores}]")
    return out


def cold_start(text: str, runs: int = 3) -> dict:
    """A fresh interpreter imports the package, builds a Suggester and codes one report (medians
    of ``runs``), twice: with the bytecode of every module cached, as an installed package runs
    (``pip install`` compiles it; here a warm-up run writes it to a temporary
    ``PYTHONPYCACHEPREFIX``), and as this environment runs it (with ``PYTHONDONTWRITEBYTECODE``
    set, an editable install compiles the package's sources at every start)."""
    def runs_with(env: dict) -> dict:
        rows, walls = [], []
        for _ in range(runs):
            t0 = time.perf_counter()
            proc = subprocess.run([sys.executable, "-c", COLD], input=text, capture_output=True, text=True,
                                  check=True, env=env)
            walls.append(time.perf_counter() - t0)
            rows.append([float(x) for x in proc.stdout.split()])
        med = [statistics.median(col) for col in zip(*rows, strict=True)]
        return {"import_build_s": med[0], "first_report_s": med[1], "import_spacy_s": med[2],
                "import_suggester_s": med[3], "build_s": med[4], "report_s": med[5], "cpu_s": med[6],
                "process_wall_s": statistics.median(walls)}

    with tempfile.TemporaryDirectory() as cache:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = cache
        subprocess.run([sys.executable, "-c", COLD], input=text, capture_output=True, text=True, check=True,
                       env=env)  # writes the bytecode
        out = runs_with(env)
    out["bytecode"] = "cached"
    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        out["sources_compiled"] = runs_with(dict(os.environ))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=2000, help="number of reports (default 2000)")
    ap.add_argument("--workers", default=None, help="CLI worker counts, comma separated (default: 1 and the CPU count)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", default=None, help="also write the numbers to this JSON file")
    ap.add_argument("--rounds", type=int, default=5, help="interleaved rounds of the side-by-side run (default 5)")
    ap.add_argument("--eval-sample", type=int, default=2000, metavar="N",
                    help="labelled eval reports in the side-by-side part: a random N of them (default 2000; "
                         "-1: all of them, about 16,000, which takes over 10 minutes; 0: none)")
    ap.add_argument("--service-requests", type=int, default=600, metavar="N",
                    help="HTTP requests per service row (default 600; 0: no service part)")
    ap.add_argument("--clients", default="1,4,16", help="concurrent service clients (default 1,4,16)")
    ap.add_argument("--memory", type=int, default=None, metavar="N",
                    help="only the memory run: N reports with unique accession numbers, RSS every N/10")
    ap.add_argument("--every", type=int, default=None, metavar="K",
                    help="with --memory: print RSS and spaCy's string count every K reports")
    ap.add_argument("--only", default=",".join(PARTS), metavar="PARTS",
                    help=f"run only these parts, comma separated (default: all of {','.join(PARTS)})")
    args = ap.parse_args(argv)
    parts = {x.strip() for x in args.only.split(",") if x.strip()}
    if parts - set(PARTS):
        ap.error(f"--only: unknown parts {sorted(parts - set(PARTS))}; known: {', '.join(PARTS)}")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    worker_counts = [int(w) for w in args.workers.split(",")] if args.workers else sorted({1, cores})
    t_start = time.perf_counter()

    import spacy

    from suggester import __version__

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {cores} cores, {cpu_model()}; Python {platform.python_version()}, spaCy {spacy.__version__}, "
          f"suggester {__version__}; load average at start {load:.2f}")
    if load > 0.5:
        print("  (other processes are using the CPU: the numbers below are lower than on an idle machine)")
    if args.memory:
        print(f"memory: {args.memory:,d} reports with unique accession and record numbers in the title line")
        res = memory_run(args.memory, args.seed, args.every)
        first, last = res["points"][min(1, len(res["points"]) - 1)], res["points"][-1]
        print(f"  RSS {first['rss_mb']:.0f} MB after {first['reports']:,d} reports -> {last['rss_mb']:.0f} MB after "
              f"{last['reports']:,d}; spaCy strings {first['strings']:,d} -> {last['strings']:,d}")
        if args.json:
            Path(args.json).write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
        return 0
    reports = make_reports(args.n, args.seed)
    words = [len(r["text"].split()) for r in reports]
    fams = sorted({r["family"] for r in reports})
    print(f"reports: {len(reports)} synthetic, {statistics.mean(words):.0f} words on average "
          f"({min(words)}-{max(words)}), {statistics.mean(len(r['text']) for r in reports):.0f} characters; "
          f"families: {', '.join(fams)}")

    res: dict = {"n": len(reports), "cores": cores, "cpu": cpu_model(), "mean_words": statistics.mean(words)}
    if "side" in parts:
        sbs = res["side_by_side"] = side_by_side(reports, args.rounds, None if args.eval_sample < 0 else args.eval_sample, args.seed)
        ms = sbs["ms"]
        ratio = sbs["tokenizer_ratio"]
        print(f"\nside by side, one process, {sbs['rounds']} interleaved rounds, CPU time per report (median):")
        print(f"  pipeline (suggest_many)            {ms['pipeline']:6.3f} ms  ({1000 / ms['pipeline']:5.0f} reports per CPU-second)")
        print(f"  the same, memos emptied each round {ms['pipeline first pass']:6.3f} ms  "
              f"({1000 / ms['pipeline first pass']:5.0f} reports per CPU-second; one pass of a stream, as a CLI worker "
              f"codes it)")
        print(f"  the same, every memo off           {ms['pipeline no memo']:6.3f} ms  "
              f"({1000 / ms['pipeline no memo']:5.0f} reports per CPU-second)")
        print(f"  spaCy blank English tokenizer      {ms['tokenizer']:6.3f} ms  -> pipeline is {ratio:.2f}x "
              f"{'faster' if ratio >= 1 else 'slower'} than only tokenizing the report "
              f"({sbs['tokenizer_ratio_no_memo']:.2f}x with its memos off)")
        print(f"  pure-Python floor (lower + split)  {ms['floor']:6.3f} ms  -> pipeline = {sbs['floor_ratio']:.0f}x the floor")
        if "pipeline eval" in ms:
            ev = sbs["corpora"]["eval"]
            print(f"  labelled eval reports ({ev['reports']}, {ev['mean_words']:.0f} words on average): pipeline "
                  f"{ms['pipeline eval']:.3f} ms, memos off {ms['pipeline no memo eval']:.3f} ms, tokenizer "
                  f"{ms['tokenizer eval']:.3f} ms -> {sbs['tokenizer_ratio_eval']:.2f}x "
                  f"({sbs['tokenizer_ratio_eval_no_memo']:.2f}x memos off)")
        for name, c in sbs["corpora"].items():
            print(f"  memo hit rates over one pass of the {name} reports by a fresh Suggester: " + ", ".join(
                f"{k} {v['hit_rate']:.0%} of {v['hits'] + v['misses']:.0f}" for k, v in sorted(c["memo_hit_rates"].items())))
        print("  rounds (ms): " + "; ".join(f"{k} " + " ".join(f"{x:.3f}" for x in v) for k, v in sbs["ms_all"].items()))

    if "latency" in parts:
        ip = res["in_process"] = in_process(reports)
        print("\nlatency, Suggester.suggest() one report at a time:")
        print(f"  wall: {ip['reports_per_s']:6.0f} reports/s   mean {ip['mean_ms']:.2f} ms   p50 {ip['p50_ms']:.2f} ms   "
              f"p99 {ip['p99_ms']:.2f} ms   max {ip['max_ms']:.1f} ms")
        print(f"  CPU:  {ip['reports_per_cpu_s']:6.0f} reports per CPU-second      p50 {ip['cpu_p50_ms']:.2f} ms   "
              f"p99 {ip['cpu_p99_ms']:.2f} ms")

    if "stages" in parts:
        st = res["stages"] = per_stage(reports)
        print(f"\nper stage (CPU ms per report in suggest(), total {st['total_ms']:.3f} ms incl. timing overhead):")
        for label, v in sorted(st["stages_ms"].items(), key=lambda kv: -kv[1]):
            print(f"  {label:58s} {v:6.3f} ms  {100 * v / st['total_ms']:4.0f}%")
        res["rss_in_process_mb"] = rss_mb()
        print(f"  RSS of this process after the runs above: {res['rss_in_process_mb']:.0f} MB")

    if "cli" in parts:
        with tempfile.TemporaryDirectory() as tmp:
            inp = Path(tmp) / "reports.jsonl"
            with open(inp, "w", encoding="utf-8") as fh:
                for r in reports:
                    fh.write(json.dumps({"id": r["id"], "text": r["text"]}) + "\n")
            runs = []
            print("\nCLI end to end (suggester code, JSONL -> JSONL, fresh process, wall time incl. start-up):")
            for w in worker_counts:
                r = cli_run(inp, Path(tmp) / f"out-{w}.jsonl", w)
                runs.append(r)
                print(f"  {w} worker{'s' if w > 1 else ' '}: {r['wall_s']:6.2f} s  {r['reports_per_s']:7.0f} reports/s  "
                      f"{r['reports_per_s_per_core']:6.0f} /s per core (wall), {r['reports_per_cpu_s']:6.0f} per CPU-s "
                      f"(all processes, start-up included), {r['cores_used']:.1f} cores used   "
                      f"peak RSS main {r['rss_main_mb']:.0f} MB, "
                      f"worker {r['rss_worker_mb']:.0f} MB   errors {r['errors']}")
                print(f"             start-up (building the pipeline) {r['startup_s']:.2f} s, then coding "
                      f"{r['coding_s']:.2f} s: {r['coding_reports_per_s']:.0f} reports/s; CPU per report: main process "
                      f"{r['main_cpu_ms']:.3f} ms, workers {r['worker_cpu_ms']:.2f} ms -> {r['idle_reports_per_s']:.0f} "
                      f"reports/s on {cores} idle cores")
            outputs = {Path(r["output"]).read_bytes() for r in runs}
            base, base_coding = runs[0]["reports_per_s"], runs[0]["coding_reports_per_s"]
            for r in runs:
                r["speedup"] = r["reports_per_s"] / base
                r["coding_speedup"] = r["coding_reports_per_s"] / base_coding
                r["idle_speedup"] = r["idle_reports_per_s"] / runs[0]["idle_reports_per_s"]
                r["output"] = str(r["output"])
            if len(runs) > 1:
                avail = res["cores_available_after"] = cores_available(cores)
                print("  scaling vs 1 worker, coding (start-up excluded): "
                      + ", ".join(f"{r['workers']}w {r['coding_speedup']:.2f}x" for r in runs[1:])
                      + "; wall incl. start-up: " + ", ".join(f"{r['workers']}w {r['speedup']:.2f}x" for r in runs[1:])
                      + "; idle estimate from CPU: " + ", ".join(f"{r['workers']}w {r['idle_speedup']:.2f}x" for r in runs[1:])
                      + f"   [cores a busy loop could get right after: {avail:.1f} of {cores}; the runs used "
                      + ", ".join(f"{r['cores_used']:.1f}" for r in runs) + "]")
                print("  CPU per report vs 1 worker: " + ", ".join(
                    f"{r['workers']}w {runs[0]['reports_per_cpu_s'] / r['reports_per_cpu_s'] - 1:+.0%}" for r in runs[1:])
                    + "   (the cost of parallelism; near 0 means near-linear scaling on free cores)")
            print(f"  identical output for every worker count: {'yes' if len(outputs) == 1 else 'NO'}")
            if len(outputs) > 1:
                print("    first difference: " + first_difference(Path(runs[0]["output"]), Path(runs[-1]["output"])))
            res["cli"] = runs

    if args.service_requests and "service" in parts:
        res["service"] = service_part(reports, sorted({1, *worker_counts}), [int(c) for c in args.clients.split(",")],
                                      args.service_requests, cores)

    if "cold" in parts:
        cs = res["cold_start"] = cold_start(reports[0]["text"])
        print("\ncold start (fresh interpreter: import + build Suggester + code one report, median of 3; bytecode "
              "cached, as an installed package):")
        print(f"  import+build {cs['import_build_s']:.2f} s, first report coded at {cs['first_report_s']:.2f} s "
              f"(process wall incl. interpreter {cs['process_wall_s']:.2f} s, CPU {cs['cpu_s']:.2f} s): import spaCy "
              f"{cs['import_spacy_s']:.2f} s, import suggester {cs['import_suggester_s']:.2f} s, build "
              f"{cs['build_s']:.2f} s, first report {cs['report_s']:.3f} s")
        if "sources_compiled" in cs:
            sc = cs["sources_compiled"]
            print(f"  with PYTHONDONTWRITEBYTECODE set (as here; an editable install then compiles the package's "
                  f"sources at every start): first report at {sc['first_report_s']:.2f} s (import suggester "
                  f"{sc['import_suggester_s']:.2f} s)")

    print("\ntargets (issue 15):")
    checks = []
    if "cli" in parts:
        one = next((r for r in res["cli"] if r["workers"] == 1), res["cli"][0])
        two = next((r for r in res["cli"] if r["workers"] == 2), None)
        checks += [("1 CLI worker, reports/s (wall)", one["reports_per_s"], ">=", TARGETS["reports_per_s_per_core"],
                    "{:.0f}"),
                   ("  the same per CPU-second", one["reports_per_cpu_s"], ">=", TARGETS["reports_per_s_per_core"],
                    "{:.0f}")]
        if two is not None:
            checks += [("2 CLI workers / 1, coding", two["coding_speedup"], ">=", TARGETS["scaling_2w"], "{:.2f}x"),
                       ("  the same, wall incl. start-up", two["speedup"], ">=", TARGETS["scaling_2w"], "{:.2f}x"),
                       ("  the same, idle estimate from CPU", two["idle_speedup"], ">=", TARGETS["scaling_2w"],
                        "{:.2f}x")]
    if "side" in parts:
        checks += [("tokenizer time / pipeline time (CPU)", res["side_by_side"]["tokenizer_ratio"], ">=",
                    TARGETS["tokenizer_ratio"], "{:.2f}x"),
                   ("  the same, every memo off", res["side_by_side"]["tokenizer_ratio_no_memo"], ">=",
                    TARGETS["tokenizer_ratio"], "{:.2f}x")]
    if "latency" in parts:
        ip = res["in_process"]
        checks += [("p99 latency (ms, wall)", ip["p99_ms"], "<=", TARGETS["p99_ms"], "{:.2f}"),
                   ("  the same in CPU time", ip["cpu_p99_ms"], "<=", TARGETS["p99_ms"], "{:.2f}")]
    if "cli" in parts:
        checks.append(("peak RSS per CLI worker (MB)", max(r["rss_worker_mb"] for r in res["cli"]), "<=",
                       TARGETS["rss_mb"], "{:.0f}"))
    if "cold" in parts:
        checks.append(("cold start (s)", res["cold_start"]["first_report_s"], "<=", TARGETS["cold_start_s"], "{:.2f}"))
    svc = res.get("service")
    if svc and svc["most"] > 1:
        most = svc["most"]
        checks += [(f"service {most} workers / 1, req/s (wall)", svc["ratio_wall"], ">=", TARGETS["service_scaling"],
                    "{:.2f}x"),
                   ("  the same, idle estimate from CPU", svc["ratio_idle"], ">=", TARGETS["service_scaling"], "{:.2f}x"),
                   ("  the same vs the service on one core", svc["ratio_one_core"], ">=", TARGETS["service_scaling"],
                    "{:.2f}x")]
    if svc and svc["p99_4_clients_ms"] is not None:
        checks.append((f"service p99 at 4 clients, {svc['most']} w (ms)", svc["p99_4_clients_ms"], "<=",
                       TARGETS["service_p99_4_clients_ms"], "{:.1f}"))
    for name, val, op, tgt, fmt in checks:
        ok = val >= tgt if op == ">=" else val <= tgt
        print(f"  {name:38s} {fmt.format(val):>9s}   target {op} {tgt}   {'met' if ok else 'NOT met'}")
    if "cli" in parts:
        print(f"  (peak RSS of the CLI's main process: {max(r['rss_main_mb'] for r in res['cli']):.0f} MB, while it "
              f"builds the pipeline that the workers inherit)")
    res["bench_seconds"] = time.perf_counter() - t_start
    res["load_average"] = {"start": load, "end": os.getloadavg()[0] if hasattr(os, "getloadavg") else None}
    print(f"\nbenchmark took {res['bench_seconds']:.0f} s (load average at the end {res['load_average']['end']:.2f})")
    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

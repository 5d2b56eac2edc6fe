"""Hostile-input benchmark: how long the slowest inputs up to the 1 MB limit take to code.

    python bench/hostile.py                  # every text of tests/data/hostile/texts.jsonl, in-process
    python bench/hostile.py --batch          # ... and the issue-13 pair through `suggester code`
    python bench/hostile.py --only ct_head_100k_spaces concatenated_reports_600k

It prints numbers (wall and CPU seconds per input, the slowest first) and whether the issue-13
targets are met; it asserts nothing (timings belong here, not in the test suite). The corpus
is kept in ``tests/data/hostile/texts.jsonl``; ``tests/test_fuzz.py`` codes each text under a
per-input deadline, and its long run (``SUGGESTER_FUZZ_SCALE``) prints the worst case per test.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "data" / "hostile" / "texts.jsonl"
MAX_BYTES = 1_000_000
PAIR = ("ct_head_100k_spaces", "concatenated_reports_600k")
TARGETS = {"pair_s": 10.0, "any_s": 2.0}


def corpus(path: Path = CORPUS) -> list[dict]:
    """The hostile texts: each entry's ``parts`` ([string, repeat], ...) joined, or the reports of
    its ``reports`` file joined by ``joiner``, cut to ``size`` characters and to 1 MB of UTF-8."""
    out = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line.strip() or line.startswith("#"):
            continue
        e = json.loads(line)
        if "reports" in e:
            rows = (REPO / e["reports"]).read_text(encoding="utf-8").splitlines()
            texts = [json.loads(r)["text"] for r in rows if r.strip()]
            text = e["joiner"].join(texts)
            while len(text) < e["size"]:
                text = e["joiner"].join((text, text))
        else:
            text = "".join(s * n for s, n in e["parts"])
        if "size" in e:
            text = text[:e["size"]]
        data = text.encode("utf-8", "surrogatepass")
        if len(data) > MAX_BYTES:
            text = data[:MAX_BYTES].decode("utf-8", "ignore")
        out.append({**e, "text": text})
    return out


def time_in_process(entries: list[dict]) -> list[tuple[str, int, float, float]]:
    from suggester import Suggester

    s = Suggester()
    s.suggest("CT HEAD")  # warm
    rows = []
    for e in entries:
        w0, c0 = time.perf_counter(), time.process_time()
        s.suggest_record({"id": e["name"], "text": e["text"]})  # an error record (punctuation only) is timed too
        rows.append((e["name"], len(e["text"].encode("utf-8", "surrogatepass")),
                     time.perf_counter() - w0, time.process_time() - c0))
    return rows


def time_batch(entries: list[dict]) -> float:
    """`suggester code` on a JSONL of the given texts, 1 worker: wall time of the whole run."""
    with tempfile.TemporaryDirectory() as d:
        inp, out = Path(d) / "in.jsonl", Path(d) / "out.jsonl"
        inp.write_text("".join(json.dumps({"id": e["name"], "text": e["text"]}) + "\n" for e in entries),
                       encoding="utf-8")
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "suggester.cli", "code", str(inp), "-o", str(out), "-q",
                        "--workers", "1"], check=True, cwd=REPO)
        return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--only", nargs="*", help="names of corpus entries to run (default: all)")
    ap.add_argument("--batch", action="store_true", help="also time the issue-13 pair through `suggester code`")
    args = ap.parse_args(argv)
    warnings.simplefilter("ignore")
    entries = corpus()
    if args.only:
        entries = [e for e in entries if e["name"] in set(args.only)]
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}; Python {sys.version.split()[0]}")
    rows = time_in_process(entries)
    print(f"\n{'input':34} {'bytes':>9} {'wall s':>8} {'CPU s':>8}")
    for name, size, wall, cpu in sorted(rows, key=lambda r: -r[3]):
        print(f"{name:34} {size:9d} {wall:8.3f} {cpu:8.3f}")
    by = {r[0]: r for r in rows}
    worst = max(rows, key=lambda r: r[3])
    print(f"\nworst: {worst[0]} {worst[3]:.3f} s CPU ({worst[2]:.3f} s wall)")
    verdict = lambda ok: "met" if ok else "NOT met"  # noqa: E731
    print(f"target: no input up to 1 MB over {TARGETS['any_s']} s: "
          f"{verdict(worst[3] <= TARGETS['any_s'])} (CPU; wall {max(r[2] for r in rows):.3f} s)")
    if all(p in by for p in PAIR):
        pair = sum(by[p][3] for p in PAIR)
        print(f"target: {' + '.join(PAIR)} <= {TARGETS['pair_s']} s: {verdict(pair <= TARGETS['pair_s'])} "
              f"({pair:.3f} s CPU in-process)")
        if args.batch:
            wall = time_batch([e for e in entries if e["name"] in PAIR])
            print(f"  the same pair through `suggester code` (1 worker, start-up included): {wall:.2f} s wall")
    return 0


if __name__ == "__main__":
    sys.exit(main())

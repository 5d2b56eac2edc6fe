"""Benchmark: the review workbench's store and page on a large worklist.

    python bench/workbench.py              # 2,000 reports of ~350 words (~1 min on 2 cores)
    python bench/workbench.py -n 10000

It prints numbers; it asserts nothing. Steps, on a fresh SQLite file in a temporary folder:

1. code N synthetic reports (``bench/reports.py``) and store them in batches of 100 (the
   service's default batch limit) -> store time per batch (coding time excluded);
2. decide every other report (accept / override alternately) -> ms per decision;
3. the worklist: all, open only, a family, a word search -> ms per query;
4. one report with its audit trail (``get``) and the review page rendered for it (Jinja2,
   highlighting included) -> ms, page size;
5. the JSONL export and the stats -> ms; the database file size.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reports import make_reports  # noqa: E402

from suggester import Suggester  # noqa: E402
from suggester.workbench.routes import _templates, highlight  # noqa: E402
from suggester.workbench.store import Decision, ReviewStore, claim_lines  # noqa: E402


def ms(f, repeat: int = 5):
    times = []
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = f()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=2000, help="reports in the worklist (default 2000)")
    args = ap.parse_args(argv)
    s = Suggester()
    recs = make_reports(args.n, seed=0)
    t0 = time.perf_counter()
    outs = [s.suggest_record(r, i) for i, r in enumerate(recs, 1)]
    print(f"coded {len(recs)} reports in {time.perf_counter() - t0:.1f} s (not part of the store timings)")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "review.sqlite3"
        st = ReviewStore(db)
        per_batch = []
        for i in range(0, len(recs), 100):
            t = time.perf_counter()
            st.add(list(zip(recs[i:i + 100], outs[i:i + 100], strict=True)))
            per_batch.append((time.perf_counter() - t) * 1000)
        print(f"store: {statistics.median(per_batch):.1f} ms per batch of 100 (median), "
              f"{sum(per_batch) / 1000:.2f} s in all")
        t = time.perf_counter()
        decided = 0
        for i, (r, o) in enumerate(zip(recs, outs, strict=True)):
            if i % 2 or not o.get("codes"):
                continue
            lines = claim_lines(o["codes"])
            st.decide(r["id"], Decision("accept", "bench") if i % 4 else Decision("override", "bench", lines))
            decided += 1
        print(f"decide: {(time.perf_counter() - t) * 1000 / max(decided, 1):.2f} ms per decision ({decided})")
        for name, kw in (("all", {}), ("open", {"status": "open"}), ("family ct", {"family": "ct"}),
                         ("search 'contrast'", {"q": "contrast"})):
            t, items = ms(lambda kw=kw: st.worklist(**kw))
            print(f"worklist {name}: {t:.1f} ms ({len(items)} items)")
        rid = recs[0]["id"]
        t, rec = ms(lambda: st.get(rid))
        print(f"get one report with its audit: {t:.2f} ms")
        env = _templates()
        items = st.worklist()

        def render():
            return env.get_template("review.html").render(
                items=items, report=rec, segments=highlight(rec["text"], rec["suggestion"]), families=st.families(),
                selected=rid, token_required=False, limit=500, filters={"status": "", "family": "", "q": ""})

        t, page = ms(render)
        print(f"review page ({len(items)} items in the list): {t:.1f} ms to render, {len(page) / 1e6:.2f} MB")
        t, rows = ms(st.decided, repeat=3)
        print(f"export: {t:.0f} ms for {len(rows)} decided reports")
        t, _ = ms(st.stats, repeat=3)
        print(f"stats: {t:.1f} ms")
        print(f"database: {sum(p.stat().st_size for p in Path(tmp).glob('review.sqlite3*')) / 1e6:.1f} MB "
              f"(with the WAL)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

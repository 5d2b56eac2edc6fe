"""Cost of the learned title model: load time, and CPU time per report of what the hybrid stage
adds (the rules' attributes as features + the model's top five codes, then the combiner's trees
scoring the candidates).

    python bench/title_model.py [--n 2000]

Prints the CPU time of loading ``models/title`` alone and of a whole ``Suggester()`` with its imports
(each in a fresh process, median of 3), and the CPU time per title of ``title_attributes`` + ``TitleModel.top``
(median of 5 rounds over the same titles), and of the same plus the combiner scoring the
candidates (``hybrid.score_candidates``; the rules' ranking is computed before the clock starts). Titles: the bench's generated reports (and the hospital
descriptions of ``../shared/data/cdm_dev.csv`` when present).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _fresh(code: str) -> float:
    """Seconds ``code`` prints, run in a fresh interpreter."""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=2000, help="titles per round (default 2000)")
    args = ap.parse_args()

    # CPU seconds (the machine may be shared): loading models/title once the package is imported,
    # and a whole Suggester() from a bare interpreter (imports included)
    load = statistics.median(_fresh(
        "import time; from suggester.title_model import load_title_model; t = time.process_time(); "
        "load_title_model(); print(time.process_time() - t)") for _ in range(3))
    start = statistics.median(_fresh(
        "import time; t = time.process_time(); from suggester import Suggester; Suggester(); "
        "print(time.process_time() - t)") for _ in range(3))

    import warnings

    from reports import make_reports

    from suggester import Suggester, title_model
    from suggester.hybrid import MODEL_K, report_kind, score_candidates, title_attributes
    from suggester.mapping import rank

    title_model.TOP_CACHE = 0  # time the model, not its memo of repeated titles

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        s = Suggester()
    texts = [r["text"] for r in make_reports(args.n // 2)]
    cdm = HERE.parent.parent / "shared" / "data" / "cdm_dev.csv"
    if cdm.is_file():
        from suggester.evaluation import load_cdm

        texts += [r.description for r in load_cdm(cdm)[:: max(1, 15000 // (args.n // 2))]][: args.n // 2]
    exs = [ex for ex in (s.extract(t) for t in texts) if ex.title is not None]
    rounds = []
    for _ in range(5):
        t = time.process_time()
        for ex in exs:
            s.title_model.top(ex.title.text, MODEL_K, title_attributes(ex.mentions, ex.frames, ex.title))
        rounds.append((time.process_time() - t) / len(exs))
    single = [(ex, ex.frames[0] if ex.frames else None) for ex in exs if len(ex.frames) <= 1]
    ranked = [(ex, f, rank(f, s.lex, s.payer) if f else [], s.combiners.get(report_kind(ex))) for ex, f in single]
    both = []
    for _ in range(5):
        t = time.process_time()
        for ex, f, cands, comb in ranked:
            top = s.title_model.top(ex.title.text, MODEL_K, title_attributes(ex.mentions, ex.frames, ex.title))
            score_candidates(f, cands, top, s.lex, comb)
        both.append((time.process_time() - t) / len(ranked))
    print(f"title model load: {load:.3f} s CPU; Suggester() start-up with imports: {start:.3f} s CPU "
          "(fresh process, median of 3)")
    print(f"title model per report (attributes + top {MODEL_K}): {statistics.median(rounds) * 1000:.3f} ms CPU "
          f"(median of 5 rounds over {len(exs)} titles)")
    print(f"title model + combiner per report: {statistics.median(both) * 1000:.3f} ms CPU "
          f"(median of 5 rounds over {len(ranked)} one-exam titles)")


if __name__ == "__main__":
    main()

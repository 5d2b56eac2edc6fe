"""CPU time of the string-level stages (noise, dictation, sections, phrase search, flags, cues).

    python bench/profile_stages.py                  # 600 reports, 3 rounds: CPU ms per report per stage
    python bench/profile_stages.py -n 1000 --profile 25   # and cProfile's top 25 functions (own and cumulative)
    python bench/profile_stages.py --corpus labelled --memos off --profile 15   # eval/data dev + test, every memo off

Each stage function is wrapped where its caller looks it up and timed with ``time.process_time``
(CPU time of this process, so other jobs on the machine matter less than for wall time); the
figures are medians over ``--rounds`` passes of ``Suggester.suggest_many`` over the same
synthetic reports (``bench/reports.py``), or over the labelled reports of ``eval/data`` (dev and
test: varied text whose titles and technique lines repeat far less), with the memos on or off
(``suggester.memo.memos_off``: the honest figure for varied text). Nested stages are timed on their own too (``flags:
document_flags`` includes ``modifiers: find_phrases`` calls made from it). It prints numbers
and asserts nothing.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import importlib
import json
import pstats
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
EVAL = HERE.parent / "eval" / "data"
sys.path.insert(0, str(HERE))

from reports import make_reports  # noqa: E402

# (where the caller looks the function up, label)
STAGES = (
    ("extraction:normalize_dictation", "sections: normalize_dictation"),
    ("extraction:set_aside", "noise: set_aside"),
    ("extraction:split_sections", "sections: split_sections"),
    ("modifiers:_find_phrases", "modifiers: _find_phrases (uncached searches)"),
    ("modifiers:_occurrences", "modifiers: _occurrences (literal scan)"),
    ("pipeline:report_flags", "flags: report_flags"),
    ("flags:gap_flags", "flags: gap_flags"),
    ("pipeline:report_context", "confidence: report_context"),
    ("pipeline:plan_text_modifiers", "modifiers: plan_text_modifiers"),
    ("extraction:Extractor.read", "spaCy pipeline (for scale)"),
)


def _owner(name: str):
    module, _, attr = name.partition(":")
    owner = importlib.import_module(f"suggester.{module}")
    if "." in attr:
        cls, attr = attr.split(".")
        owner = getattr(owner, cls)
    return owner, attr


def timed_rounds(s, texts: list[str], rounds: int) -> tuple[float, dict[str, float]]:
    """(total CPU ms per report, {stage: CPU ms per report}), medians over the rounds."""
    spent: dict[str, float] = {}
    saved = []
    for name, label in STAGES:
        owner, attr = _owner(name)
        fn = getattr(owner, attr)

        def wrapper(*a, _fn=fn, _label=label, **k):
            c = time.process_time()
            try:
                return _fn(*a, **k)
            finally:
                spent[_label] = spent.get(_label, 0.0) + time.process_time() - c
        saved.append((owner, attr, fn))
        setattr(owner, attr, wrapper)
    totals: list[float] = []
    per: dict[str, list[float]] = {label: [] for _n, label in STAGES}
    try:
        for _ in range(rounds):
            spent.clear()
            c = time.process_time()
            for _r in s.suggest_many(texts):
                pass
            totals.append(time.process_time() - c)
            for _n, label in STAGES:
                per[label].append(spent.get(label, 0.0))
    finally:
        for owner, attr, fn in reversed(saved):
            setattr(owner, attr, fn)
    n = len(texts)
    return 1000 * statistics.median(totals) / n, {k: 1000 * statistics.median(v) / n for k, v in per.items()}


def plain_rounds(s, texts: list[str], rounds: int) -> float:
    """CPU ms per report of ``suggest_many`` without the timing wrappers (median)."""
    out = []
    for _ in range(rounds):
        c = time.process_time()
        for _r in s.suggest_many(texts):
            pass
        out.append(time.process_time() - c)
    return 1000 * statistics.median(out) / len(texts)


def labelled_texts() -> list[str]:
    """The texts of the labelled dev and test reports (``eval/data``; empty when absent)."""
    out = []
    for name in ("dev.jsonl", "test.jsonl"):
        path = EVAL / name
        if path.is_file():
            out += [json.loads(x)["text"] for x in path.read_text(encoding="utf-8").splitlines() if x.strip()]
    return out


def print_profile(prof: cProfile.Profile, n: int, top: int) -> None:
    """cProfile's ``top`` functions by own time and by cumulative time, per report."""
    st = pstats.Stats(prof)
    for key, label in ((2, "own time"), (3, "cumulative time")):
        rows = sorted(st.stats.items(), key=lambda kv: -kv[1][key])[:top]  # type: ignore[attr-defined]
        print(f"\ncProfile, top {top} by {label} (ms per report: own, cumulative; calls per report)")
        for (file, line, func), (_cc, nc, tt, ct, _callers) in rows:
            where = f"{Path(file).name}:{line}:{func}" if line else func
            print(f"  {1000 * tt / n:7.3f} {1000 * ct / n:7.3f} {nc / n:7.1f}  {where}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("-n", type=int, default=600, help="number of reports (default 600)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--profile", type=int, default=0, metavar="TOP",
                    help="also run cProfile once and print the TOP functions by own and by cumulative time")
    ap.add_argument("--corpus", choices=("bench", "labelled"), default="bench",
                    help="bench: -n synthetic reports (default); labelled: eval/data dev + test")
    ap.add_argument("--memos", choices=("on", "off"), default="on",
                    help="off: every memo off (suggester.memo.memos_off) in the timed rounds and the profile")
    a = ap.parse_args(argv)
    from suggester import Suggester
    from suggester.memo import memos_off

    texts = labelled_texts() if a.corpus == "labelled" else [r["text"] for r in make_reports(a.n, seed=a.seed)]
    if not texts:
        print(f"no labelled reports in {EVAL}")
        return 0
    s = Suggester()
    for _r in s.suggest_many(texts[:50]):  # warm caches (lexicon, lru caches, spaCy)
        pass
    with memos_off() if a.memos == "off" else contextlib.nullcontext():
        plain = plain_rounds(s, texts, a.rounds)
        total, stages = timed_rounds(s, texts, a.rounds)
    what = f"{len(texts)} labelled reports" if a.corpus == "labelled" else f"{a.n} reports (seed {a.seed})"
    print(f"{what}, memos {a.memos}, medians of {a.rounds} rounds, CPU ms per report")
    print(f"  suggest_many, no wrappers            {plain:8.3f}")
    print(f"  suggest_many, with stage timers      {total:8.3f}")
    for label, v in sorted(stages.items(), key=lambda kv: -kv[1]):
        print(f"  {label:<45s} {v:8.3f}")
    if a.profile:
        prof = cProfile.Profile()
        with memos_off() if a.memos == "off" else contextlib.nullcontext():
            prof.enable()
            for _r in s.suggest_many(texts):
                pass
            prof.disable()
        print_profile(prof, len(texts), a.profile)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Which records moved toward or away from the gold codes between two golden files (tools/golden.py write).

    python tools/golden.py write before.jsonl        # on the old code
    python tools/golden.py write after.jsonl         # on the new code
    python tools/toward.py before.jsonl after.jsonl [--show dev] [--parts eval/data/parts]

Per split (dev / test / calibration, ``suggester.evaluation.split_of``): records exact before and not after
(away), the reverse (toward), changed but wrong both times (neither), and exact share before -> after, on the
professional/Medicare setting. ``--show SPLIT`` lists the moved ids of one split with their codes (the dev
split while working on rules: test and calibration records are counted, never read).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SETTING = "professional/medicare"


def _outputs(path: str) -> dict[str, dict]:
    out = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec.get("setting") == SETTING:
                out[rec["id"]] = rec
    return out


def _shown(pred: dict) -> list[str]:
    return [c["code"] + "".join(f"-{m}" for m in c.get("modifiers", ()) if m not in ("26", "TC"))
            for c in pred.get("codes", [])]


def compare(before: str, after: str, parts: str | Path, show: str | None = None) -> dict[str, Counter]:
    """{split: Counter(n, toward, away, neither, exact_before, exact_after)}; prints the moved ids of ``show``."""
    sys.path.insert(0, str(REPO))
    from suggester.evaluation import lines_match, load_gold, pred_lines, split_of

    a, b = _outputs(before), _outputs(after)
    counts: dict[str, Counter] = {}
    for part in sorted(Path(parts).glob("*.jsonl")):
        for rec in load_gold([part]):
            key = f"{part.stem}/{rec.id}"
            if key not in a or key not in b:
                continue
            split = split_of(rec.id)
            ra, rb = lines_match(rec.lines, pred_lines(a[key])), lines_match(rec.lines, pred_lines(b[key]))
            c = counts.setdefault(split, Counter())
            c.update(n=1, exact_before=ra, exact_after=rb)
            kind = ("away" if ra and not rb else "toward" if rb and not ra else
                    "neither" if pred_lines(a[key]) != pred_lines(b[key]) else None)
            if kind:
                c[kind] += 1
                if split == show:
                    print(kind, key, _shown(a[key]), "->", _shown(b[key]))
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("before")
    ap.add_argument("after")
    ap.add_argument("--parts", default=str(REPO / "eval" / "data" / "parts"))
    ap.add_argument("--show", default=None, metavar="SPLIT")
    a = ap.parse_args(argv)
    for split, c in sorted(compare(a.before, a.after, a.parts, a.show).items()):
        n = max(c["n"], 1)
        print(f"{split}: n={c['n']} toward {c['toward']} away {c['away']} neither {c['neither']}  "
              f"exact {100 * c['exact_before'] / n:.2f} -> {100 * c['exact_after'] / n:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The rules alone (no title model) on hospital exam descriptions, scored by health system.

    python tools/cdm_rules.py [--cdm ../shared/data/cdm_dev.csv] [--family ct,mr] [--show]
                              [--save top1.json] [--compare old_top1.json]

Each description is coded as a one-line report (billing global, Medicare); top-1 is right when the first
ranked code (``suggester.evaluation.ranked_codes``) is one of the row's codes. Prints accuracy by health
system (the mean of the systems' accuracies) and by row. ``--show`` lists the wrong rows (system |
description | codes | top 3), ``--save`` writes {description: top-1}, ``--compare`` lists the descriptions
fixed and broken against an earlier ``--save``. The rule work's loop on hospital wording: what fixes a
pattern in several systems, and what breaks.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cdm", default=str(REPO.parent / "shared" / "data" / "cdm_dev.csv"))
    ap.add_argument("--family", default=None, help="with --show: only rows of these families (comma separated)")
    ap.add_argument("--show", action="store_true")
    ap.add_argument("--save", default=None)
    ap.add_argument("--compare", default=None)
    a = ap.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from suggester import Suggester
    from suggester.evaluation import load_cdm, ranked_codes
    from suggester.title_training import system_of

    s = Suggester(title_model="off")
    family = {c: x.family for c, x in s.lex.codes.items()}
    families = set(a.family.split(",")) if a.family else None
    rows = load_cdm(a.cdm)
    ranked: dict[str, list[str]] = {}
    per: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0])
    gold: defaultdict[str, set[str]] = defaultdict(set)
    for r in rows:
        if r.description not in ranked:
            ranked[r.description] = ranked_codes(s.suggest_record({"text": r.description, "billing": "global",
                                                                   "payer": "medicare"}))
        top = ranked[r.description]
        ok = bool(top) and top[0] in r.codes
        system = system_of(r)
        per[system][0] += 1
        per[system][1] += ok
        gold[r.description] |= set(r.codes)
        fam = next((family[c] for c in r.codes if c in family), "unknown")
        if a.show and not ok and (families is None or fam in families):
            print(f"{system[:18]:18} | {r.description} | {' '.join(r.codes)} | {' '.join(top[:3])}")
    by_system = sum(k / n for n, k in per.values()) / max(len(per), 1)
    by_row = sum(k for _, k in per.values()) / max(sum(n for n, _ in per.values()), 1)
    print(f"rules only: by system {100 * by_system:.2f}%, by row {100 * by_row:.2f}% "
          f"({len(per)} systems, {len(rows)} rows)")
    top1 = {d: (t[0] if t else None) for d, t in ranked.items()}
    if a.save:
        Path(a.save).write_text(json.dumps(top1), encoding="utf-8")
    if a.compare:
        old = json.loads(Path(a.compare).read_text(encoding="utf-8"))
        fixed = broken = 0
        for d, t in top1.items():
            o = old.get(d)
            if o == t or d not in old:
                continue
            if t in gold[d] and o not in gold[d]:
                fixed += 1
                print(f"fixed  | {d} | {o} -> {t}")
            elif o in gold[d] and t not in gold[d]:
                broken += 1
                print(f"BROKEN | {d} | {o} -> {t}")
        print(f"descriptions fixed {fixed}, broken {broken}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

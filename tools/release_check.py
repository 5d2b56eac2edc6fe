"""What the confidence model's release points would release on labelled reports, shipped or not.

    python tools/release_check.py eval/data/parts/cal_cp.jsonl [more.jsonl ...] [--model models/confidence]

For each file: reports, exact share, and the reports whose report confidence reaches the strictest
release threshold of their codes' families (``meta.json`` ``release.families``; a family without a
point releases nothing), with their exact share and its Wilson 95% interval. The points of a model
trained with ``--release`` but not shipped (``release.shipped`` false) are read the same way, so
reports written after the model was trained show how the computed points hold on new text.
Coded as the eval harness codes (global billing, Medicare).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--model", default=str(REPO / "models" / "confidence"))
    a = ap.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from suggester import Suggester
    from suggester.confidence import RELEASES_NOTHING
    from suggester.evaluation import load_gold, predict, score_report, wilson_interval

    meta = json.loads((Path(a.model) / "meta.json").read_text(encoding="utf-8"))
    points = {f: v["threshold"] for f, v in (meta.get("release") or {}).get("families", {}).items()}
    s = Suggester(billing="global", confidence_model=a.model)
    family = {c: x.family for c, x in s.lex.codes.items()}
    print(f"release points of {a.model} (shipped: {meta.get('release', {}).get('shipped')})")
    for path in a.paths:
        recs = load_gold([path])
        preds = predict(recs, s, professional=False)
        n = exact = released = released_exact = 0
        for rec, pred in zip(recs, preds, strict=True):
            ok = score_report(rec, pred).exact
            n += 1
            exact += ok
            if not pred["codes"]:
                continue
            threshold = max(points.get(family.get(c["code"]), RELEASES_NOTHING) for c in pred["codes"])
            if threshold < RELEASES_NOTHING and pred["confidence"] >= threshold:
                released += 1
                released_exact += ok
        iv = wilson_interval(released_exact, released)
        shown = f"[{iv[0]:.3f}, {iv[1]:.3f}]" if iv else "-"
        print(f"{path}: {n} reports, exact {exact / max(n, 1):.1%}; released {released} ({released / max(n, 1):.1%}) "
              f"at {released_exact}/{released} exact {shown}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

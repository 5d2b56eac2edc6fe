"""Compare release-rule variants on a trained model's calibration reports, without retraining.

    python tools/release_rules.py [MODEL_DIR]      (default: /tmp/conf; needs calibration_reports.json)

For each variant (family rule x the pooled point's Wilson bound x a family's minimum released):
what the points chosen on ALL calibration reports release there (in sample), and the rule's
held-out check (points chosen on one random half, applied to the other, 200 halvings): released
share, precision, and the share of halvings below 99 %. Choose a variant here, before any test
split figure is seen; then `suggester train --reselect MODEL_DIR --family-rule RULE --release`
scores the test split once and the gate decides.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from suggester.training import (  # noqa: E402
    CALIB_MIN_FAMILY,
    NEVER,
    RELEASE_LOWER,
    calibration_release,
    load_calibration_reports,
    released_scores,
)

VARIANTS = [(rule, lower, minf) for rule in ("own", "tested") for lower in (RELEASE_LOWER, 0.98)
            for minf in (CALIB_MIN_FAMILY, 20)]


def main(argv: list[str]) -> int:
    rep = load_calibration_reports(argv[0] if argv else "/tmp/conf")
    t = rep["transformed"]
    n = len(rep["exact"])
    print(f"{n} calibration reports ({sum(rep['exact']) / n:.1%} exact), {len(t['exact'])} transforms")
    print(f"{'family rule':12s} {'bound':>5s} {'min':>4s} | {'in sample':>18s} | {'transformed':>18s} | "
          f"{'held-out halves':>26s} | families with a point")
    for rule, lower, minf in VARIANTS:
        rel = calibration_release(rep["mapped"], rep["exact"], rep["families"], t["mapped"], t["exact"],
                                  t["families"], family_rule=rule, lower=lower, min_family=minf)
        ins = released_scores(rep["mapped"], rep["exact"], rep["families"], rel)
        tr = released_scores(t["mapped"], t["exact"], t["families"], rel)
        ho = rel["pooled"]["holdout"]
        fams = ",".join(f for f, v in rel["families"].items() if v["threshold"] < NEVER)
        print(f"{rule:12s} {lower:5.2f} {minf:4d} | {ins['share'] or 0:6.1%} at {ins['precision'] or 0:7.2%} | "
              f"{tr['share'] or 0:6.1%} at {tr['precision'] or 0:7.2%} | "
              f"{ho['share'] or 0:6.1%} at {ho['precision'] or 0:7.2%}, {ho['below_target'] or 0:5.1%} below | {fams}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

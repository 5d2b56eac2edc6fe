"""Golden check: every output record on eval/data and the sample reports, before and after a change.

    python tools/golden.py write golden.jsonl          # freeze the current behaviour
    python tools/golden.py diff golden.jsonl           # compare: prints each changed record, exit 1
    python tools/golden.py diff golden.jsonl --ignore-confidence   # after a retrain

Records are coded with the default Suggester (professional billing, Medicare) and, to cover the
payer and component paths, again with commercial/global. Each output record is written with its
input id and the setting, so a diff names the report and the field that changed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SETTINGS = ({"billing": "professional", "payer": "medicare"}, {"billing": "global", "payer": "commercial"})


def inputs() -> list[dict]:
    recs = []
    for path in sorted((REPO / "eval" / "data" / "parts").glob("*.jsonl")) + [REPO / "eval" / "data" / "sample.jsonl"]:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                r = json.loads(line)
                recs.append({"id": f"{path.stem}/{r.get('id')}", "text": r["text"], "ordered": r.get("ordered")})
    return recs


def outputs() -> list[dict]:
    sys.path.insert(0, str(REPO))
    from suggester import Suggester

    s = Suggester()
    out = []
    for setting in SETTINGS:
        for rec in inputs():
            r = s.suggest_record({**rec, **setting})
            r.pop("versions", None)
            out.append({"setting": f"{setting['billing']}/{setting['payer']}", **r})
    return out


def _strip_conf(x):
    if isinstance(x, dict):
        return {k: _strip_conf(v) for k, v in x.items() if k not in ("confidence", "needs_review", "review_reasons")}
    if isinstance(x, list):
        return [_strip_conf(v) for v in x]
    return x


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=("write", "diff"))
    ap.add_argument("path")
    ap.add_argument("--ignore-confidence", action="store_true",
                    help="drop confidence, needs_review and review_reasons before comparing")
    a = ap.parse_args(argv)
    got = outputs()
    if a.mode == "write":
        with open(a.path, "w", encoding="utf-8") as fh:
            for r in got:
                fh.write(json.dumps(r, sort_keys=True, ensure_ascii=False) + "\n")
        print(f"wrote {len(got)} records to {a.path}")
        return 0
    want = [json.loads(x) for x in Path(a.path).read_text(encoding="utf-8").splitlines() if x.strip()]
    norm = _strip_conf if a.ignore_confidence else (lambda x: x)
    changed = 0
    for w, g in zip(want, got, strict=False):
        if norm(w) != norm(json.loads(json.dumps(g, sort_keys=True, ensure_ascii=False))):
            changed += 1
            if changed <= 20:
                g = json.loads(json.dumps(g, sort_keys=True, ensure_ascii=False))
                keys = sorted(k for k in set(norm(w)) | set(norm(g)) if norm(w).get(k) != norm(g).get(k))
                print(f"{w['setting']} {w['id']}: {', '.join(keys)} changed")
    if len(want) != len(got):
        print(f"record count {len(want)} -> {len(got)}")
        changed += 1
    print(f"{changed} of {len(want)} records changed")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
